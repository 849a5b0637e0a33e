// plan-jobs: the matrix and the Indexed Job are made of checked values only, in a stable order,
// and what organization.json says failed is named, never silently left out.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "analyzer/cli/plan_jobs_command.h"
#include "analyzer/jobs/job_plan.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

std::string manifest(const std::string& account, const std::string& region, bool complete = true) {
  return R"({"formatVersion": 1, "exportedAt": "2026-06-01T00:00:00Z", "accountId": ")" + account +
         R"(", "region": ")" + region + R"(", "complete": )" + (complete ? "true" : "false") + "}";
}

void add_snapshot(const TempDir& dir, const std::string& folder, const std::string& manifest_text) {
  std::filesystem::create_directories(dir.file(folder));
  dir.write(folder + "/manifest.json", manifest_text);
}

struct PlanRun {
  int status = -1;
  std::string out, errors;
};

std::string contents(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, got);
  std::fclose(file);
  return text;
}

PlanRun plan(PlanJobsCommandOptions options) {
  std::FILE* out = std::tmpfile();
  std::FILE* errors = std::tmpfile();
  PlanRun run;
  run.status = run_plan_jobs_command(options, out, errors);
  run.out = contents(out);
  run.errors = contents(errors);
  return run;
}

PlanRun plan(const TempDir& dir, const std::string& format = "github-matrix", size_t max_jobs = 256) {
  PlanJobsCommandOptions options;
  options.directory = dir.path();
  options.format = format;
  options.max_jobs = max_jobs;
  return plan(options);
}

// The text at a JSON pointer ("<absent>" when there is none), and the number at one (-1).
std::string text_at(simdjson::dom::element root, const char* pointer) {
  std::string_view text;
  if (root.at_pointer(pointer).get(text) != simdjson::SUCCESS) return "<absent>";
  return std::string(text);
}
int64_t number_at(simdjson::dom::element root, const char* pointer) {
  int64_t number = -1;
  if (root.at_pointer(pointer).get(number) != simdjson::SUCCESS) return -1;
  return number;
}

// The matrix entries as "key=value ..." lines, read back from the JSON.
std::vector<std::string> entries(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  simdjson::dom::object top;
  simdjson::dom::array include;
  std::vector<std::string> lines;
  if (parser.parse(padded).get(root) || root.get(top) || root.at_key("include").get(include)) {
    ADD_FAILURE() << "not a matrix: " << json;
    return lines;
  }
  EXPECT_EQ(top.size(), 1u);
  for (simdjson::dom::element entry : include) {
    simdjson::dom::object fields;
    if (entry.get(fields)) continue;
    std::string line;
    for (simdjson::dom::key_value_pair field : fields) {
      std::string_view text;
      int64_t number = 0;
      const std::string value = field.value.get(text) == simdjson::SUCCESS     ? std::string(text)
                                : field.value.get(number) == simdjson::SUCCESS ? std::to_string(number)
                                                                               : "?";
      line += (line.empty() ? "" : " ") + std::string(field.key) + "=" + value;
    }
    lines.push_back(line);
  }
  return lines;
}

TEST(PlanJobs, MatrixHasOneEntryPerAccountAndRegionSortedOnOneLine) {
  TempDir dir;
  // Folder names sort differently from the accounts they hold: the plan sorts by account, region.
  add_snapshot(dir, "b/eu-west-1", manifest("111111111111", "eu-west-1"));
  add_snapshot(dir, "a/us-east-1", manifest("222222222222", "us-east-1"));
  add_snapshot(dir, "a/eu-west-1", manifest("222222222222", "eu-west-1"));
  add_snapshot(dir, "c/us-gov-west-1", manifest("111111111111", "us-gov-west-1"));
  std::filesystem::create_directories(dir.file("c/.fleetaudit-export/x"));  // exporter state: not a snapshot
  dir.write("c/.fleetaudit-export/x/manifest.json", manifest("999999999999", "eu-west-1"));
  const PlanRun run = plan(dir);
  ASSERT_EQ(run.status, 0) << run.errors;
  EXPECT_EQ(run.errors, "");
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << "one line, for $GITHUB_OUTPUT";
  EXPECT_EQ(entries(run.out), (std::vector<std::string>{
                                  "account=111111111111 region=eu-west-1 snapshot=b/eu-west-1",
                                  "account=111111111111 region=us-gov-west-1 snapshot=c/us-gov-west-1",
                                  "account=222222222222 region=eu-west-1 snapshot=a/eu-west-1",
                                  "account=222222222222 region=us-east-1 snapshot=a/us-east-1",
                              }));
  EXPECT_EQ(plan(dir).out, run.out) << "same input, same output";
}

