// CONFLICTING_CLIENT_IDS_CHECK: one MQTT client id used by several principals, or connections knocked
// off with DUPLICATE_CLIENTID, in the audit window (iot-logs/).
#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "analyzer/engine/check.h"
#include "analyzer/engine/resource_names.h"
#include "analyzer/logs/connection_sessions.h"

namespace fleetaudit {
namespace {

constexpr size_t kNamesInMessage = 10;
constexpr size_t kTimesListed = 20;

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const ConnectionEventTable& events = snapshot.connection_events;
  const int64_t days = context.parameter("AUDIT_WINDOW_IN_DAYS");
  const LogWindow window = LogWindow::before(context.now, days);
  std::vector<uint32_t> order;
  for (uint32_t e = 0; e < events.size(); ++e)
    if (window.contains(events.time[e])) order.push_back(e);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(events.client_id[a], events.principal[a], events.time[a]) <
           std::tie(events.client_id[b], events.principal[b], events.time[b]);
  });
  CheckResult result;
  std::vector<StringId> principals;
  std::vector<EpochMillis> knocked_off;
  for (size_t begin = 0; begin < order.size();) {
    const StringId client = events.client_id[order[begin]];
    size_t end = begin;
    principals.clear();
    knocked_off.clear();
    for (; end < order.size() && events.client_id[order[end]] == client; ++end) {
      const uint32_t e = order[end];
      const bool connected = events.kind[e] == ConnectionEventTable::Kind::connect && events.succeeded[e];
      if (connected && events.principal[e] != kNoString &&
          (principals.empty() || principals.back() != events.principal[e]))
        principals.push_back(events.principal[e]);  // sorted by principal: distinct by neighbour
      if (events.kind[e] == ConnectionEventTable::Kind::disconnect && events.duplicate_client_id[e])
        knocked_off.push_back(events.time[e]);
    }
    begin = end;
    ++result.resources_evaluated;
    if (principals.size() < 2 && knocked_off.empty()) continue;

    const std::string_view client_id = snapshot.text(client);
    std::vector<std::string_view> names;
    for (StringId principal : principals) names.push_back(snapshot.text(principal));
    std::sort(knocked_off.begin(), knocked_off.end(), std::greater<>());
    Finding finding;
    finding.resource_type = ResourceType::client_id;
    finding.resource = {ResourceIdentifier::Kind::client_id, std::string(client_id), {}};
    finding.reason_code = "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS";
    std::string what;
    if (principals.size() >= 2)
      what = fmt::format("connected from {} principals ({})", principals.size(), join_names(names, kNamesInMessage));
    if (!knocked_off.empty())
      what += fmt::format("{}had {} connection{} closed with DUPLICATE_CLIENTID", what.empty() ? "" : " and ",
                          knocked_off.size(), knocked_off.size() == 1 ? "" : "s");
    finding.message = fmt::format("Client id {} {} in the {} days before the audit.", client_id, what, days);
    finding.additional_info.emplace_back("PRINCIPAL_IDS", join_names(names, SIZE_MAX));
    if (!knocked_off.empty()) {
      std::vector<std::string> times;
      for (size_t i = 0; i < knocked_off.size() && i < kTimesListed; ++i) times.push_back(epoch_millis_text(knocked_off[i]));
      finding.additional_info.emplace_back("DUPLICATE_CLIENTID_DISCONNECTIONS", std::to_string(knocked_off.size()));
      finding.additional_info.emplace_back("DISCONNECTION_TIMES", fmt::format("{}", fmt::join(times, ",")));
    }
    for (std::string_view principal : names)
      if (is_certificate_id(principal))
        finding.related.push_back({ResourceType::device_certificate,
                                   {ResourceIdentifier::Kind::device_certificate_id, std::string(principal), {}},
                                   {}});
    finding.logical_name = std::string(client_id);
    result.findings.push_back(std::move(finding));
  }
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "CONFLICTING_CLIENT_IDS_CHECK",
    .aliases = {},
    .severity = Severity::high,
    .resource_type = ResourceType::client_id,
    .reason_codes = {"DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS"},
    .short_description = "Several devices connect with one MQTT client id and knock each other off.",
    .full_description =
        "AWS IoT allows one live MQTT session per client id: a second connection with the same id closes the "
        "first. Several principals connecting with one client id, or connections closed with the disconnect "
        "reason DUPLICATE_CLIENTID, mean devices are cloned, misconfigured, or an attacker is using a device's "
        "identity.",
    .help =
        "Read from the Connect and Disconnect entries of the AWS IoT v2 logs in iot-logs/ whose timestamp lies "
        "within the AUDIT_WINDOW_IN_DAYS (default 31) days before the audit clock. A client id is reported when "
        "successful Connect entries name two or more principalId values, or when any Disconnect entry has "
        "disconnectReason DUPLICATE_CLIENTID. The finding lists the principals (certificates as related "
        "DEVICE_CERTIFICATE resources) and the newest disconnection times (epoch milliseconds).\n\n"
        "Fix: give every device a unique client id (its thing name), and restrict iot:Connect to "
        "`client/${iot:Connection.Thing.ThingName}` with the condition `iot:Connection.Thing.IsAttached` = true "
        "so a certificate can only connect as its own thing.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-conflicting-client-ids.html",
    .parameters = {{"AUDIT_WINDOW_IN_DAYS", 31, 1, 3650, "days before the audit clock whose connection logs are read"}},
    .required_inputs = {{SnapshotFile::iot_logs}},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS"},
    .security_hub_type = "Unusual Behaviors",
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
