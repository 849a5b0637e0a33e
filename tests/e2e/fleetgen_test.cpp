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

TEST(Fleetgen, AuditReportsExactlyThePlantedFindings) {
  testing::TempDir work;
  const std::string fleet = work.file("fleet");
  auto generated = testing::run_command(std::string("'") + FLEETAUDIT_FLEETGEN + "' --things 5000 --seed 3 --out '" +
                                        fleet + "' --threads 2 >/dev/null 2>&1");
  ASSERT_EQ(generated.exit_status, 0);
  const std::map<std::string, size_t> planted = planted_counts(testing::read_file(fleet + "/expected-findings.json"));
  ASSERT_GE(planted.size(), 10u);

  auto audit = testing::run_fleetaudit("audit '" + fleet + "' --format json", work.file("stderr.txt"));
  ASSERT_EQ(audit.exit_status, 1) << testing::read_file(work.file("stderr.txt"));
  std::vector<std::string> errors;
  auto findings = parse_findings(audit.output, errors);
  ASSERT_TRUE(findings.has_value());
  std::map<std::string, size_t> found;
  for (const MitigationFinding& finding : *findings) ++found[finding.check_name];

  for (const auto& [check, count] : planted) EXPECT_EQ(found[check], count) << check;
  // The defects that scale with the fleet are all there, so the counts above are not all zero.
  for (const char* check : {"DEVICE_CERTIFICATE_SHARED_CHECK", "DEVICE_CERTIFICATE_EXPIRING_CHECK",
                            "DEVICE_CERTIFICATE_AGE_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK"})
    EXPECT_GT(planted.at(check), 0u) << check;
}
#endif

}  // namespace
}  // namespace fleetaudit
