// SARIF that GitHub code scanning accepts: --sarif-max-results, the warnings over GitHub's limits,
// and artifact URIs relative to the checkout (--sarif-root).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>

#include "analyzer/engine/check.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/sarif_limits.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

// A report with `count` findings for each named check (no locations: nothing to re-read).
AuditReport report_with(const std::vector<std::pair<std::string_view, size_t>>& counts, size_t message_bytes = 40) {
  AuditReport report;
  std::mt19937 random(7);
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    CheckRun run;
    run.check = &check;
    run.status = CheckStatus::compliant;
    for (const auto& [name, count] : counts) {
      if (check.name != name) continue;
      run.status = CheckStatus::non_compliant;
      for (size_t i = 0; i < count; ++i) {
        Finding finding;
        finding.resource_type = check.resource_type;
        finding.resource.kind = ResourceIdentifier::Kind::device_certificate_id;
        finding.resource.value = fmt::format("{:064x}", i);
        finding.reason_code = std::string(check.reason_codes.front());
        // Random letters compress poorly: large messages make a report over GitHub's 10 MB.
        for (size_t b = 0; b < message_bytes; ++b) finding.message.push_back(static_cast<char>('a' + random() % 26));
        finding.logical_name = "arn:aws:iot:us-east-1:123456789012:cert/" + finding.resource.value;
        run.findings.push_back(std::move(finding));
      }
    }
    report.runs.push_back(std::move(run));
  }
  return report;
}

struct Written {
  std::string sarif;
  std::string warnings;
};

Written write(const AuditReport& report, std::optional<size_t> max_results) {
  testing::TempDir dir;
  ReportContext context{report, dir.path(), false, nullptr, max_results, {}, nullptr};
  std::FILE* out = std::fopen(dir.file("report.sarif").c_str(), "wb");
  Diagnostics warnings;
  context.warnings = &warnings;
  write_sarif(context, out);
  std::fclose(out);
  // Returned as data, each a warning of the whole run; the CLI prints them.
  std::string said;
  for (const Diagnostic& warning : warnings.items()) {
    EXPECT_EQ(warning.severity, DiagnosticSeverity::warning);
    EXPECT_TRUE(warning.file.empty());
    said += warning.message + "\n";
  }
  return {testing::read_file(dir.file("report.sarif")), said};
}

// ruleId of each result, in order.
std::vector<std::string> result_rules(const std::string& sarif, std::vector<std::string>* notifications = nullptr) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(sarif);
  std::vector<std::string> rules;
  for (simdjson::dom::element result : root["runs"].at(0)["results"].get_array())
    rules.emplace_back(std::string_view(result["ruleId"]));
  if (notifications)
    for (simdjson::dom::element note : root["runs"].at(0)["invocations"].at(0)["toolExecutionNotifications"].get_array())
      notifications->emplace_back(std::string_view(note["message"]["text"]));
  return rules;
}

