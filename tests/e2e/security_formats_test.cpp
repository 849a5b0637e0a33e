// --format notification, asff and ocsf end to end: goldens of the demo a reviewer can read,
// byte-identical output, and the usage errors. Their consumers' checks (the published notification
// schema, botocore's BatchImportFindings shape, OCSF's required attributes) are in
// tests/formats/test_report_formats.py.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

// Golden files are checked by eye when they change: FLEETAUDIT_UPDATE_GOLDEN=1 rewrites them.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = testing::source_dir() + "/tests/e2e/golden/" + name;
  if (std::getenv("FLEETAUDIT_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_EQ(testing::read_file(path), actual) << "golden file " << name << " differs";
}

struct FormatCase {
  const char* format;
  const char* golden;
};

TEST(SecurityFormats, DemoIsGoldenAndDeterministic) {
  for (const FormatCase& each : {FormatCase{"notification", "demo.notification.json"},
                                 FormatCase{"asff", "demo.asff.json"}, FormatCase{"ocsf", "demo.ocsf.jsonl"}}) {
    const std::string arguments = std::string("audit fixtures/demo --format ") + each.format;
    CommandResult first = testing::run_fleetaudit(arguments);
    CommandResult second = testing::run_fleetaudit(arguments);
    EXPECT_EQ(first.exit_status, 1) << each.format;  // the demo is built to fail
    EXPECT_FALSE(first.output.empty()) << each.format;
    EXPECT_EQ(first.output, second.output) << each.format;
    expect_golden(each.golden, first.output);
  }
}

TEST(SecurityFormats, AsffNeedsAnAccountAndARealProductArn) {
  TempDir dir;
  dir.write("manifest.json", R"({"formatVersion": 1, "exportedAt": "2026-01-01T00:00:00Z"})");
  const std::string errors = dir.file("errors.txt");
  CommandResult anonymous = testing::run_fleetaudit("audit '" + dir.path() + "' --format asff", errors);
  EXPECT_EQ(anonymous.exit_status, 2);
  EXPECT_TRUE(anonymous.output.empty());
  EXPECT_NE(testing::read_file(errors).find("needs the snapshot's account id and region"), std::string::npos);
  CommandResult bad = testing::run_fleetaudit("audit fixtures/demo --format asff --asff-product-arn 'arn:aws:s3:::x'", errors);
  EXPECT_EQ(bad.exit_status, 2);
  EXPECT_NE(testing::read_file(errors).find("expected a Security Hub product ARN"), std::string::npos);
  CommandResult unknown = testing::run_fleetaudit("audit fixtures/demo --format cef", errors);
  EXPECT_EQ(unknown.exit_status, 2);
  EXPECT_NE(testing::read_file(errors).find("ocsf"), std::string::npos);  // the message lists the formats
}

}  // namespace
}  // namespace fleetaudit
