// IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: Deny statements that do not deny what they seem to,
// because policies match MQTT '+' and '#' literally and a wider filter still receives the subtree.
#include <fmt/format.h>

#include <optional>

#include "analyzer/engine/check.h"
#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_reach.h"
#include "rules/policy_wording.h"
#include "analyzer/policy/subscribe_bypass.h"

namespace fleetaudit {
namespace {

using policy::Glob;

enum MqttAction : uint8_t { kPublish = 1, kSubscribe = 2, kReceive = 4 };

// The MQTT actions a statement names (NotAction: those it does not name), by action pattern id.
class MqttActions {
public:
  explicit MqttActions(const policy::PolicyStatementTable& statements)
      : statements_(statements), by_pattern_(statements.pattern_count()) {}

  uint8_t of(uint32_t statement) {
    uint8_t named = 0;
    for (StringId id : statements_.actions(statement)) {
      if (!by_pattern_[id]) {
        const Glob glob = Glob::compile(statements_.pattern(id), true);
        by_pattern_[id] = static_cast<uint8_t>((glob.matches("iot:publish") ? kPublish : 0) |
                                               (glob.matches("iot:subscribe") ? kSubscribe : 0) |
                                               (glob.matches("iot:receive") ? kReceive : 0));
      }
      named |= *by_pattern_[id];
    }
    return statements_.has(statement, policy::kStatementNotAction) ? static_cast<uint8_t>(~named & 7) : named;
  }

private:
  const policy::PolicyStatementTable& statements_;
  std::vector<std::optional<uint8_t>> by_pattern_;
};

// An MQTT wildcard written where a policy reads it literally: a level that is exactly "+", or a
// last level "#", in the topic part (topic/a/c++ holds none).
bool has_mqtt_wildcard_level(std::string_view resource) {
  for (std::string_view marker : {":topicfilter/", ":topic/"}) {
    const size_t at = resource.find(marker);
    if (at != std::string_view::npos) {
      resource.remove_prefix(at + marker.size());
      break;
    }
  }
  for (size_t i = 0; i < resource.size(); ++i) {
    const bool level_start = i == 0 || resource[i - 1] == '/';
    const bool level_end = i + 1 == resource.size() || resource[i + 1] == '/';
    if (level_start && level_end && (resource[i] == '+' || resource[i] == '#')) return true;
  }
  return false;
}

// "a/+/b" -> "a/*/b", "a/#" -> "a*": MQTT wildcard levels as policy wildcards (wider).
std::string widened(std::string_view filter) {
  std::string text;
  for (size_t i = 0; i < filter.size(); ++i) {
    const bool level_start = i == 0 || filter[i - 1] == '/';
    const bool level_end = i + 1 == filter.size() || filter[i + 1] == '/';
    if (level_start && level_end && filter[i] == '+') {
      text += '*';
    } else if (level_start && level_end && filter[i] == '#') {
      if (!text.empty() && text.back() == '/') text.pop_back();
      text += '*';
    } else {
      text += filter[i];
    }
  }
  return text;
}

struct VersionFindings {
  std::vector<StatementEvidence> wildcard_denies;
  std::vector<StatementEvidence> bypassed_denies;
  std::vector<std::string> undecided;
};

class MisconfigurationEvaluator {
public:
  explicit MisconfigurationEvaluator(const Snapshot& snapshot)
      : statements_(snapshot.policy_statements), actions_(statements_), breadth_(statements_) {}

