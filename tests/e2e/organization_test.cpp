// `fleetaudit audit DIR` over several snapshots and `fleetaudit merge` of per-job reports: one
// report naming each account and region, the same bytes either way, per-account baselines.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

const std::string kDemoManifestAccount = "\"accountId\": \"123456789012\"";
const std::string kDemoManifestRegion = "\"region\": \"eu-west-1\"";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A copy of the demo as account/region below `dir`'s "out" folder, its manifest saying so.
void add_demo(const TempDir& dir, const std::string& account, const std::string& region,
              const std::string& folder = {}) {
  const std::string relative = "out/" + (folder.empty() ? account + "/" + region : folder);
  std::filesystem::create_directories(dir.file(relative));
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", dir.file(relative),
                        std::filesystem::copy_options::recursive);
  std::string manifest = testing::read_file(dir.file(relative + "/manifest.json"));
  manifest = replaced(replaced(manifest, kDemoManifestAccount, "\"accountId\": \"" + account + "\""),
                      kDemoManifestRegion, "\"region\": \"" + region + "\"");
  dir.write(relative + "/manifest.json", manifest);
}

// A snapshot of nothing but a manifest and disabled logging: one LOGGING_DISABLED_CHECK finding.
void add_small(const TempDir& dir, const std::string& account, const std::string& region) {
  const std::string relative = "out/" + account + "/" + region;
  std::filesystem::create_directories(dir.file(relative));
  dir.write(relative + "/manifest.json",
            R"({"formatVersion": 1, "exportedAt": "2026-01-01T00:00:00Z", "accountId": ")" + account +
                R"(", "region": ")" + region + R"("})");
  dir.write(relative + "/logging-v2.json",
            R"({"roleArn": "arn:aws:iam::)" + account +
                R"(:role/log", "defaultLogLevel": "DISABLED", "disableAllLogs": false})");
}

std::string fmt_account(int i) { return std::to_string(400000000000LL + i); }

void write_organization_file(const TempDir& dir) {
  dir.write("out/organization.json",
            R"({"formatVersion": 1, "failedAccounts": ["333333333333"], "accounts": [
  {"accountId": "111111111111", "result": "complete", "regions": []},
  {"accountId": "222222222222", "result": "failed", "regions": [
    {"region": "eu-west-1", "directory": "222222222222/eu-west-1", "result": "complete"},
    {"region": "ap-south-1", "result": "not-enabled"},
    {"region": "us-east-1", "result": "failed", "reason": "ThrottlingException after 8 retries"}]},
  {"accountId": "333333333333", "result": "failed", "reason": "AccessDenied: no role fleetaudit-readonly", "regions": []}]})");
}

// Three demo snapshots of two accounts, and an account that could not be exported.
void make_organization(const TempDir& dir) {
  add_demo(dir, "111111111111", "eu-west-1");
  add_demo(dir, "111111111111", "us-east-1");
  add_demo(dir, "222222222222", "eu-west-1");
  write_organization_file(dir);
}

CommandResult audit(const TempDir& dir, const std::string& arguments) {
  return testing::run_fleetaudit("audit '" + dir.file("out") + "' " + arguments);
}

