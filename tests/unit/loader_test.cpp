#include <gtest/gtest.h>

#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

struct Loaded {
  std::unique_ptr<Snapshot> snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  std::optional<std::string> usage_error;
  std::string rendered() const {
    std::string out;
    for (const Diagnostic& d : diagnostics.items()) out += d.render() + "\n";
    return out;
  }
};

Loaded load(const TempDir& dir) {
  Loaded loaded;
  loaded.usage_error = load_snapshot(dir.path(), *loaded.snapshot, loaded.diagnostics);
  return loaded;
}

const char* kCertificates = R"({
  "certificateDescriptions": [
    {
      "certificateArn": "arn:aws:iot:us-east-1:123456789012:cert/aaa",
      "certificateId": "aaa",
      "status": "ACTIVE",
      "creationDate": 1541022751.983,
      "validity": {"notBefore": 1541022751, "notAfter": "2049-12-31T23:59:59+00:00"},
      "someFutureField": {"nested": [1, 2, {"x": null}]}
    },
    {
      "certificateId": "bbb",
      "status": "PENDING_TRANSFER",
      "creationDate": "2018-10-31T14:52:31.983000-07:00"
    }
  ]
}
)";

TEST(Loader, BothTimeFormsNormaliseToUtc) {
  TempDir dir;
  dir.write("certificates.json", kCertificates);
  Loaded loaded = load(dir);
  ASSERT_FALSE(loaded.usage_error);
  EXPECT_EQ(loaded.rendered(), "");
  const CertificateTable& certificates = loaded.snapshot->certificates;
  ASSERT_EQ(certificates.size(), 2u);
  EXPECT_EQ(certificates.creation_date[0], certificates.creation_date[1]);
  EXPECT_EQ(certificates.creation_date[0], 1541022751983);
  EXPECT_EQ(certificates.not_after[0], 2524607999000);
  EXPECT_EQ(certificates.not_before[1], kMissingTime);
  EXPECT_EQ(certificates.status[1], CertificateStatus::pending_transfer);
  EXPECT_TRUE(loaded.snapshot->has(SnapshotFile::certificates));
  EXPECT_FALSE(loaded.snapshot->has(SnapshotFile::things));
}

TEST(Loader, WrongTypeSkipsOnlyThatRecordWithFileLineColumnAndPath) {
  TempDir dir;
  dir.write("certificates.json",
            "{\"certificateDescriptions\": [\n"
            "  {\"certificateId\": \"aaa\", \"status\": \"ACTIVE\"},\n"
            "  {\"certificateId\": \"bbb\", \"status\": 7},\n"
            "  {\"certificateId\": \"ccc\", \"status\": \"ACTIVE\"}\n"
            "]}\n");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "certificates.json:3:38: certificateDescriptions[1].status (certificateId \"bbb\"): expected a string\n");
  ASSERT_EQ(loaded.snapshot->certificates.size(), 2u);
  EXPECT_EQ(loaded.snapshot->text(loaded.snapshot->certificates.certificate_id[1]), "ccc");
  EXPECT_TRUE(loaded.diagnostics.has_errors());
}

TEST(Loader, UnknownEnumValueAndMissingField) {
  TempDir dir;
  dir.write("certificates.json",
            "{\"certificateDescriptions\": [\n"
            "  {\"certificateId\": \"aaa\", \"status\": \"RETIRED\"},\n"
            "  {\"status\": \"ACTIVE\"},\n"
            "  {\"certificateId\": \"ccc\", \"status\": \"ACTIVE\"}\n"
            "]}\n");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(),
            "certificates.json:2:38: certificateDescriptions[0].status (certificateId \"aaa\"): expected one of ACTIVE, INACTIVE, REVOKED, "
            "PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION\n"
            "certificates.json:3:3: certificateDescriptions[1].certificateId: missing required field certificateId\n");
  EXPECT_EQ(loaded.snapshot->certificates.size(), 1u);
}

