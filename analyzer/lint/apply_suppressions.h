#pragma once
// Suppressions written in the source: `Metadata: fleetaudit: ignore_checks` on a CloudFormation
// resource (or the template), and `# fleetaudit:ignore CHECK reason` comments in YAML. A finding
// they match is kept, marked suppressed with the reason; one that matches nothing is a warning.
#include <vector>

#include "analyzer/lint/iac_model.h"
#include "analyzer/lint/lint_finding.h"

namespace fleetaudit::lint {

void apply_suppressions(IacFile& file, std::vector<LintFinding>& findings);

}  // namespace fleetaudit::lint