TEST(Organization, OneReportNamesEachAccountRegionAndTheFailedAccount) {
  TempDir dir;
  make_organization(dir);
  CommandResult json = audit(dir, "--format json");
  EXPECT_EQ(json.exit_status, 2);  // an account could not be exported
  // Every finding names its own account and region: five demo findings in each of three snapshots.
  for (const std::string identity : {"111111111111/eu-west-1", "111111111111/us-east-1", "222222222222/eu-west-1"}) {
    size_t count = 0;
    for (size_t at = 0; (at = json.output.find("\"snapshot\": \"" + identity + "\"", at)) != std::string::npos; ++at)
      ++count;
    EXPECT_EQ(count, 5u) << identity;
    EXPECT_NE(json.output.find("\"" + identity + "\": {\n      \"AUTHENTICATED_COGNITO"), std::string::npos)
        << identity;
  }
  EXPECT_NE(json.output.find("\"accountId\": \"222222222222\",\n      \"region\": \"eu-west-1\""), std::string::npos);
  EXPECT_NE(json.output.find("\"333333333333 (all regions)\": {"), std::string::npos);
  EXPECT_NE(json.output.find("the account could not be exported: AccessDenied: no role fleetaudit-readonly"),
            std::string::npos);

  CommandResult text = audit(dir, "--format text");
  EXPECT_EQ(text.exit_status, 2);
  const size_t overview = text.output.find("Overview: 3 snapshots audited, 2 accounts or regions not exported");
  const size_t first_section = text.output.find("=== 111111111111/eu-west-1 ===");
  EXPECT_NE(overview, std::string::npos);
  EXPECT_LT(overview, first_section);
  EXPECT_NE(text.output.find("  111111111111/us-east-1             X.... X   X          5     0"), std::string::npos)
      << text.output.substr(0, 800);
  EXPECT_NE(text.output.find("333333333333 (all regions): not run"), std::string::npos);
  // A region that failed is named with its reason; one not enabled is no failure.
  EXPECT_NE(text.output.find("222222222222/us-east-1: not run, the account could not be exported:\n"
                             "      ThrottlingException after 8 retries"),
            std::string::npos);
  EXPECT_EQ(text.output.find("ap-south-1"), std::string::npos);
  EXPECT_NE(text.output.find("Overview: 3 snapshots audited, 2 accounts or regions not exported"), std::string::npos);

  ASSERT_EQ(audit(dir, "--output " + dir.file("org.sarif")).exit_status, 2);
  EXPECT_EQ(testing::validate_sarif(dir.file("org.sarif")).exit_status, 0);
  const std::string sarif = testing::read_file(dir.file("org.sarif"));
  EXPECT_NE(sarif.find("\"id\": \"fleetaudit/222222222222/eu-west-1/\""), std::string::npos);
  EXPECT_NE(sarif.find("333333333333 (all regions): not run"), std::string::npos);

  // ASFF and OCSF records carry their own account.
  const std::string asff = audit(dir, "--format asff").output;
  EXPECT_NE(asff.find("\"AwsAccountId\":\"222222222222\""), std::string::npos);
  EXPECT_NE(asff.find("\"AwsAccountId\":\"111111111111\""), std::string::npos);
}

TEST(Organization, HtmlOpensWithTheAccountsByChecksTable) {
  TempDir dir;
  make_organization(dir);
  add_demo(dir, "444444444444", "<b>x", "hostile");
  const std::string page = audit(dir, "--format html").output;
  const size_t table = page.find("<table id=\"organization-overview\">");
  ASSERT_NE(table, std::string::npos);
  EXPECT_LT(table, page.find("<section id=\"audit-0\">"));
  EXPECT_NE(page.find("<a href=\"#audit-2\">222222222222/eu-west-1</a></th><td>5</td>", table), std::string::npos);
  EXPECT_NE(page.find("<td class=\"non-compliant\" title=\"DEVICE_CERTIFICATE_SHARED_CHECK: non-compliant\">"
                      "non-compliant 1 of 7</td>"),
            std::string::npos)
      << page.substr(table, 3000);
  EXPECT_NE(page.find("<th scope=\"row\">333333333333 (all regions)</th>"), std::string::npos);
  EXPECT_NE(page.find("444444444444/&lt;b&gt;x"), std::string::npos);
  EXPECT_EQ(page.find("<b>x"), std::string::npos);
}

TEST(Organization, MergeOfJobReportsIsAuditingTogether) {
  TempDir dir;
  make_organization(dir);
  std::string reports;
  for (const std::string job : {"222222222222/eu-west-1", "111111111111/us-east-1", "111111111111/eu-west-1"}) {
    const std::string output = dir.file("job-" + std::to_string(reports.size()) + ".json");
    ASSERT_EQ(testing::run_fleetaudit("audit '" + dir.file("out/" + job) + "' --format json --output '" + output + "'")
                  .exit_status,
              1);
    reports += " '" + output + "'";
  }
  reports += " '" + dir.file("out/organization.json") + "'";
  for (const std::string format : {"json", "sarif", "text", "html", "asff", "ocsf", "notification"}) {
    CommandResult together = audit(dir, "--format " + format);
    CommandResult merged = testing::run_fleetaudit("merge" + reports + " --format " + format);
    EXPECT_EQ(merged.exit_status, 2) << format;
    EXPECT_EQ(together.exit_status, 2) << format;
    EXPECT_FALSE(merged.output.empty()) << format;
    EXPECT_EQ(merged.output, together.output) << format;
  }
  // A merged report merges again to itself.
  ASSERT_EQ(testing::run_fleetaudit("merge" + reports + " --output " + dir.file("merged.json")).exit_status, 2);
  EXPECT_EQ(testing::run_fleetaudit("merge '" + dir.file("merged.json") + "'").output,
            testing::read_file(dir.file("merged.json")));
}

