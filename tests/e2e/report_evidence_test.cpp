// The HTML, ASFF and OCSF reports carry each finding's typed evidence (statement number, Sid,
// resource pattern, witness; the role a pool hands out) in the shape each format has for it, made
// from the structs: rewording every message (set_wording_rewrite_for_tests) leaves it unchanged.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/report/html/evidence_list.h"
#include "analyzer/report/html/html_text.h"
#include "analyzer/report/reporters.h"
#include "tests/report_support.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

constexpr EpochMillis kClock = 1767225600000;  // 2026-01-01T00:00:00Z

// A rewrite of every message and additional-info value, and one that also piles hostile evidence
// onto each finding that has some (more than ASFF's 50 pairs and the page's list can hold).
void reword(Finding& finding) {
  finding.message = "Reworded: " + finding.message + " (99)";
  for (auto& [key, value] : finding.additional_info) value = "other words 7";
}

constexpr size_t kPiled = 20;
void pile_evidence(Finding& finding) {
  if (finding.evidence.empty()) return;
  std::vector<StatementEvidence> piled;
  for (uint32_t i = 0; i < kPiled; ++i) {
    StatementEvidence extra;
    extra.number = 100 + i;
    extra.sid = "<script>document.title='PWNED'</script>";
    extra.resource = "arn:aws:iot:eu-west-1:123456789012:topic/<b>";
    extra.action = "iot:Publish";
    extra.witness = "arn:aws:iot:eu-west-1:123456789012:topic/\"x\"";
    piled.push_back(extra);
  }
  // In front, where the page's bounded list shows them.
  finding.evidence.statements.insert(finding.evidence.statements.begin(), piled.begin(), piled.end());
}

struct Rewriting {
  explicit Rewriting(WordingRewrite rewrite) { set_wording_rewrite_for_tests(rewrite); }
  ~Rewriting() { set_wording_rewrite_for_tests(nullptr); }
};

AuditReport audit(const Snapshot& snapshot, WordingRewrite rewrite = nullptr) {
  Rewriting rewriting(rewrite);
  AuditOptions options;
  options.now = kClock;
  return run_audit(snapshot, options, Diagnostics());
}

// A copy of a fixture whose policy statements all have a Sid (the fixtures' have few), some with
// characters a page must escape: "S1", "S2&<3>", ...
std::string with_sids(const std::string& directory, testing::TempDir& work) {
  static size_t copies = 0;
  const std::string copy = work.file(std::to_string(++copies));
  std::filesystem::copy(directory, copy, std::filesystem::copy_options::recursive);
  // IoT policy documents are JSON strings inside policies.json, so their quotes are escaped.
  const std::string file = copy + "/policies.json";
  if (std::filesystem::exists(file)) {
    std::string text = testing::read_file(file);
    const std::string effect = "\\\"Effect\\\":";
    size_t n = 0;
    for (size_t at = text.find(effect); at != std::string::npos; at = text.find(effect, at + 1)) {
      ++n;
      const std::string sid = "\\\"Sid\\\": \\\"S" + std::to_string(n) + (n % 2 == 0 ? "&<x>" : "") + "\\\", ";
      text.insert(at, sid);
      at += sid.size();
    }
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  }
  return copy;
}

using Fields = std::map<std::string, std::string>;

// ASFF: each AuditFinding's "fleetaudit/Evidence…" ProductFields, by its FindingId.
std::map<std::string, Fields> asff_evidence(const std::string& asff) {
  std::map<std::string, Fields> out;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(asff);
  for (simdjson::dom::element record : parser.parse(padded)["Findings"].get_array()) {
    simdjson::dom::object fields = record["ProductFields"].get_object();
    if (std::string_view(fields["ReportType"].get_string().value()) != "AuditFinding") continue;
    EXPECT_LE(fields.size(), 50u) << "ASFF allows 50 ProductFields";
    Fields& evidence = out[std::string(fields["FindingId"].get_string().value())];
    for (auto [key, value] : fields)
      if (key.starts_with("fleetaudit/Evidence")) evidence[std::string(key)] = std::string(value.get_string().value());
  }
  return out;
}