TEST(SarifGitHub, OverTheResultLimitItSaysSoAndNamesTheOption) {
  const Written written = write(report_with({{"DEVICE_CERTIFICATE_AGE_CHECK", 25'001}}), std::nullopt);
  EXPECT_EQ(result_rules(written.sarif).size(), 25'001u);  // the whole report is still written
  EXPECT_NE(written.warnings.find("25001 results"), std::string::npos) << written.warnings;
  EXPECT_NE(written.warnings.find("more than 25000"), std::string::npos) << written.warnings;
  EXPECT_NE(written.warnings.find("--sarif-max-results"), std::string::npos) << written.warnings;
}

TEST(SarifGitHub, AtTheResultLimitNothingIsSaid) {
  const Written written = write(report_with({{"DEVICE_CERTIFICATE_AGE_CHECK", 25'000}}), std::nullopt);
  EXPECT_EQ(result_rules(written.sarif).size(), 25'000u);
  EXPECT_EQ(written.warnings, "");
}

TEST(SarifGitHub, MaxResultsKeepsTheMostSevereAndCountsWhatWasLeftOut) {
  // CRITICAL, MEDIUM, LOW: the LOW check's results go first.
  const AuditReport report = report_with({{"DEVICE_CERTIFICATE_SHARED_CHECK", 10},
                                          {"DEVICE_CERTIFICATE_EXPIRING_CHECK", 100},
                                          {"DEVICE_CERTIFICATE_AGE_CHECK", 300}});
  std::vector<std::string> notifications;
  const Written written = write(report, 150);
  const std::vector<std::string> rules = result_rules(written.sarif, &notifications);
  ASSERT_EQ(rules.size(), 150u);
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "DEVICE_CERTIFICATE_SHARED_CHECK"), 10);
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "DEVICE_CERTIFICATE_EXPIRING_CHECK"), 100);
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "DEVICE_CERTIFICATE_AGE_CHECK"), 40);
  EXPECT_EQ(written.warnings, "");
  bool said = false;
  for (const std::string& text : notifications) {
    if (text.find("DEVICE_CERTIFICATE_AGE_CHECK: 260 of its 300 results left out by --sarif-max-results 150") == 0) {
      said = true;
      EXPECT_NE(text.find("--format json"), std::string::npos) << text;
    }
    EXPECT_EQ(text.find("DEVICE_CERTIFICATE_SHARED_CHECK:"), std::string::npos) << text;  // nothing left out
  }
  EXPECT_TRUE(said);

  // Within a check, the first resources are kept.
  const SarifSelection selection = select_sarif_results(report, false, 150);
  std::optional<Finding> first_aged;
  for (const SarifResultRef& result : selection.results)
    if (report.runs[result.rule_index].check->name == "DEVICE_CERTIFICATE_AGE_CHECK" && !first_aged)
      first_aged = report.runs[result.rule_index].findings[result.finding_index];
  ASSERT_TRUE(first_aged.has_value());
  EXPECT_EQ(first_aged->resource.value, fmt::format("{:064x}", 0));
}

TEST(SarifGitHub, OverTenMegabytesCompressedItSaysSo) {
  // 3,500 results of 6 KB of random letters: 21 MB, about 13 MB compressed.
  const Written written = write(report_with({{"DEVICE_CERTIFICATE_AGE_CHECK", 3'500}}, 6'000), std::nullopt);
  EXPECT_GT(written.sarif.size(), 21'000'000u);
  EXPECT_GE(gzip_size(written.sarif), kGitHubMaxGzipBytes);
  EXPECT_NE(written.warnings.find("gzip-compressed"), std::string::npos) << written.warnings;
  EXPECT_NE(written.warnings.find("--sarif-max-results"), std::string::npos) << written.warnings;
  // The same results, fewer of them, fit.
  const Written fewer = write(report_with({{"DEVICE_CERTIFICATE_AGE_CHECK", 3'500}}, 6'000), 1'000);
  EXPECT_EQ(fewer.warnings, "");
}

TEST(SarifGitHub, GzipSizeIsThatOfGzip) {
  const std::string repeated(1'000'000, 'a');
  EXPECT_GT(gzip_size(repeated), 18u);  // header and trailer at least
  EXPECT_LT(gzip_size(repeated), 5'000u);
  EXPECT_EQ(gzip_size(""), 20u);  // gzip of nothing: 10-byte header, empty block, 8-byte trailer
}

// --- URIs, through the CLI from the source directory, as in CI ----------------------------------

std::vector<std::string> uris_of(const std::string& sarif, std::vector<std::string>* base_ids = nullptr) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(sarif);
  std::vector<std::string> uris;
  for (simdjson::dom::element result : root["runs"].at(0)["results"].get_array()) {
    simdjson::dom::element location;
    if (result["locations"].at(0)["physicalLocation"]["artifactLocation"].get(location) != simdjson::SUCCESS) continue;
    uris.emplace_back(std::string_view(location["uri"]));
    if (base_ids) {
      std::string_view base;
      base_ids->emplace_back(location["uriBaseId"].get(base) == simdjson::SUCCESS ? std::string(base) : "");
    }
  }
  return uris;
}

TEST(SarifGitHub, UrisAreRelativeToTheDirectoryTheAuditRunsIn) {
  for (const char* given : {"fixtures/demo", "./fixtures/demo/", "fixtures/../fixtures/demo"}) {
    auto audit = testing::run_fleetaudit(std::string("audit ") + given);
    ASSERT_EQ(audit.exit_status, 1) << given;
    std::vector<std::string> base_ids;
    const std::vector<std::string> uris = uris_of(audit.output, &base_ids);
    ASSERT_FALSE(uris.empty());
    EXPECT_EQ(uris.front(), "fixtures/demo/certificates.json") << given;
    for (const std::string& base : base_ids) EXPECT_EQ(base, "%SRCROOT%");
  }
}

TEST(SarifGitHub, SarifRootMovesTheUris) {
  auto audit = testing::run_fleetaudit("audit fixtures/demo --sarif-root fixtures");
  ASSERT_EQ(audit.exit_status, 1);
  EXPECT_EQ(uris_of(audit.output).front(), "demo/certificates.json");
  // A snapshot outside the root: absolute file URIs, with no base id.
  auto outside = testing::run_fleetaudit("audit fixtures/demo --sarif-root tests");
  std::vector<std::string> base_ids;
  const std::vector<std::string> uris = uris_of(outside.output, &base_ids);
  EXPECT_EQ(uris.front(), "file://" + testing::source_dir() + "/fixtures/demo/certificates.json");
  EXPECT_EQ(base_ids.front(), "");
}

TEST(SarifGitHub, MaxResultsReportIsValidSarif) {
  testing::TempDir dir;
  auto audit = testing::run_fleetaudit("audit fixtures/demo --sarif-max-results 2 --output " + dir.file("r.sarif"));
  ASSERT_EQ(audit.exit_status, 1);
  const std::string sarif = testing::read_file(dir.file("r.sarif"));
  EXPECT_EQ(uris_of(sarif).size(), 2u);
  EXPECT_NE(sarif.find("left out by --sarif-max-results 2"), std::string::npos);
  auto validation = testing::validate_sarif(dir.file("r.sarif"));
  EXPECT_EQ(validation.exit_status, 0) << validation.output;
}

}  // namespace
}  // namespace fleetaudit
