// Large files are read a window of whole records at a time. Whatever the window size, the
// loaded tables and the reported problems must be exactly those of a whole-file read.
#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

#include "analyzer/load/byte_source.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

// Everything a load produced, as text: equal text means equal loads.
std::string dump(const std::string& directory, size_t window_bytes) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  LoadOptions options;
  options.window_bytes = window_bytes;
  auto usage = load_snapshot(directory, *snapshot, diagnostics, options);
  std::string out = usage ? "usage: " + *usage + "\n" : "";
  const Snapshot& s = *snapshot;
  for (size_t i = 0; i < s.certificates.size(); ++i)
    out += "certificate " + std::string(s.text(s.certificates.certificate_id[i])) + " " +
           to_string(s.certificates.status[i]) + " " + std::to_string(s.certificates.not_after[i]) + " " +
           std::to_string(s.certificates.source[i]) + "\n";
  for (size_t i = 0; i < s.thing_principals.size(); ++i)
    out += "attachment " + std::string(s.text(s.thing_principals.thing_name[i])) + " " +
           s.text(s.thing_principals.principal[i]) + "\n";
  for (size_t i = 0; i < s.policy_versions.size(); ++i)
    out += "policy " + std::string(s.text(s.policies.name[s.policy_versions.policy_row[i]])) + "@" +
           std::string(s.text(s.policy_versions.version_id[i])) + " statements " +
           std::to_string(s.policy_versions.end_statement[i] - s.policy_versions.first_statement[i]) + "\n";
  for (size_t i = 0; i < s.policy_targets.size(); ++i)
    out += "target " + std::string(s.text(s.policy_targets.policy_name[i])) + " " +
           s.text(s.policy_targets.target[i]) + "\n";
  for (const Diagnostic& d : diagnostics.items()) out += "diagnostic " + d.render() + "\n";
  return out;
}

constexpr size_t kWindows[] = {64, 97, 256, 1000, 4096};

TEST(WindowedLoading, EveryFixtureLoadsTheSameWithAnyWindow) {
  size_t compared = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::source_dir() + "/fixtures")) {
    if (!entry.is_regular_file() || entry.path().filename() != "expected.txt") continue;
    const std::string directory = entry.path().parent_path().string();
    const std::string whole = dump(directory, size_t{1} << 30);
    for (size_t window : kWindows) EXPECT_EQ(dump(directory, window), whole) << directory << " window " << window;
    ++compared;
  }
  EXPECT_GT(compared, 20u);
}

TEST(WindowedLoading, ProblemsAreReportedOnceAcrossWindows) {
  TempDir dir;
  std::string records;
  for (int i = 0; i < 200; ++i) {
    std::string status = i % 17 == 5 ? "7" : i % 23 == 3 ? "\"RETIRED\"" : "\"ACTIVE\"";
    std::string extra = i % 31 == 7 ? ",\n      \"ownedBy\": tru" : "";
    records += std::string(i ? ",\n" : "") + "    {\n      \"certificateId\": \"id-" + std::to_string(i) +
               "\",\n      \"status\": " + status + extra + "\n    }";
  }
  dir.write("certificates.json", "{\n  \"certificateDescriptions\": [\n" + records + "\n  ],\n  \"nextMarker\": null\n}\n");
  const std::string whole = dump(dir.path(), size_t{1} << 30);
  EXPECT_NE(whole.find("diagnostic certificates.json:"), std::string::npos);
  EXPECT_NE(whole.find("certificate id-199 ACTIVE"), std::string::npos);
  for (size_t window : kWindows) EXPECT_EQ(dump(dir.path(), window), whole) << "window " << window;
}

TEST(WindowedLoading, MinifiedFilesAndHugeRecordsGrowTheWindow) {
  TempDir dir;
  std::string big(5000, 'x');
  dir.write("thing-principals.json", "{\"thingPrincipals\":[{\"thingName\":\"a\",\"principals\":[\"p-a\"]},"
                                    "{\"thingName\":\"" + big + "\",\"attributes\":{\"k\":\"v\"},\"principals\":[]},"
                                    "{\"thingName\":\"c\",\"principals\":[\"p-c\"]}]}");
  const std::string whole = dump(dir.path(), size_t{1} << 30);
  EXPECT_NE(whole.find("attachment c p-c"), std::string::npos);
  for (size_t window : kWindows) EXPECT_EQ(dump(dir.path(), window), whole) << "window " << window;
}

// The first window is read again, larger, when the first record does not fit in it: the records
// array must then be read as such, not skipped as a key seen already.
TEST(WindowedLoading, FirstWindowGrownToHoldTheFirstRecord) {
  TempDir dir;
  std::string records;
  for (int i = 0; i < 5; ++i)
    records += std::string(i ? ",\n" : "") + "  {\"thingName\": \"t" + std::to_string(i) + "\", \"principals\": [\"p\"]}";
  dir.write("thing-principals.json", "{\"thingPrincipals\": [\n" + records + "]}\n");
  const std::string whole = dump(dir.path(), size_t{1} << 30);
  EXPECT_NE(whole.find("attachment t4 p"), std::string::npos);
  for (size_t window : {64, 65, 66, 100}) EXPECT_EQ(dump(dir.path(), window), whole) << "window " << window;
}

