// The HTML report in a real browser: Debian's headless Chromium loads the file (no network: the
// page's Content-Security-Policy allows only its own style and script) and the tests read the DOM
// after the script has run. Hostile names stay text; a large audit stays a bounded file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

const char* kChromium = "/usr/bin/chromium";

// The DOM Chromium has after loading `page` and running its script.
std::string rendered_dom(const TempDir& work, const std::string& page) {
  CommandResult result = testing::run_command(
      std::string("timeout 120 ") + kChromium + " --headless --no-sandbox --disable-gpu --no-first-run " +
      "--user-data-dir='" + work.file("chromium-profile") + "' --dump-dom 'file://" + page + "' 2>/dev/null");
  EXPECT_EQ(result.exit_status, 0) << "chromium failed on " << page;
  return result.output;
}

size_t count(const std::string& text, const std::string& part) {
  size_t found = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++found;
  return found;
}

int audit_html(const std::string& snapshot, const std::string& output, const std::string& extra = "") {
  return testing::run_fleetaudit("audit '" + snapshot + "' --format html --output '" + output + "' " + extra).exit_status;
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
  EXPECT_EQ(count(dom, "<tr data-check="), 21u);
  EXPECT_EQ(count(dom, "<tr class=\"finding\""), 5u);
  // The filter script ran under the page's policy: it counted the rows it shows.
  EXPECT_NE(dom.find("<span id=\"shown-count\">5</span>"), std::string::npos);
  EXPECT_NE(dom.find("<code>deviceCertificateId=c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6</code>"),
            std::string::npos);
  EXPECT_NE(dom.find("policyVersionIdentifier=LegacyFullAccess@1"), std::string::npos);
}

TEST_F(HtmlReport, HostileNamesStayText) {
  TempDir work;
  std::filesystem::copy(testing::source_dir() + "/fixtures/demo", work.file("s"), std::filesystem::copy_options::recursive);
  // A policy name that would be markup and script if pasted into the page.
  const std::string hostile = R"(<img src=x onerror=\"document.title='PWNED'\"></script><script>document.title='PWNED2'</script>)";
  std::string policies = testing::read_file(work.file("s/policies.json"));
  for (size_t at = policies.find("LegacyFullAccess"); at != std::string::npos;
       at = policies.find("LegacyFullAccess", at + hostile.size()))
    policies.replace(at, std::string("LegacyFullAccess").size(), hostile);
  work.write("s/policies.json", policies);
  audit_html(work.file("s"), work.file("report.html"));
  const std::string dom = rendered_dom(work, work.file("report.html"));
  EXPECT_EQ(dom.find("PWNED</title>"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos) << "the name became an element";
  EXPECT_NE(dom.find("&lt;img src=x onerror=\"document.title='PWNED'\"&gt;&lt;/script&gt;"), std::string::npos)
      << dom.substr(0, 3000);
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
  EXPECT_NE(dom.find("<code>policyVersionIdentifier=LegacyFullAccess@1</code>"), std::string::npos);
  EXPECT_EQ(count(dom, "<span class=\"badge\">unchanged</span>"), 4u);
}

#ifdef FLEETAUDIT_FLEETGEN
// An aged fleet fails a lot: the page shows at most 500 findings a check and says where the rest are.
TEST_F(HtmlReport, LargeAuditStaysABoundedPage) {
  TempDir work;
  ASSERT_EQ(testing::run_command(std::string("'") + FLEETAUDIT_FLEETGEN + "' --things 20000 --seed 9 --profile aged --out '" +
                                 work.file("fleet") + "' >/dev/null 2>&1")
                .exit_status,
            0);
  audit_html(work.file("fleet"), work.file("report.html"));
  const uintmax_t bytes = std::filesystem::file_size(work.file("report.html"));
  EXPECT_LT(bytes, 20u << 20) << "bytes: " << bytes;
  const std::string dom = rendered_dom(work, work.file("report.html"));
  EXPECT_NE(dom.find("more findings of this check, not shown here: the JSON report"), std::string::npos);
  EXPECT_LE(count(dom, "<tr class=\"finding\""), 21u * 500u);
  EXPECT_GT(count(dom, "<tr class=\"finding\""), 1000u);
}
#endif

}  // namespace
}  // namespace fleetaudit