// What only some audits have (a suppressed finding with its description, a record that could not be
// read) survives the JSON report: merged, every format is still the audit's.
TEST(Organization, MergeKeepsSuppressionsAndInputProblems) {
  TempDir dir;
  add_demo(dir, "111111111111", "eu-west-1");
  add_demo(dir, "222222222222", "eu-west-1");
  dir.write("out/111111111111/eu-west-1/audit-suppressions.json", R"({"suppressions": [
  {"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK",
   "resourceIdentifier": {"deviceCertificateId": "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6"},
   "suppressIndefinitely": true, "description": "lobby locks are replaced in December"}]})");
  const std::string things = dir.file("out/222222222222/eu-west-1/things.json");
  dir.write("out/222222222222/eu-west-1/things.json",
            replaced(testing::read_file(things), "\"thingName\": \"nw-hq-gw-01\"", "\"thingName\": 17"));
  std::string reports;
  for (const std::string job : {"111111111111/eu-west-1", "222222222222/eu-west-1"}) {
    const std::string output = dir.file("job-" + std::to_string(reports.size()) + ".json");
    testing::run_fleetaudit("audit '" + dir.file("out/" + job) + "' --format json --output '" + output + "'");
    reports += " '" + output + "'";
  }
  for (const std::string format : {"json", "sarif", "text", "html"}) {
    CommandResult together = audit(dir, "--format " + format);
    EXPECT_EQ(together.exit_status, 2) << format;  // the unreadable record
    EXPECT_EQ(testing::run_fleetaudit("merge" + reports + " --format " + format).output, together.output) << format;
  }
  const std::string text = audit(dir, "--format text").output;
  EXPECT_NE(text.find("Suppressed: lobby locks are replaced in December"), std::string::npos);
  EXPECT_NE(text.find("things.json:4:"), std::string::npos) << text;
}

TEST(Organization, MoreThanTwentySnapshotsShareOneSarifRunTaggedByAccount) {
  TempDir dir;
  for (int i = 0; i < 21; ++i) add_small(dir, fmt_account(i), "eu-west-1");
  ASSERT_EQ(audit(dir, "--output " + dir.file("many.sarif")).exit_status, 1);
  EXPECT_EQ(testing::validate_sarif(dir.file("many.sarif")).exit_status, 0);
  const std::string sarif = testing::read_file(dir.file("many.sarif"));
  EXPECT_NE(sarif.find("\"id\": \"fleetaudit/organization/\""), std::string::npos);
  EXPECT_EQ(sarif.find("\"id\": \"fleetaudit/400000000000/eu-west-1/\""), std::string::npos);
  EXPECT_NE(sarif.find("\"accountId\":\"400000000020\",\"region\":\"eu-west-1\""), std::string::npos)
      << sarif.substr(0, 2000);
  size_t runs = 0;
  for (size_t at = 0; (at = sarif.find("\"tool\": {", at)) != std::string::npos; ++at) ++runs;
  EXPECT_EQ(runs, 1u);
  // Twenty stay twenty runs.
  std::filesystem::remove_all(dir.file("out/400000000020"));
  ASSERT_EQ(audit(dir, "--output " + dir.file("twenty.sarif")).exit_status, 1);
  const std::string twenty = testing::read_file(dir.file("twenty.sarif"));
  runs = 0;
  for (size_t at = 0; (at = twenty.find("\"tool\": {", at)) != std::string::npos; ++at) ++runs;
  EXPECT_EQ(runs, 20u);
}

