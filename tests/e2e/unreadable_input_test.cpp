// "Not run" and "incomplete" are never "compliant": every shape of unreadable file, in every file a
// check reads, leaves that check not run or incomplete (with the reason), and the audit exits 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/engine/audit.h"
#include "analyzer/engine/check_inputs.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

// The demo snapshot with every check enabled (its configuration removed), in `work`/snapshot.
std::string demo_copy(const TempDir& work) {
  const std::string snapshot = work.file("snapshot");
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", snapshot, std::filesystem::copy_options::recursive);
  std::filesystem::remove(snapshot + "/audit-configuration.json");
  return snapshot;
}

struct Shape {
  std::string name;
  std::string (*damage)(const std::string& original);
};

const std::vector<Shape> kShapes = {
    {"empty", [](const std::string&) { return std::string(); }},
    {"null", [](const std::string&) { return std::string("null"); }},
    {"array", [](const std::string&) { return std::string("[]"); }},
    {"empty object", [](const std::string&) { return std::string("{}"); }},
    {"misspelled key", [](const std::string& original) {
       std::string text = original;
       text.insert(text.find('"') + 1, "x");  // the top-level key, one letter longer
       return text;
     }},
    {"trailing garbage", [](const std::string& original) { return original + "\n}]garbage"; }},
    {"cut off", [](const std::string& original) { return original.substr(0, original.size() * 2 / 3); }},
    {"UTF-16", [](const std::string& original) {
       std::string text = "\xff\xfe";
       for (char c : original) text += std::string{c, '\0'};
       return text;
     }},
};

AuditReport audit(const std::string& directory) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  EXPECT_FALSE(load_snapshot(directory, *snapshot, diagnostics));
  return run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
}

bool reads(const CheckInfo& check, SnapshotFile file) {
  const std::vector<SnapshotFile> files = files_read(check);
  return std::find(files.begin(), files.end(), file) != files.end();
}

TEST(UnreadableInput, NoShapeOfBrokenFileLeavesACheckThatReadsItCompliant) {
  const std::vector<SnapshotFile> files = {SnapshotFile::certificates, SnapshotFile::policies,
                                           SnapshotFile::thing_principals, SnapshotFile::policy_targets,
                                           SnapshotFile::ca_certificates, SnapshotFile::logging_v2};
  for (SnapshotFile file : files) {
    for (const Shape& shape : kShapes) {
      // GetV2LoggingOptions' answer is an object of optional fields: {} (never configured) and
      // an unknown key are valid there.
      if (file == SnapshotFile::logging_v2 && (shape.name == "empty object" || shape.name == "misspelled key")) continue;
      SCOPED_TRACE(std::string(file_name(file)) + ", " + shape.name);
      TempDir work;
      const std::string snapshot = demo_copy(work);
      const std::string path = snapshot + "/" + std::string(file_name(file));
      work.write("snapshot/" + std::string(file_name(file)), shape.damage(testing::read_file(path)));
      const AuditReport report = audit(snapshot);
      EXPECT_TRUE(report.input_problems()) << "the audit would exit 0";
      size_t readers = 0;
      for (const CheckRun& run : report.runs) {
        if (!reads(*run.check, file)) continue;
        ++readers;
        EXPECT_TRUE(run.status == CheckStatus::not_run || run.status == CheckStatus::incomplete)
            << run.check->name << " is " << to_string(run.status);
        EXPECT_NE(run.not_run_reason.find(file_name(file)), std::string::npos)
            << run.check->name << ": the reason does not name the file: " << run.not_run_reason;
        EXPECT_FALSE(run.error_code.empty()) << run.check->name;
      }
      EXPECT_GT(readers, 0u);
    }
  }
}

TEST(UnreadableInput, OneBadPolicyAmongGoodOnesLeavesThePolicyChecksIncomplete) {
  TempDir work;
  const std::string snapshot = demo_copy(work);
  std::string policies = testing::read_file(snapshot + "/policies.json");
  // DoorLockPolicy's document no longer parses; the other policies still do.
  const std::string marker = R"("policyDocument": "{\n  \"Version\")";
  const size_t first = policies.find(marker);
  ASSERT_NE(first, std::string::npos);
  policies.replace(first, marker.size(), R"("policyDocument": "{\n  \"Version\" \")");
  work.write("snapshot/policies.json", policies);
  const AuditReport report = audit(snapshot);
  for (const CheckRun& run : report.runs) {
    if (run.check->name != "IOT_POLICY_OVERLY_PERMISSIVE_CHECK" &&
        run.check->name != "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK")
      continue;
    EXPECT_EQ(run.status, CheckStatus::incomplete) << run.check->name << ": " << run.not_run_reason;
    EXPECT_NE(run.not_run_reason.find("policies.json"), std::string::npos) << run.not_run_reason;
    if (run.check->name == "IOT_POLICY_OVERLY_PERMISSIVE_CHECK") {
      // The policies that could be read are still judged: LegacyFullAccess is still found.
      bool legacy = false;
      for (const Finding& finding : run.findings) legacy |= finding.resource.key().find("LegacyFullAccess") != std::string::npos;
      EXPECT_TRUE(legacy);
    }
  }
}

// Every format says so: the text summary, SARIF's notification, JSON's auditDetails.
TEST(UnreadableInput, EveryFormatReportsTheCheckAsFailedNotCompliant) {
  TempDir work;
  const std::string snapshot = demo_copy(work);
  work.write("snapshot/certificates.json", "{\"certificateDescriptions\": [");
  auto run = [&](const std::string& format) {
    testing::CommandResult result =
        testing::run_fleetaudit("audit '" + snapshot + "' --format " + format, work.file("err.txt"));
    EXPECT_EQ(result.exit_status, 2) << format;
    return result.output;
  };
  const std::string text = run("text");
  EXPECT_NE(text.find("  not run       MEDIUM   DEVICE_CERTIFICATE_EXPIRING_CHECK"), std::string::npos) << text;
  EXPECT_EQ(text.find("compliant     MEDIUM   DEVICE_CERTIFICATE_EXPIRING_CHECK"), std::string::npos) << text;

  const std::string json = run("json");
  const size_t details = json.find("\"auditDetails\"");
  ASSERT_NE(details, std::string::npos);
  const size_t check = json.find("\"DEVICE_CERTIFICATE_EXPIRING_CHECK\": {", details);
  ASSERT_NE(check, std::string::npos);
  const std::string entry = json.substr(check, json.find('}', check) - check);
  EXPECT_NE(entry.find("\"checkRunStatus\": \"FAILED\""), std::string::npos) << entry;
  EXPECT_NE(entry.find("\"checkCompliant\": false"), std::string::npos) << entry;
  EXPECT_NE(entry.find("\"errorCode\": \"INPUT_UNREADABLE\""), std::string::npos) << entry;
  EXPECT_NE(entry.find("certificates.json"), std::string::npos) << entry;

  const std::string sarif = run("sarif");
  EXPECT_NE(sarif.find("\"executionSuccessful\": false"), std::string::npos);
  EXPECT_NE(sarif.find("DEVICE_CERTIFICATE_EXPIRING_CHECK not run: "), std::string::npos);
}

}  // namespace
}  // namespace fleetaudit
