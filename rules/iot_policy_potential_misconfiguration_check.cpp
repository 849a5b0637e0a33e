// IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: Deny statements that do not deny what they seem to,
// because policies match MQTT '+' and '#' literally and a wider filter still receives the subtree.
#include <fmt/format.h>

#include <optional>

#include "analyzer/engine/check.h"
#include "analyzer/policy/policy_reach.h"
#include "analyzer/policy/potential_misconfiguration.h"
#include "rules/policy_wording.h"

namespace fleetaudit {
namespace {

std::string join(const std::vector<StatementEvidence>& denies) {
  std::string out;
  for (const StatementEvidence& deny : denies) out += (out.empty() ? "" : "; ") + deny_text(deny);
  return out;
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const PolicyVersionTable& versions = snapshot.policy_versions;
  policy::MisconfigurationEvaluator evaluator(snapshot.policy_statements);
  const bool targets_known = snapshot.has(SnapshotFile::policy_targets);
  // Only a finding's description needs the reach (a pass over every target): computed at the first.
  policy::PolicyReach reach;
  bool reach_computed = false;
  CheckResult result;
  result.resources_evaluated = versions.size();
  for (uint32_t row = 0; row < versions.size(); ++row) {
    const uint32_t policy_row = versions.policy_row[row];
    policy::MisconfigurationFindings found = evaluator.evaluate(
        versions.first_statement[row], versions.end_statement[row], policy::policy_scope(snapshot, policy_row));
    std::string_view name = snapshot.text(snapshot.policies.name[policy_row]);
    std::string_view version = snapshot.text(versions.version_id[row]);
    std::string_view arn = snapshot.text(snapshot.policies.arn[policy_row]);
    auto report = [&](const char* code, const std::string& what, const std::vector<StatementEvidence>& evidence) {
      Finding finding;
      finding.resource_type = ResourceType::iot_policy;
      finding.resource = {ResourceIdentifier::Kind::policy_version, std::string(name), std::string(version)};
      finding.reason_code = code;
      finding.message = fmt::format("Policy {} version {}{}: {}.", name, version,
                                    versions.is_default[row] ? " (default)" : "", what);
      finding.additional_info = {{"IS_DEFAULT_VERSION", versions.is_default[row] ? "true" : "false"}};
      if (targets_known) {
        if (!reach_computed) reach = policy::compute_policy_reach(snapshot);
        reach_computed = true;
        finding.message += fmt::format(" The policy is {}.", policy_wording::reach_text(reach, policy_row));
        finding.additional_info.emplace_back("ATTACHED", reach.attached[policy_row] ? "true" : "false");
        finding.additional_info.emplace_back("CERTIFICATES_REACHED", std::to_string(reach.certificates[policy_row]));
        finding.additional_info.emplace_back("THINGS_REACHED", std::to_string(reach.things[policy_row]));
      }
      finding.location = {SnapshotFile::policies, versions.source[row]};
      finding.logical_name = arn.empty() ? std::string(name) : fmt::format("{}/{}", arn, version);
      finding.evidence.statements = evidence;
      result.findings.push_back(std::move(finding));
    };
    for (const auto& [deny, reason] : found.undecided_denies)
      result.undecided.push_back(
          fmt::format("policy {} version {}: {}: too complex to decide ({})", name, version, deny_text(deny), reason));
    for (const std::string& what : found.undecided)
      result.undecided.push_back(fmt::format("policy {} version {}: {}", name, version, what));
    if (!found.wildcard_denies.empty())
      report("POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT",
             "Deny statement resources contain MQTT wildcards (+ or #), which policies match only as literal "
             "characters, so they deny less than they seem to: " +
                 join(found.wildcard_denies),
             found.wildcard_denies);
    if (!found.bypassed_denies.empty())
      report("TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS",
             "a Subscribe Deny on a topic filter subtree is bypassed by subscribing with a wider wildcard filter "
             "that an Allow grants, and iot:Receive on the subtree's topics is not denied: " +
                 join(found.bypassed_denies),
             found.bypassed_denies);
  }
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK",
    .aliases = {"IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK"},
    .severity = Severity::medium,
    .resource_type = ResourceType::iot_policy,
    .reason_codes = {"POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT",
                     "TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS"},
    .short_description = "An IoT policy's Deny statements do not deny the topics they seem to.",
    .full_description =
        "In IoT policies the MQTT wildcards + and # are literal characters, and * in an Allow also matches "
        "subscription filters that contain them. A Deny on topicfilter/a/# therefore only denies the literal "
        "filter a/#, and a Deny on a filter subtree is bypassed by subscribing to a wider filter an Allow "
        "grants. Like AWS's check, this one may report intended policies: suppress those.",
    .help =
        "Every version of every policy is checked. POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT: a Deny "
        "statement for iot:Publish, iot:Subscribe or iot:Receive (also through wildcards or NotAction) names a "
        "Resource whose topic part has an MQTT wildcard level: a level that is exactly `+`, or a last level `#` "
        "(`topic/a/c++` has none). TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS, decided exactly by "
        "the same policy model as IOT_POLICY_OVERLY_PERMISSIVE_CHECK: an unconditional Deny for iot:Subscribe "
        "on a topicfilter pattern D, and some filter string the policy lets the device subscribe with (allowed "
        "and not denied, e.g. `building/#` under `topicfilter/building/*`, or under `topicfilter/building/?`, "
        "or the literal `topicfilter/building/+/#`) that under MQTT matching receives a topic D means (D read "
        "as topics; a concrete filter such as `building/control_room/#` means its MQTT subtree) which "
        "iot:Receive allows and no unconditional Receive Deny covers. The finding names the statements by their "
        "number in the version's Statement list (from 1, as the AWS console shows them) and gives the filter and a topic it receives. A question past "
        "the work bounds leaves the check incomplete for that policy (TOO_COMPLEX_TO_DECIDE). With "
        "policy-targets.json it also says how many certificates and things the policy reaches, or that it is "
        "attached to nothing (still reported: it can be attached tomorrow).\n\n"
        "Fix: deny iot:Receive on the topics (`topic/building/control_room/*`), which is checked on every "
        "delivery whatever filter was used, and write Deny resources with * rather than + or #.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-iot-policy-potential-misconfiguration.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::policies}},
    .optional_inputs = {SnapshotFile::policy_targets, SnapshotFile::thing_principals, SnapshotFile::thing_groups},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "REPLACE_DEFAULT_POLICY_VERSION"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
