#pragma once
// The AWS checks a template decides, run by the engine's own check functions on a snapshot built
// from the template: the verdicts, witnesses, ids and severities are `audit`'s.
#include <optional>
#include <vector>

#include "analyzer/lint/iac_model.h"
#include "analyzer/lint/lint_finding.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::lint {

// The registered checks lint runs (CheckInfo::decidable_from_template), sorted by name.
std::vector<const CheckInfo*> template_decidable_checks();

// `now` is the audit clock of the certificate checks.
void run_template_checks(IacFile& file, const AuditConfiguration* configuration, EpochMillis now,
                         std::vector<LintFinding>& out);

}  // namespace fleetaudit::lint
