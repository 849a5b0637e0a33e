#pragma once
// The lint report formats. Each writes the whole report to `out`; the same run gives the same bytes.
#include <cstdio>
#include <string>

#include "analyzer/lint/lint_run.h"

namespace fleetaudit::lint {

// SARIF 2.1.0 for code scanning: rules as `audit` writes them, results at the offending value's
// region, artifact URIs relative to the current directory, fingerprints from the finding's
// identity (never its line), in-source suppressions with their justification.
void write_lint_sarif(const LintRun& run, std::FILE* out);
// {"results": [...], "problems": [...]}, one object per finding with its region.
void write_lint_json(const LintRun& run, std::FILE* out);
// file:line:column: severity RULE: message, one per line; file content escaped for a terminal.
void write_lint_text(const LintRun& run, std::FILE* out);

// The SARIF fingerprint of a finding: sha256 of its identity, cut as `audit` cuts it.
std::string lint_fingerprint(const LintFinding& finding);

}  // namespace fleetaudit::lint
