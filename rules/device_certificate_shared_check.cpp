// DEVICE_CERTIFICATE_SHARED_CHECK: one device certificate attached to several things (configuration),
// or used by overlapping connections with different client ids (iot-logs/). One finding per certificate.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "analyzer/engine/check.h"
#include "analyzer/engine/resource_names.h"
#include "analyzer/logs/connection_sessions.h"

namespace fleetaudit {
namespace {

// Names listed in a message before "and N more": enough to act on, short enough to read.
constexpr size_t kNamesInMessage = 10;
// Related CLIENT_ID resources listed per finding (newest first); the count says how many in all.
constexpr size_t kSessionsListed = 50;

Finding& finding_for(CheckResult& result, std::unordered_map<std::string, size_t>& by_id, const Snapshot& snapshot,
                     std::string_view id) {
  auto [it, added] = by_id.emplace(std::string(id), result.findings.size());
  if (added) {
    Finding finding;
    finding.resource_type = ResourceType::device_certificate;
    finding.resource = {ResourceIdentifier::Kind::device_certificate_id, std::string(id), {}};
    finding.reason_code = "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES";
    finding.logical_name = certificate_arn(snapshot, id);
    result.findings.push_back(std::move(finding));
  }
  return result.findings.whole()[it->second];
}

// The runtime half: sessions of one certificate that overlap while using different client ids.
void add_log_findings(const CheckContext& context, CheckResult& result, std::unordered_map<std::string, size_t>& by_id) {
  const Snapshot& snapshot = context.snapshot;
  const LogWindow window = LogWindow::before(context.now, context.parameter("AUDIT_WINDOW_IN_DAYS"));
  const std::vector<ConnectionSession> sessions = connection_sessions(snapshot.connection_events, window);
  std::vector<uint8_t> overlapping(sessions.size(), 0);
  size_t certificates = 0;
  for (size_t begin = 0; begin < sessions.size();) {
    size_t end = begin;
    while (end < sessions.size() && sessions[end].principal == sessions[begin].principal) ++end;
    const std::string_view principal = snapshot.text(sessions[begin].principal);
    if (is_certificate_id(principal)) {
      ++certificates;
      // Sweep by start; the session reaching furthest so far is the one a later start overlaps.
      size_t furthest = begin;
      bool shared = false;
      for (size_t i = begin + 1; i < end; ++i) {
        if (sessions[i].start < sessions[furthest].end && sessions[i].client_id != sessions[furthest].client_id) {
          overlapping[i] = overlapping[furthest] = 1;
          shared = true;
        }
        if (sessions[i].end > sessions[furthest].end) furthest = i;
      }
      if (shared) {
        std::vector<size_t> listed;
        for (size_t i = begin; i < end; ++i)
          if (overlapping[i]) listed.push_back(i);
        std::sort(listed.begin(), listed.end(), [&](size_t a, size_t b) { return sessions[a].start > sessions[b].start; });
        std::vector<std::string_view> clients;
        for (size_t i : listed) clients.push_back(snapshot.text(sessions[i].client_id));
        std::sort(clients.begin(), clients.end());
        clients.erase(std::unique(clients.begin(), clients.end()), clients.end());
        Finding& finding = finding_for(result, by_id, snapshot, principal);
        std::string sentence = fmt::format("Certificate {} was used by {} overlapping connections with {} different "
                                           "client ids in the {} days before the audit: {}.",
                                           principal, listed.size(), clients.size(),
                                           context.parameter("AUDIT_WINDOW_IN_DAYS"), join_names(clients, kNamesInMessage));
        finding.message = finding.message.empty() ? sentence : finding.message + " " + sentence;
        finding.additional_info.emplace_back("OVERLAPPING_CONNECTIONS", std::to_string(listed.size()));
        for (size_t n = 0; n < listed.size() && n < kSessionsListed; ++n) {
          const ConnectionSession& session = sessions[listed[n]];
          RelatedResource related{ResourceType::client_id,
                                  {ResourceIdentifier::Kind::client_id, std::string(snapshot.text(session.client_id)), {}},
                                  {}};
          if (session.start != kBeforeTheLogs)
            related.additional_info.emplace_back("CONNECTION_TIME", epoch_millis_text(session.start));
          if (session.end != kStillConnected)
            related.additional_info.emplace_back("DISCONNECTION_TIME", epoch_millis_text(session.end));
          finding.related.push_back(std::move(related));
        }
      }
    }
    begin = end;
  }
  result.resources_evaluated += certificates;
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& certificates = snapshot.certificates;
  const Adjacency& things = snapshot.things_by_certificate;
  CheckResult result;
  std::unordered_map<std::string, size_t> by_id;
  const bool configuration = snapshot.has(SnapshotFile::certificates) && snapshot.has(SnapshotFile::thing_principals);
  if (!configuration && !snapshot.has(SnapshotFile::iot_logs)) {
    result.not_run_reason = "the snapshot has neither certificates.json with thing-principals.json nor iot-logs/";
    return result;
  }
  if (configuration) result.resources_evaluated = certificates.size();
  for (uint32_t row = 0; configuration && row < certificates.size(); ++row) {
    if (things.offsets[row + 1] - things.offsets[row] < 2 || !is_in_use(certificates.status[row])) continue;
    std::vector<std::string_view> names;
    for (StringId thing : things.of(row)) names.push_back(snapshot.text(thing));
    std::sort(names.begin(), names.end());
    std::string_view id = snapshot.text(certificates.certificate_id[row]);
    Finding& finding = finding_for(result, by_id, snapshot, id);
    finding.message = fmt::format("Certificate {} ({}) is attached to {} things: {}.", id,
                                  to_string(certificates.status[row]), names.size(),
                                  join_names(names, kNamesInMessage));
    finding.additional_info = {{"THING_COUNT", std::to_string(names.size())},
                               {"THING_NAMES", join_names(names, SIZE_MAX)}};
    finding.location = {SnapshotFile::certificates, certificates.source[row]};
  }
  if (snapshot.has(SnapshotFile::iot_logs)) add_log_findings(context, result, by_id);
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "DEVICE_CERTIFICATE_SHARED_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {"CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"},
    .short_description =
        "A device certificate in use is attached to more than one thing, or used by overlapping connections.",
    .full_description =
        "A certificate in status ACTIVE or PENDING_TRANSFER is attached to two or more things. Every device "
        "holding that certificate's private key can act as any of those things, so one compromised device "
        "compromises them all, and the fleet cannot tell the devices apart in its logs.",
    .help =
        "AWS IoT Device Defender's own check watches live connections: it fires when several devices connect "
        "with one certificate at the same time. fleetaudit reports both halves as one finding per certificate: "
        "the attachments that make sharing possible (certificates.json, thing-principals.json), and, when the "
        "snapshot has iot-logs/, connections authenticated with one certificate that overlap in time while using "
        "different client ids, within the AUDIT_WINDOW_IN_DAYS (default 31) days before the audit clock. A "
        "session runs from a successful Connect to the next Disconnect (or Connect) of the same certificate and "
        "client id; one still open at the end of the logs runs to the audit clock. The overlapping sessions are "
        "listed newest first as related CLIENT_ID resources with CONNECTION_TIME and DISCONNECTION_TIME (epoch "
        "milliseconds) in additionalInfo.\n\n"
        "Fix: issue every device its own certificate (for example with fleet provisioning), attach each new "
        "certificate to its one thing, then detach the shared certificate "
        "(`aws iot detach-thing-principal --thing-name THING --principal CERT_ARN`) and deactivate or revoke it "
        "(`aws iot update-certificate --certificate-id ID --new-status REVOKED`).",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-device-cert-shared.html",
    .parameters = {{"AUDIT_WINDOW_IN_DAYS", 31, 1, 3650, "days before the audit clock whose connection logs are read"}},
    .required_inputs = {{SnapshotFile::certificates, SnapshotFile::thing_principals, SnapshotFile::iot_logs}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "UPDATE_DEVICE_CERTIFICATE", "ADD_THINGS_TO_THING_GROUP"},
    .decidable_from_template = true,
    .security_hub_type = "Unusual Behaviors",
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
