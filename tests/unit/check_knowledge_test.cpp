// What a check knows about itself, read by the rooms that once kept it in name lists: the
// mitigation actions its findings accept (mitigate/) and whether lint decides it from a template.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analyzer/engine/check.h"
#include "analyzer/lint/lint_run.h"
#include "analyzer/mitigate/allowed_actions.h"
#include "tests/lint_templates.h"

namespace fleetaudit {
namespace {

bool allows(std::string_view check, MitigationActionType type) {
  const std::vector<MitigationActionType> allowed = allowed_mitigation_actions(check);
  return std::find(allowed.begin(), allowed.end(), type) != allowed.end();
}

TEST(CheckKnowledge, MitigationActionsAreMitigationActionTypeNamesEachOnce) {
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    std::set<std::string_view> seen;
    for (std::string_view name : check.mitigation_actions) {
      EXPECT_TRUE(mitigation_action_type_from(name).has_value()) << check.name << ": " << name;
      EXPECT_TRUE(seen.insert(name).second) << check.name << " lists " << name << " twice";
    }
    EXPECT_EQ(allowed_mitigation_actions(check.name).size(), check.mitigation_actions.size()) << check.name;
  }
}

// AWS's table follows the resource a finding names: every AWS check may notify, and a check may
// change only the kind of resource its findings are about.
TEST(CheckKnowledge, AwsChecksAcceptTheActionsOfTheirResourceType) {
  size_t aws_checks = 0;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    if (check.fleetaudit_own) continue;
    ++aws_checks;
    const std::string_view name = check.name;
    const ResourceType type = check.resource_type;
    EXPECT_TRUE(allows(name, MitigationActionType::publish_finding_to_sns)) << name;
    EXPECT_EQ(allows(name, MitigationActionType::update_device_certificate), type == ResourceType::device_certificate)
        << name;
    EXPECT_EQ(allows(name, MitigationActionType::add_things_to_thing_group), type == ResourceType::device_certificate)
        << name;
    EXPECT_EQ(allows(name, MitigationActionType::update_ca_certificate), type == ResourceType::ca_certificate) << name;
    EXPECT_EQ(allows(name, MitigationActionType::replace_default_policy_version), type == ResourceType::iot_policy)
        << name;
    EXPECT_EQ(allows(name, MitigationActionType::enable_iot_logging), type == ResourceType::account_settings) << name;
  }
  EXPECT_EQ(aws_checks, 17u);
  // The CDK's spelling of the misconfiguration check is the same check.
  EXPECT_EQ(allowed_mitigation_actions("IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK"),
            allowed_mitigation_actions("IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK"));
}

const std::string kWildcardPolicyTemplate =
    testing::yaml_policy_template(testing::yaml_policy_document("{Effect: Allow, Action: 'iot:*', Resource: '*'}"));

size_t findings_of(const lint::LintedFile& linted, std::string_view check) {
  return std::count_if(linted.findings.begin(), linted.findings.end(),
                       [&](const lint::LintFinding& finding) { return finding.check->name == check; });
}

// Lint runs exactly the checks whose CheckInfo says a template decides them, through the engine's
// runner: turning the flag off for one check takes its findings out of lint, and nothing else.
TEST(CheckKnowledge, LintRunsTheTemplateDecidableChecks) {
  const lint::LintRun run;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    const std::vector<const CheckInfo*> rules = run.rules();
    const bool listed = std::find(rules.begin(), rules.end(), &check) != rules.end();
    EXPECT_EQ(listed, check.decidable_from_template) << check.name;
  }
  const CheckInfo* check = CheckRegistry::instance().find("IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
  ASSERT_NE(check, nullptr);
  ASSERT_TRUE(check->decidable_from_template);
  const lint::LintedFile decided = lint::lint_text(kWildcardPolicyTemplate, "t.yaml", 0, nullptr);
  EXPECT_EQ(findings_of(decided, check->name), 1u);
  // The registry is constant for the program; this test alone flips one flag and puts it back.
  bool& flag = const_cast<CheckInfo*>(check)->decidable_from_template;
  flag = false;
  const lint::LintedFile undecided = lint::lint_text(kWildcardPolicyTemplate, "t.yaml", 0, nullptr);
  flag = true;
  EXPECT_EQ(findings_of(undecided, check->name), 0u);
  EXPECT_EQ(decided.findings.size() - 1, undecided.findings.size());
}

}  // namespace
}  // namespace fleetaudit