// Runs of certificates with one CA id intern it once; an empty id is still an id, wherever it
// comes in the file.
TEST(Loader, EveryCaCertificateIdIsKeptWhateverItsOrder) {
  TempDir dir;
  dir.write("certificates.json",
            "{\"certificateDescriptions\": [\n"
            "  {\"certificateId\": \"a\", \"status\": \"ACTIVE\", \"caCertificateId\": \"\"},\n"
            "  {\"certificateId\": \"b\", \"status\": \"ACTIVE\", \"caCertificateId\": \"ca1\"},\n"
            "  {\"certificateId\": \"c\", \"status\": \"ACTIVE\", \"caCertificateId\": \"ca1\"},\n"
            "  {\"certificateId\": \"d\", \"status\": \"ACTIVE\", \"caCertificateId\": \"\"},\n"
            "  {\"certificateId\": \"e\", \"status\": \"ACTIVE\"}\n"
            "]}\n");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "");
  const CertificateTable& certificates = loaded.snapshot->certificates;
  ASSERT_EQ(certificates.size(), 5u);
  ASSERT_NE(certificates.ca_certificate_id[0], kNoString);
  EXPECT_EQ(loaded.snapshot->text(certificates.ca_certificate_id[0]), "");
  EXPECT_EQ(loaded.snapshot->text(certificates.ca_certificate_id[1]), "ca1");
  EXPECT_EQ(certificates.ca_certificate_id[2], certificates.ca_certificate_id[1]);
  EXPECT_EQ(certificates.ca_certificate_id[3], certificates.ca_certificate_id[0]);
  EXPECT_EQ(certificates.ca_certificate_id[4], kNoString);
}

TEST(Loader, MalformedLiteralInAnIgnoredFieldIsStillCaught) {
  TempDir dir;
  dir.write("thing-principals.json",
            "{\"thingPrincipals\": [\n"
            "  {\"thingName\": \"a\", \"principals\": [\"p1\"]},\n"
            "  {\"thingName\": \"b\", \"attributes\": {\"x\": tru}, \"principals\": [\"p2\"]},\n"
            "  {\"thingName\": \"c\", \"principals\": [\"p3\"]}\n"
            "]}\n");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(),
            "thing-principals.json:3:42: thingPrincipals[1].attributes (thingName \"b\"): malformed JSON: invalid literal\n");
  const ThingPrincipalTable& attachments = loaded.snapshot->thing_principals;
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(loaded.snapshot->text(attachments.thing_name[1]), "c");
}

TEST(Loader, StructuralErrorIsLocatedExactly) {
  TempDir dir;
  dir.write("things.json",
            "{\"things\": [\n"
            "  {\"thingName\": \"a\"},\n"
            "  {\"thingName\": \"b\" \"version\": 2}\n"
            "]}\n");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "things.json:3:21: malformed JSON: expected ',' or '}' after an object member\n");
}

TEST(Loader, TrailingContentAndWrongTopLevel) {
  TempDir dir;
  dir.write("things.json", "{\"things\": []} {}\n");
  dir.write("certificates.json", "[1, 2]\n");
  dir.write("policies.json", "{\"items\": []}\n");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(),
            "certificates.json:1:1: expected a JSON object at the top level\n"
            "policies.json:1:1: expected the top-level object to hold the key \"policies\"\n"
            "things.json:1:16: malformed JSON: unexpected content after the JSON document\n");
}

