// Findings held as rows (engine/findings.h) write exactly what the same findings held whole write,
// in every format, suppressed or not, and still after the rows are held and the snapshot freed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "analyzer/cli/commands.h"
#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/report/reporters.h"
#include "tests/report_support.h"
#include "tests/test_support.h"

#ifdef FLEETAUDIT_FLEETGEN
namespace fleetaudit {
namespace {

std::string generate(const testing::TempDir& work, const std::string& name, const std::string& flags) {
  const std::string out = work.file(name);
  EXPECT_EQ(testing::run_command(std::string("'") + FLEETAUDIT_FLEETGEN + "' " + flags + " --out '" + out +
                                 "' >/dev/null 2>&1")
                .exit_status,
            0);
  return out;
}

std::unique_ptr<Snapshot> load(const std::string& directory) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  EXPECT_FALSE(load_snapshot(directory, *snapshot, diagnostics));
  return snapshot;
}

AuditReport audit(const Snapshot& snapshot, bool rows, std::vector<AuditSuppression> suppressions = {}) {
  AuditOptions options;
  options.findings_may_refer_to_snapshot = rows;
  options.suppressions = std::move(suppressions);
  return run_audit(snapshot, options, Diagnostics{});
}

const CheckRun& run_of(const AuditReport& report, std::string_view check) {
  for (const CheckRun& run : report.runs)
    if (run.check->name == check) return run;
  ADD_FAILURE() << check;
  return report.runs.front();
}

// Every format, rows against whole findings, byte for byte.
void expect_same_reports(const AuditReport& rows, const AuditReport& whole, const Snapshot& snapshot) {
  for (const AuditReportFormat& format : audit_report_formats())
    EXPECT_EQ(testing::written(format.write, rows, &snapshot), testing::written(format.write, whole, &snapshot))
        << format.name;
}

TEST(CompactFindings, RowsWriteWhatWholeFindingsWriteInEveryFormat) {
  testing::TempDir work;
  // Aged: hundreds of age and expiry findings, and cloned keys (4 keys in 3 certificates each).
  for (const char* profile : {"aged", "key-reuse"}) {
    const std::string fleet = generate(work, profile,
                                       std::string("--things 3000 --seed 3 --profile ") + profile +
                                           (profile == std::string("aged") ? " --shared-keys 4:3" : ""));
    const std::unique_ptr<Snapshot> snapshot = load(fleet);
    const AuditReport rows = audit(*snapshot, true), whole = audit(*snapshot, false);
    // The rows path is the one under test: the certificate checks that fail many hold rows.
    EXPECT_NE(run_of(rows, "DEVICE_CERTIFICATE_AGE_CHECK").findings.rows(), nullptr) << profile;
    EXPECT_NE(run_of(rows, "FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK").findings.rows(), nullptr) << profile;
    EXPECT_EQ(run_of(whole, "DEVICE_CERTIFICATE_AGE_CHECK").findings.rows(), nullptr) << profile;
    EXPECT_GT(run_of(rows, "FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK").findings.size(), 0u) << profile;
    EXPECT_EQ(rows.unsuppressed_findings(), whole.unsuppressed_findings());
    for (size_t i = 0; i < rows.runs.size(); ++i)
      EXPECT_EQ(rows.runs[i].non_compliant_resources(), whole.runs[i].non_compliant_resources());
    expect_same_reports(rows, whole, *snapshot);
  }
}

TEST(CompactFindings, ASuppressedRowCarriesItsSuppression) {
  testing::TempDir work;
  const std::unique_ptr<Snapshot> snapshot = load(generate(work, "aged", "--things 2000 --seed 4 --profile aged"));
  const AuditReport plain = audit(*snapshot, false);
  const Finding aged = run_of(plain, "DEVICE_CERTIFICATE_AGE_CHECK").findings[5];
  AuditSuppression suppression;
  suppression.check_name = "DEVICE_CERTIFICATE_AGE_CHECK";
  suppression.identifier_member = "deviceCertificateId";
  suppression.identifier_value = aged.resource.value;
  suppression.indefinitely = true;
  suppression.description = "rotated in the next maintenance window <ticket 42>";
  const AuditReport rows = audit(*snapshot, true, {suppression}), whole = audit(*snapshot, false, {suppression});
  const CheckRun& run = run_of(rows, "DEVICE_CERTIFICATE_AGE_CHECK");
  ASSERT_NE(run.findings.rows(), nullptr);
  EXPECT_EQ(run.suppressed_findings, 1u);
  EXPECT_TRUE(run.findings.suppressed(5));
  EXPECT_FALSE(run.findings.suppressed(4));
  EXPECT_EQ(run.findings[5].suppression_description, suppression.description);
  EXPECT_EQ(run.findings[5].resource.value, aged.resource.value);
  EXPECT_EQ(rows.unsuppressed_findings() + 1, plain.unsuppressed_findings());
  expect_same_reports(rows, whole, *snapshot);
}

TEST(CompactFindings, HeldRowsOutliveTheirSnapshot) {
  testing::TempDir work;
  const std::string fleet = generate(work, "aged", "--things 2000 --seed 5 --profile aged");
  std::unique_ptr<Snapshot> snapshot = load(fleet);
  AuditReport rows = audit(*snapshot, true);
  const std::unique_ptr<Snapshot> again = load(fleet);  // for the HTML report's fleet drawing only
  const AuditReport whole = audit(*again, false);
  for (CheckRun& run : rows.runs) run.findings.hold();
  snapshot.reset();  // under ASan, a row still read after this fails the test
  for (const CheckRun& run : rows.runs) EXPECT_EQ(run.findings.rows(), nullptr);
  expect_same_reports(rows, whole, *again);
}

}  // namespace
}  // namespace fleetaudit
#endif
