// The tables of report formats that --help, validation and dispatch read: every row complete, the
// help text and the accepted names made from the rows, and a row's own validation.
#include <gtest/gtest.h>

#include <set>

#include "analyzer/cli/commands.h"
#include "analyzer/cli/lint_command.h"
#include "analyzer/cli/report_formats.h"
#include "analyzer/engine/audit.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

template <typename Row>
void expect_complete(std::span<const Row> rows) {
  std::set<std::string_view> names;
  for (const Row& row : rows) {
    EXPECT_FALSE(row.name.empty());
    EXPECT_TRUE(names.insert(row.name).second) << row.name << " twice";
    EXPECT_NE(row.write, nullptr) << row.name;
    EXPECT_EQ(format_named(rows, row.name), &row);
    const std::string help = described_formats(rows);
    EXPECT_NE(help.find(std::string(row.name)), std::string::npos) << row.name;
  }
  EXPECT_EQ(format_names(rows).size(), rows.size());
  EXPECT_EQ(format_named(rows, "no-such-format"), nullptr);
}

TEST(ReportFormats, EveryRowIsComplete) {
  expect_complete(audit_report_formats());
  expect_complete(lint_report_formats());
  EXPECT_EQ(format_names(audit_report_formats()),
            (std::vector<std::string>{"sarif", "json", "text", "html", "notification", "asff", "ocsf"}));
  EXPECT_EQ(format_names(lint_report_formats()), (std::vector<std::string>{"text", "json", "sarif"}));
}

// The next format is one row: its name and description reach the help text in the table's order.
TEST(ReportFormats, HelpIsMadeFromTheRows) {
  struct Row {
    std::string_view name;
    std::string_view description;
  };
  constexpr Row one[] = {{"a", ""}};
  constexpr Row three[] = {{"a", ""}, {"b", "what b is"}, {"c", ""}};
  EXPECT_EQ(described_formats(std::span<const Row>(one)), "a");
  EXPECT_EQ(described_formats(std::span<const Row>(three)), "a, b (what b is) or c");
  EXPECT_EQ(described_formats(audit_report_formats()),
            "sarif, json (list-audit-findings shape), text, html (for a browser), notification (Device Defender's "
            "SNS audit-notification message), asff (Security Hub BatchImportFindings findings) or ocsf (OCSF 1.6 "
            "Compliance Finding events, JSON Lines)");
}

// ASFF's own row refuses an audit without an account and region; the other formats can be written.
TEST(ReportFormats, ARowValidatesWhatItNeedsOfTheAudit) {
  AuditReport anonymous;
  AuditReport placed;
  placed.account_id = "123456789012";
  placed.region = "eu-west-1";
  for (const AuditReportFormat& format : audit_report_formats()) {
    const auto refused = format.unwritable ? format.unwritable(anonymous) : std::nullopt;
    EXPECT_EQ(refused.has_value(), format.name == "asff") << format.name;
    if (refused) {
      EXPECT_NE(refused->find("account id and region"), std::string::npos) << *refused;
    }
    EXPECT_FALSE(format.unwritable && format.unwritable(placed)) << format.name;
  }
}

TEST(ReportFormats, LintRefusesAFormatNotInItsTable) {
  testing::TempDir dir;
  const std::string errors_path = dir.file("errors.txt");
  std::FILE* errors = std::fopen(errors_path.c_str(), "wb");
  std::FILE* out = std::fopen(dir.file("out.txt").c_str(), "wb");
  LintCommandOptions options;
  options.paths = {testing::source_dir() + "/fixtures/lint"};
  options.format = "html";
  EXPECT_EQ(run_lint_command(options, out, errors), kUsageOrInputError);
  std::fclose(errors);
  std::fclose(out);
  EXPECT_EQ(testing::read_file(errors_path), "fleetaudit: error: unknown --format html; use text, json or sarif\n");
  EXPECT_EQ(testing::read_file(dir.file("out.txt")), "");
}

}  // namespace
}  // namespace fleetaudit
