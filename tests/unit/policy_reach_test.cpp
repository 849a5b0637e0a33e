// Whom a policy reaches, and Deny statements in other attached policies (fixtures under
// fixtures/iot_policy_overly_permissive_check/ state the stories).
#include <gtest/gtest.h>

#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

std::vector<Finding> permissive_findings(const std::string& fixture) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  EXPECT_FALSE(load_snapshot(testing::source_dir() + "/fixtures/" + fixture, *snapshot, diagnostics));
  AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  for (const CheckRun& run : report.runs)
    if (run.check->name == "IOT_POLICY_OVERLY_PERMISSIVE_CHECK") return run.findings;
  return {};
}

std::string info(const Finding& finding, const std::string& key) {
  for (const auto& [name, value] : finding.additional_info)
    if (name == key) return value;
  return "(absent)";
}

TEST(PolicyReach, DenyInAnotherAttachedPolicyTakesTheGrantBackEverywhere) {
  auto findings = permissive_findings("iot_policy_overly_permissive_check/deny-in-another-attached-policy");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].resource.value, "BroadConnect");
  EXPECT_EQ(info(findings[0], "CERTIFICATES_REACHED"), "2");
  EXPECT_EQ(info(findings[0], "THINGS_REACHED"), "2");
  EXPECT_EQ(info(findings[0], "CANCELLED_BY_DENY"), "[iot:Connect]");
  EXPECT_NE(findings[0].message.find("take back [iot:Connect] for every certificate"), std::string::npos);
  EXPECT_EQ(findings[1].resource.value, "SpareFullAccess");
  EXPECT_EQ(info(findings[1], "ATTACHED"), "false");
  EXPECT_NE(findings[1].message.find("not attached to any certificate or thing group"), std::string::npos);
}

TEST(PolicyReach, ThingGroupDenyCoversOnlyItsMembers) {
  auto findings = permissive_findings("iot_policy_overly_permissive_check/thing-group-policy");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(info(findings[0], "CERTIFICATES_REACHED"), "2");
  EXPECT_EQ(info(findings[0], "THINGS_REACHED"), "2");
  EXPECT_EQ(info(findings[0], "CANCELLED_BY_DENY"), "(absent)");
}

}  // namespace
}  // namespace fleetaudit
