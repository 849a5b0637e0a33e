// `fleetaudit lint` on the regression corpus fixtures/lint-corpus/ (files written in the shapes
// public repositories use: provisioning templates, placeholder ARNs, Greengrass, Cognito,
// Serverless, Terraform modules). Its verdicts were judged by hand and kept in
// fixtures/lint-corpus/expected-verdicts.txt; any difference fails: a new false positive, a new
// miss, a false error, a changed span, a note no longer said, a file nobody judged.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

const std::string kCorpus = "fixtures/lint-corpus/";

struct Verdicts {
  std::set<std::string> findings, notes, errors, files;
};

Verdicts expected_verdicts() {
  Verdicts expected;
  std::istringstream lines(testing::read_file(testing::source_dir() + "/" + kCorpus + "expected-verdicts.txt"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    line = line.substr(0, line.find("  #"));
    std::istringstream words(line);
    std::string verdict, where, what;
    words >> verdict >> where >> what;
    expected.files.insert(where.substr(0, where.find(':')));
    if (verdict == "finding") expected.findings.insert(where + " " + what);
    else if (verdict == "note") expected.notes.insert(where);
    else if (verdict == "error") expected.errors.insert(where);
    else EXPECT_EQ(verdict, "clean") << line;
  }
  return expected;
}

std::string position(uint64_t line, uint64_t column) { return std::to_string(line) + ":" + std::to_string(column); }

Verdicts actual_verdicts(const std::string& json) {
  Verdicts actual;
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(json);
  for (simdjson::dom::element item : root["results"].get_array()) {
    const std::string file = std::string(std::string_view(item["file"])).substr(kCorpus.size());
    actual.findings.insert(file + ":" + position(uint64_t(item["startLine"]), uint64_t(item["startColumn"])) + "-" +
                           position(uint64_t(item["endLine"]), uint64_t(item["endColumn"])) + " " +
                           std::string(std::string_view(item["ruleId"])));
  }
  for (simdjson::dom::element item : root["problems"].get_array()) {
    const std::string file = std::string(std::string_view(item["file"])).substr(kCorpus.size());
    const std::string where = file + ":" + position(uint64_t(item["line"]), uint64_t(item["column"]));
    (std::string_view(item["severity"]) == "error" ? actual.errors : actual.notes).insert(where);
  }
  return actual;
}

std::string missing_from(const std::set<std::string>& wanted, const std::set<std::string>& got) {
  std::string text;
  for (const std::string& item : wanted)
    if (!got.count(item)) text += "  " + item + "\n";
  return text;
}

TEST(LintCorpus, VerdictsAreTheJudgedOnes) {
  const testing::CommandResult run = testing::run_fleetaudit("lint --format json " + kCorpus);
  ASSERT_EQ(run.exit_status, 2) << "the corpus holds one file with a real encoding error";
  const Verdicts expected = expected_verdicts();
  const Verdicts actual = actual_verdicts(run.output);
  EXPECT_EQ(missing_from(actual.findings, expected.findings), "") << "false positives (or changed spans)";
  EXPECT_EQ(missing_from(expected.findings, actual.findings), "") << "misses (or changed spans)";
  EXPECT_EQ(missing_from(actual.errors, expected.errors), "") << "false errors";
  EXPECT_EQ(missing_from(expected.errors, actual.errors), "") << "errors no longer reported";
  EXPECT_EQ(missing_from(expected.notes, actual.notes), "") << "'not checked' notes no longer said";
  EXPECT_EQ(missing_from(actual.notes, expected.notes), "") << "new warnings: judge them";
  // Every file of the corpus was judged (a new fixture needs its verdicts written down).
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_dir() + "/" + kCorpus)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name != "README.md" && name != "expected-verdicts.txt")
      files.insert(std::filesystem::relative(entry.path(), testing::source_dir() + "/" + kCorpus).string());
  }
  EXPECT_EQ(missing_from(files, expected.files), "") << "corpus files with no verdict";
  // The README states the corpus figures: keep them true.
  const size_t true_positives = expected.findings.size();
  const std::string readme = testing::read_file(testing::source_dir() + "/" + kCorpus + "README.md");
  EXPECT_NE(readme.find(std::to_string(files.size()) + " files"), std::string::npos);
  EXPECT_NE(readme.find(std::to_string(true_positives) + " findings"), std::string::npos);
  EXPECT_NE(readme.find(std::to_string(expected.notes.size()) + " notes"), std::string::npos);
}

// What lint did not check is said in every format: a JSON problem, a SARIF notification, a text
// line, and the text summary's count.
TEST(LintCorpus, WhatWasNotCheckedIsSaidInEveryFormat) {
  const std::string json = testing::run_fleetaudit("lint --format json " + kCorpus).output;
  const std::string sarif = testing::run_fleetaudit("lint --format sarif " + kCorpus).output;
  const std::string text = testing::run_fleetaudit("lint " + kCorpus).output;
  const Verdicts expected = expected_verdicts();
  simdjson::dom::parser parser;
  size_t notifications = 0;
  for (simdjson::dom::element run : parser.parse(sarif)["runs"].get_array())
    for (simdjson::dom::element invocation : run["invocations"].get_array())
      for (simdjson::dom::element notification : invocation["toolExecutionNotifications"].get_array()) {
        (void)notification;
        ++notifications;
      }
  EXPECT_EQ(notifications, expected.notes.size() + expected.errors.size());
  for (const std::string& note : expected.notes) EXPECT_NE(text.find(kCorpus + note + ": warning: "), std::string::npos) << note;
  EXPECT_NE(text.find(std::to_string(expected.notes.size()) + " IoT resource(s) or value(s) not checked"),
            std::string::npos)
      << text;
  size_t warnings = 0;
  for (simdjson::dom::element problem : parser.parse(json)["problems"].get_array())
    warnings += std::string_view(problem["severity"]) == "warning";
  EXPECT_EQ(warnings, expected.notes.size());
}

// --exclude: the excluded files are not read at all (their findings and notes go with them).
TEST(LintCorpus, ExcludeSkipsWhatItMatches) {
  const testing::CommandResult run = testing::run_fleetaudit("lint " + kCorpus +
                                                             " --exclude 'encoding/*' --exclude '*.tf'"
                                                             " --exclude serverless");
  EXPECT_EQ(run.exit_status, 1) << run.output;  // the encoding error went with its file
  EXPECT_EQ(run.output.find("encoding/"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find(".tf:"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("serverless/"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("provisioning/fleet-provisioning-broad.json"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace fleetaudit
