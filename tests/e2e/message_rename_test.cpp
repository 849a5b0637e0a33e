// The message-rename test: every finding's words (its message and additionalInfo values) are
// rewritten as each check hands its findings over, and lint's spans, SARIF's locations and
// baseline matching must not move. A room that read a check's English back (a regex over the
// message, a number parsed out of an example) would point elsewhere, and this test fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <tuple>

#include "analyzer/baseline/baseline.h"
#include "analyzer/baseline/drift.h"
#include "analyzer/engine/audit.h"
#include "analyzer/lint/lint_run.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/report/reporters.h"
#include "tests/report_support.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

// Another wording of the same facts: every digit shifted, the words a reader could key on
// replaced, the punctuation around them changed, a prefix in front.
std::string reworded(std::string_view text) {
  std::string out = "Reworded. ";
  for (size_t i = 0; i < text.size(); ++i) {
    auto starts = [&](std::string_view word) { return text.substr(i, word.size()) == word; };
    const char c = text[i];
    if (starts("statement") || starts("Statement")) {
      out += "clause";
      i += 8;
    } else if (starts(" role ")) {
      out += " part ";
      i += 5;
    } else if (starts(" on ")) {
      out += " at ";
      i += 3;
    } else if (c >= '0' && c <= '9') {
      out += static_cast<char>('0' + (c - '0' + 1) % 10);
    } else if (c == '(' || c == '[') {
      out += '{';
    } else if (c == ')' || c == ']') {
      out += '}';
    } else if (c == ';') {
      out += " |";
    } else {
      out += c;
    }
  }
  return out;
}

void reword(Finding& finding) {
  finding.message = reworded(finding.message);
  for (auto& [key, value] : finding.additional_info) value = reworded(value);
}

// Sets the rewrite for one scope, and always unsets it.
struct Rewording {
  Rewording() { set_wording_rewrite_for_tests(&reword); }
  ~Rewording() { set_wording_rewrite_for_tests(nullptr); }
};

constexpr EpochMillis kClock = 1767225600000;  // 2026-01-01T00:00:00Z

// What lint says of each finding except its words: the file, rule, spans, identity, suppression.
using Placement = std::tuple<std::string, std::string, std::string, size_t, size_t,
                             std::vector<std::pair<size_t, size_t>>, std::string, bool>;

struct LintOutcome {
  std::vector<Placement> placements;
  std::vector<std::string> messages;
  size_t policy_findings = 0;
  size_t pool_findings = 0;
};

LintOutcome lint_fixtures() {
  LintOutcome outcome;
  const lint::LintRun run = lint::lint_paths(
      {testing::source_dir() + "/fixtures/lint", testing::source_dir() + "/fixtures/lint-corpus"}, kClock);
  for (const lint::LintedFile& file : run.files)
    for (const lint::LintFinding& finding : file.findings) {
      std::vector<std::pair<size_t, size_t>> related;
      for (const lint::Span& span : finding.related) related.emplace_back(span.begin, span.end);
      const std::string source = finding.source != nullptr ? finding.source->path() : file.file.source->path();
      outcome.placements.emplace_back(file.file.source->path(), std::string(finding.check->name), source,
                                      finding.where.begin, finding.where.end, related, finding.identity,
                                      finding.suppressed);
      outcome.messages.push_back(finding.message);
      const std::string_view name = finding.check->name;
      if (name.starts_with("IOT_POLICY_")) ++outcome.policy_findings;
      if (name.find("COGNITO") != std::string_view::npos) ++outcome.pool_findings;
    }
  // Lint orders findings of one span by message as a last tie-break: compare as sets.
  std::sort(outcome.placements.begin(), outcome.placements.end());
  return outcome;
}

TEST(MessageRename, LintSpansDoNotMove) {
  const LintOutcome plain = lint_fixtures();
  LintOutcome other;
  {
    Rewording rewording;
    other = lint_fixtures();
  }
  // The fixtures hold the findings lint places from evidence: policy grants and Denies, pool roles.
  EXPECT_GE(plain.policy_findings, 20u);
  EXPECT_GE(plain.pool_findings, 3u);
  ASSERT_EQ(plain.placements.size(), other.placements.size());
  EXPECT_EQ(plain.placements, other.placements);
  size_t reworded_messages = 0;
  for (const std::string& message : other.messages) reworded_messages += message.starts_with("Reworded. ");
  EXPECT_GE(reworded_messages, plain.policy_findings + plain.pool_findings);
}

AuditReport audit(const Snapshot& snapshot) {
  Diagnostics diagnostics;
  AuditOptions options;
  options.now = kClock;
  return run_audit(snapshot, options, std::move(diagnostics));
}

std::string without_messages(const std::string& sarif) {
  static const std::regex message(R"re("message": ?\{"text": ?"(?:[^"\\]|\\.)*"\})re");
  return std::regex_replace(sarif, message, "MESSAGE");
}

TEST(MessageRename, SarifLocationsAndBaselineMatchingDoNotMove) {
  testing::TempDir dir;
  size_t with_evidence = 0, findings = 0;
  for (const std::string& directory : testing::evidence_fixtures()) {
    SCOPED_TRACE(directory);
    auto snapshot = std::make_unique<Snapshot>();
    Diagnostics diagnostics;
    ASSERT_FALSE(load_snapshot(directory, *snapshot, diagnostics));
    const AuditReport plain = audit(*snapshot);
    AuditReport other;
    {
      Rewording rewording;
      other = audit(*snapshot);
    }
    for (const CheckRun& run : plain.runs)
      for (const Finding& finding : run.findings) {
        ++findings;
        with_evidence += !finding.evidence.empty();
      }
    const std::string plain_sarif = testing::written(write_sarif, plain);
    const std::string other_sarif = testing::written(write_sarif, other);
    if (plain.unsuppressed_findings() > 0) {
      EXPECT_NE(plain_sarif, other_sarif);  // the words did change
    }
    EXPECT_EQ(without_messages(plain_sarif), without_messages(other_sarif));
    // A baseline written in the other words matches every finding of this audit, in both formats.
    dir.write("other.json", testing::written(write_aws_findings, other));
    dir.write("other.sarif", other_sarif);
    for (const char* name : {"other.json", "other.sarif"}) {
      std::string error;
      const std::optional<Baseline> baseline = read_baseline(dir.file(name), error);
      ASSERT_TRUE(baseline) << name << ": " << error;
      const Drift drift = compute_drift(plain, *baseline);
      EXPECT_EQ(drift.new_findings, 0u) << name;
      EXPECT_EQ(drift.updated, 0u) << name;
      EXPECT_TRUE(drift.fixed.empty()) << name;
    }
  }
  EXPECT_GE(with_evidence, 20u);  // the fixtures exercise the evidence, not only certificates
  EXPECT_GT(findings, with_evidence);
}

}  // namespace
}  // namespace fleetaudit
