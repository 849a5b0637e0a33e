#include "analyzer/policy/data_plane_breadth.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "analyzer/policy/foreign_access.h"
#include "analyzer/policy/policy_variables.h"

namespace fleetaudit::policy {

namespace {

constexpr std::array<std::string_view, kDataPlaneActionCount> kActionNames = {
    "iot:Connect",
    "iot:DeleteConnection",
    "iot:Publish",
    "iot:RetainPublish",
    "iot:Subscribe",
    "iot:GetRetainedMessage",
    "iot:ListRetainedMessages",
    "iot:GetThingShadow",
    "iot:UpdateThingShadow",
    "iot:DeleteThingShadow",
    "iot:DescribeJobExecution",
    "iot:GetPendingJobExecutions",
    "iot:StartNextPendingJobExecution",
    "iot:UpdateJobExecution",
    "iotjobsdata:DescribeJobExecution",
    "iotjobsdata:GetPendingJobExecutions",
    "iotjobsdata:StartNextPendingJobExecution",
    "iotjobsdata:UpdateJobExecution",
};

constexpr DataPlaneActionSet kUnknownActions = UINT32_MAX;
constexpr std::string_view kClientIdVariable = "iot:ClientId";
constexpr unsigned kConnect = static_cast<unsigned>(DataPlaneAction::connect);

template <class Visit>
void for_each_action(DataPlaneActionSet actions, Visit&& visit) {
  for (; actions != 0; actions &= actions - 1) visit(static_cast<unsigned>(std::countr_zero(actions)));
}

}  // namespace

std::string_view action_name(DataPlaneAction action) { return kActionNames[static_cast<size_t>(action)]; }

DataPlaneActionSet actions_matching(std::string_view action_pattern) {
  const Glob glob = Glob::compile(action_pattern, /*case_insensitive=*/true);
  DataPlaneActionSet actions = 0;
  for (size_t i = 0; i < kDataPlaneActionCount; ++i)
    if (glob.matches(kActionNames[i])) actions |= DataPlaneActionSet{1} << i;
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
  for_each_action(undecided_, [&](unsigned action) { undecided.push_back({kActionNames[action], undecided_reasons_[action]}); });
  return undecided;
}

std::string BreadthEvaluator::describe(DataPlaneActionSet actions) {
  std::string text = "[";
  for_each_action(actions & kAllDataPlaneActions, [&](unsigned action) {
    if (text.size() > 1) text += ", ";
    text += kActionNames[action];
  });
  text += ']';
  return text;
}

std::optional<ArnContext> ArnContext::from_arn(std::string_view policy_arn) {
  std::array<std::string_view, 5> fields;  // arn, partition, service, region, account
  for (std::string_view& field : fields) {
    // A colon inside ${…} (${aws:region} of a Serverless template, ${AWS::Region}) is the
    // placeholder's, not a field separator.
    size_t colon = 0;
    for (bool inside = false; colon < policy_arn.size() && (inside || policy_arn[colon] != ':'); ++colon) {
      if (policy_arn.substr(colon, 2) == "${") inside = true;
      else if (policy_arn[colon] == '}') inside = false;
    }
    if (colon == policy_arn.size()) return std::nullopt;
    field = policy_arn.substr(0, colon);
    policy_arn.remove_prefix(colon + 1);
  }
  if (fields[0] != "arn" || fields[2] != "iot") return std::nullopt;
  // These become part of resource ARNs: '/' would shift MQTT levels, '\0' is no ARN text.
  for (size_t i : {1, 3, 4})
    if (fields[i].empty() || fields[i].find_first_of(std::string_view("/\0", 2)) != std::string_view::npos)
      return std::nullopt;
  return ArnContext{std::string(fields[1]), std::string(fields[3]), std::string(fields[4])};
}

namespace {

bool all_of_chars(std::string_view text, bool (*wanted)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), wanted);
}

bool lower_or_dash(char c) { return (c >= 'a' && c <= 'z') || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5: letters and dashes, then a number.
bool region_shaped(std::string_view text) {
  const size_t last_dash = text.rfind('-');
  if (last_dash == std::string_view::npos || last_dash < 2) return false;
  return all_of_chars(text.substr(0, last_dash), lower_or_dash) && all_of_chars(text.substr(last_dash + 1), digit);
}

}  // namespace

