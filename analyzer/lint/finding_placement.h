#pragma once
// Where in the source a policy finding of an AWS check points: for IOT_POLICY_OVERLY_PERMISSIVE_CHECK
// the resource whose pattern admits each example (EXAMPLES: "ACTION on ARN (statement N…)"),
// narrowed to its wildcard; for the statements a message names ("Statement[N] (RESOURCE)"), that
// resource (its MQTT + or # when it has one). The first is the finding's location, the others related ones; when nothing is
// recognised, the policy document.
#include "analyzer/engine/finding.h"
#include "analyzer/lint/document_json.h"
#include "analyzer/lint/iac_model.h"
#include "analyzer/lint/lint_finding.h"

namespace fleetaudit::lint {

void place_policy_finding(const PolicyInput& policy, const Finding& finding, const StackContext& stack,
                          LintFinding& out);

}  // namespace fleetaudit::lint
