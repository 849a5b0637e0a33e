#include "analyzer/policy/foreign_access.h"

#include <algorithm>

namespace fleetaudit::policy {

namespace {

// The part of a topicfilter ARN after "topicfilter/".
std::span<const Symbol> filter_of(const Alphabet& alphabet, std::span<const Symbol> arn) {
  size_t colons = 0, at = 0;
  while (at < arn.size() && colons < 5) colons += arn[at++] == alphabet.of(':');
  return arn.subspan(std::min(arn.size(), at + std::string_view("topicfilter/").size()));
}

}  // namespace

ForeignAccess find_foreign_access(ResourceFamily family, const ArnScope& scope,
                                  std::span<const StatementLanguage> allowed, std::span<const StatementLanguage> denied,
                                  const WorkBudget& budget, std::string_view device_name, WorkMeter* meter) {
  ForeignAccess access;
  if (meter != nullptr && meter->exhausted()) {  // the policy's earlier questions spent it all
    access.answer = LanguageAnswer::too_complex;
    access.reason = meter->reason();
    return access;
  }
  Alphabet alphabet;
  mention_resource_families(alphabet, scope);
  for (auto statements : {allowed, denied})
    for (const StatementLanguage& statement : statements)
      for (const ResourcePattern& pattern : statement.patterns) alphabet.mention(pattern);

  const std::optional<Dfa> foreign = foreign_resources(alphabet, family, scope, budget.max_states);
  if (!foreign) {
    access.answer = LanguageAnswer::too_complex;
    access.reason = "the foreign-resource automaton exceeds the state budget";
    return access;
  }
  const WitnessResult result = find_allowed_not_denied(alphabet, allowed, denied, *foreign, budget, meter);
  access.answer = result.answer;
  access.reason = result.reason;
  if (result.answer != LanguageAnswer::found) return access;
  access.witness = alphabet.render(result.witness, device_name);
  access.allowed_by = result.allowed_by;
  if (family == ResourceFamily::topic_filter) {
    if (auto topic = foreign_topic_received(alphabet, filter_of(alphabet, result.witness)))
      access.received_topic = alphabet.render(*topic, device_name);
  }
  return access;
}

bool pattern_covers(const Glob& covering, const Glob& covered) {
  auto literal = [](std::string_view) { return VariableReading::literal_text; };
  const StatementLanguage allowed{{*resolve_pattern(covered, literal)}, false};
  const StatementLanguage denied{{*resolve_pattern(covering, literal)}, false};
  // Action patterns are short: the default budget decides them; past it, no cover is claimed.
  const ForeignAccess left = find_foreign_access(ResourceFamily::any_resource, ArnScope{}, {&allowed, 1}, {&denied, 1});
  return left.answer == LanguageAnswer::empty;
}

}  // namespace fleetaudit::policy
