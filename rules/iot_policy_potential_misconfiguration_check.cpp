// IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: Deny statements that do not deny what they seem to,
// because policies match MQTT '+' and '#' literally and an Allow with * still reaches the subtree.
#include <fmt/format.h>

#include <optional>

#include "analyzer/engine/check.h"
#include "analyzer/policy/glob.h"
#include "analyzer/policy/policy_reach.h"

namespace fleetaudit {
namespace {

using policy::Glob;
using policy::GlobTokenKind;

enum MqttAction : uint8_t { kPublish = 1, kSubscribe = 2, kReceive = 4 };

class PatternCache {
public:
  explicit PatternCache(const policy::PolicyStatementTable& statements)
      : statements_(statements), resources_(statements.pattern_count()), actions_(statements.pattern_count()) {}

  const Glob& resource(StringId id) {
    if (!resources_[id]) resources_[id] = Glob::compile(statements_.pattern(id));
    return *resources_[id];
  }
  // The MQTT actions of a statement (NotAction: those it does not exclude).
  uint8_t actions(uint32_t statement) {
    uint8_t named = 0;
    for (StringId id : statements_.actions(statement)) {
      if (!actions_[id]) {
        Glob glob = Glob::compile(statements_.pattern(id), true);
        actions_[id] = static_cast<uint8_t>((glob.matches("iot:publish") ? kPublish : 0) |
                                            (glob.matches("iot:subscribe") ? kSubscribe : 0) |
                                            (glob.matches("iot:receive") ? kReceive : 0));
      }
      named |= *actions_[id];
    }
    return statements_.has(statement, policy::kStatementNotAction) ? static_cast<uint8_t>(~named & 7) : named;
  }

private:
  const policy::PolicyStatementTable& statements_;
  std::vector<std::optional<Glob>> resources_;
  std::vector<std::optional<uint8_t>> actions_;
};

// A literal '+' or '#' in the topic part: the policy matches it as that character only.
bool has_mqtt_wildcard(const Glob& glob) {
  for (const auto& token : glob.tokens())
    if (token.kind == GlobTokenKind::literal && (token.literal == '+' || token.literal == '#')) return true;
  return false;
}

bool has_wildcard(const Glob& glob) {
  for (const auto& token : glob.tokens())
    if (token.kind == GlobTokenKind::any_run || token.kind == GlobTokenKind::any_one) return true;
  return false;
}

struct VersionFindings {
  std::vector<std::string> wildcard_denies;  // "Statement[1] (…/topicfilter/a/#)"
  std::vector<std::string> bypassed_denies;
};

VersionFindings evaluate(const Snapshot& snapshot, PatternCache& cache, uint32_t first, uint32_t end) {
  const policy::PolicyStatementTable& statements = snapshot.policy_statements;
  VersionFindings found;
  auto allowed = [&](uint32_t s) { return !statements.has(s, policy::kStatementDeny); };
  for (uint32_t deny = first; deny < end; ++deny) {
    if (allowed(deny)) continue;
    const uint8_t deny_actions = cache.actions(deny);
    if (deny_actions == 0) continue;
    for (StringId d : statements.resources(deny)) {
      const Glob& deny_glob = cache.resource(d);
      const std::string_view deny_text = statements.pattern(d);
      if (!statements.has(deny, policy::kStatementNotResource) && has_mqtt_wildcard(deny_glob))
        found.wildcard_denies.push_back(fmt::format("Statement[{}] ({})", deny - first, deny_text));
      // A Subscribe Deny on a filter subtree, an Allow on a wider filter with a wildcard, and
      // Receive allowed on the subtree's topics: the client subscribes with the wide filter.
      const size_t at = deny_text.find(":topicfilter/");
      if (!(deny_actions & kSubscribe) || at == std::string_view::npos ||
          statements.has(deny, policy::kStatementNotResource) || statements.has(deny, policy::kStatementHasCondition))
        continue;
      const Glob topics = Glob::compile(std::string(deny_text.substr(0, at)) + ":topic/" +
                                        std::string(deny_text.substr(at + 13)));
      std::optional<uint32_t> wide_allow;
      bool receive_allowed = false, receive_denied = false;
      for (uint32_t s = first; s < end; ++s) {
        const uint8_t actions = cache.actions(s);
        const bool not_resource = statements.has(s, policy::kStatementNotResource);
        for (StringId r : statements.resources(s)) {
          const Glob& glob = cache.resource(r);
          if (allowed(s) && (actions & kSubscribe) && !not_resource && !wide_allow && has_wildcard(glob) &&
              policy::globs_overlap(glob, deny_glob) && !policy::glob_covers(deny_glob, glob))
            wide_allow = s;
          if (allowed(s) && (actions & kReceive) && (not_resource || policy::globs_overlap(glob, topics)))
            receive_allowed = true;
          if (!allowed(s) && (actions & kReceive) && !not_resource &&
              !statements.has(s, policy::kStatementHasCondition) && policy::glob_covers(glob, topics))
            receive_denied = true;
        }
      }
      if (wide_allow && receive_allowed && !receive_denied)
        found.bypassed_denies.push_back(fmt::format("Statement[{}] ({}), bypassed through Statement[{}]", deny - first,
                                                    deny_text, *wide_allow - first));
    }
  }
  return found;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : "; ") + item;
  return out;
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const PolicyVersionTable& versions = snapshot.policy_versions;
  PatternCache cache(snapshot.policy_statements);
  const bool targets_known = snapshot.has(SnapshotFile::policy_targets);
  policy::PolicyReach reach;
  if (targets_known) reach = policy::compute_policy_reach(snapshot);
  CheckResult result;
  result.resources_evaluated = versions.size();
  for (uint32_t row = 0; row < versions.size(); ++row) {
    VersionFindings found = evaluate(snapshot, cache, versions.first_statement[row], versions.end_statement[row]);
    const uint32_t policy_row = versions.policy_row[row];
    std::string_view name = snapshot.text(snapshot.policies.name[policy_row]);
    std::string_view version = snapshot.text(versions.version_id[row]);
    std::string_view arn = snapshot.text(snapshot.policies.arn[policy_row]);
    auto report = [&](const char* code, const std::string& what) {
      Finding finding;
      finding.resource_type = ResourceType::iot_policy;
      finding.resource = {ResourceIdentifier::Kind::policy_version, std::string(name), std::string(version)};
      finding.reason_code = code;
      finding.message = fmt::format("Policy {} version {}{}: {}.", name, version,
                                    versions.is_default[row] ? " (default)" : "", what);
      finding.additional_info = {{"IS_DEFAULT_VERSION", versions.is_default[row] ? "true" : "false"}};
      if (targets_known) {
        finding.message += fmt::format(" The policy is {}.", policy::describe_reach(reach, policy_row));
        finding.additional_info.emplace_back("ATTACHED", reach.attached[policy_row] ? "true" : "false");
        finding.additional_info.emplace_back("CERTIFICATES_REACHED", std::to_string(reach.certificates[policy_row]));
        finding.additional_info.emplace_back("THINGS_REACHED", std::to_string(reach.things[policy_row]));
      }
      finding.location = {SnapshotFile::policies, versions.source[row]};
      finding.logical_name = arn.empty() ? std::string(name) : fmt::format("{}/{}", arn, version);
      result.findings.push_back(std::move(finding));
    };
    if (!found.wildcard_denies.empty())
      report("POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT",
             "Deny statement resources contain MQTT wildcards (+ or #), which policies match only as literal "
             "characters, so they deny less than they seem to: " +
                 join(found.wildcard_denies));
    if (!found.bypassed_denies.empty())
      report("TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS",
             "a Subscribe Deny on a topic filter subtree is bypassed by subscribing with a wider wildcard filter "
             "that an Allow grants, and iot:Receive on the subtree's topics is not denied: " +
                 join(found.bypassed_denies));
  }
  return result;
}

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
        "Resource with a literal + or #. TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS: an "
        "unconditional Deny for iot:Subscribe on a topicfilter pattern D, an Allow for iot:Subscribe on a "
        "pattern with * or ? that overlaps D without being covered by it, an Allow for iot:Receive on a topic "
        "pattern overlapping D's topics, and no unconditional Deny for iot:Receive covering those topics. The "
        "finding names the statements by their index in the version's Statement list. With policy-targets.json "
        "it also says how many certificates and things the policy reaches, or that it is attached to nothing "
        "(still reported: it can be attached tomorrow).\n\n"
        "Fix: deny iot:Receive on the topics (`topic/building/control_room/*`), which is checked on every "
        "delivery whatever filter was used, and write Deny resources with * rather than + or #.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-iot-policy-potential-misconfiguration.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::policies}},
    .optional_inputs = {SnapshotFile::policy_targets, SnapshotFile::thing_principals, SnapshotFile::thing_groups},
    .run = run,
});

}  // namespace
}  // namespace fleetaudit
