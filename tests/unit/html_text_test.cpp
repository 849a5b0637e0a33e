// The HTML report's text helpers: ids shortened with the whole kept, lists cut between items with
// the rest counted, instants as days with their distance from the audit clock, names escaped.
#include "analyzer/report/html/html_text.h"

#include <gtest/gtest.h>

#include "analyzer/report/html/triage.h"

namespace fleetaudit::html {
namespace {

TEST(HtmlText, EscapesMarkupAndControlCharacters) {
  EXPECT_EQ(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape("a\nb"), "a\\nb");
  EXPECT_EQ(breakable_name("A_B<C"), "A_<wbr>B&lt;C");
}

TEST(HtmlText, CountsWithThousandsSeparators) {
  EXPECT_EQ(thousands(0), "0");
  EXPECT_EQ(thousands(999), "999");
  EXPECT_EQ(thousands(1000), "1,000");
  EXPECT_EQ(thousands(843451), "843,451");
  EXPECT_EQ(thousands(18446744073709551615u), "18,446,744,073,709,551,615");
}

TEST(HtmlText, LongIdsAreShortenedWithTheWholeInTheTooltip) {
  const std::string id = "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6";
  EXPECT_EQ(id_element(id), "<code class=\"id\" title=\"" + id + "\">c72dc030…ba8d6</code>");
  EXPECT_EQ(id_element("short-id"), "<code class=\"id\">short-id</code>");
  // Not ASCII: never cut inside a character; hostile: escaped in both places.
  EXPECT_EQ(id_element("ééééééééééééééééééé"), "<code class=\"id\">ééééééééééééééééééé</code>");
  EXPECT_EQ(id_element("\"><script>alert(1)</script>xxxxxxxx"),
            "<code class=\"id\" title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;xxxxxxxx\">&quot;&gt;&lt;scrip…xxxxx</code>");
}

TEST(HtmlText, InstantsAreDaysWithTheirDistance) {
  const EpochMillis clock = 1795162542000;  // 2026-11-20T08:15:42Z
  EXPECT_EQ(day_of(clock), "2026-11-20");
  EXPECT_EQ(day_with_distance(clock, clock), "2026-11-20 (the audit's day)");
  EXPECT_EQ(day_with_distance(clock - kMillisPerDay, clock), "2026-11-19 (1 day ago)");
  EXPECT_EQ(day_with_distance(clock + 12 * kMillisPerDay, clock), "2026-12-02 (in 12 days)");
  EXPECT_EQ(day_with_distance(clock - 541 * kMillisPerDay, clock), "2025-05-28 (541 days ago)");
  // Before 1970: days count from each day's start, not towards zero.
  EXPECT_EQ(day_with_distance(-1, 0), "1969-12-31 (1 day ago)");
}

TEST(HtmlText, LongTextIsCutWithTheRestCounted) {
  EXPECT_EQ(capped_text("a, b", 10), "a, b");
  EXPECT_EQ(capped_text("alpha, beta, gamma, delta", 13), "alpha, beta … and 2 more");
  EXPECT_EQ(capped_text("x (statement 1); y (statement 2); z", 20), "x (statement 1) … and 2 more");
  EXPECT_EQ(capped_text("abcdefghij", 4), "abcd … (6 more characters)");
  // A cut never splits a UTF-8 character.
  EXPECT_EQ(capped_text("aé" + std::string(10, 'b'), 2), "a … (11 more characters)");
}

}  // namespace
}  // namespace fleetaudit::html

namespace fleetaudit::html {
namespace {

// Runs of checks named and graded as given, in name order as the registry keeps them.
struct Runs {
  std::vector<CheckInfo> checks;
  AuditReport report;
  Runs(std::initializer_list<std::tuple<const char*, Severity, CheckStatus>> runs) {
    checks.reserve(runs.size());
    for (const auto& [name, severity, status] : runs) {
      checks.push_back(CheckInfo{.name = name, .aliases = {}, .severity = severity,
                                 .resource_type = ResourceType::device_certificate, .reason_codes = {},
                                 .short_description = "", .full_description = "", .help = "", .help_uri = "",
                                 .parameters = {}, .required_inputs = {}, .run = nullptr});
      CheckRun run;
      run.status = status;
      report.runs.push_back(std::move(run));
    }
    for (size_t i = 0; i < checks.size(); ++i) report.runs[i].check = &checks[i];
  }
};

TEST(HtmlTriage, VerdictsFirstThenSeverityThenName) {
  const Runs runs({{"A_LOW_FAILING", Severity::low, CheckStatus::non_compliant},
                   {"B_CRITICAL_DISABLED", Severity::critical, CheckStatus::disabled},
                   {"C_HIGH_NOT_RUN", Severity::high, CheckStatus::not_run},
                   {"D_CRITICAL_FAILING", Severity::critical, CheckStatus::non_compliant},
                   {"E_MEDIUM_COMPLIANT", Severity::medium, CheckStatus::compliant},
                   {"F_CRITICAL_INCOMPLETE", Severity::critical, CheckStatus::incomplete},
                   {"G_CRITICAL_FAILING", Severity::critical, CheckStatus::non_compliant}});
  std::vector<std::string_view> names;
  for (size_t index : runs_in_verdict_order(runs.report)) names.push_back(runs.report.runs[index].check->name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"D_CRITICAL_FAILING", "G_CRITICAL_FAILING", "A_LOW_FAILING",
                                                  "F_CRITICAL_INCOMPLETE", "C_HIGH_NOT_RUN", "E_MEDIUM_COMPLIANT",
                                                  "B_CRITICAL_DISABLED"}));
  EXPECT_EQ(verdict_sentence(runs.report),
            "3 checks non-compliant: 2 CRITICAL, 1 LOW; 1 check incomplete: 1 CRITICAL; 1 check could not run: 1 HIGH; "
            "1 compliant; 1 disabled.");
}

}  // namespace
}  // namespace fleetaudit::html