TEST(PlanJobs, BeyondMaxJobsConsecutiveSnapshotsShareAJob) {
  TempDir dir;
  for (int n = 0; n < 7; ++n) {
    const std::string account = std::to_string(100000000000 + n);
    add_snapshot(dir, account + "/eu-west-1", manifest(account, "eu-west-1"));
  }
  EXPECT_EQ(entries(plan(dir, "github-matrix", 3).out),
            (std::vector<std::string>{
                "job=1 snapshots=100000000000/eu-west-1 100000000001/eu-west-1 100000000002/eu-west-1",
                "job=2 snapshots=100000000003/eu-west-1 100000000004/eu-west-1 100000000005/eu-west-1",
                "job=3 snapshots=100000000006/eu-west-1",
            }));
  EXPECT_EQ(entries(plan(dir, "github-matrix", 7).out).size(), 7u);
  const PlanRun too_many = plan(dir, "github-matrix", 257);
  EXPECT_EQ(too_many.status, 2);
  EXPECT_NE(too_many.errors.find("GitHub runs at most 256 jobs"), std::string::npos) << too_many.errors;
}

TEST(PlanJobs, HostileManifestValuesAreRefusedAndNothingIsWritten) {
  const std::vector<std::pair<std::string, std::string>> hostile = {
      {manifest("1111$(reboot)1", "eu-west-1"), "accountId \"1111$(reboot)1\" is not a 12-digit AWS account id"},
      {manifest("11111111111", "eu-west-1"), "is not a 12-digit AWS account id"},
      {manifest("111111111111", "eu-west-1\\n; rm -rf ~"), "region \"eu-west-1\\n; rm -rf ~\" is not an AWS Region"},
      {manifest("111111111111", "EU-west-1"), "is not an AWS Region name"},
      {manifest("111111111111", "eu--west-1"), "is not an AWS Region name"},
      {manifest("111111111111", "eu-west-1 --output /etc/x"), "is not an AWS Region name"},
      {R"({"formatVersion": 1, "region": "eu-west-1"})", "accountId is missing and is not a 12-digit"},
      {R"({"formatVersion": 1, "accountId": "111111111111", "region": "eu-west-1",)", "manifest.json:1:"},
  };
  for (const auto& [text, expected] : hostile) {
    TempDir dir;
    add_snapshot(dir, "111111111111/eu-west-1", text);
    add_snapshot(dir, "222222222222/eu-west-1", manifest("222222222222", "eu-west-1"));
    const PlanRun run = plan(dir);
    EXPECT_EQ(run.status, 2) << text;
    EXPECT_EQ(run.out, "") << text;
    EXPECT_NE(run.errors.find(expected), std::string::npos) << text << "\n" << run.errors;
    EXPECT_EQ(run.errors.find('\x1b'), std::string::npos);
  }
}

TEST(PlanJobs, TwoSnapshotsOfOneAccountAndRegionAreRefused) {
  TempDir dir;
  add_snapshot(dir, "111111111111/eu-west-1", manifest("111111111111", "eu-west-1"));
  add_snapshot(dir, "copy/eu-west-1", manifest("111111111111", "eu-west-1"));
  const PlanRun run = plan(dir);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.errors.find("copy/eu-west-1 are both snapshots of account 111111111111 in eu-west-1"),
            std::string::npos)
      << run.errors;
}

TEST(PlanJobs, FolderNamesThatAreNotDataAreRefused) {
  for (const std::string folder : {"-rf/eu-west-1", "with space/eu-west-1", "a$(id)/eu-west-1"}) {
    TempDir dir;
    add_snapshot(dir, "111111111111/eu-west-1", manifest("111111111111", "eu-west-1"));
    add_snapshot(dir, folder, manifest("333333333333", "eu-west-1"));
    const PlanRun run = plan(dir);
    EXPECT_EQ(run.status, 2) << folder;
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.errors.find(folder + "/manifest.json: the folder name \"" + folder + "\""), std::string::npos)
        << run.errors;
  }
}

