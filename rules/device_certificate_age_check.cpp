// DEVICE_CERTIFICATE_AGE_CHECK: a device certificate in use that was registered long ago.
#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

constexpr std::string_view kThreshold = "CERT_AGE_THRESHOLD_IN_DAYS";
constexpr std::string_view kReasonCodes[] = {"CERTIFICATE_PAST_AGE_THRESHOLD"};

// The words of an aged row, written when a report reads it (values: the clock, the threshold).
void word(const RowFindings& rows, const FindingRow& row, Finding& into) {
  using namespace certificate_rules;
  fill_certificate_row(rows, row, into);
  const CertificateTable& table = rows.snapshot->certificates;
  const EpochMillis created = table.creation_date[row.row];
  const EpochMillis now = rows.values[0];
  thread_local std::string date;  // no allocation per finding
  date.clear();
  append_iso8601(date, created);
  fmt::format_to(std::back_inserter(into.message),
                 "Device certificate {} ({}) was registered on {}, {} day(s) before the audit (threshold {} days).",
                 into.resource.value, to_string(table.status[row.row]), date, whole_days(now - created),
                 rows.values[1]);
  set_single_info(into.additional_info, "CREATION_TIME", created);
}

// Age counts from creationDate (when AWS IoT registered the certificate), not validity.notBefore:
// AWS speaks of how long the certificate "has been active", and registration is when it could be.
// Aged when creationDate + threshold <= now (a certificate exactly the threshold old is reported).
CheckResult run(const CheckContext& context) {
  using namespace certificate_rules;
  const CertificateTable& table = context.snapshot.certificates;
  const int64_t threshold_days = context.parameter(kThreshold);
  const EpochMillis oldest_allowed = context.now - threshold_days * kMillisPerDay;
  RowFindings rows = certificate_rows(context, Kind::device, kReasonCodes, word);
  rows.values[0] = context.now;
  rows.values[1] = threshold_days;
  CheckResult result;
  for (uint32_t row = 0; row < table.size(); ++row) {
    if (!is_in_use(table.status[row])) continue;
    ++result.resources_evaluated;
    const EpochMillis created = table.creation_date[row];
    if (created != kMissingTime && created <= oldest_allowed) rows.rows.push_back({.row = row});
  }
  result.findings.set_rows(std::move(rows));
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "DEVICE_CERTIFICATE_AGE_CHECK",
    .aliases = {},
    .severity = Severity::low,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {std::begin(kReasonCodes), std::end(kReasonCodes)},
    .short_description = "A device certificate in use is older than the age threshold.",
    .full_description =
        "A certificate in status ACTIVE or PENDING_TRANSFER registered CERT_AGE_THRESHOLD_IN_DAYS or more days "
        "before the audit clock. The longer one key is in use, the longer a leaked key stays useful; regular "
        "rotation limits that.",
    .help =
        "Age is counted from the certificate's `creationDate` (when AWS IoT registered it), not from "
        "`validity.notBefore`: AWS does not define the start of \"active\", and registration is when the "
        "certificate could first be used. A certificate exactly the threshold old is reported. Certificates "
        "without a creationDate are not judged.\n\n"
        "Fix: rotate the certificate: issue a new one for the device, attach it, let the device switch over, "
        "then deactivate the old one (`aws iot update-certificate --certificate-id ID --new-status INACTIVE`).",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/device-certificate-age-check.html",
    .parameters = {{kThreshold, 365, 30, 3652, "age in days, counted from creationDate, from which a certificate "
                                               "is reported"}},
    .required_inputs = {{SnapshotFile::certificates}},
    .run = run,
    // Missing from AWS's table: the device-certificate actions of the other device-certificate
    // checks (an inference, documented in the README).
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_DEVICE_CERTIFICATE", "ADD_THINGS_TO_THING_GROUP"},
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
