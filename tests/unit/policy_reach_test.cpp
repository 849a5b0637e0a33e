// Whom a policy reaches, and Deny statements in other attached policies (fixtures under
// fixtures/iot_policy_overly_permissive_check/ state the stories).
#include <gtest/gtest.h>

#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/policy/policy_reach.h"

#include <fmt/format.h>
#include "tests/table_builders.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

std::vector<Finding> permissive_findings(const std::string& fixture) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  EXPECT_FALSE(load_snapshot(testing::source_dir() + "/fixtures/" + fixture, *snapshot, diagnostics));
  AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  for (const CheckRun& run : report.runs)
    if (run.check->name == "IOT_POLICY_OVERLY_PERMISSIVE_CHECK") return run.findings.copied();
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
  EXPECT_EQ(info(findings[0], "CANCELLED_BY"), "policy DenyForeignConnect statement 1");
  EXPECT_NE(findings[0].message.find("For every certificate it reaches today, Deny statements of the policies "
                                     "attached alongside it (policy DenyForeignConnect statement 1) take back "
                                     "[iot:Connect]."),
            std::string::npos)
      << findings[0].message;
  EXPECT_EQ(findings[1].resource.value, "SpareFullAccess");
  EXPECT_EQ(info(findings[1], "ATTACHED"), "false");
  EXPECT_NE(findings[1].message.find("not attached to any certificate or thing group"), std::string::npos);
}

// A Deny is credited only for what it provably covers: client/? and two Publish topics leave the
// grant nearly whole, so nothing is said to be taken back.
TEST(PolicyReach, DenyCoveringPartOfTheGrantTakesNothingBack) {
  auto findings = permissive_findings("iot_policy_overly_permissive_check/deny-in-another-policy-covers-part");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].resource.value, "BroadAccess");
  EXPECT_EQ(info(findings[0], "CANCELLED_BY_DENY"), "(absent)");
  EXPECT_EQ(info(findings[0], "CERTIFICATES_REACHED"), "2");
  EXPECT_NE(findings[0].message.find("[iot:Connect, iot:Publish]"), std::string::npos) << findings[0].message;
}

// ${iot:ClientId} is pinned or not by every policy reaching the certificate, not by one.
TEST(PolicyReach, ClientIdIsUnpinnedByAnotherAttachedPolicy) {
  auto findings = permissive_findings("iot_policy_overly_permissive_check/client-id-unpinned-by-another-policy");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[1].resource.value, "ClientIdTopics");
  EXPECT_EQ(info(findings[1], "BROAD_WITH_POLICIES"), "AnyClientId");
  EXPECT_NE(findings[1].message.find("allows broad access to IoT data plane actions: [iot:Publish]. For example: "
                                     "iot:Publish on arn:aws:iot:us-east-1:123456789012:topic/x/ (statement 2)."),
            std::string::npos)
      << findings[1].message;
  EXPECT_NE(findings[1].message.find("It grants [iot:Publish] broadly only together with the policies attached alongside it "
                                     "(AnyClientId)"),
            std::string::npos)
      << findings[1].message;
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

namespace fleetaudit {
namespace {

// One policy attached to 100,000 certificates and to a group of 100,000 things: counting passes,
// so this is quick; a quadratic walk would not finish.
TEST(PolicyReach, OnePolicyWithAHundredThousandTargetsIsLinear) {
  constexpr uint32_t kCount = 100'000;
  auto snapshot = std::make_unique<Snapshot>();
  StringInterner& strings = snapshot->strings;
  snapshot->policies.name.push_back(strings.intern("FleetPolicy"));
  snapshot->policies.arn.push_back(strings.intern("arn:aws:iot:us-east-1:123456789012:policy/FleetPolicy"));
  snapshot->policies.default_version_id.push_back(strings.intern("1"));
  snapshot->policies.source.push_back(0);
  const StringId policy = snapshot->policies.name[0];
  const StringId group = strings.intern("fleet");
  snapshot->policy_targets.policy_name.push_back(policy);
  snapshot->policy_targets.target.push_back(
      intern_split_arn(strings, "arn:aws:iot:us-east-1:123456789012:thinggroup/fleet"));
  snapshot->policy_targets.source.push_back(0);
  for (uint32_t i = 0; i < kCount; ++i) {
    const std::string id = fmt::format("{:064x}", i);
    const StringId thing = strings.intern(fmt::format("thing-{}", i));
    testing::add_certificate(*snapshot, id);
    const SplitArn arn = testing::certificate_arn(*snapshot, id);
    testing::add_attachment(*snapshot, thing, arn);
    snapshot->policy_targets.policy_name.push_back(policy);
    snapshot->policy_targets.target.push_back(arn);
    snapshot->policy_targets.source.push_back(0);
    snapshot->thing_groups.thing_name.push_back(thing);
    snapshot->thing_groups.group_name.push_back(group);
    snapshot->thing_groups.group_arn.push_back(kNoString);
    snapshot->thing_groups.source.push_back(0);
  }
  Diagnostics diagnostics;
  build_indexes(*snapshot, diagnostics);
  policy::PolicyReach reach = policy::compute_policy_reach(*snapshot);
  EXPECT_EQ(reach.certificates[0], kCount);
  EXPECT_EQ(reach.things[0], kCount);
  ASSERT_EQ(reach.policy_sets.size(), 1u);
  EXPECT_EQ(reach.certificates_with_set[0], kCount);
}

}  // namespace
}  // namespace fleetaudit
