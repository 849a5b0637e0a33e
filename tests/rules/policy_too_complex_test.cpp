// A policy past the exact evaluator's work bounds is "not decided": the check is incomplete and
// names the policy and the reason, the other policies are still judged, and nothing is guessed.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "analyzer/engine/audit.h"
#include "analyzer/engine/check_inputs.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

std::string policy_entry(const std::string& name, const std::string& document) {
  std::string escaped;
  for (char c : document) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  return fmt::format(R"({{"policyName":"{0}","policyArn":"arn:aws:iot:eu-west-1:123456789012:policy/{0}",)"
                     R"("defaultVersionId":"1","policyDocument":"{1}"}})",
                     name, escaped);
}

// Ten thousand grants, each taken back by its own Deny: deciding what is left needs more pattern
// positions than the budget allows.
std::string too_complex_document() {
  std::string allows, denies;
  for (int i = 0; i < 10'000; ++i) {
    allows += fmt::format("{}\"*/{}\"", i ? "," : "", i);
    denies += fmt::format("{}\"*/{}\"", i ? "," : "", i);
  }
  return fmt::format(R"({{"Version":"2012-10-17","Statement":[)"
                     R"({{"Effect":"Allow","Action":"iot:Publish","Resource":[{}]}},)"
                     R"({{"Effect":"Deny","Action":"iot:Publish","Resource":[{}]}}]}})",
                     allows, denies);
}

TEST(PolicyTooComplex, IsNotDecidedAndSaysSo) {
  testing::TempDir dir;
  dir.write("manifest.json",
            R"({"formatVersion":1,"exportedAt":"2026-11-20T00:00:00Z","accountId":"123456789012","region":"eu-west-1"})");
  const std::string broad = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]})";
  dir.write("policies.json", "{\"policies\":[" + policy_entry("Hard", too_complex_document()) + "," +
                                 policy_entry("Broad", broad) + "]}");
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  EXPECT_FALSE(load_snapshot(dir.path(), *snapshot, diagnostics));
  AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  const CheckRun* run = nullptr;
  for (const CheckRun& candidate : report.runs)
    if (candidate.check->name == "IOT_POLICY_OVERLY_PERMISSIVE_CHECK") run = &candidate;
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->status, CheckStatus::incomplete);
  EXPECT_EQ(run->error_code, kTooComplexToDecide);
  EXPECT_NE(run->not_run_reason.find("not decided: policy Hard version 1: [iot:Publish] too complex to decide ("),
            std::string::npos)
      << run->not_run_reason;
  EXPECT_TRUE(report.input_problems());  // the audit exits with status 2, never 0
  // Broad is still judged; Hard gets no guessed finding.
  ASSERT_EQ(run->findings.size(), 1u);
  EXPECT_EQ(run->findings[0].resource.value, "Broad");
}

}  // namespace
}  // namespace fleetaudit