TEST(WindowedLoading, StructuralErrorInALaterWindowIsLocatedExactly) {
  TempDir dir;
  std::string records;
  for (int i = 0; i < 100; ++i)
    records += std::string(i ? ",\n" : "") + "  {\"thingName\": \"t" + std::to_string(i) + "\", \"principals\": [\"p\"]}";
  records += ",\n  {\"thingName\": \"bad\" \"principals\": []}\n";
  dir.write("thing-principals.json", "{\"thingPrincipals\": [\n" + records + "]}\n");
  for (size_t window : kWindows) {
    std::string loaded = dump(dir.path(), window);
    EXPECT_NE(loaded.find("diagnostic thing-principals.json:102:23: malformed JSON: expected ',' or '}' after an "
                          "object member"),
              std::string::npos)
        << loaded;
    EXPECT_NE(loaded.find("attachment t99 p"), std::string::npos) << "records before the error are kept";
  }
}

TEST(WindowedLoading, MissingClosingBraceAfterTheArray) {
  TempDir dir;
  dir.write("things.json", "{\"things\": [\n  {\"thingName\": \"a\"},\n  {\"thingName\": \"b\"}\n]\n");
  for (size_t window : {size_t{16}, size_t{1} << 20}) {
    std::string loaded = dump(dir.path(), window);
    EXPECT_NE(loaded.find("diagnostic things.json:5:1: malformed JSON: unexpected end of file inside an object"),
              std::string::npos)
        << loaded;
  }
}

// One file loaded through a FileReader over `source`: the attachments, then the problems.
std::string load_thing_principals(const ByteSource& source, size_t window_bytes) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  load::FileReader reader("thing-principals.json", source, diagnostics, window_bytes);
  load::ondemand::parser parser;
  load::load_thing_principals(reader, parser, *snapshot);
  std::string out;
  for (size_t i = 0; i < snapshot->thing_principals.size(); ++i)
    out += std::string(snapshot->text(snapshot->thing_principals.thing_name[i])) + " " +
           snapshot->text(snapshot->thing_principals.principal[i]) + "\n";
  for (const Diagnostic& d : diagnostics.items()) out += d.render() + "\n";
  return out;
}

// Windows are read in place, with brackets and separators written into the source's memory and
// put back after each window: reading the same source again, or copying each window instead,
// gives the same load.
TEST(WindowedLoading, InPlaceWindowsLeaveTheSourceAsTheyFoundIt) {
  std::string records;
  for (int i = 0; i < 300; ++i)
    records += std::string(i ? ",\n" : "") + "  {\"thingName\": \"t" + std::to_string(i) +
               "\", \"principals\": [\"arn:aws:iot:us-east-1:123456789012:cert/c" + std::to_string(i) + "\"]" +
               (i % 97 == 5 ? ", \"x\": tru" : "") + "}";
  const std::string text = "{\"thingPrincipals\": [\n" + records + "\n]}\n";
  for (size_t window : kWindows) {
    const ByteSource in_place = ByteSource::from_bytes(text);
    const ByteSource copied = ByteSource::from_bytes(text, ByteSource::Windows::copied);
    ASSERT_NE(in_place.window_memory(), nullptr);
    ASSERT_EQ(copied.window_memory(), nullptr);
    const std::string first = load_thing_principals(in_place, window);
    EXPECT_NE(first.find("t299 arn:aws:iot:us-east-1:123456789012:cert/c299"), std::string::npos) << window;
    EXPECT_NE(first.find("thingPrincipals[5].x (thingName \"t5\"): malformed JSON: invalid literal"), std::string::npos) << first;
    EXPECT_EQ(std::string_view(in_place.window_memory(), text.size()), text) << "window " << window;
    EXPECT_EQ(load_thing_principals(in_place, window), first) << "window " << window;
    EXPECT_EQ(load_thing_principals(copied, window), first) << "window " << window;
  }
}

// Sanitizers own SIGBUS themselves; the plain build checks the handler.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FLEETAUDIT_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FLEETAUDIT_SANITIZED 1
#endif
#ifndef FLEETAUDIT_SANITIZED
// Files are read through a mapping: one truncated by another process meanwhile must end the run
// with a message and exit status 2, not a crash.
TEST(WindowedLoadingDeathTest, AFileTruncatedWhileMappedEndsWithAMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  dir.write("things.json", std::string(3 * 4096, ' '));
  std::string error;
  std::optional<ByteSource> source = ByteSource::open_file(dir.file("things.json"), error);
  ASSERT_TRUE(source && source->window_memory() != nullptr) << error;
  ASSERT_EQ(truncate(dir.file("things.json").c_str(), 0), 0);
  EXPECT_EXIT(
      {
        exit_cleanly_when_a_mapped_file_shrinks();
        volatile char byte = source->window_memory()[2 * 4096];
        (void)byte;
      },
      ::testing::ExitedWithCode(2), "a snapshot file shrank while it was being read");
}
#endif

}  // namespace
}  // namespace fleetaudit
