// The audit-suppressions.json and iot-logs/ loaders.
#include <gtest/gtest.h>

#include <filesystem>

#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

std::string rendered(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics.items()) out += d.render() + "\n";
  return out;
}

TEST(SuppressionLoader, ReadsEveryIdentifierFormAndRejectsTwoMembers) {
  TempDir dir;
  dir.write("audit-suppressions.json", R"({"suppressions": [
  {"checkName": "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
   "resourceIdentifier": {"policyVersionIdentifier": {"policyName": "P", "policyVersionId": "2"}},
   "expirationDate": 1597881600.0, "description": "until the rollout"},
  {"checkName": "CONFLICTING_CLIENT_IDS_CHECK", "resourceIdentifier": {"clientId": "a", "account": "1"},
   "suppressIndefinitely": true}
]})");
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(dir.path(), *snapshot, diagnostics));
  ASSERT_EQ(snapshot->suppressions.size(), 1u) << rendered(diagnostics);
  const AuditSuppression& first = snapshot->suppressions[0];
  EXPECT_EQ(first.identifier_member, "policyVersionIdentifier");
  EXPECT_EQ(first.identifier_value, "P");
  EXPECT_EQ(first.policy_version_id, "2");
  EXPECT_EQ(first.expiration, 1597881600000);
  EXPECT_EQ(first.description, "until the rollout");
  EXPECT_EQ(first.source_line, 2u);
  EXPECT_NE(rendered(diagnostics).find("a resourceIdentifier names exactly one resource"), std::string::npos)
      << rendered(diagnostics);
}

TEST(LogLoader, ReadsBothFormsAndReportsBadLinesWithFileAndLine) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("iot-logs"));
  dir.write("iot-logs/a.jsonl",
            "{\"timestamp\": \"2026-11-19 10:00:00.250\", \"eventType\": \"Connect\", \"clientId\": \"c\", "
            "\"principalId\": \"p\", \"status\": \"Success\"}\r\n"
            "\n"
            "not json\n"
            "{\"eventType\": \"Publish-In\", \"clientId\": \"c\"}\n"
            "{\"timestamp\": 5, \"eventType\": \"Disconnect\", \"clientId\": \"c\", \"principalId\": \"p\", "
            "\"disconnectReason\": \"DUPLICATE_CLIENTID\"}");
  dir.write("iot-logs/b.json", R"({"events": [
  {"timestamp": 7, "message": "{\"eventType\": \"Connect\", \"clientId\": \"d\", \"status\": \"Failure\"}"},
  {"timestamp": 8, "message": 3}
], "searchedLogStreams": [{"logStreamName": "x", "searchedCompletely": true}]})");
  dir.write("iot-logs/notes.txt", "ignored");
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(dir.path(), *snapshot, diagnostics));
  EXPECT_TRUE(snapshot->has(SnapshotFile::iot_logs));
  const ConnectionEventTable& events = snapshot->connection_events;
  ASSERT_EQ(events.size(), 3u) << rendered(diagnostics);
  EXPECT_EQ(events.time[0], 1795082400250);  // no offset in IoT log times: UTC
  EXPECT_EQ(events.duplicate_client_id[1], 1);
  EXPECT_EQ(events.time[2], 7);  // the event's timestamp when the entry has none
  EXPECT_EQ(events.succeeded[2], 0);
  EXPECT_EQ(rendered(diagnostics),
            "iot-logs/a.jsonl:3:1: expected a JSON object (one IoT log entry)\n"
            "iot-logs/b.json:3:1: message: expected a string holding the log entry's JSON\n"
            "iot-logs/notes.txt: warning: not read: not a log file (expected NAME.json, NAME.jsonl, or either with "
            ".gz, or a CloudWatch Logs export NAME.gz)\n");
}

}  // namespace
}  // namespace fleetaudit
