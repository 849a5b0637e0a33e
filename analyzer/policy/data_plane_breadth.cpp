#include "analyzer/policy/data_plane_breadth.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "analyzer/policy/applicable.h"
#include "analyzer/policy/foreign_access.h"
#include "analyzer/policy/policy_variables.h"

namespace fleetaudit::policy {

namespace {

// The evaluator's actions, by DataPlaneAction: the catalogue's first data-plane rows.
std::string_view name_of(unsigned action) { return data_plane_actions()[action].name; }

constexpr DataPlaneActionSet kUnknownActions = UINT32_MAX;
constexpr std::string_view kClientIdVariable = "iot:ClientId";
constexpr unsigned kConnect = static_cast<unsigned>(DataPlaneAction::connect);

template <class Visit>
void for_each_action(DataPlaneActionSet actions, Visit&& visit) {
  for (; actions != 0; actions &= actions - 1) visit(static_cast<unsigned>(std::countr_zero(actions)));
}

}  // namespace

std::string_view action_name(DataPlaneAction action) { return name_of(static_cast<unsigned>(action)); }

DataPlaneActionSet actions_matching(std::string_view action_pattern) {
  const Glob glob = Glob::compile(action_pattern, /*case_insensitive=*/true);
  DataPlaneActionSet actions = 0;
  for (size_t i = 0; i < kDataPlaneActionCount; ++i)
    if (glob.matches(name_of(static_cast<unsigned>(i)))) actions |= DataPlaneActionSet{1} << i;
  return actions;
}

std::vector<GrantExample> BreadthEvaluator::examples(DataPlaneActionSet actions) const {
  std::vector<GrantExample> found;
  for_each_action(actions & kAllDataPlaneActions, [&](unsigned action) {
    if (examples_[action]) found.push_back(*examples_[action]);
  });
  return found;
}

std::vector<BreadthEvaluator::UndecidedAction> BreadthEvaluator::undecided_reasons() const {
  std::vector<UndecidedAction> undecided;
  for_each_action(undecided_, [&](unsigned action) {
    undecided.push_back({name_of(action), undecided_reasons_[action]});
  });
  return undecided;
}

std::string BreadthEvaluator::describe(DataPlaneActionSet actions) {
  std::string text = "[";
  for_each_action(actions & kAllDataPlaneActions, [&](unsigned action) {
    if (text.size() > 1) text += ", ";
    text += name_of(action);
  });
  text += ']';
  return text;
}

BreadthEvaluator::BreadthEvaluator(const PolicyStatementTable& statements, size_t aws_size_limit)
    : statements_(statements), aws_size_limit_(aws_size_limit) {}

size_t pattern_characters(const PolicyStatementTable& statements, uint32_t first_statement, uint32_t end_statement) {
  size_t characters = 0;
  for (uint32_t statement = first_statement; statement < end_statement; ++statement)
    for (auto patterns : {statements.actions(statement), statements.resources(statement)})
      for (StringId pattern : patterns) characters += statements.pattern(pattern).size();
  return characters;
}

void BreadthEvaluator::start_policy(uint32_t first_statement, uint32_t end_statement) {
  const bool oversized = pattern_characters(statements_, first_statement, end_statement) > aws_size_limit_;
  check_budget_.spent(meter_);
  meter_ = check_budget_.next(oversized ? kOversizedPolicyWorkSteps : kPolicyWorkSteps);
}

BreadthEvaluator::~BreadthEvaluator() = default;

DataPlaneActionSet BreadthEvaluator::statement_actions(uint32_t statement) {
  if (action_sets_.size() < statements_.pattern_count())
    action_sets_.resize(statements_.pattern_count(), kUnknownActions);
  DataPlaneActionSet actions = 0;
  for (StringId pattern : statements_.actions(statement)) {
    DataPlaneActionSet& named = action_sets_[pattern];
    if (named == kUnknownActions) named = actions_matching(statements_.pattern(pattern));
    actions |= named;
  }
  return statements_.has(statement, kStatementNotAction) ? kAllDataPlaneActions & ~actions : actions;
}

const Glob& BreadthEvaluator::glob(StringId pattern) {
  auto found = globs_.find(pattern);
  if (found == globs_.end()) found = globs_.emplace(pattern, Glob::compile(statements_.pattern(pattern))).first;
  return found->second;
}

namespace {

ResourceFamily family_of(unsigned action) {
  switch (static_cast<DataPlaneAction>(action)) {
    case DataPlaneAction::connect:
    case DataPlaneAction::delete_connection: return ResourceFamily::client;
    case DataPlaneAction::publish:
    case DataPlaneAction::retain_publish:
    case DataPlaneAction::get_retained_message: return ResourceFamily::topic;
    case DataPlaneAction::subscribe: return ResourceFamily::topic_filter;
    case DataPlaneAction::list_retained_messages: return ResourceFamily::account_wide;
    default: return ResourceFamily::thing;
  }
}

}  // namespace

std::vector<std::string> unknown_variables(const PolicyStatementTable& statements, uint32_t first_statement,
                                           uint32_t end_statement) {
  std::vector<std::string> unknown;
  for (uint32_t statement = first_statement; statement < end_statement; ++statement) {
    if (!statements.has(statement, kStatementVariables)) continue;
    for (StringId pattern : statements.resources(statement)) {
      const std::string_view text = statements.pattern(pattern);
      for (size_t open = text.find("${"); open != std::string_view::npos; open = text.find("${", open + 2)) {
        const size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view variable = text.substr(open + 2, close - open - 2);
        if (is_known_variable(variable)) continue;
        std::string name = "${" + std::string(variable) + "}";
        if (std::find(unknown.begin(), unknown.end(), name) == unknown.end()) unknown.push_back(std::move(name));
      }
    }
  }
  return unknown;
}

// What a policy variable stands for in one statement, for one action. The thing name is the
// device's own; ${iot:ClientId} is the device's own only where it cannot connect under another
// device's id (or the statement demands an attached thing); in a Deny, a value the device picks
// can always dodge the Deny, except ${iot:ClientId} on Connect, which is the very client
// connecting. Values bound to the device (policy_variables.h's table: thing, certificate, Cognito
// identity, credentials-iot:) are the caller's own. Other variables: anything in an Allow, nothing
// in a Deny (credited for nothing).
VariableReading BreadthEvaluator::reading_of(std::string_view variable, uint8_t flags, unsigned action,
                                             bool client_id_pinned) const {
  if (!(flags & kStatementVariables)) return VariableReading::literal_text;
  const bool deny = flags & kStatementDeny;
  // Values bound to the connecting device (its thing, its certificate): its own, not chosen.
  if (bound_to_the_device(variable)) return VariableReading::device_name;
  if (iequals(variable, kClientIdVariable)) {
    if (action == kConnect) {
      if (deny) return VariableReading::any_text;
      return (flags & kStatementIsAttachedCondition) ? VariableReading::device_name : VariableReading::any_text;
    }
    if (deny) return VariableReading::matches_nothing;
    return client_id_pinned ? VariableReading::device_name : VariableReading::any_text;
  }
  return deny ? VariableReading::matches_nothing : VariableReading::any_text;
}

StatementLanguage BreadthEvaluator::language_of(uint32_t statement, unsigned action, bool client_id_pinned) {
  StatementLanguage language;
  language.complement = statements_.has(statement, kStatementNotResource);
  const uint8_t flags = statements_.flags(statement);
  for (StringId pattern : statements_.resources(statement)) {
    auto resolved = resolve_pattern(glob(pattern), [&](std::string_view variable) {
      return reading_of(variable, flags, action, client_id_pinned);
    });
    if (resolved) language.patterns.push_back(std::move(*resolved));
  }
  return language;
}

// Broad: some resource of another device (in the policy's own partition, region and account)
// that a statement allows and none denies, decided exactly over the patterns' languages.
bool BreadthEvaluator::grants_foreign(uint32_t first_statement, uint32_t end_statement, const ArnScope& arn,
                                      unsigned action, bool client_id_pinned) {
  // The question, as a key: versions and policy sets repeat the same statements (a fleet has a
  // handful of distinct questions), and each answer costs automata.
  std::string key = fmt::format("{}|{}|{}|{}|{}", action, client_id_pinned, arn.partition, arn.region, arn.account);
  std::vector<uint32_t> relevant;
  bool any_allow = false;
  for (uint32_t statement = first_statement; statement < end_statement; ++statement) {
    if (!(statement_actions(statement) & (DataPlaneActionSet{1} << action))) continue;
    const uint8_t flags = statements_.flags(statement);
    if (!takes_part(flags)) continue;
    // Under iot:Connection.Thing.IsAttached = true the client id is the name of a thing attached to
    // the certificate (AWS counts client/${iot:ClientId} with it as compliant): only its own.
    if (action == kConnect && !(flags & kStatementDeny) && (flags & kStatementIsAttachedCondition)) continue;
    any_allow |= !(flags & kStatementDeny);
    relevant.push_back(statement);
    key += fmt::format("|{}", flags);
    for (StringId pattern : statements_.resources(statement)) key += fmt::format(",{}", pattern);
  }
  if (!any_allow) return false;
  auto known = answers_.find(key);
  if (known == answers_.end()) known = answers_.emplace(std::move(key), answer(relevant, arn, action, client_id_pinned)).first;
  const Answer& answer = known->second;
  if (answer.broad) examples_[action] = example_of(answer, relevant, first_statement, action);
  if (!answer.too_complex_reason.empty()) {
    undecided_ |= DataPlaneActionSet{1} << action;
    undecided_reasons_[action] = answer.too_complex_reason;
  }
  return answer.broad;
}

BreadthEvaluator::Answer BreadthEvaluator::answer(const std::vector<uint32_t>& relevant, const ArnScope& arn,
                                                  unsigned action, bool client_id_pinned) {
  std::vector<StatementLanguage> allowed, denied;
  for (uint32_t statement : relevant)
    (statements_.has(statement, kStatementDeny) ? denied : allowed)
        .push_back(language_of(statement, action, client_id_pinned));
  const ForeignAccess access =
      find_foreign_access(family_of(action), arn, allowed, denied, {}, kDeviceNamePlaceholder, &meter_);
  // Too complex to decide: neither broad nor compliant; the caller says the policy was not decided.
  Answer result{access.answer == LanguageAnswer::found, access.answer == LanguageAnswer::found ? access.witness : "",
                access.answer == LanguageAnswer::too_complex ? access.reason : "", access.allowed_by};
  if (result.broad) result.witness = in_the_policys_words(result.witness, relevant, result.allowed_by);
  return result;
}

// The witness spells the device's own name as ${iot:Connection.Thing.ThingName}; when the
// statement that allows it names the device by another of its variables
// (${iot:Certificate.Subject.CommonName}), the example says that one: the one whose pattern, its
// variables read as text, admits the example.
std::string BreadthEvaluator::in_the_policys_words(const std::string& witness, const std::vector<uint32_t>& relevant,
                                                   uint32_t allowed_by) const {
  if (witness.find(kDeviceNamePlaceholder) == std::string::npos) return witness;
  uint32_t allows_seen = 0;
  for (uint32_t statement : relevant) {
    if (statements_.has(statement, kStatementDeny) || allows_seen++ != allowed_by) continue;
    for (StringId id : statements_.resources(statement)) {
      const std::string_view pattern = statements_.pattern(id);
      const Glob literal = Glob::compile(variables_as_literal_text(pattern));
      for (size_t open = pattern.find("${"); open != std::string_view::npos; open = pattern.find("${", open + 2)) {
        const size_t close = pattern.find('}', open);
        if (close == std::string_view::npos) break;
        const std::string_view variable = pattern.substr(open, close - open + 1);
        std::string rendered = witness;
        for (size_t at = rendered.find(kDeviceNamePlaceholder); at != std::string::npos;
             at = rendered.find(kDeviceNamePlaceholder, at + variable.size()))
          rendered.replace(at, kDeviceNamePlaceholder.size(), variable);
        if (literal.matches(rendered)) return rendered;
      }
    }
  }
  return witness;
}

// What the grant allows, and where it comes from.
GrantExample BreadthEvaluator::example_of(const Answer& answer, const std::vector<uint32_t>& relevant,
                                          uint32_t first_statement, unsigned action) const {
  uint32_t allows_seen = 0, statement = relevant.front();
  for (uint32_t candidate : relevant)
    if (!statements_.has(candidate, kStatementDeny) && allows_seen++ == answer.allowed_by) {
      statement = candidate;
      break;
    }
  return {name_of(action), answer.witness, statement - first_statement + 1, std::string(statements_.sid(statement)),
          granting_resource(statement, answer.witness)};
}

// The statement's resource whose pattern, its variables read as text, admits the witness; else
// the first that a variable or wildcard may stretch to it; none for NotResource.
std::string BreadthEvaluator::granting_resource(uint32_t statement, const std::string& witness) const {
  if (statements_.has(statement, kStatementNotResource)) return {};
  for (StringId id : statements_.resources(statement))
    if (Glob::compile(variables_as_literal_text(statements_.pattern(id))).matches(witness))
      return std::string(statements_.pattern(id));
  for (StringId id : statements_.resources(statement))
    if (statements_.pattern(id).find_first_of("*?$") != std::string_view::npos)
      return std::string(statements_.pattern(id));
  return {};
}

// No catalogue action: ${iot:ClientId} is anybody's in an Allow and credited for nothing in a Deny.
constexpr unsigned kNoAction = kDataPlaneActionCount;

StatementLanguage BreadthEvaluator::statement_language(uint32_t statement) {
  return language_of(statement, kNoAction, false);
}

std::optional<ResourcePattern> BreadthEvaluator::read_pattern(std::string_view text, uint8_t flags) const {
  return resolve_pattern(Glob::compile(text),
                         [&](std::string_view variable) { return reading_of(variable, flags, kNoAction, false); });
}

LanguageAnswer BreadthEvaluator::admits_some(std::span<const uint32_t> allows, std::span<const uint32_t> denies,
                                             ResourceFamily family, const ArnScope& scope) {
  std::string key = fmt::format("{}|{}|{}|{}", static_cast<int>(family), scope.partition, scope.region, scope.account);
  for (auto statements : {allows, denies}) {
    key += '|';
    for (uint32_t statement : statements) {
      key += fmt::format(";{}", statements_.flags(statement));
      for (StringId pattern : statements_.resources(statement)) key += fmt::format(",{}", pattern);
    }
  }
  auto known = admitted_.find(key);
  if (known != admitted_.end()) return known->second;
  std::vector<StatementLanguage> allowed, denied;
  for (uint32_t statement : allows) allowed.push_back(language_of(statement, kNoAction, false));
  for (uint32_t statement : denies) denied.push_back(language_of(statement, kNoAction, false));
  const LanguageAnswer answer = find_foreign_access(family, scope, allowed, denied, {}, kDeviceNamePlaceholder, &meter_).answer;
  admitted_.emplace(std::move(key), answer);
  return answer;
}

bool BreadthEvaluator::lets_connect_as_another(uint32_t first_statement, uint32_t end_statement, const ArnScope& arn) {
  return grants_foreign(first_statement, end_statement, arn, kConnect, /*client_id_pinned=*/false);
}

DataPlaneActionSet BreadthEvaluator::broad_actions(uint32_t first_statement, uint32_t end_statement,
                                                   const ArnScope& arn, std::optional<bool> client_id_pinned) {
  for (std::optional<GrantExample>& example : examples_) example.reset();
  undecided_ = 0;
  start_policy(first_statement, end_statement);
  DataPlaneActionSet broad = 0;
  if (lets_connect_as_another(first_statement, end_statement, arn)) broad |= action_bit(DataPlaneAction::connect);
  // Everywhere but Connect, ${iot:ClientId} is the device's own id only if it cannot connect under
  // another device's client id.
  const bool pinned = client_id_pinned.value_or(!(broad & action_bit(DataPlaneAction::connect)));
  for (unsigned action = 0; action < kDataPlaneActionCount; ++action)
    if (action != kConnect && grants_foreign(first_statement, end_statement, arn, action, pinned))
      broad |= DataPlaneActionSet{1} << action;
  return broad;
}

}  // namespace fleetaudit::policy
