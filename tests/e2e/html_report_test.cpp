// The HTML report in a real browser: Debian's headless Chromium loads the file (no network: the
// page's Content-Security-Policy allows only its own style and script) and the tests read the DOM
// after the script has run. Hostile names stay text; the page reads in triage order; its pictures
// carry the fleet's counts; a large audit stays a bounded file; the page prints.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

const char* kChromium = "/usr/bin/chromium";

std::string chromium(const TempDir& work) {
  return std::string("timeout 120 ") + kChromium + " --headless --no-sandbox --disable-gpu --no-first-run " +
         "--user-data-dir='" + work.file("chromium-profile") + "' ";
}

// The DOM Chromium has after loading `page` and running its script.
std::string rendered_dom(const TempDir& work, const std::string& page) {
  CommandResult result = testing::run_command(chromium(work) + "--dump-dom 'file://" + page + "' 2>/dev/null");
  EXPECT_EQ(result.exit_status, 0) << "chromium failed on " << page;
  return result.output;
}

size_t count(const std::string& text, const std::string& part) {
  size_t found = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++found;
  return found;
}

// Every match of `pattern` in `text`, as its capture groups (1..n).
std::vector<std::vector<std::string>> matches(const std::string& text, const std::string& pattern) {
  std::vector<std::vector<std::string>> found;
  const std::regex expression(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), expression); it != std::sregex_iterator(); ++it) {
    std::vector<std::string> groups;
    for (size_t i = 1; i < it->size(); ++i) groups.push_back((*it)[i].str());
    found.push_back(std::move(groups));
  }
  return found;
}

// The text of the element <svg id="ID" …>…</svg>.
std::string svg_of(const std::string& dom, const std::string& id) {
  const size_t begin = dom.find("<svg id=\"" + id + "\"");
  if (begin == std::string::npos) return {};
  return dom.substr(begin, dom.find("</svg>", begin) - begin);
}

int audit_html(const std::string& snapshot, const std::string& output, const std::string& extra = "") {
  return testing::run_fleetaudit("audit '" + snapshot + "' --format html --output '" + output + "' " + extra).exit_status;
}

int severity_rank(const std::string& severity) {
  const std::map<std::string, int> ranks = {{"CRITICAL", 0}, {"HIGH", 1}, {"MEDIUM", 2}, {"LOW", 3}};
  return ranks.count(severity) ? ranks.at(severity) : 9;
}

// The checks table lists failing checks first (non-compliant, incomplete, not run, compliant,
// disabled), each verdict most severe first; the findings sections go by severity. Read from the DOM.
void expect_triage_order(const std::string& dom) {
  const std::map<std::string, int> verdicts = {
      {"non-compliant", 0}, {"incomplete", 1}, {"not run", 2}, {"compliant", 3}, {"disabled", 4}};
  const auto rows = matches(dom, "<tr data-check=\"([A-Z_0-9]+)\" data-verdict=\"([a-z -]+)\"><td class=\"state\">[^<]*</td>"
                                 "<td class=\"sev-([A-Z]+)\"");
  ASSERT_FALSE(rows.empty());
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_TRUE(verdicts.count(rows[i][1])) << rows[i][1];
    const std::pair<int, int> before{verdicts.at(rows[i - 1][1]), severity_rank(rows[i - 1][2])};
    const std::pair<int, int> here{verdicts.at(rows[i][1]), severity_rank(rows[i][2])};
    EXPECT_LE(before, here) << rows[i - 1][0] << " before " << rows[i][0];
  }
  const auto sections = matches(dom, "<section id=\"check-[A-Z_0-9]+\" class=\"check\" data-check=\"([A-Z_0-9]+)\" "
                                     "aria-labelledby=\"h-[A-Z_0-9]+\"><h3 id=\"h-[A-Z_0-9]+\">[A-Z_0-9]+ <span class=\"sev-([A-Z]+)\"");
  ASSERT_FALSE(sections.empty());
  for (size_t i = 1; i < sections.size(); ++i)
    EXPECT_LE(severity_rank(sections[i - 1][1]), severity_rank(sections[i][1]))
        << sections[i - 1][0] << " before " << sections[i][0];
  // The one-line summary counts what the table shows.
  std::map<std::string, size_t> by_verdict;
  for (const auto& row : rows) ++by_verdict[row[1]];
  auto checks = [](size_t n) { return std::to_string(n) + (n == 1 ? " check " : " checks "); };
  if (by_verdict["non-compliant"] > 0) {
    EXPECT_NE(dom.find(checks(by_verdict["non-compliant"]) + "non-compliant: "), std::string::npos);
  }
  if (by_verdict["not run"] > 0) {
    EXPECT_NE(dom.find(checks(by_verdict["not run"]) + "could not run: "), std::string::npos);
  }
  if (by_verdict["compliant"] > 0) {
    EXPECT_NE(dom.find(std::to_string(by_verdict["compliant"]) + " compliant"), std::string::npos);
  }
}

