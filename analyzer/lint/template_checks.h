#pragma once
// The AWS checks a template decides, run by the engine's own check functions on a snapshot built
// from the template: the verdicts, witnesses, ids and severities are `audit`'s.
#include <optional>
#include <vector>

#include "analyzer/lint/iac_model.h"
#include "analyzer/lint/lint_finding.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::lint {

// The registry's checks whose inputs a template can declare completely: policies (not their
// attachments: a policy unattached in a template is normal), thing-certificate attachments of
// the template's own certificates, and the account's logging options.
const std::vector<std::string_view>& template_decidable_checks();

void run_template_checks(IacFile& file, const AuditConfiguration* configuration, std::vector<LintFinding>& out);

}  // namespace fleetaudit::lint
