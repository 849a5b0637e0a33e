#pragma once
// Which files `fleetaudit lint PATH...` reads: each file named, and under each directory (recursively)
// the *.json, *.yaml, *.yml, *.template and *.tf files, but not hidden directories, node_modules, CDK
// asset copies (cdk.out/asset.*) nor what the directory's own .gitignore ignores (its simple
// patterns: `name`, `*.ext`, `dir/`, `/anchored/path`; negations are not read).
// The PATHs are also lint's boundary: a directory given, and the directory of a file given (where
// Terraform's path.module is). Nothing outside it is read, whatever a link, "..", an absolute path or a
// file() call says.
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/load/input_files.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit::lint {

// The most lint reads of one file (a template, a plan, a policy, a .gitignore): a larger one is an
// error, not read, so that no input (nor a link to /dev/zero) can take memory without bound.
constexpr uint64_t kMaxLintFileBytes = uint64_t{32} << 20;

struct LintInputs {
  // The files, in a stable order (each directory's sorted), as paths to open and to report (relative
  // to the current directory when the PATH was).
  std::vector<std::string> files;
  ReadBoundary boundary{"the paths given to lint"};
  // Files with an IaC name that a .gitignore kept out: git deploys what is committed whatever
  // .gitignore says, so they are named (a warning), never silently dropped.
  std::vector<std::string> ignored;
};

// A PATH that does not exist, or that cannot be read, is an error in `problems`.
LintInputs lint_inputs(const std::vector<std::string>& paths, Diagnostics& problems);

}  // namespace fleetaudit::lint