TEST(Organization, TwoAuditsOfOneAccountWithDifferentClocksNeedPrefer) {
  TempDir dir;
  add_demo(dir, "111111111111", "eu-west-1");
  const std::string snapshot = "'" + dir.file("out/111111111111/eu-west-1") + "'";
  ASSERT_EQ(testing::run_fleetaudit("audit " + snapshot + " --format json --now 2026-12-01T00:00:00Z --output " +
                                    dir.file("older.json"))
                .exit_status,
            1);
  ASSERT_EQ(testing::run_fleetaudit("audit " + snapshot + " --format json --now 2026-12-02T00:00:00Z --output " +
                                    dir.file("newer.json"))
                .exit_status,
            1);
  const std::string both = " '" + dir.file("older.json") + "' '" + dir.file("newer.json") + "'";
  const std::string errors = dir.file("errors.txt");
  EXPECT_EQ(testing::run_fleetaudit("merge" + both, errors).exit_status, 2);
  EXPECT_NE(testing::read_file(errors).find("--prefer newer or --prefer older"), std::string::npos);
  CommandResult newer = testing::run_fleetaudit("merge" + both + " --prefer newer --format text");
  EXPECT_EQ(newer.exit_status, 1);
  EXPECT_NE(newer.output.find("Audit clock 2026-12-02T00:00:00.000Z"), std::string::npos);
  CommandResult older = testing::run_fleetaudit("merge" + both + " --prefer older --format text");
  EXPECT_NE(older.output.find("Audit clock 2026-12-01T00:00:00.000Z"), std::string::npos);
  // The same report twice is the same audit, taken once.
  EXPECT_EQ(
      testing::run_fleetaudit("merge '" + dir.file("older.json") + "' '" + dir.file("older.json") + "'").exit_status,
      1);
}

TEST(Organization, EachAccountIsMatchedWithItsOwnBaseline) {
  TempDir dir;
  add_demo(dir, "111111111111", "eu-west-1");
  ASSERT_EQ(audit(dir, "--format json --output " + dir.file("first.json")).exit_status, 1);
  add_demo(dir, "222222222222", "eu-west-1");
  // Account 111111111111 is unchanged; 222222222222's identical findings are new: it was not audited then.
  CommandResult text = audit(dir, "--format text --baseline " + dir.file("first.json"));
  EXPECT_EQ(text.exit_status, 1);
  const size_t first = text.output.find("=== 111111111111/eu-west-1 ===");
  const size_t second = text.output.find("=== 222222222222/eu-west-1 ===");
  ASSERT_NE(second, std::string::npos);
  EXPECT_NE(text.output.find("0 new, 0 updated, 5 unchanged, 0 fixed", first), std::string::npos) << text.output;
  EXPECT_LT(text.output.find("0 new, 0 updated, 5 unchanged, 0 fixed", first), second);
  EXPECT_NE(text.output.find("5 new, 0 updated, 0 unchanged, 0 fixed", second), std::string::npos);
  EXPECT_NE(text.output.find("the baseline holds no audit of account 222222222222 in eu-west-1"), std::string::npos);
  EXPECT_EQ(audit(dir, "--fail-on new --baseline " + dir.file("first.json")).exit_status, 1);
  // Against a baseline of both accounts, nothing is new anywhere.
  ASSERT_EQ(audit(dir, "--format json --output " + dir.file("both.json")).exit_status, 1);
  EXPECT_EQ(audit(dir, "--fail-on new --baseline " + dir.file("both.json")).exit_status, 0);
  // An organization's SARIF is not read as one audit.
  ASSERT_EQ(audit(dir, "--format sarif --output " + dir.file("both.sarif")).exit_status, 1);
  EXPECT_EQ(audit(dir, "--baseline " + dir.file("both.sarif")).exit_status, 2);
  // A snapshot's audit picks its own account's audit out of an organization's report.
  EXPECT_EQ(testing::run_fleetaudit("audit '" + dir.file("out/222222222222/eu-west-1") + "' --fail-on new --baseline " +
                                    dir.file("both.json"))
                .exit_status,
            0);
  // merge keeps them apart the same way.
  ASSERT_EQ(testing::run_fleetaudit("audit '" + dir.file("out/222222222222/eu-west-1") + "' --format json --output " +
                                    dir.file("job2.json"))
                .exit_status,
            1);
  ASSERT_EQ(testing::run_fleetaudit("audit '" + dir.file("out/111111111111/eu-west-1") + "' --format json --output " +
                                    dir.file("job1.json"))
                .exit_status,
            1);
  EXPECT_EQ(testing::run_fleetaudit("merge " + dir.file("job1.json") + " " + dir.file("job2.json") +
                                    " --fail-on new --baseline " + dir.file("first.json"))
                .exit_status,
            1);
  EXPECT_EQ(testing::run_fleetaudit("merge " + dir.file("job1.json") + " " + dir.file("job2.json") +
                                    " --format text --baseline " + dir.file("first.json"))
                .output,
            text.output);
}

TEST(Organization, NothingAuditedIsNoPass) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("out"));
  dir.write("out/organization.json", R"({"accounts": []})");
  const std::string errors = dir.file("errors.txt");
  EXPECT_EQ(testing::run_fleetaudit("audit '" + dir.file("out") + "' --format json", errors).exit_status, 2);
  EXPECT_NE(testing::read_file(errors).find("no snapshot was audited"), std::string::npos);
}

