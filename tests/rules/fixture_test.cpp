// Runs every fixture snapshot under fixtures/ that has an expected.txt and compares, for each
// check the file names, its status and its exact findings; and the input problems.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

std::vector<std::string> fixture_directories() {
  std::vector<std::string> found;
  std::filesystem::path root = std::filesystem::path(testing::source_dir()) / "fixtures";
  if (!std::filesystem::exists(root)) return found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
    if (entry.is_regular_file() && entry.path().filename() == "expected.txt")
      found.push_back(std::filesystem::relative(entry.path().parent_path(), testing::source_dir()).string());
  std::sort(found.begin(), found.end());
  return found;
}

struct Expectations {
  std::set<std::string> checks;  // names of checks the file speaks about
  std::set<std::string> lines;   // "check …", "finding …" and "diagnostic …" lines
};

Expectations read_expectations(const std::string& path) {
  Expectations expected;
  std::istringstream in(testing::read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    expected.lines.insert(line);
    std::istringstream words(line);
    std::string kind, check;
    words >> kind >> check;
    if (kind == "check" || kind == "finding") expected.checks.insert(check);
  }
  return expected;
}

class FixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, MatchesExpectedFindings) {
  const std::string directory = testing::source_dir() + "/" + GetParam();
  Expectations expected = read_expectations(directory + "/expected.txt");
  ASSERT_FALSE(expected.lines.empty()) << "expected.txt states nothing";

  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  auto usage = load_snapshot(directory, *snapshot, diagnostics);
  ASSERT_FALSE(usage) << *usage;
  AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));

  std::set<std::string> actual;
  for (const CheckRun& run : report.runs) {
    std::string name(run.check->name);
    if (!expected.checks.count(name)) continue;
    std::string status = to_string(run.status);  // one word in expected.txt: "not-run"
    std::replace(status.begin(), status.end(), ' ', '-');
    actual.insert("check " + name + " " + status);
    for (const Finding& finding : run.findings)
      actual.insert("finding " + name + " " + finding.resource.key() + " " + finding.reason_code +
                    (finding.suppressed ? " suppressed" : ""));
  }
  for (const Diagnostic& diagnostic : report.diagnostics.items())
    if (diagnostic.severity == DiagnosticSeverity::error) actual.insert("diagnostic " + diagnostic.render());

  for (const std::string& line : expected.lines)
    EXPECT_TRUE(actual.count(line)) << GetParam() << ": expected but missing: " << line;
  for (const std::string& line : actual)
    EXPECT_TRUE(expected.lines.count(line)) << GetParam() << ": reported but not expected: " << line;
}

// The loader skips decoding PEMs when no enabled check reads them: a check that does not say it
// reads them must then find exactly what it finds with them, and one that does must not run.
TEST_P(FixtureTest, ChecksThatDoNotReadPemsFindTheSameWithoutThem) {
  const std::string directory = testing::source_dir() + "/" + GetParam();
  size_t device_certificates = 0;
  auto audit = [&](bool decode_pems) {
    auto snapshot = std::make_unique<Snapshot>();
    Diagnostics diagnostics;
    LoadOptions options;
    options.device_certificate_pems = decode_pems;
    EXPECT_FALSE(load_snapshot(directory, *snapshot, diagnostics, options));
    device_certificates = snapshot->certificates.size();
    return run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  };
  const AuditReport with_pems = audit(true);
  const AuditReport without_pems = audit(false);
  ASSERT_EQ(with_pems.runs.size(), without_pems.runs.size());
  for (size_t i = 0; i < with_pems.runs.size(); ++i) {
    const CheckRun& expected = with_pems.runs[i];
    const CheckRun& actual = without_pems.runs[i];
    if (expected.check->reads_device_certificate_pems && device_certificates > 0) {
      const bool ran = expected.status == CheckStatus::compliant || expected.status == CheckStatus::non_compliant ||
                       expected.status == CheckStatus::incomplete;
      EXPECT_EQ(actual.status, ran ? CheckStatus::not_run : expected.status) << expected.check->name;
      continue;
    }
    EXPECT_EQ(actual.status, expected.status) << expected.check->name;
    ASSERT_EQ(actual.findings.size(), expected.findings.size()) << expected.check->name;
    for (size_t f = 0; f < expected.findings.size(); ++f) {
      EXPECT_EQ(actual.findings[f].resource.key(), expected.findings[f].resource.key()) << expected.check->name;
      EXPECT_EQ(actual.findings[f].reason_code, expected.findings[f].reason_code) << expected.check->name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureTest, ::testing::ValuesIn(fixture_directories()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(Fixtures, EveryCheckHasFixtures) {
  std::vector<std::string> directories = fixture_directories();
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    std::string folder = "fixtures/";
    for (char c : check.name) folder += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool has = std::any_of(directories.begin(), directories.end(),
                           [&](const std::string& d) { return d.rfind(folder + "/", 0) == 0; });
    EXPECT_TRUE(has) << check.name << " has no fixture under " << folder;
  }
}

}  // namespace
}  // namespace fleetaudit
