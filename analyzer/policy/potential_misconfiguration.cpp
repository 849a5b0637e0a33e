#include "analyzer/policy/potential_misconfiguration.h"

#include <fmt/format.h>

#include <optional>

#include "analyzer/policy/applicable.h"
#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/subscribe_bypass.h"

namespace fleetaudit::policy {

namespace {

enum MqttAction : uint8_t { kPublish = 1, kSubscribe = 2, kReceive = 4 };

// The MQTT actions a statement names (NotAction: those it does not name), by action pattern id.
class MqttActions {
public:
  explicit MqttActions(const PolicyStatementTable& statements)
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
    return statements_.has(statement, kStatementNotAction) ? static_cast<uint8_t>(~named & 7) : named;
  }

private:
  const PolicyStatementTable& statements_;
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

}  // namespace

class MisconfigurationEvaluator::Versions {
public:
  explicit Versions(const PolicyStatementTable& statements)
      : statements_(statements), actions_(statements_), breadth_(statements_) {}

  MisconfigurationFindings evaluate(uint32_t first, uint32_t end, const ArnScope& arn) {
    MisconfigurationFindings found;
    languages_ready_ = false;
    questions_asked_ = 0;
    check_budget_.spent(meter_);
    meter_ = check_budget_.next(pattern_characters(statements_, first, end) > kIotPolicyCharacters
                                    ? kOversizedPolicyWorkSteps
                                    : kPolicyWorkSteps);
    for (uint32_t deny = first; deny < end; ++deny) {
      if (!statements_.has(deny, kStatementDeny) || actions_.of(deny) == 0) continue;
      const bool not_resource = statements_.has(deny, kStatementNotResource);
      for (StringId d : statements_.resources(deny)) {
        const std::string_view text = statements_.pattern(d);
        if (!not_resource && has_mqtt_wildcard_level(text))
          found.wildcard_denies.push_back(deny_evidence(StatementEvidence::Kind::wildcard_deny, deny, first, text));
      }
      if ((actions_.of(deny) & kSubscribe) && !not_resource && takes_part(statements_.flags(deny)))
        for (StringId d : statements_.resources(deny)) check_bypass(first, end, deny, d, arn, found);
    }
    if (questions_asked_ > kMaxQuestions)
      found.undecided.push_back(
          fmt::format("{} of its Subscribe Deny resources were not examined (at most {} a "
                      "version are decided)",
                      questions_asked_ - kMaxQuestions, kMaxQuestions));
    return found;
  }

private:
  // The Deny's filter pattern D, read as the topics it means to keep away; then the exact question.
  void check_bypass(uint32_t first, uint32_t end, uint32_t deny, StringId d, const ArnScope& arn,
                    MisconfigurationFindings& found) {
    const std::string_view text = statements_.pattern(d);
    const size_t at = text.find(":topicfilter/");
    if (at == std::string_view::npos) return;
    const std::string_view filter = text.substr(at + 13);
    std::optional<std::string> intended_filter;
    std::string topics = std::string(text.substr(0, at)) + ":topic/" + std::string(filter);
    if (has_mqtt_wildcard_level(filter)) {
      // One concrete filter: its topics are exactly what MQTT matching gives it. With policy
      // wildcards too, + and a last # are widened to * (a superset of what the author meant).
      if (filter.find_first_of("*?$") == std::string_view::npos &&
          text.substr(0, at).find_first_of("*?") == std::string_view::npos)
        intended_filter = std::string(filter);
      else topics = std::string(text.substr(0, at)) + ":topic/" + widened(filter);
    }
    auto intended = breadth_.read_pattern(topics, statements_.flags(deny) & ~kStatementDeny);
    if (!intended) return;
    prepare_languages(first, end);
    // Nothing receivable or nothing to subscribe with: no bypass, whatever D is.
    if (languages_[0].empty() || languages_[2].empty()) return;
    // Each question costs automata over every statement: a version of thousands of Denies stays bounded.
    if (++questions_asked_ > kMaxQuestions) return;
    const SubscribeQuestion question{{arn.partition, arn.region, arn.account},
                                     {{*intended}, false},
                                     intended_filter,
                                     languages_[0],
                                     languages_[1],
                                     languages_[2],
                                     languages_[3]};
    const SubscribeBypass bypass = find_subscribe_bypass(question, {}, kDeviceNamePlaceholder, &meter_);
    if (bypass.answer == LanguageAnswer::too_complex) {
      found.undecided_denies.emplace_back(deny_evidence(StatementEvidence::Kind::wildcard_deny, deny, first, text),
                                          bypass.reason);
      return;
    }
    if (bypass.answer != LanguageAnswer::found) return;
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
      const bool is_deny = flags & kStatementDeny;
      if (!takes_part(flags)) continue;
      const uint8_t actions = actions_.of(s);
      if (actions & kSubscribe) {
        languages_[is_deny ? 1 : 0].push_back(breadth_.statement_language(s));
        if (!is_deny) subscribe_allows_.push_back(s);
      }
      if (actions & kReceive) languages_[is_deny ? 3 : 2].push_back(breadth_.statement_language(s));
    }
  }

  static constexpr size_t kMaxQuestions = 64;

  const PolicyStatementTable& statements_;
  MqttActions actions_;
  BreadthEvaluator breadth_;
  bool languages_ready_ = false;
  size_t questions_asked_ = 0;
  CheckWorkBudget check_budget_;
  WorkMeter meter_;                              // the version's: every bypass question spends from it
  std::vector<StatementLanguage> languages_[4];  // subscribe allowed/denied, receive allowed/denied
  std::vector<uint32_t> subscribe_allows_;
};

MisconfigurationEvaluator::MisconfigurationEvaluator(const PolicyStatementTable& statements)
    : versions_(std::make_unique<Versions>(statements)) {}

MisconfigurationEvaluator::~MisconfigurationEvaluator() = default;

MisconfigurationFindings MisconfigurationEvaluator::evaluate(uint32_t first, uint32_t end, const ArnScope& scope) {
  return versions_->evaluate(first, end, scope);
}

}  // namespace fleetaudit::policy