TEST(Organization, UnreadableOrganizationFileIsAnError) {
  TempDir dir;
  add_demo(dir, "111111111111", "eu-west-1");
  dir.write("out/organization.json", R"({"accounts": [{"accountId": 7}]})");
  const std::string errors = dir.file("errors.txt");
  EXPECT_EQ(testing::run_fleetaudit("audit '" + dir.file("out") + "'", errors).exit_status, 2);
  EXPECT_NE(testing::read_file(errors).find("organization.json: accounts[0].accountId: expected an account id"),
            std::string::npos)
      << testing::read_file(errors);
}

// No silent gap: a linked snapshot folder (not followed) and a region organization.json says was
// exported but that is not there are both named, not audited, and the audit exits 2.
TEST(Organization, ALinkedFolderAndAMissingExportedRegionAreNamed) {
  TempDir dir;
  add_small(dir, "111111111111", "eu-west-1");
  add_small(dir, "555555555555", "eu-west-1");
  std::filesystem::rename(dir.file("out/555555555555"), dir.file("elsewhere"));
  std::filesystem::create_directory_symlink(dir.file("elsewhere"), dir.file("out/555555555555"));
  dir.write("out/organization.json", R"({"accounts": [
  {"accountId": "111111111111", "result": "complete", "regions": [
    {"region": "eu-west-1", "result": "complete"}, {"region": "us-east-1", "result": "complete"}]}]})");
  const std::string errors = dir.file("errors.txt");
  const CommandResult text = testing::run_fleetaudit("audit '" + dir.file("out") + "' --format text", errors);
  EXPECT_EQ(text.exit_status, 2);
  const std::string said = testing::read_file(errors);
  EXPECT_NE(said.find("out/555555555555 (all regions): not audited: a symbolic link, not followed"), std::string::npos)
      << said;
  EXPECT_NE(said.find("111111111111/us-east-1: not audited: organization.json says it was exported"), std::string::npos)
      << said;
  EXPECT_NE(text.output.find("555555555555"), std::string::npos) << text.output;  // the report names it too
}

TEST(Organization, TwoSnapshotsOfOneAccountAndRegionAreAnError) {
  TempDir dir;
  add_demo(dir, "111111111111", "eu-west-1", "a");
  add_demo(dir, "111111111111", "eu-west-1", "b/copy");
  const std::string errors = dir.file("errors.txt");
  EXPECT_EQ(testing::run_fleetaudit("audit '" + dir.file("out") + "'", errors).exit_status, 2);
  const std::string said = testing::read_file(errors);
  EXPECT_NE(said.find("out/a and "), std::string::npos) << said;
  EXPECT_NE(said.find("out/b/copy are both snapshots of account 111111111111 in eu-west-1"), std::string::npos) << said;
}

TEST(Organization, HostileReportsAreRefusedWithTheirPath) {
  TempDir dir;
  add_demo(dir, "111111111111", "eu-west-1");
  ASSERT_EQ(audit(dir, "--format json --output " + dir.file("org.json")).exit_status, 1);
  const std::string report = testing::read_file(dir.file("org.json"));
  dir.write("stray.json", replaced(report, "\"snapshot\": \"111111111111/eu-west-1\"", "\"snapshot\": \"\\u001b[2J\""));
  dir.write("types.json", replaced(report, "\"resourcesEvaluated\": ", "\"resourcesEvaluated\": -1"));
  dir.write("truncated.json", report.substr(0, report.size() / 2));
  for (const std::string name : {"stray.json", "types.json", "truncated.json"}) {
    const std::string errors = dir.file(name + ".errors");
    EXPECT_EQ(testing::run_fleetaudit("merge '" + dir.file(name) + "'", errors).exit_status, 2) << name;
    const std::string said = testing::read_file(errors);
    EXPECT_NE(said.find("cannot merge " + dir.file(name)), std::string::npos) << said;
    EXPECT_EQ(said.find('\x1b'), std::string::npos) << said;
  }
  EXPECT_NE(testing::read_file(dir.file("stray.json.errors")).find("findings[0].snapshot"), std::string::npos);
  EXPECT_NE(testing::read_file(dir.file("types.json.errors")).find("resourcesEvaluated: expected a count"),
            std::string::npos);
}

}  // namespace
}  // namespace fleetaudit
