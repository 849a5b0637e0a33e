#pragma once
// GitHub code scanning's limits on an uploaded SARIF file, and keeping a report within them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "analyzer/engine/audit.h"

namespace fleetaudit {

// docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit:
// a run of more than 25,000 results is rejected (fleetaudit writes one run; 20 are allowed).
constexpr size_t kGitHubMaxResultsPerRun = 25'000;
// The same page: a file of more than 20 runs is rejected ("Runs per file: 20").
constexpr size_t kGitHubMaxRunsPerFile = 20;
// .../troubleshooting-sarif-uploads/file-too-large: the gzip-compressed file must be under 10 MB.
constexpr uint64_t kGitHubMaxGzipBytes = 10'000'000;

struct SarifResultRef {
  size_t rule_index;     // into report.runs
  size_t finding_index;  // into that run's findings
};

struct SarifSelection {
  std::vector<SarifResultRef> results;  // in report order: by check, then by resource
  std::vector<size_t> kept;             // per run: results kept
  std::vector<size_t> left_out;         // per run: results not kept under max_results
  size_t left_out_total = 0;
};

// The results a SARIF report carries. With `max_results`, only that many: the most important,
// by severity, then check name, then resource.
SarifSelection select_sarif_results(const AuditReport& report, bool omit_suppressed,
                                    std::optional<size_t> max_results);

// The size of `bytes` compressed as `gzip` does by default (deflate level 6, gzip framing).
uint64_t gzip_size(std::string_view bytes);

}  // namespace fleetaudit
