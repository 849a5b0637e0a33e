// A misconfiguration finding says how far the policy reaches when policy-targets.json is present.
// The check computes the reach only once it has a finding, so this is what keeps that path honest.
#include <gtest/gtest.h>

#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

std::string info(const Finding& finding, const std::string& key) {
  for (const auto& [name, value] : finding.additional_info)
    if (name == key) return value;
  return "(absent)";
}

TEST(MisconfigurationReach, EachFindingSaysWhatThePolicyReaches) {
  const std::string fixture =
      std::string(testing::source_dir()) + "/fixtures/iot_policy_potential_misconfiguration_check/findings-say-the-reach";
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  const std::optional<std::string> failure = load_snapshot(fixture, *snapshot, diagnostics);
  ASSERT_FALSE(failure.has_value()) << *failure;
  AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  const CheckRun* run = nullptr;
  for (const CheckRun& candidate : report.runs)
    if (candidate.check->name == "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK") run = &candidate;
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->findings.size(), 2u);
  for (const Finding& finding : run->findings) {
    if (finding.resource.value == "AttachedStarDeny") {
      EXPECT_EQ(info(finding, "ATTACHED"), "true");
      EXPECT_EQ(info(finding, "CERTIFICATES_REACHED"), "2");
      EXPECT_EQ(info(finding, "THINGS_REACHED"), "2");
      EXPECT_NE(finding.message.find("The policy is attached so that it reaches 2 certificates and 2 things "
                                     "(and 1 other target)."),
                std::string::npos)
          << finding.message;
    } else {
      EXPECT_EQ(finding.resource.value, "UnattachedStarDeny");
      EXPECT_EQ(info(finding, "ATTACHED"), "false");
      EXPECT_EQ(info(finding, "CERTIFICATES_REACHED"), "0");
      EXPECT_NE(finding.message.find("The policy is not attached to any certificate or thing group."), std::string::npos)
          << finding.message;
    }
  }
}

}  // namespace
}  // namespace fleetaudit
