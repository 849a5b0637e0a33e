#include "analyzer/policy/request_evaluator.h"

#include "analyzer/policy/applicable.h"

namespace fleetaudit::policy {

namespace {

constexpr std::string_view kThingNameVariable = "iot:Connection.Thing.ThingName";
constexpr std::string_view kClientIdVariable = "iot:ClientId";

bool reads_variable(const Glob& glob, std::string_view name) {
  for (const GlobToken& token : glob.tokens())
    if (token.kind == GlobTokenKind::variable && iequals(glob.variable_name(token), name)) return true;
  return false;
}

}  // namespace

std::optional<DataPlaneAction> data_plane_action_named(std::string_view name) {
  for (unsigned i = 0; i < kDataPlaneActionCount; ++i)
    if (iequals(action_name(static_cast<DataPlaneAction>(i)), name)) return static_cast<DataPlaneAction>(i);
  return std::nullopt;
}

RequestEvaluator::RequestEvaluator(const PolicyStatementTable& statements, DataPlaneAction action, std::string resource,
                                   std::optional<std::string> client_id)
    : statements_(statements), action_(action), resource_(std::move(resource)), client_id_(std::move(client_id)) {
  std::string every_byte(256, '\0');
  for (unsigned byte = 0; byte < 256; ++byte) every_byte[byte] = static_cast<char>(byte);
  alphabet_.mention(every_byte);
  for (char c : resource_) resource_symbols_.push_back(alphabet_.of(c));
}

const Glob& RequestEvaluator::glob(StringId pattern) {
  auto found = globs_.find(pattern);
  if (found == globs_.end()) found = globs_.emplace(pattern, Glob::compile(statements_.pattern(pattern))).first;
  return found->second;
}

bool RequestEvaluator::names_action(uint32_t statement) {
  if (names_action_.size() < statements_.pattern_count()) names_action_.resize(statements_.pattern_count(), 0);
  bool named = false;
  for (StringId pattern : statements_.actions(statement)) {
    uint8_t& known = names_action_[pattern];
    if (known == 0) known = (actions_matching(statements_.pattern(pattern)) & action_bit(action_)) ? 2 : 1;
    named |= known == 2;
  }
  return named != statements_.has(statement, kStatementNotAction);
}

bool RequestEvaluator::reads_thing_name(uint32_t statement) {
  if (!statements_.has(statement, kStatementVariables)) return false;
  for (StringId pattern : statements_.resources(statement))
    if (reads_variable(glob(pattern), kThingNameVariable)) return true;
  return false;
}

// What a variable stands for (see the header). A bound value is read as SELF and spelled out
// afterwards, in `values`, in the order the variables occur.
VariableReading RequestEvaluator::reading_of(std::string_view variable, bool deny,
                                             std::optional<std::string_view> thing_name,
                                             std::vector<std::string_view>& values, uint8_t& depends) const {
  if (iequals(variable, kThingNameVariable)) {
    if (!thing_name) return VariableReading::matches_nothing;
    values.push_back(*thing_name);
    return VariableReading::device_name;
  }
  if (iequals(variable, kClientIdVariable)) {
    if (client_id_) {
      values.push_back(*client_id_);
      return VariableReading::device_name;
    }
    // On Connect, ${iot:ClientId} is the very client connecting: any id, in an Allow or a Deny.
    if (action_ == DataPlaneAction::connect) return VariableReading::any_text;
    if (deny) return VariableReading::matches_nothing;
    depends |= kDependsOnClientId;
    return VariableReading::any_text;
  }
  if (deny) return VariableReading::matches_nothing;
  depends |= kDependsOnOtherVariable;
  return VariableReading::any_text;
}

std::optional<ResourcePattern> RequestEvaluator::resolve(StringId pattern, uint8_t flags,
                                                         std::optional<std::string_view> thing_name, uint8_t& depends) {
  const bool variables = flags & kStatementVariables;
  const bool deny = flags & kStatementDeny;
  std::vector<std::string_view> values;
  auto resolved = resolve_pattern(glob(pattern), [&](std::string_view variable) {
    if (!variables) return VariableReading::literal_text;
    return reading_of(variable, deny, thing_name, values, depends);
  });
  if (!resolved || values.empty()) return resolved;
  ResourcePattern spelled;
  size_t next_value = 0;
  for (const PatternToken& token : *resolved) {
    if (token.kind != PatternTokenKind::self) {
      spelled.push_back(token);
      continue;
    }
    for (char c : values[next_value++]) spelled.push_back({PatternTokenKind::literal, c});
  }
  return spelled;
}

RequestEvaluator::PatternMatch RequestEvaluator::pattern_match(StringId pattern, uint8_t flags,
                                                               std::optional<std::string_view> thing_name) {
  const uint8_t key_flags = flags & (kStatementVariables | kStatementDeny);
  const bool reads_thing = (flags & kStatementVariables) && reads_variable(glob(pattern), kThingNameVariable);
  if (reads_thing && thing_name && resource_.find(*thing_name) == std::string::npos) return {};  // cheap reject
  const uint64_t key = (uint64_t{pattern} << 8) | key_flags;
  if (!reads_thing)
    if (auto known = unbound_matches_.find(key); known != unbound_matches_.end()) return known->second;
  PatternMatch match;
  if (auto resolved = resolve(pattern, flags, thing_name, match.depends))
    match.matches = pattern_matches(alphabet_, *resolved, resource_symbols_);
  if (!match.matches) match.depends = 0;
  if (!reads_thing) unbound_matches_.emplace(key, match);
  return match;
}

StatementMatch RequestEvaluator::admits(uint32_t statement, std::optional<std::string_view> thing_name) {
  const uint8_t flags = statements_.flags(statement);
  bool any = false;
  uint8_t depends = 0;
  for (StringId pattern : statements_.resources(statement)) {
    const PatternMatch match = pattern_match(pattern, flags, thing_name);
    any |= match.matches;
    depends |= match.depends;
  }
  // NotResource: admitted when no pattern matches (a variable read as "any" makes that cautious).
  if (statements_.has(statement, kStatementNotResource)) return {!any, any ? uint8_t{0} : depends};
  return {any, depends};
}

StatementLanguage RequestEvaluator::language(uint32_t statement, std::optional<std::string_view> thing_name,
                                             uint8_t& depends) {
  StatementLanguage language;
  language.complement = statements_.has(statement, kStatementNotResource);
  for (StringId pattern : statements_.resources(statement))
    if (auto resolved = resolve(pattern, statements_.flags(statement), thing_name, depends))
      language.patterns.push_back(std::move(*resolved));
  return language;
}

RequestDecision RequestEvaluator::decide(std::span<const StatementRange> ranges,
                                         std::optional<std::string_view> thing_name) {
  RequestDecision decision;
  auto names = [&](uint32_t statement) { return names_action(statement); };
  for (const StatementRange& range : ranges)
    for_each_applicable(statements_, range.first, range.end, names, [&](uint32_t statement) {
      const StatementMatch match = admits(statement, thing_name);
      if (!match.admits) return;
      if (statements_.has(statement, kStatementDeny)) decision.denied_by.push_back(statement);
      else
        decision.allowed_by.push_back({statement, statements_.has(statement, kStatementHasCondition), match.depends});
    });
  return decision;
}

std::string RequestEvaluator::substituted_text(uint32_t statement, StringId pattern, std::string_view thing_name) {
  const Glob& compiled = glob(pattern);
  if (!statements_.has(statement, kStatementVariables)) return std::string(statements_.pattern(pattern));
  std::string text;
  for (const GlobToken& token : compiled.tokens()) {
    switch (token.kind) {
      case GlobTokenKind::any_run: text += '*'; break;
      case GlobTokenKind::any_one: text += '?'; break;
      case GlobTokenKind::literal:
        if (token.literal == '*' || token.literal == '?') text += std::string("${") + token.literal + "}";
        else text += token.literal;
        break;
      case GlobTokenKind::variable: {
        const std::string_view name = compiled.variable_name(token);
        text += iequals(name, kThingNameVariable) ? std::string(thing_name) : "${" + std::string(name) + "}";
        break;
      }
    }
  }
  return text;
}

}  // namespace fleetaudit::policy