  VersionFindings evaluate(uint32_t first, uint32_t end, const policy::ArnContext& arn) {
    VersionFindings found;
    languages_ready_ = false;
    questions_asked_ = 0;
    check_budget_.spent(meter_);
    meter_ = check_budget_.next(policy::pattern_characters(statements_, first, end) > policy::kIotPolicyCharacters
                                    ? policy::kOversizedPolicyWorkSteps
                                    : policy::kPolicyWorkSteps);
    for (uint32_t deny = first; deny < end; ++deny) {
      if (!statements_.has(deny, policy::kStatementDeny) || actions_.of(deny) == 0) continue;
      const bool not_resource = statements_.has(deny, policy::kStatementNotResource);
      for (StringId d : statements_.resources(deny)) {
        const std::string_view text = statements_.pattern(d);
        if (!not_resource && has_mqtt_wildcard_level(text))
          found.wildcard_denies.push_back(deny_evidence(StatementEvidence::Kind::wildcard_deny, deny, first, text));
      }
      if ((actions_.of(deny) & kSubscribe) && !not_resource && !statements_.has(deny, policy::kStatementHasCondition))
        for (StringId d : statements_.resources(deny)) check_bypass(first, end, deny, d, arn, found);
    }
    if (questions_asked_ > kMaxQuestions)
      found.undecided.push_back(fmt::format("{} of its Subscribe Deny resources were not examined (at most {} a "
                                            "version are decided)",
                                            questions_asked_ - kMaxQuestions, kMaxQuestions));
    return found;
  }

private:
  // The Deny's filter pattern D, read as the topics it means to keep away; then the exact question.
  void check_bypass(uint32_t first, uint32_t end, uint32_t deny, StringId d, const policy::ArnContext& arn,
                    VersionFindings& found) {
    const std::string_view text = statements_.pattern(d);
    const size_t at = text.find(":topicfilter/");
    if (at == std::string_view::npos) return;
    const std::string_view filter = text.substr(at + 13);
    std::optional<std::string> intended_filter;
    std::string topics = std::string(text.substr(0, at)) + ":topic/" + std::string(filter);
    if (has_mqtt_wildcard_level(filter)) {
      // One concrete filter: its topics are exactly what MQTT matching gives it. With policy
      // wildcards too, + and a last # are widened to * (a superset of what the author meant).
      if (filter.find_first_of("*?$") == std::string_view::npos && text.substr(0, at).find_first_of("*?") == std::string_view::npos)
        intended_filter = std::string(filter);
      else
        topics = std::string(text.substr(0, at)) + ":topic/" + widened(filter);
    }
    auto intended = breadth_.read_pattern(topics, statements_.flags(deny) & ~policy::kStatementDeny);
    if (!intended) return;
    prepare_languages(first, end);
    // Nothing receivable or nothing to subscribe with: no bypass, whatever D is.
    if (languages_[0].empty() || languages_[2].empty()) return;
    // Each question costs automata over every statement: a version of thousands of Denies stays bounded.
    if (++questions_asked_ > kMaxQuestions) return;
    const policy::SubscribeQuestion question{{arn.partition, arn.region, arn.account},
                                             {{*intended}, false},
                                             intended_filter,
                                             languages_[0],
                                             languages_[1],
                                             languages_[2],
                                             languages_[3]};
    const policy::SubscribeBypass bypass =
        policy::find_subscribe_bypass(question, {}, policy::kDeviceNamePlaceholder, &meter_);
    if (bypass.answer == policy::LanguageAnswer::too_complex) {
      found.undecided.push_back(fmt::format(
          "{}: too complex to decide ({})",
          deny_text(deny_evidence(StatementEvidence::Kind::wildcard_deny, deny, first, text)), bypass.reason));
      return;
    }
    if (bypass.answer != policy::LanguageAnswer::found) return;
    StatementEvidence bypassed = deny_evidence(StatementEvidence::Kind::bypassed_deny, deny, first, text);
    bypassed.through = subscribe_allows_[bypass.allowed_by] - first + 1;
    bypassed.witness = bypass.filter;
    bypassed.topic = bypass.topic;
    found.bypassed_denies.push_back(std::move(bypassed));
  }

  // A Deny statement of the version [first, …) and one of its resource patterns.
  StatementEvidence deny_evidence(StatementEvidence::Kind kind, uint32_t deny, uint32_t first,
                                  std::string_view resource) const {
    StatementEvidence evidence;
    evidence.kind = kind;
    evidence.number = deny - first + 1;
    evidence.sid = statements_.sid(deny);
    evidence.resource = resource;
    return evidence;
  }

  // The version's Subscribe and Receive statements as languages, built once per version.
  void prepare_languages(uint32_t first, uint32_t end) {
    if (languages_ready_) return;
    languages_ready_ = true;
    for (auto& languages : languages_) languages.clear();
    subscribe_allows_.clear();
    for (uint32_t s = first; s < end; ++s) {
      const uint8_t flags = statements_.flags(s);
      const bool is_deny = flags & policy::kStatementDeny;
      if (is_deny && (flags & policy::kStatementHasCondition)) continue;  // may not apply: credited for nothing
      const uint8_t actions = actions_.of(s);
      if (actions & kSubscribe) {
        languages_[is_deny ? 1 : 0].push_back(breadth_.statement_language(s));
        if (!is_deny) subscribe_allows_.push_back(s);
      }
      if (actions & kReceive) languages_[is_deny ? 3 : 2].push_back(breadth_.statement_language(s));
    }
  }

  static constexpr size_t kMaxQuestions = 64;

  const policy::PolicyStatementTable& statements_;
  MqttActions actions_;
  policy::BreadthEvaluator breadth_;
  bool languages_ready_ = false;
  size_t questions_asked_ = 0;
  policy::CheckWorkBudget check_budget_;
  policy::WorkMeter meter_;  // the version's: every bypass question spends from it
  std::vector<policy::StatementLanguage> languages_[4];  // subscribe allowed/denied, receive allowed/denied
  std::vector<uint32_t> subscribe_allows_;
};

std::string join(const std::vector<StatementEvidence>& denies) {
  std::string out;
  for (const StatementEvidence& deny : denies) out += (out.empty() ? "" : "; ") + deny_text(deny);
  return out;
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const PolicyVersionTable& versions = snapshot.policy_versions;
  MisconfigurationEvaluator evaluator(snapshot);
  const bool targets_known = snapshot.has(SnapshotFile::policy_targets);
  // Only a finding's description needs the reach (a pass over every target): computed at the first.
  policy::PolicyReach reach;
  bool reach_computed = false;
  CheckResult result;
  result.resources_evaluated = versions.size();
  for (uint32_t row = 0; row < versions.size(); ++row) {
    const uint32_t policy_row = versions.policy_row[row];
    VersionFindings found = evaluator.evaluate(versions.first_statement[row], versions.end_statement[row],
                                               policy::arn_context_for(snapshot, policy_row));
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
});

}  // namespace
}  // namespace fleetaudit