TEST(PlanJobs, NothingOutsideTheDirectoryIsPlannedOrRead) {
  TempDir dir, outside;
  add_snapshot(dir, "111111111111/eu-west-1", manifest("111111111111", "eu-west-1"));
  add_snapshot(outside, "555555555555/eu-west-1", manifest("555555555555", "eu-west-1"));
  add_snapshot(outside, "666666666666/eu-west-1", manifest("666666666666", "eu-west-1"));
  // A folder that is a link leading out is not searched (as audit OUT_DIR does not), and is named:
  // the plan is written, and its exit status says that something is left out.
  std::filesystem::create_directory_symlink(outside.path(), dir.file("elsewhere"));
  const PlanRun linked_folder = plan(dir);
  EXPECT_EQ(linked_folder.status, 1) << linked_folder.errors;
  EXPECT_NE(linked_folder.errors.find("elsewhere: a symbolic link, not followed"), std::string::npos)
      << linked_folder.errors;
  EXPECT_EQ(entries(linked_folder.out),
            std::vector<std::string>{"account=111111111111 region=eu-west-1 snapshot=111111111111/eu-west-1"});
  // A manifest that is a link leading out is refused, and what it points at is never quoted.
  std::filesystem::create_directories(dir.file("222222222222/eu-west-1"));
  std::filesystem::create_symlink(outside.file("666666666666/eu-west-1/manifest.json"),
                                  dir.file("222222222222/eu-west-1/manifest.json"));
  const PlanRun linked_manifest = plan(dir);
  EXPECT_EQ(linked_manifest.status, 2);
  EXPECT_EQ(linked_manifest.out, "");
  EXPECT_NE(linked_manifest.errors.find("222222222222/eu-west-1/manifest.json: cannot read: leads outside the "
                                        "directory given to plan-jobs"),
            std::string::npos)
      << linked_manifest.errors;
  EXPECT_EQ(linked_manifest.errors.find("666666666666"), std::string::npos);
}

TEST(PlanJobs, OrganizationFailuresAreNamedAndExitOne) {
  TempDir dir;
  add_snapshot(dir, "111111111111/eu-west-1", manifest("111111111111", "eu-west-1"));
  add_snapshot(dir, "333333333333/eu-west-1", manifest("333333333333", "eu-west-1", false));
  dir.write("organization.json", R"({"formatVersion": 1, "accounts": [
    {"accountId": "111111111111", "result": "complete", "regions": [
      {"region": "eu-west-1", "directory": "111111111111/eu-west-1", "result": "complete"},
      {"region": "us-east-1", "result": "no-iot"}]},
    {"accountId": "222222222222", "result": "failed", "reason": "sts:AssumeRole: AccessDenied\u001b[2J", "regions": []},
    {"accountId": "333333333333", "result": "failed", "regions": [
      {"region": "eu-west-1", "directory": "333333333333/eu-west-1", "result": "incomplete", "reason": "throttled"},
      {"region": "us-east-1", "result": "failed", "reason": "UnrecognizedClientException"}]},
    {"accountId": "999999999999", "result": "skipped", "reason": "the account is SUSPENDED", "regions": []}]})");
  const PlanRun run = plan(dir);
  EXPECT_EQ(run.status, 1) << run.errors;
  EXPECT_EQ(entries(run.out).size(), 2u) << run.out;
  EXPECT_NE(run.errors.find("warning: 222222222222: the account could not be exported: sts:AssumeRole: "
                            "AccessDenied\\x1b[2J; it is not in the plan"),
            std::string::npos)
      << run.errors;
  EXPECT_NE(run.errors.find(
                "warning: 333333333333 in us-east-1: the account could not be exported: UnrecognizedClientException"),
            std::string::npos);
  EXPECT_NE(run.errors.find("warning: 333333333333/eu-west-1: the export of account 333333333333 in eu-west-1 did "
                            "not finish"),
            std::string::npos);
  EXPECT_EQ(run.errors.find("could not be exported: no"), std::string::npos) << "a region without IoT is no failure";
  EXPECT_EQ(run.errors.find("999999999999"), std::string::npos) << "a suspended account is skipped, not failed";
}