bool ArnContext::placeholder(Field field, std::string_view text) {
  if (text.empty()) return false;  // IAM's global ARNs leave the region empty
  if (text.find_first_of("<>{}$") != std::string_view::npos) return true;
  if (text.find_first_of("*?") != std::string_view::npos) return false;  // a pattern, judged as one
  switch (field) {
    case Field::partition: return !(text.rfind("aws", 0) == 0 && all_of_chars(text, lower_or_dash));
    case Field::region: return !region_shaped(text);
    case Field::account: return !(text.size() == 12 && all_of_chars(text, digit)) && text != "aws";
  }
  return false;
}

std::string ArnContext::with_own_fields(std::string_view arn) const {
  const auto fields = from_arn(arn);
  if (!fields) return std::string(arn);
  const bool partition_own = placeholder(Field::partition, fields->partition),
             region_own = placeholder(Field::region, fields->region),
             account_own = placeholder(Field::account, fields->account);
  if (!partition_own && !region_own && !account_own) return std::string(arn);
  // arn:PARTITION:iot:REGION:ACCOUNT: is followed by the resource part, kept as written.
  const size_t prefix = 4 + fields->partition.size() + 5 + fields->region.size() + 1 + fields->account.size() + 1;
  return "arn:" + (partition_own ? partition : fields->partition) + ":iot:" + (region_own ? region : fields->region) +
         ":" + (account_own ? account : fields->account) + ":" + std::string(arn.substr(prefix));
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

// What a policy variable stands for in one statement, for one action. The thing name is the
// device's own; ${iot:ClientId} is the device's own only where it cannot connect under another
// device's id (or the statement demands an attached thing); in a Deny, a value the device picks
// can always dodge the Deny, except ${iot:ClientId} on Connect, which is the very client
// connecting. Thing-, certificate- and Cognito-identity-bound values are the caller's own. Other variables: anything
// in an Allow, nothing in a Deny (credited for nothing).
namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return iequals(text.substr(0, prefix.size()), prefix);
}

// Values bound to the connecting device: its thing, its certificate, its Cognito identity, and
// (in a role alias's role) the thing and certificate the credentials provider was called with.
bool bound_to_the_device(std::string_view variable) {
  return starts_with_ignoring_case(variable, "iot:Connection.Thing.") ||
         starts_with_ignoring_case(variable, "credentials-iot:") ||
         starts_with_ignoring_case(variable, "iot:Certificate.") || iequals(variable, "iot:CertificateId") ||
         starts_with_ignoring_case(variable, "cognito-identity.amazonaws.com:");
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
bool BreadthEvaluator::grants_foreign(uint32_t first_statement, uint32_t end_statement, const ArnContext& arn,
                                      unsigned action, bool client_id_pinned) {
  // The question, as a key: versions and policy sets repeat the same statements (a fleet has a
  // handful of distinct questions), and each answer costs automata.
  std::string key = fmt::format("{}|{}|{}|{}|{}", action, client_id_pinned, arn.partition, arn.region, arn.account);
  std::vector<uint32_t> relevant;
  bool any_allow = false;
  for (uint32_t statement = first_statement; statement < end_statement; ++statement) {
    if (!(statement_actions(statement) & (DataPlaneActionSet{1} << action))) continue;
    const uint8_t flags = statements_.flags(statement);
    // A conditional Deny may not apply, so it takes nothing back.
    if ((flags & kStatementDeny) && (flags & kStatementHasCondition)) continue;
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

BreadthEvaluator::Answer BreadthEvaluator::answer(const std::vector<uint32_t>& relevant, const ArnContext& arn,
                                                  unsigned action, bool client_id_pinned) {
  std::vector<StatementLanguage> allowed, denied;
  for (uint32_t statement : relevant)
    (statements_.has(statement, kStatementDeny) ? denied : allowed)
        .push_back(language_of(statement, action, client_id_pinned));
  const ForeignAccess access = find_foreign_access(family_of(action), ArnScope{arn.partition, arn.region, arn.account},
                                                  allowed, denied, {}, kDeviceNamePlaceholder, &meter_);
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
  return {kActionNames[action], answer.witness, statement - first_statement + 1, std::string(statements_.sid(statement)),
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
    if (statements_.pattern(id).find_first_of("*?$") != std::string_view::npos) return std::string(statements_.pattern(id));
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

bool BreadthEvaluator::lets_connect_as_another(uint32_t first_statement, uint32_t end_statement,
                                               const ArnContext& arn) {
  return grants_foreign(first_statement, end_statement, arn, kConnect, /*client_id_pinned=*/false);
}

DataPlaneActionSet BreadthEvaluator::broad_actions(uint32_t first_statement, uint32_t end_statement,
                                                   const ArnContext& arn, std::optional<bool> client_id_pinned) {
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
