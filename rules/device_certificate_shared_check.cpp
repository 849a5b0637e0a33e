// DEVICE_CERTIFICATE_SHARED_CHECK: one device certificate attached to several things.
#include <fmt/format.h>

#include <algorithm>

#include "analyzer/engine/check.h"
#include "analyzer/engine/resource_names.h"

namespace fleetaudit {
namespace {

// Names listed in a message before "and N more": enough to act on, short enough to read.
constexpr size_t kNamesInMessage = 10;

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& certificates = snapshot.certificates;
  const Adjacency& things = snapshot.things_by_certificate;
  CheckResult result;
  result.resources_evaluated = certificates.size();
  for (uint32_t row = 0; row < certificates.size(); ++row) {
    if (things.offsets[row + 1] - things.offsets[row] < 2 || !is_in_use(certificates.status[row])) continue;
    std::vector<std::string_view> names;
    for (StringId thing : things.of(row)) names.push_back(snapshot.text(thing));
    std::sort(names.begin(), names.end());
    std::string_view id = snapshot.text(certificates.certificate_id[row]);
    Finding finding;
    finding.resource_type = ResourceType::device_certificate;
    finding.resource = {ResourceIdentifier::Kind::device_certificate_id, std::string(id), {}};
    finding.reason_code = "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES";
    finding.message = fmt::format("Certificate {} ({}) is attached to {} things: {}.", id,
                                  to_string(certificates.status[row]), names.size(),
                                  join_names(names, kNamesInMessage));
    finding.additional_info = {{"THING_COUNT", std::to_string(names.size())},
                               {"THING_NAMES", join_names(names, SIZE_MAX)}};
    finding.location = {SnapshotFile::certificates, certificates.source[row]};
    finding.logical_name = certificate_arn(snapshot, id);
    result.findings.push_back(std::move(finding));
  }
  return result;
}

const RegisterCheck registration({
    .name = "DEVICE_CERTIFICATE_SHARED_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"},
    .short_description = "A device certificate in use is attached to more than one thing.",
    .full_description =
        "A certificate in status ACTIVE or PENDING_TRANSFER is attached to two or more things. Every device "
        "holding that certificate's private key can act as any of those things, so one compromised device "
        "compromises them all, and the fleet cannot tell the devices apart in its logs.",
    .help =
        "AWS IoT Device Defender's own check watches live connections: it fires when several devices connect "
        "with one certificate at the same time. fleetaudit sees the account's configuration, so it reports the "
        "attachments that make such sharing possible.\n\n"
        "Fix: issue every device its own certificate (for example with fleet provisioning), attach each new "
        "certificate to its one thing, then detach the shared certificate "
        "(`aws iot detach-thing-principal --thing-name THING --principal CERT_ARN`) and deactivate or revoke it "
        "(`aws iot update-certificate --certificate-id ID --new-status REVOKED`).",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-device-cert-shared.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates}, {SnapshotFile::thing_principals}},
    .run = run,
});

}  // namespace
}  // namespace fleetaudit