TEST(PlanJobs, NoSnapshotIsAnErrorNotAnEmptyPlan) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("111111111111/eu-west-1"));
  const PlanRun run = plan(dir);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.errors.find("no snapshot (a folder with manifest.json)"), std::string::npos) << run.errors;
  PlanJobsCommandOptions missing;
  missing.directory = dir.file("nowhere");
  EXPECT_EQ(plan(missing).status, 2);
}

TEST(PlanJobs, KubernetesIndexedJobMapsEachIndexToASnapshotAsData) {
  TempDir dir;
  add_snapshot(dir, "222222222222/eu-west-1", manifest("222222222222", "eu-west-1"));
  add_snapshot(dir, "111111111111/us-east-1", manifest("111111111111", "us-east-1"));
  add_snapshot(dir, "111111111111/eu-west-1", manifest("111111111111", "eu-west-1"));
  const PlanRun run = plan(dir, "kubernetes");
  ASSERT_EQ(run.status, 0) << run.errors;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(run.out);
  simdjson::dom::element list;
  ASSERT_EQ(parser.parse(padded).get(list), simdjson::SUCCESS) << run.out;
  EXPECT_EQ(text_at(list, "/kind"), "List");
  EXPECT_EQ(text_at(list, "/items/0/kind"), "ConfigMap");
  EXPECT_EQ(text_at(list, "/items/0/metadata/name"), "fleetaudit-audit-plan");
  EXPECT_EQ(text_at(list, "/items/0/data/0"), "111111111111/eu-west-1");
  EXPECT_EQ(text_at(list, "/items/0/data/1"), "111111111111/us-east-1");
  EXPECT_EQ(text_at(list, "/items/0/data/2"), "222222222222/eu-west-1");
  EXPECT_EQ(text_at(list, "/items/0/data/3"), "<absent>");
  EXPECT_EQ(text_at(list, "/items/1/apiVersion"), "batch/v1");
  EXPECT_EQ(text_at(list, "/items/1/kind"), "Job");
  EXPECT_EQ(text_at(list, "/items/1/spec/completionMode"), "Indexed");
  EXPECT_EQ(number_at(list, "/items/1/spec/completions"), 3);
  EXPECT_EQ(number_at(list, "/items/1/spec/parallelism"), 3);
  EXPECT_EQ(text_at(list, "/items/1/spec/template/spec/restartPolicy"), "Never");
  EXPECT_EQ(text_at(list, "/items/1/spec/template/spec/volumes/1/configMap/name"), "fleetaudit-audit-plan");
  const std::string script = text_at(list, "/items/1/spec/template/spec/containers/0/command/2");
  EXPECT_EQ(script.find("111111111111"), std::string::npos) << "no snapshot in the script";
  EXPECT_NE(script.find("$(cat \"/plan/$index\")"), std::string::npos) << script;
  PlanJobsCommandOptions options;
  options.directory = dir.path();
  options.format = "kubernetes";
  options.kubernetes.image = "x; rm -rf /";
  EXPECT_EQ(plan(options).status, 2);
  options.kubernetes.image = "registry.example.com/fleetaudit:1.0";
  options.kubernetes.name = "Fleet_Audit";
  EXPECT_EQ(plan(options).status, 2);
}

TEST(PlanJobs, NamesAreCheckedAsTheExporterChecksThem) {
  for (const char* region : {"eu-west-1", "us-gov-west-1", "ap-southeast-2", "cn-north-1", "us-isob-east-1"})
    EXPECT_TRUE(is_region_name(region)) << region;
  for (const char* region : {"", "eu-west-", "eu-west-12", "e-west-1", "eu-west1", "eu--1", "eu-west--1", "eu-West-1",
                             "eu-west-1 ", "-eu-west-1", "eu-"})
    EXPECT_FALSE(is_region_name(region)) << region;
  EXPECT_TRUE(is_account_id("000000000000"));
  EXPECT_FALSE(is_account_id("00000000000a"));
  EXPECT_TRUE(is_plan_folder("111111111111/eu-west-1"));
  EXPECT_TRUE(is_plan_folder("."));
  for (const char* folder : {"", "a//b", "a/../b", "../a", "a/.hidden", "/abs", "a/", "a b", "a/-x", "a$b", "a\nb"})
    EXPECT_FALSE(is_plan_folder(folder)) << folder;
}

}  // namespace
}  // namespace fleetaudit
