#pragma once
// `fleetaudit lint`: every IaC file under the PATHs read, its IoT resources checked by the AWS
// checks (on a snapshot built from the file) and by the lint rules, suppressions applied.
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/lint/iac_model.h"
#include "analyzer/lint/lint_finding.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/time.h"

namespace fleetaudit::lint {

struct LintedFile {
  IacFile file;
  std::vector<LintFinding> findings;  // ordered by position, then rule

  // The file a finding's spans are in: its own source, else this file's.
  const SourceFile& source_of(const LintFinding& finding) const {
    return finding.source != nullptr ? *finding.source : *file.source;
  }
};

struct LintRun {
  std::vector<LintedFile> files;  // the IaC files and those with problems, in input order
  size_t files_read = 0;          // every file looked at, IaC or not
  uint64_t bytes_read = 0;
  Diagnostics problems;           // not about one file (a PATH that does not exist)
  std::vector<std::string> ignored;  // files with an IaC name that a .gitignore kept out (lint_inputs.h)

  // The rules results can name: the AWS checks lint runs, then the lint rules, each once.
  std::vector<const CheckInfo*> rules() const;
  bool input_errors() const;
};

// The current time: lint's default audit clock.
EpochMillis current_clock();

// Lints one file held in memory (the extension of `display_path` chooses JSON or YAML); `now` is the
// audit clock of the certificate checks.
LintedFile lint_text(std::string text, const std::string& display_path, EpochMillis now = current_clock(),
                     const ReadBoundary* boundary = nullptr);

// `excludes`: globs (fnmatch, `*` also crossing `/`); a file is not read when its path, or the part of
// it after some '/', matches one, or lies under a directory that does.
bool excluded(std::string_view path, const std::vector<std::string>& excludes);
LintRun lint_paths(const std::vector<std::string>& paths, EpochMillis now, const std::vector<std::string>& excludes = {});

}  // namespace fleetaudit::lint
