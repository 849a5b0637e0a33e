// fleetgen plants defects and writes how many findings each check must report
// (expected-findings.json): an audit of a generated fleet reports exactly those.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>

#include "analyzer/mitigate/mitigation_plan.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

#ifdef FLEETAUDIT_FLEETGEN
// Check name -> planted count: a number, true (one account finding), a list of policy versions,
// or {"approaching": N, "past": M} for the expiry checks.
std::map<std::string, size_t> planted_counts(const std::string& json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(json_text);
  std::map<std::string, size_t> counts;
  for (auto [check, planted] : root.get_object()) {
    size_t count = 0;
    if (planted.is_int64()) count = static_cast<size_t>(int64_t(planted));
    else if (planted.is_bool()) count = bool(planted) ? 1 : 0;
    else if (planted.is_array()) count = simdjson::dom::array(planted).size();
    else
      for (auto [reason, number] : planted.get_object()) count += static_cast<size_t>(int64_t(number));
    counts[std::string(check)] = count;
  }
  return counts;
}

// Generates a fleet with `flags`, audits it, and compares every check's findings with the
// planted counts. Returns expected-findings.json.
std::string expect_planted_findings(const std::string& flags) {
  testing::TempDir work;
  const std::string fleet = work.file("fleet");
  auto generated = testing::run_command(std::string("'") + FLEETAUDIT_FLEETGEN + "' " + flags + " --out '" + fleet +
                                        "' --threads 2 >/dev/null 2>&1");
  EXPECT_EQ(generated.exit_status, 0);
  const std::string expected = testing::read_file(fleet + "/expected-findings.json");
  const std::map<std::string, size_t> planted = planted_counts(expected);
  EXPECT_GE(planted.size(), 10u);

  auto audit = testing::run_fleetaudit("audit '" + fleet + "' --format json", work.file("stderr.txt"));
  EXPECT_EQ(audit.exit_status, 1) << testing::read_file(work.file("stderr.txt"));
  std::vector<std::string> errors;
  auto findings = parse_findings(audit.output, errors);
  EXPECT_TRUE(findings.has_value());
  std::map<std::string, size_t> found;
  if (findings)
    for (const MitigationFinding& finding : *findings) ++found[finding.check_name];
  for (const auto& [check, count] : planted) EXPECT_EQ(found[check], count) << check;
  return expected;
}

TEST(Fleetgen, AuditReportsExactlyThePlantedFindings) {
  const std::map<std::string, size_t> planted = planted_counts(expect_planted_findings("--things 5000 --seed 3"));
  // The defects that scale with the fleet are all there, so the counts above are not all zero.
  for (const char* check : {"DEVICE_CERTIFICATE_SHARED_CHECK", "DEVICE_CERTIFICATE_EXPIRING_CHECK",
                            "DEVICE_CERTIFICATE_AGE_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK"})
    EXPECT_GT(planted.count(check) ? planted.at(check) : 0, 0u) << check;
}

// The aged profile: most certificates in use past the age threshold, about a quarter expiring
// within 30 days, a few expired, as the fleet that fails a lot the bench needs.
TEST(Fleetgen, AgedProfileIsMostlyPastTheAgeThreshold) {
  const std::string expected = expect_planted_findings("--things 4000 --seed 5 --profile aged");
  const std::map<std::string, size_t> planted = planted_counts(expected);
  // About 96 % of ~4,120 certificates are in use (ACTIVE or PENDING_TRANSFER).
  const size_t aged = planted.at("DEVICE_CERTIFICATE_AGE_CHECK");
  const size_t expiring = planted.at("DEVICE_CERTIFICATE_EXPIRING_CHECK");
  EXPECT_GT(aged, 2200u);  // 60 % of those in use
  EXPECT_LT(aged, 2600u);
  EXPECT_GT(expiring, 950u);  // 26 %
  EXPECT_LT(expiring, 1150u);
  simdjson::dom::parser parser;
  const int64_t expired = parser.parse(expected)["DEVICE_CERTIFICATE_EXPIRING_CHECK"]["past"].get_int64();
  EXPECT_GT(expired, 20);  // 1 % (about 41 of ~4,120, give or take the draw)
  EXPECT_LT(expired, 120);
}

// --shared-keys K:N: K keys, each in N certificates (cloned devices), as the HTML report's bounds
// are tested on: every key is reported once.
TEST(Fleetgen, SharedKeysAreReportedOncePerKey) {
  const std::map<std::string, size_t> planted =
      planted_counts(expect_planted_findings("--things 2000 --seed 4 --shared-keys 3:400"));
  EXPECT_EQ(planted.at("FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK"), 3u);
}

// --profile key-reuse: a factory reused 64 keys, each across a whole batch of certificates (15/16
// of them in all): 64 findings whatever the size, each of about things * 15/16 / 64 certificates.
TEST(Fleetgen, KeyReuseProfileHas64KeysOfWholeBatches) {
  const std::map<std::string, size_t> planted =
      planted_counts(expect_planted_findings("--things 3000 --seed 6 --profile key-reuse"));
  EXPECT_EQ(planted.at("FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK"), 64u);
}
#endif

}  // namespace
}  // namespace fleetaudit