class HtmlReport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kChromium)) << "scripts/install-deps.sh installs Debian's chromium";
  }
};

TEST_F(HtmlReport, DemoRendersEveryCheckAndItsFindings) {
  TempDir work;
  ASSERT_EQ(audit_html("fixtures/demo", work.file("report.html")), 1);
  const std::string page = testing::read_file(work.file("report.html"));
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  ASSERT_EQ(audit_html("fixtures/demo", work.file("again.html")), 1);
  EXPECT_EQ(testing::read_file(work.file("again.html")), page) << "same snapshot, same bytes";

  const std::string dom = rendered_dom(work, work.file("report.html"));
  EXPECT_NE(dom.find("5 open findings in 21 checks; 0 suppressed."), std::string::npos) << dom.substr(0, 2000);
  EXPECT_NE(dom.find(">3 checks non-compliant: 2 CRITICAL, 1 LOW; 4 compliant; 14 disabled.</p>"), std::string::npos);
  EXPECT_EQ(count(dom, "<tr data-check="), 21u);
  EXPECT_EQ(count(dom, "<tr class=\"finding\""), 5u);
  expect_triage_order(dom);
  // The filter script ran under the page's policy: it counted the rows it shows, and gave the
  // shortened ids their copy buttons.
  EXPECT_NE(dom.find("<span id=\"shown-count\">5</span>"), std::string::npos);
  const std::string shared = "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6";
  EXPECT_NE(dom.find("<code class=\"id\" title=\"" + shared + "\">c72dc030…ba8d6</code><button type=\"button\" "
                     "class=\"copy\" aria-label=\"Copy " + shared + "\">Copy</button>"),
            std::string::npos);
  // The things the shared certificate is attached to, beside it.
  EXPECT_NE(dom.find("things <b>nw-hq-lock-lobby-e</b>, <b>nw-hq-lock-lobby-w</b>, <b>nw-hq-lock-stair-2</b>"),
            std::string::npos);
  EXPECT_NE(dom.find("policy <b class=\"name\">LegacyFullAccess</b> version 1"), std::string::npos);
  // Under each policy finding's message, the statements it rests on (tests/e2e/report_evidence_test.cpp
  // checks every field against the structs).
  EXPECT_EQ(count(dom, "<ul class=\"evidence\">"), 3u);
  EXPECT_NE(dom.find("<li data-evidence=\"grants\">statement <b>1</b> grants <code>iot:Connect</code> on "
                     "<code>arn:aws:iot:eu-west-1:123456789012:client/x</code> through <code>*</code></li>"),
            std::string::npos);
  // Pictures: open findings per check, coloured by severity, with their counts.
  const std::string per_check = svg_of(dom, "check-chart");
  EXPECT_NE(per_check.find("data-check=\"IOT_POLICY_OVERLY_PERMISSIVE_CHECK\" data-count=\"3\""), std::string::npos);
  EXPECT_NE(per_check.find("data-check=\"DEVICE_CERTIFICATE_SHARED_CHECK\" data-count=\"1\""), std::string::npos);
  EXPECT_NE(dom.find("role=\"img\" aria-labelledby=\"age-chart-title\""), std::string::npos);
}