// OCSF: each finding event's unmapped evidence, as JSON text, by its finding_info.uid.
std::map<std::string, std::string> ocsf_evidence(const std::string& ocsf) {
  std::map<std::string, std::string> out;
  simdjson::dom::parser parser;
  size_t begin = 0;
  for (size_t end = ocsf.find('\n'); end != std::string::npos; begin = end + 1, end = ocsf.find('\n', begin)) {
    simdjson::dom::element event = parser.parse(ocsf.substr(begin, end - begin));
    simdjson::dom::element evidence;
    if (event["unmapped"]["evidence"].get(evidence) != simdjson::SUCCESS) continue;
    out[std::string(event["finding_info"]["uid"].get_string().value())] = simdjson::to_string(evidence);
  }
  return out;
}

// HTML: the evidence lists, in page order.
std::vector<std::string> html_evidence(const std::string& page) {
  std::vector<std::string> out;
  const std::string open = "<ul class=\"evidence\">";
  for (size_t at = page.find(open); at != std::string::npos; at = page.find(open, at + 1))
    out.push_back(page.substr(at, page.find("</ul>", at) + 5 - at));
  return out;
}

// What a statement's entry in each format must hold, from the struct.
void expect_statement_in_asff(const Fields& fields, size_t item, const StatementEvidence& statement) {
  const std::string prefix = "fleetaudit/Evidence/" + std::to_string(item) + "/";
  auto at = [&](const char* name) {
    const auto found = fields.find(prefix + name);
    return found == fields.end() ? std::string("(absent)") : found->second;
  };
  EXPECT_EQ(at("Kind"), to_string(statement.kind));
  EXPECT_EQ(at("Statement"), std::to_string(statement.number));
  if (!statement.sid.empty()) {
    EXPECT_EQ(at("Sid"), statement.sid);
  }
  if (!statement.resource.empty()) {
    EXPECT_EQ(at("Resource"), statement.resource);
  }
  if (!statement.witness.empty()) {
    EXPECT_EQ(at("Witness"), statement.witness);
  }
}

void expect_statement_in_ocsf(simdjson::dom::element entry, const StatementEvidence& statement) {
  EXPECT_EQ(entry["kind"].get_string().value(), to_string(statement.kind));
  EXPECT_EQ(entry["number"].get_int64().value(), statement.number);
  std::string_view text;
  if (!statement.sid.empty()) {
    EXPECT_TRUE(entry["sid"].get(text) == simdjson::SUCCESS && text == statement.sid);
  }
  if (!statement.resource.empty()) {
    EXPECT_TRUE(entry["resource"].get(text) == simdjson::SUCCESS && text == statement.resource);
  }
  if (!statement.witness.empty()) {
    EXPECT_TRUE(entry["witness"].get(text) == simdjson::SUCCESS && text == statement.witness);
  }
}

void expect_statement_in_html(const std::string& list, const StatementEvidence& statement) {
  EXPECT_NE(list.find("statement <b>" + std::to_string(statement.number) + "</b>"), std::string::npos) << list;
  for (const std::string* value : {&statement.sid, &statement.resource, &statement.witness})
    if (!value->empty()) {
      EXPECT_NE(list.find(html::escape(*value)), std::string::npos) << *value << " in " << list;
    }
}

struct Counts {
  size_t findings = 0, statements = 0, with_sid = 0, roles = 0;
};

