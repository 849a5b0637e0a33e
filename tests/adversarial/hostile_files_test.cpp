// Files that are not what they claim: FIFOs, symlink loops, dangling links, folders where files
// belong and files where folders belong, byte-order marks, UTF-16, a stray invalid UTF-8 byte,
// gzip logs, absurd nesting, duplicate keys, bad clocks. Each gets a clear diagnostic naming the
// file, never a hang (every run is under `timeout`), a crash, or silently dropped data.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "analyzer/util/sanitized_build.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

struct Audit {
  int exit_status = -1;
  std::string output, errors;
};

// fleetaudit audit with a time limit: a hang fails the test (exit status 124) instead of CI.
// The bound a run must end within: sanitizer builds run the same work several times slower
// (ThreadSanitizer up to 15x), and are still bounded.
const std::string kTimeLimit = kSanitizedBuild ? "180" : "30";

Audit audit(const TempDir& work, const std::string& arguments) {
  CommandResult result = testing::run_command("cd '" + work.path() + "' && timeout " + kTimeLimit + " '" +
                                              testing::fleetaudit_binary() +
                                              "' audit " + arguments + " 2>'" + work.file("err.txt") + "'");
  return {result.exit_status, result.output, testing::read_file(work.file("err.txt"))};
}

// The demo snapshot, every check enabled, as work/s.
std::string demo(const TempDir& work) {
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  std::filesystem::remove(work.file("s/audit-configuration.json"));
  return "s";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(HostileFiles, FifoAsSnapshotFileIsRefusedWithoutHanging) {
  TempDir work;
  demo(work);
  std::filesystem::remove(work.file("s/certificates.json"));
  ASSERT_EQ(mkfifo(work.file("s/certificates.json").c_str(), 0600), 0);
  Audit result = audit(work, "s --format text");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(contains(result.errors, "certificates.json: cannot read: is a FIFO (named pipe), not a regular file"))
      << result.errors;
  EXPECT_TRUE(contains(result.output, "not run       MEDIUM   DEVICE_CERTIFICATE_EXPIRING_CHECK")) << result.output;
}

TEST(HostileFiles, FifoAsConfigIsRefusedWithoutHanging) {
  TempDir work;
  demo(work);
  ASSERT_EQ(mkfifo(work.file("config.json").c_str(), 0600), 0);
  Audit result = audit(work, "s --config config.json");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(contains(result.errors, "--config config.json: is a FIFO (named pipe), not a regular file")) << result.errors;
}

TEST(HostileFiles, LinkLoopsAndDanglingLinksAreNamed) {
  TempDir work;
  demo(work);
  std::filesystem::create_directory(work.file("s/iot-logs"));
  std::filesystem::create_symlink("loop", work.file("s/iot-logs/loop"));
  std::filesystem::remove(work.file("s/certificates.json"));
  std::filesystem::create_symlink("nowhere.json", work.file("s/certificates.json"));
  Audit result = audit(work, "s --format text");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(contains(result.errors, "iot-logs/loop: is a symbolic link loop")) << result.errors;
  EXPECT_TRUE(contains(result.errors, "certificates.json: cannot read: is a dangling symbolic link")) << result.errors;
}

TEST(HostileFiles, CrlFolderShapesAreReported) {
  {
    TempDir work;
    demo(work);
    std::filesystem::create_directory(work.file("s/crls"));
    ASSERT_EQ(mkfifo(work.file("s/crls/a.pem").c_str(), 0600), 0);
    Audit result = audit(work, "s --format text");
    EXPECT_EQ(result.exit_status, 2);
    EXPECT_TRUE(contains(result.errors, "crls/a.pem: is a FIFO (named pipe), not a regular file")) << result.errors;
  }
  {
    TempDir work;
    demo(work);
    work.write("s/crls", "not a folder");
    Audit result = audit(work, "s --format text");
    EXPECT_EQ(result.exit_status, 2);
    EXPECT_TRUE(contains(result.errors, "crls: is a regular file; expected a folder of certificate revocation lists"))
        << result.errors;
  }
}

TEST(HostileFiles, ByteOrderMarkIsAcceptedAndUtf16IsExplained) {
  TempDir work;
  demo(work);
  const std::string policies = testing::read_file(work.file("s/policies.json"));
  work.write("s/policies.json", "\xef\xbb\xbf" + policies);
  Audit with_bom = audit(work, "s --format text");
  EXPECT_EQ(with_bom.exit_status, 1) << with_bom.errors;  // the demo's findings, no input problem
  EXPECT_TRUE(contains(with_bom.output, "IOT_POLICY_OVERLY_PERMISSIVE_CHECK (CRITICAL, 3 findings)")) << with_bom.output;

  std::string utf16 = "\xff\xfe";
  for (char c : policies) utf16 += std::string{c, '\0'};
  work.write("s/policies.json", utf16);
  Audit with_utf16 = audit(work, "s --format text");
  EXPECT_EQ(with_utf16.exit_status, 2);
  EXPECT_TRUE(contains(with_utf16.errors, "policies.json:1:1: the file is UTF-16")) << with_utf16.errors;
  EXPECT_TRUE(contains(with_utf16.errors, "iconv -f UTF-16 -t UTF-8")) << with_utf16.errors;
}

TEST(HostileFiles, OneInvalidUtf8ByteCostsOneRecord) {
  TempDir work;
  demo(work);
  std::string principals = testing::read_file(work.file("s/thing-principals.json"));
  const size_t at = principals.find("nw-hq-lock-lobby-e");
  ASSERT_NE(at, std::string::npos);
  principals[at + 2] = '\xff';
  work.write("s/thing-principals.json", principals);
  Audit result = audit(work, "s --format text");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(contains(result.errors, "invalid UTF-8: byte 0xFF is not part of a UTF-8 sequence; the record is skipped"))
      << result.errors;
  // The other two things on the shared certificate are still read, so the finding remains.
  EXPECT_TRUE(contains(result.output, "nw-hq-lock-lobby-w")) << result.output;
  EXPECT_TRUE(contains(result.output, "nw-hq-lock-stair-2")) << result.output;
}

TEST(HostileFiles, GzipLogsAreReadAndOtherFilesAreNamed) {
  TempDir work;
  demo(work);
  std::filesystem::create_directory(work.file("s/iot-logs"));
  work.write("entries.jsonl",
             R"({"timestamp":"2026-11-19 10:00:00.000","logLevel":"INFO","eventType":"Connect","clientId":"c1","principalId":"aaa","status":"Success"}
{"timestamp":"2026-11-19 10:01:00.000","logLevel":"INFO","eventType":"Connect","clientId":"c1","principalId":"bbb","status":"Success"}
)");
  ASSERT_EQ(testing::run_command("gzip -c '" + work.file("entries.jsonl") + "' > '" + work.file("s/iot-logs/a.JSONL.gz") + "'")
                .exit_status,
            0);
  work.write("s/iot-logs/readme.txt", "not a log");
  Audit result = audit(work, "s --format text");
  EXPECT_TRUE(contains(result.output, "CONFLICTING_CLIENT_IDS_CHECK (HIGH, 1 finding)")) << result.output;
  EXPECT_TRUE(contains(result.errors, "iot-logs/readme.txt: warning: not read: not a log file")) << result.errors;
}

TEST(HostileFiles, DeepNestingSaysHowDeepAndWhere) {
  TempDir work;
  demo(work);
  work.write("s/things.json", "{\"things\": [{\"thingName\": \"a\", \"attributes\": " + std::string(100000, '[') +
                                  std::string(100000, ']') + "}]}");
  Audit result = audit(work, "s --format text");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(contains(result.errors, "things.json:1:107: JSON nested deeper than 64 levels")) << result.errors;
}

TEST(HostileFiles, DuplicateKeysAreWarnedAboutAndTheLastValueWins) {
  TempDir work;
  demo(work);
  std::string certificates = testing::read_file(work.file("s/certificates.json"));
  const size_t at = certificates.find("\"status\": \"ACTIVE\"");
  ASSERT_NE(at, std::string::npos);
  certificates.insert(at, "\"status\": \"REVOKED\", ");
  work.write("s/certificates.json", certificates);
  Audit result = audit(work, "s --format text");
  EXPECT_TRUE(contains(result.errors, "warning: duplicate key \"status\"; the last value is used")) << result.errors;
  EXPECT_FALSE(contains(result.errors, "error:")) << result.errors;
}

TEST(HostileFiles, AuditClockOutsideAnyDateIsRefused) {
  TempDir work;
  demo(work);
  for (const std::string& now : {std::string("''"), std::string("1e14"), std::string("-5"), std::string("2026-13-01T00:00:00Z")}) {
    SCOPED_TRACE(now);
    Audit result = audit(work, "s --now " + now);
    EXPECT_EQ(result.exit_status, 2);
    EXPECT_TRUE(contains(result.errors, "fleetaudit: error: --now")) << result.errors;
  }
}

TEST(HostileFiles, BlocklistFolderWithoutListsIsNamed) {
  TempDir work;
  demo(work);
  std::filesystem::create_directory(work.file("empty"));
  Audit result = audit(work, "s --weak-key-blocklists empty");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_TRUE(contains(result.errors, "weak-key blocklist directory empty holds no blacklist.RSA-<bits> file"))
      << result.errors;
}

// Two 200,000-character wildcard resources (an overlap test quadratic in their lengths would need
// gigabytes) and 6,000 statements (a pairwise misconfiguration test would take seconds per policy):
// both stay bounded, under `timeout`, and end in a verdict.
TEST(HostileFiles, HugePoliciesStayBounded) {
  TempDir work;
  demo(work);
  std::string wide_allow = "arn:aws:iot:eu-west-1:123456789012:topic/", wide_deny = wide_allow;
  for (int i = 0; i < 100000; ++i) wide_allow += "a*", wide_deny += "*b";
  std::string huge = R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\")" +
                     wide_allow + R"(\"},{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\",\"Resource\":\")" + wide_deny + R"(\"}]})";
  // Receive allowed everywhere, so each Subscribe Deny is a real bypass question.
  std::string many = R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Receive\",\"Resource\":\"*\"},)";
  for (int i = 0; i < 6000; ++i)
    many += std::string(i ? "," : "") + R"({\"Effect\":\")" + (i % 2 ? "Deny" : "Allow") +
            R"(\",\"Action\":\"iot:Subscribe\",\"Resource\":\"arn:aws:iot:eu-west-1:123456789012:topicfilter/x)" +
            std::to_string(i / 2) + (i % 2 ? "/+/y" : "/+/#") + R"(\"})";
  many += "]}";
  work.write("s/policies.json", R"({"policies": [
    {"policyName": "Huge", "policyArn": "arn:aws:iot:eu-west-1:123456789012:policy/Huge", "defaultVersionId": "1",
     "policyDocument": ")" + huge + R"("},
    {"policyName": "Many", "policyArn": "arn:aws:iot:eu-west-1:123456789012:policy/Many", "defaultVersionId": "1",
     "policyDocument": ")" + many + R"("}]})");
  Audit result = audit(work, "s --format text");
  EXPECT_TRUE(result.exit_status == 1 || result.exit_status == 2) << "exit " << result.exit_status << "\n" << result.errors;
  EXPECT_TRUE(contains(result.output, "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK")) << result.output;
  EXPECT_TRUE(contains(result.output, "Summary:")) << result.output;
}

}  // namespace
}  // namespace fleetaudit