TEST_F(HtmlReport, ChecksThatCouldNotRunComeBeforeTheCompliantOnes) {
  TempDir work;
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  // Without the account's configuration every check runs; those whose inputs the demo lacks are not run.
  std::filesystem::remove(work.file("s/audit-configuration.json"));
  audit_html(work.file("s"), work.file("report.html"));
  const std::string dom = rendered_dom(work, work.file("report.html"));
  EXPECT_NE(dom.find("data-verdict=\"not run\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("could not run: "), std::string::npos);
  expect_triage_order(dom);
}

TEST_F(HtmlReport, HostileNamesStayText) {
  TempDir work;
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  // A policy name and a thing name that would be markup and script if pasted into the page.
  const std::string hostile = R"(<img src=x onerror=\"document.title='PWNED'\"></script><script>document.title='PWNED2'</script>)";
  auto replace_all = [&](const std::string& file, const std::string& from) {
    std::string text = testing::read_file(work.file(file));
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + hostile.size()))
      text.replace(at, from.size(), hostile);
    work.write(file, text);
  };
  replace_all("s/policies.json", "LegacyFullAccess");
  replace_all("s/things.json", "nw-hq-lock-lobby-e");
  replace_all("s/thing-principals.json", "nw-hq-lock-lobby-e");
  audit_html(work.file("s"), work.file("report.html"));
  const std::string dom = rendered_dom(work, work.file("report.html"));
  EXPECT_EQ(dom.find("PWNED</title>"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos) << "a name became an element";
  EXPECT_NE(dom.find("<b class=\"name\">&lt;img src=x onerror=\"document.title='PWNED'\"&gt;&lt;/script&gt;"), std::string::npos)
      << dom.substr(0, 3000);
  EXPECT_NE(dom.find("things <b>&lt;img src=x onerror="), std::string::npos) << "the hostile thing, as text";
}

TEST_F(HtmlReport, BaselineShowsWhatIsFixedAndWhatIsNew) {
  TempDir work;
  ASSERT_EQ(testing::run_fleetaudit("audit fixtures/demo --format json --output '" + work.file("first.json") + "'").exit_status, 1);
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  std::string policies = testing::read_file(work.file("s/policies.json"));
  const std::string broad = R"(\"Action\":\"iot:*\",\"Resource\":\"*\")";
  const size_t at = policies.find(broad);
  ASSERT_NE(at, std::string::npos);
  policies.replace(at, broad.size(), R"(\"Action\":\"iot:Connect\",\"Resource\":\"arn:aws:iot:eu-west-1:123456789012:client/${iot:Connection.Thing.ThingName}\")");
  work.write("s/policies.json", policies);
  audit_html(work.file("s"), work.file("report.html"), "--baseline '" + work.file("first.json") + "'");
  const std::string dom = rendered_dom(work, work.file("report.html"));
  EXPECT_NE(dom.find("0 new, 0 updated, 4 unchanged, 1 fixed."), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("<tr class=\"fixed\"><td><span class=\"badge\">fixed</span></td><td>IOT_POLICY_OVERLY_PERMISSIVE_CHECK"
                     "</td><td>policy <b class=\"name\">LegacyFullAccess</b> version 1</td>"),
            std::string::npos);
  EXPECT_EQ(count(dom, "<span class=\"badge\">unchanged</span>"), 4u);
  // The trend: then 4 kept + 1 fixed, now 4 kept + 0 new.
  const std::string trend = svg_of(dom, "drift-chart");
  EXPECT_NE(trend.find("<rect class=\"bar fixed\" data-count=\"1\""), std::string::npos) << trend;
  EXPECT_NE(trend.find("<rect class=\"bar new\" data-count=\"0\""), std::string::npos);
}

// Without its script (removed from a copy of the file: Chromium's --dump-dom needs script on) the
// page still shows everything but the filters' count and the copy buttons: the pictures are SVG in
// the file, not drawn by script.
TEST_F(HtmlReport, PicturesAndFindingsNeedNoScript) {
  TempDir work;
  audit_html("fixtures/demo", work.file("report.html"));
  std::string page = testing::read_file(work.file("report.html"));
  const size_t script = page.find("<script>");
  ASSERT_NE(script, std::string::npos);
  page.erase(script, page.find("</script>", script) + 9 - script);
  work.write("no-script.html", page);
  const std::string dom = rendered_dom(work, work.file("no-script.html"));
  EXPECT_EQ(dom.find("class=\"copy\""), std::string::npos) << "script ran";
  EXPECT_NE(dom.find("<span id=\"shown-count\">0</span>"), std::string::npos) << "script ran";
  EXPECT_EQ(count(dom, "<tr class=\"finding\""), 5u);
  for (const char* chart : {"severity-chart", "check-chart", "age-chart", "expiry-chart"})
    EXPECT_NE(svg_of(dom, chart).find("role=\"img\""), std::string::npos) << chart;
  EXPECT_NE(svg_of(dom, "check-chart").find("data-check=\"IOT_POLICY_OVERLY_PERMISSIVE_CHECK\" data-count=\"3\""),
            std::string::npos);
}

// Printed to PDF as a reviewer attaches it to an audit record: poppler renders its first page,
// which holds the verdicts.
TEST_F(HtmlReport, PrintsToAPdfWhoseFirstPageRenders) {
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/pdftoppm")) << "scripts/install-deps.sh installs poppler-utils";
  TempDir work;
  audit_html("fixtures/demo", work.file("report.html"));
  ASSERT_EQ(testing::run_command(chromium(work) + "--no-pdf-header-footer --print-to-pdf='" + work.file("report.pdf") +
                                 "' 'file://" + work.file("report.html") + "' >/dev/null 2>&1")
                .exit_status,
            0);
  ASSERT_EQ(testing::run_command("pdftoppm -png -r 40 -f 1 -l 1 '" + work.file("report.pdf") + "' '" + work.file("page") +
                                 "' 2>&1")
                .exit_status,
            0);
  ASSERT_TRUE(std::filesystem::exists(work.file("page-1.png")) || std::filesystem::exists(work.file("page-01.png")));
  const std::string first_page = testing::run_command("pdftotext -f 1 -l 1 '" + work.file("report.pdf") + "' -").output;
  EXPECT_NE(first_page.find("3 checks non-compliant: 2 CRITICAL, 1 LOW"), std::string::npos) << first_page;
  EXPECT_EQ(first_page.find("findings shown"), std::string::npos) << "the filters are not printed";
}

#ifdef FLEETAUDIT_FLEETGEN
// "12,345" -> 12345.
size_t number(std::string text) {
  std::erase(text, ',');
  return text.empty() ? 0 : std::stoul(text);
}

std::string generate_fleet(const TempDir& work, const std::string& flags) {
  EXPECT_EQ(testing::run_command(std::string("'") + FLEETAUDIT_FLEETGEN + "' " + flags + " --out '" + work.file("fleet") +
                                 "' >/dev/null 2>&1")
                .exit_status,
            0);
  return work.file("fleet");
}

size_t expected_count(const std::string& fleet, const std::string& pattern) {
  const auto found = matches(testing::read_file(fleet + "/expected-findings.json"), pattern);
  return found.empty() ? SIZE_MAX : number(found[0][0]);
}

// An aged fleet fails a lot, and four keys are each in 3,000 certificates: the page shows at most
// 100 findings a check and 8 related resources a finding, says how many more and where they are,
// and stays small; its pictures count what fleetgen planted.
TEST_F(HtmlReport, LargeAuditStaysABoundedPage) {
  TempDir work;
  const std::string fleet = generate_fleet(work, "--things 20000 --seed 9 --profile aged --shared-keys 4:3000");
  audit_html(fleet, work.file("report.html"));
  const uintmax_t bytes = std::filesystem::file_size(work.file("report.html"));
  EXPECT_LT(bytes, 1u << 20) << "bytes: " << bytes;
  const std::string dom = rendered_dom(work, work.file("report.html"));
  expect_triage_order(dom);
  EXPECT_NE(dom.find("more findings of this check, not shown here: the JSON report"), std::string::npos);
  const size_t rows = count(dom, "<tr class=\"finding\"");
  EXPECT_LE(rows, 21u * 100u);
  EXPECT_GT(rows, 300u);
  // The four shared keys, each with 2,999 related certificates of which 8 are shown.
  const auto related_more = matches(dom, "… and ([0-9,]+) more related resources: <code>--format json</code>");
  ASSERT_EQ(related_more.size(), 4u);
  for (const auto& more : related_more) EXPECT_GT(number(more[0]), 2000u);
  EXPECT_EQ(count(dom, "<li><span class=\"key\">DEVICE_CERTIFICATE</span>"), 4u * 8u) << "8 related certificates a key";
  // Registration and expiry instants as days with their distance from the audit clock.
  const auto days = matches(dom, "<span class=\"key\">CREATION_TIME</span> <time title=\"([0-9]+)\">"
                                 "([0-9]{4}-[0-9]{2}-[0-9]{2}) \\(([0-9,]+) days ago\\)</time>");
  ASSERT_GT(days.size(), 50u);
  const long long audit_day = 1780272000000LL / 86400000;  // fleetgen's clock: 2026-06-01T00:00:00Z
  for (const auto& day : days) EXPECT_EQ(std::stoll(day[0]) / 86400000, audit_day - static_cast<long long>(number(day[2])));
  // The first findings are CRITICAL, not the thousands of LOW age findings.
  EXPECT_NE(dom.find("<tr class=\"finding\" id=\"f0\" data-severity=\"CRITICAL\""), std::string::npos);

  // Certificates past the age threshold and already expired: the counts fleetgen planted.
  size_t past_age = 0;
  for (const auto& bar : matches(svg_of(dom, "age-chart"), "<rect class=\"bar past\" data-count=\"([0-9]+)\""))
    past_age += number(bar[0]);
  EXPECT_EQ(past_age, expected_count(fleet, "\"DEVICE_CERTIFICATE_AGE_CHECK\": ([0-9]+)"));
  const auto expired = matches(svg_of(dom, "expiry-chart"), "<rect class=\"bar past\" data-count=\"([0-9]+)\"");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(number(expired[0][0]), expected_count(fleet, "\"past\": ([0-9]+)"));
  // Findings per check: each bar says what the check's section says.
  const auto bars = matches(svg_of(dom, "check-chart"), "data-check=\"([A-Z_0-9]+)\" data-count=\"([0-9]+)\"");
  EXPECT_GE(bars.size(), 4u);
  for (const auto& bar : bars) {
    const auto heading = matches(dom, "<h3 id=\"h-" + bar[0] + "\">" + bar[0] + " <span class=\"sev-[A-Z]+\">[A-Z]+</span> — ([0-9,]+) finding");
    ASSERT_EQ(heading.size(), 1u) << bar[0];
    EXPECT_EQ(number(heading[0][0]), number(bar[1])) << bar[0];
  }

  // Against a baseline taken 400 days later, thousands of age findings are "fixed": the table
  // shows 100 and counts the rest.
  ASSERT_EQ(testing::run_fleetaudit("audit '" + fleet + "' --now 2027-07-06T00:00:00Z --format json --output '" +
                                    work.file("later.json") + "'")
                .exit_status,
            1);
  audit_html(fleet, work.file("drift.html"), "--baseline '" + work.file("later.json") + "'");
  const std::string drift = rendered_dom(work, work.file("drift.html"));
  const auto fixed = matches(drift, "[0-9]+ new, [0-9]+ updated, [0-9]+ unchanged, ([0-9]+) fixed\\.");
  ASSERT_EQ(fixed.size(), 1u) << drift.substr(0, 3000);
  ASSERT_GT(number(fixed[0][0]), 100u);
  EXPECT_EQ(count(drift, "<tr class=\"fixed\">"), 100u);
  const auto more_fixed = matches(drift, "… and ([0-9,]+) more fixed findings, not shown here");
  ASSERT_EQ(more_fixed.size(), 1u);
  EXPECT_EQ(number(more_fixed[0][0]) + 100, number(fixed[0][0]));
  EXPECT_NE(svg_of(drift, "drift-chart").find("<rect class=\"bar fixed\" data-count=\"" + fixed[0][0] + "\""), std::string::npos);
}

// A related resource with findings of its own links to them: every link lands on a row about
// that resource.
TEST_F(HtmlReport, RelatedResourcesLinkToTheirOwnFindings) {
  TempDir work;
  const std::string fleet = generate_fleet(work, "--things 300 --seed 2 --profile aged --shared-keys 2:40");
  audit_html(fleet, work.file("report.html"));
  const std::string dom = rendered_dom(work, work.file("report.html"));
  const auto links = matches(dom, "<code class=\"id\" title=\"([0-9a-f]+)\">[^<]*</code><button[^>]*>Copy</button>"
                                  "(?: <span class=\"things\">(?:[^<]|<b>[^<]*</b>)*</span>)? <a href=\"#(f[0-9]+)\">"
                                  "its findings</a>");
  ASSERT_GT(links.size(), 2u) << "the shared-key findings' related certificates that have findings of their own";
  for (const auto& link : links) {
    const size_t row = dom.find("<tr class=\"finding\" id=\"" + link[1] + "\"");
    ASSERT_NE(row, std::string::npos) << link[1];
    const std::string row_text = dom.substr(row, dom.find("</tr>", row) - row);
    EXPECT_NE(row_text.find("title=\"" + link[0] + "\""), std::string::npos) << link[1] << " is not about " << link[0];
  }
}

// The size and render-time bounds at scale (label "scale"; run with FLEETAUDIT_HTML_SCALE=1):
// 100,000 aged things with eight keys in 5,000 certificates each.
TEST_F(HtmlReport, ScaleHundredThousandThingsRenderInSeconds) {
  if (std::getenv("FLEETAUDIT_HTML_SCALE") == nullptr) GTEST_SKIP() << "ctest -L scale runs it (FLEETAUDIT_HTML_SCALE=1)";
  TempDir work;
  const std::string fleet = generate_fleet(work, "--things 100000 --seed 7 --profile aged --shared-keys 8:5000");
  audit_html(fleet, work.file("report.html"));
  const uintmax_t bytes = std::filesystem::file_size(work.file("report.html"));
  EXPECT_LT(bytes, 5u << 20) << "bytes: " << bytes;
  rendered_dom(work, work.file("report.html"));  // the first start fills Chromium's caches: time the second
  const auto started = std::chrono::steady_clock::now();
  const std::string dom = rendered_dom(work, work.file("report.html"));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("html scale: %ju bytes, loaded and rendered by headless Chromium in %.2f s\n", bytes, seconds);
  EXPECT_LT(seconds, 5.0);
  EXPECT_NE(dom.find("data-check=\"FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK\" data-count=\"8\""), std::string::npos);
}
#endif

}  // namespace
}  // namespace fleetaudit