void check_fixture(const std::string& directory, Counts& counts) {
  const size_t findings_before = counts.findings;
  SCOPED_TRACE(directory);
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(directory, *snapshot, diagnostics));
  const AuditReport plain = audit(*snapshot);
  const AuditReport other = audit(*snapshot, &reword);
  const std::string asff = testing::written(write_asff, plain, snapshot.get()),
                    ocsf = testing::written(write_ocsf, plain, snapshot.get());
  const std::string html = testing::written(write_html, plain, snapshot.get());
  const auto asff_fields = asff_evidence(asff);
  const auto ocsf_entries = ocsf_evidence(ocsf);
  const std::vector<std::string> lists = html_evidence(html);
  size_t list = 0;
  simdjson::dom::parser parser;
  for (const CheckRun& run : plain.runs)
    for (const Finding& finding : run.findings) {
      if (finding.evidence.empty()) continue;
      ++counts.findings;
      const std::string id = finding_id(*run.check, finding);
      ASSERT_TRUE(asff_fields.count(id) && ocsf_entries.count(id)) << id;
      ASSERT_LT(list, lists.size());
      simdjson::dom::element ocsf_evidence = parser.parse(ocsf_entries.at(id));
      for (size_t s = 0; s < finding.evidence.statements.size(); ++s) {
        const StatementEvidence& statement = finding.evidence.statements[s];
        ++counts.statements;
        counts.with_sid += !statement.sid.empty();
        expect_statement_in_ocsf(ocsf_evidence["statements"].at(s), statement);
        if (s < html::kEvidenceShownPerFinding) expect_statement_in_html(lists[list], statement);
        if (asff_fields.at(id).count("fleetaudit/Evidence/" + std::to_string(s + 1) + "/Kind")) {
          expect_statement_in_asff(asff_fields.at(id), s + 1, statement);
        } else {
          EXPECT_TRUE(asff_fields.at(id).count("fleetaudit/EvidenceNotListed")) << id;
        }
      }
      for (size_t r = 0; r < finding.evidence.roles.size(); ++r) {
        const RoleEvidence& role = finding.evidence.roles[r];
        ++counts.roles;
        EXPECT_EQ(ocsf_evidence["roles"].at(r)["roleArn"].get_string().value(), role.role_arn);
        const std::string item = std::to_string(finding.evidence.statements.size() + r + 1);
        EXPECT_EQ(asff_fields.at(id).at("fleetaudit/Evidence/" + item + "/RoleArn"), role.role_arn);
        EXPECT_NE(lists[list].find(html::escape(role.role_arn)), std::string::npos);
      }
      ++list;
    }
  EXPECT_EQ(list, lists.size()) << "one evidence list per finding that has evidence";
  // The other words change the messages and nothing of the evidence, in any of the three.
  if (counts.findings > findings_before) {
    EXPECT_NE(testing::written(write_ocsf, other, snapshot.get()), ocsf);
  }
  EXPECT_EQ(asff_evidence(testing::written(write_asff, other, snapshot.get())), asff_fields);
  EXPECT_EQ(ocsf_evidence(testing::written(write_ocsf, other, snapshot.get())), ocsf_entries);
  EXPECT_EQ(html_evidence(testing::written(write_html, other, snapshot.get())), lists);
}

TEST(ReportEvidence, HtmlAsffAndOcsfCarryTheStructsAndIgnoreTheWords) {
  Counts counts;
  testing::TempDir work;
  for (const std::string& directory : testing::evidence_fixtures()) {
    check_fixture(directory, counts);
    check_fixture(with_sids(directory, work), counts);
  }
  // The fixtures exercise statements with and without Sids, and pools' roles.
  EXPECT_GE(counts.findings, 20u);
  EXPECT_GE(counts.statements, 30u);
  EXPECT_GE(counts.with_sid, 5u);
  EXPECT_GE(counts.roles, 3u);
}

TEST(ReportEvidence, MuchHostileEvidenceStaysBoundedAndInert) {
  const std::string directory = testing::source_dir() + "/fixtures/demo";
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(directory, *snapshot, diagnostics));
  const AuditReport piled = audit(*snapshot, &pile_evidence);
  size_t findings = 0;
  for (const auto& [id, fields] : asff_evidence(testing::written(write_asff, piled, snapshot.get()))) {
    if (fields.empty()) continue;
    ++findings;
    const auto not_listed = fields.find("fleetaudit/EvidenceNotListed");
    ASSERT_NE(not_listed, fields.end()) << id;
    EXPECT_GE(std::stoul(not_listed->second), kPiled / 2) << id;
  }
  EXPECT_GE(findings, 3u);
  const std::vector<std::string> lists = html_evidence(testing::written(write_html, piled, snapshot.get()));
  ASSERT_EQ(lists.size(), findings);
  for (const std::string& list : lists) {
    EXPECT_EQ(list.find("<script>"), std::string::npos) << list;
    EXPECT_EQ(list.find("/<b>"), std::string::npos) << list;
    EXPECT_NE(list.find("&lt;script&gt;document.title=&#39;PWNED&#39;"), std::string::npos) << list;
    EXPECT_NE(list.find("… and "), std::string::npos) << "the list is bounded and says so";
  }
  EXPECT_TRUE(html::evidence_list(Evidence{}).empty()) << "no evidence, no list: the row stays as it was";
}

}  // namespace
}  // namespace fleetaudit