TEST(Loader, ThingPrincipalsBothFormsAndSharedCertificateIndex) {
  TempDir dir;
  dir.write("certificates.json",
            R"({"certificateDescriptions": [{"certificateId": "c1", "status": "ACTIVE"},
                                            {"certificateId": "c2", "status": "ACTIVE"}]})");
  dir.write("thing-principals.json", R"({"thingPrincipals": [
    {"thingName": "t1", "principals": ["arn:aws:iot:us-east-1:123456789012:cert/c1"]},
    {"thingName": "t2", "thingPrincipalObjects": [
       {"principal": "arn:aws:iot:us-east-1:123456789012:cert/c1", "thingPrincipalType": "NON_EXCLUSIVE_THING"},
       {"principal": "us-east-1:0000-cognito", "thingPrincipalType": "EXCLUSIVE_THING"}]},
    {"thingName": "t1", "principals": ["arn:aws:iot:us-east-1:123456789012:cert/c1"]},
    {"thingName": "t3", "principals": ["arn:aws:iot:us-east-1:123456789012:cert/c2"]}
  ]})");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "");
  const Snapshot& snapshot = *loaded.snapshot;
  EXPECT_EQ(snapshot.thing_principals.size(), 5u);
  EXPECT_EQ(snapshot.thing_principals.association[1], ThingPrincipalTable::Association::non_exclusive_thing);
  EXPECT_EQ(snapshot.thing_principals.certificate_row[2], kNoRow);  // the Cognito identity
  ASSERT_EQ(snapshot.things_by_certificate.rows(), 2u);
  EXPECT_EQ(snapshot.things_by_certificate.of(0).size(), 2u);  // t1 (listed twice) and t2
  EXPECT_EQ(snapshot.things_by_certificate.of(1).size(), 1u);
}

TEST(Loader, AttachmentToAnUndescribedCertificateIsReported) {
  TempDir dir;
  dir.write("certificates.json", R"({"certificateDescriptions": []})");
  dir.write("thing-principals.json",
            R"({"thingPrincipals": [{"thingName": "t1", "principals": ["arn:aws:iot:us-east-1:1:cert/zzz"]}]})");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(),
            "thing-principals.json: 1 attachment(s) name a certificate that certificates.json does not describe "
            "(first: zzz); those certificates could not be evaluated\n");
}

TEST(Loader, LoggingOptions) {
  TempDir dir;
  dir.write("logging-v2.json", "{}\n");
  dir.write("logging-v1.json", R"({"roleArn": "arn:aws:iam::1:role/log", "logLevel": "WARN"})");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "");
  ASSERT_TRUE(loaded.snapshot->logging_v2);
  EXPECT_FALSE(loaded.snapshot->logging_v2->configured);
  ASSERT_TRUE(loaded.snapshot->logging_v1);
  EXPECT_EQ(loaded.snapshot->logging_v1->level, LogLevel::warn);
}

TEST(Loader, BadLogLevelLeavesLoggingUnknown) {
  TempDir dir;
  dir.write("logging-v2.json", R"({"defaultLogLevel": "LOUD", "disableAllLogs": false})");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "logging-v2.json:1:21: defaultLogLevel: expected one of DEBUG, INFO, ERROR, WARN, DISABLED\n");
  EXPECT_FALSE(loaded.snapshot->logging_v2);
}

TEST(Loader, ManifestClockAndVersion) {
  TempDir dir;
  dir.write("manifest.json",
            R"({"formatVersion": 1, "exportedAt": "2026-06-01T02:00:00+02:00", "accountId": "123456789012", "region": "eu-west-1"})");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "");
  EXPECT_EQ(loaded.snapshot->manifest.exported_at, parse_iso8601("2026-06-01T00:00:00Z"));
  EXPECT_EQ(loaded.snapshot->text(loaded.snapshot->manifest.account_id), "123456789012");
}

TEST(Loader, DirectoryProblemsAreUsageErrors) {
  TempDir dir;
  Loaded empty = load(dir);
  ASSERT_TRUE(empty.usage_error);
  EXPECT_NE(empty.usage_error->find("holds no snapshot file"), std::string::npos);

  Snapshot snapshot;
  Diagnostics diagnostics;
  auto missing = load_snapshot(dir.file("nope"), snapshot, diagnostics);
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->find("does not exist"), std::string::npos);
}

TEST(Loader, EmptyFileIsMalformed) {
  TempDir dir;
  dir.write("things.json", "");
  Loaded loaded = load(dir);
  EXPECT_EQ(loaded.rendered(), "things.json:1:1: malformed JSON: expected a JSON value, found the end of the file\n");
}

}  // namespace
}  // namespace fleetaudit
