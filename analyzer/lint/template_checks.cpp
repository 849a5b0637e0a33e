#include "analyzer/lint/template_checks.h"

#include <algorithm>

#include "analyzer/engine/audit.h"
#include "analyzer/lint/finding_placement.h"
#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/template_snapshot.h"

namespace fleetaudit::lint {

namespace {

bool inputs_present(const CheckInfo& check, const Snapshot& snapshot) {
  for (const std::vector<SnapshotFile>& group : check.required_inputs) {
    bool any = false;
    for (SnapshotFile input : group) any |= snapshot.has(input);
    if (!any) return false;
  }
  return true;
}

}  // namespace

std::vector<const CheckInfo*> template_decidable_checks() {
  std::vector<const CheckInfo*> checks;
  for (std::string_view name : LintRuleRegistry::instance().checks())
    if (const CheckInfo* check = CheckRegistry::instance().find(name)) checks.push_back(check);
  std::sort(checks.begin(), checks.end(), [](const CheckInfo* a, const CheckInfo* b) { return a->name < b->name; });
  checks.erase(std::unique(checks.begin(), checks.end()), checks.end());
  return checks;
}

void run_template_checks(IacFile& file, const AuditConfiguration* configuration, std::vector<LintFinding>& out) {
  TemplateSnapshot built;
  build_template_snapshot(file, built);
  const x509::WeakKeyBlocklist no_weak_keys;
  for (const CheckInfo* check : template_decidable_checks()) {
    if (!check_enabled(configuration, *check) || !inputs_present(*check, built.snapshot)) continue;
    CheckContext context{built.snapshot, 0, {}, no_weak_keys};
    for (const CheckParameter& parameter : check->parameters) context.parameters.emplace_back(parameter.name, parameter.default_value);
    CheckResult result = check->run(context);
    for (Finding& finding : result.findings) {
      LintFinding lint;
      lint.check = check;
      lint.reason_code = finding.reason_code;
      lint.message = finding.message;
      lint.identity = finding_identity(*check, finding);
      if (finding.resource.kind == ResourceIdentifier::Kind::policy_version) {
        auto found = built.policy_by_name.find(finding.resource.value);
        if (found == built.policy_by_name.end()) continue;
        const PolicyInput& policy = file.policies[found->second];
        lint.origin = policy.origin;
        place_policy_finding(policy, finding, built.stack, lint);
      } else if (finding.resource.kind == ResourceIdentifier::Kind::device_certificate_id) {
        lint.other_resources.push_back(finding.resource.value);  // the certificate's logical id or address
        for (const ThingAttachmentInput& attachment : file.attachments) {
          if (attachment.certificate != finding.resource.value) continue;
          if (lint.origin.resource.empty()) {
            lint.origin = attachment.origin;
            lint.where = attachment.where;
          } else {
            lint.related.push_back(attachment.where);
          }
        }
      } else if (!file.logging.empty()) {
        lint.origin = file.logging.front().origin;
        lint.where = file.logging.front().where;
      }
      out.push_back(std::move(lint));
    }
  }
}

}  // namespace fleetaudit::lint
