// FLEETAUDIT_ALLOW_GRANTS_NOTHING: an Allow statement that grants nothing: none of its actions is
// one AWS IoT defines, none of its resources is of a type its actions act on, or the document's
// unconditional Denies take back every action it allows on every resource it names (decided by
// the policy model's languages, analyzer/policy).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "analyzer/lint/document_json.h"
#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/actions.h"
#include "analyzer/policy/applicable.h"
#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::lint {
namespace {

// Written out in the file: not a parameter, a reference or another stand-in.
bool written_out(const Node& value) { return value.tag.empty() && value.text.find('<') == std::string::npos; }

// Every element of a string or list value, strings all, each written out.
std::optional<std::vector<const Node*>> written_strings(const Node* value) {
  std::vector<const Node*> strings = strings_of(value);
  const size_t elements = value == nullptr ? 0 : value->is(Node::Kind::sequence) ? value->items.size() : 1;
  if (strings.empty() || strings.size() != elements) return std::nullopt;
  for (const Node* string : strings)
    if (!written_out(*string)) return std::nullopt;
  return strings;
}

std::string joined(const std::vector<const Node*>& values) {
  std::string text;
  for (const Node* value : values) text += (text.empty() ? "" : ", ") + value->text;
  return text;
}

// None of the statement's actions matches an action AWS IoT defines.
std::optional<std::string> names_no_action(const StatementView& statement) {
  if (statement.not_action) return std::nullopt;
  const auto actions = written_strings(statement.actions);
  if (!actions) return std::nullopt;
  for (const Node* action : *actions)
    if (policy::matches_iot_action(action->text)) return std::nullopt;
  return fmt::format("none of its actions ({}) is one AWS IoT defines", joined(*actions));
}

// Every action is a data-plane action named exactly, and every resource of a data-plane type none
// of them acts on.
std::optional<std::string> acts_on_no_resource(const StatementView& statement) {
  if (statement.not_action || statement.not_resource) return std::nullopt;
  const auto actions = written_strings(statement.actions);
  const auto resources = written_strings(statement.resources);
  if (!actions || !resources) return std::nullopt;
  std::vector<std::string_view> acted_on;
  for (const Node* action : *actions) {
    const std::string_view type = policy::resource_type_acted_on(action->text);
    if (type.empty()) return std::nullopt;
    acted_on.push_back(type);
  }
  for (const Node* resource : *resources) {
    const auto at = arn_resource_type(resource->text);
    if (!at) return std::nullopt;
    const std::string_view type = std::string_view(resource->text).substr(at->first, at->second - at->first);
    if (!policy::data_plane_resource_type(type) || std::find(acted_on.begin(), acted_on.end(), type) != acted_on.end())
      return std::nullopt;
  }
  return fmt::format("its actions ({}) never act on the types of its resources ({})", joined(*actions),
                     joined(*resources));
}

// The document in the policy model, each statement a row (rows follow the Statement list).
struct ModelledPolicy {
  policy::PolicyStatementTable statements;
  std::vector<policy::Glob> action_globs;  // by pattern id

  bool names(uint32_t row, std::string_view action) const {
    bool named = false;
    for (StringId pattern : statements.actions(row)) named |= action_globs[pattern].matches(action);
    return named != statements.has(row, policy::kStatementNotAction);
  }
};

std::optional<ModelledPolicy> modelled(const PolicyInput& policy) {
  ModelledPolicy model;
  const std::string json = document_json(policy.document, stack_context_of({&policy.document}));
  if (policy::append_policy_document(json, 0, model.statements)) return std::nullopt;
  for (StringId id = 0; id < model.statements.pattern_count(); ++id)
    model.action_globs.push_back(policy::Glob::compile(model.statements.pattern(id), true));
  return model;
}

// For every action AWS IoT defines that the Allow `row` names, the unconditional Denies naming it
// admit every resource the Allow admits (proved on the languages; too complex proves nothing).
// The Denies that do so, or nothing when some action survives.
std::optional<std::vector<uint32_t>> denied_entirely(ModelledPolicy& model, policy::BreadthEvaluator& evaluator,
                                                     uint32_t row) {
  std::vector<uint32_t> all_denies;
  bool named_any = false;
  for (std::string_view action : policy::iot_action_names()) {
    if (!model.names(row, action)) continue;
    named_any = true;
    const std::vector<uint32_t> denies =
        policy::applicable(model.statements, 0, static_cast<uint32_t>(model.statements.size()), [&](uint32_t other) {
          return model.statements.has(other, policy::kStatementDeny) && model.names(other, action);
        });
    if (denies.empty()) return std::nullopt;
    const uint32_t allows[] = {row};
    if (evaluator.admits_some(allows, denies, policy::ResourceFamily::any_resource, policy::ArnScope{}) !=
        policy::LanguageAnswer::empty)
      return std::nullopt;
    for (uint32_t deny : denies)
      if (std::find(all_denies.begin(), all_denies.end(), deny) == all_denies.end()) all_denies.push_back(deny);
  }
  if (!named_any) return std::nullopt;
  std::sort(all_denies.begin(), all_denies.end());
  return all_denies;
}

std::string statement_numbers(const std::vector<uint32_t>& rows) {
  std::string text;
  for (uint32_t row : rows) text += (text.empty() ? "" : ", ") + std::to_string(row + 1);
  return text;
}

void run(const LintRule& rule, const PolicyInput& policy, const IacFile& /*file*/, std::vector<LintFinding>& out) {
  std::optional<ModelledPolicy> model;  // built when a Deny is there to ask about
  std::optional<policy::BreadthEvaluator> evaluator;
  bool unmodelled = false;  // the model does not read the document (it is a problem of the file)
  const std::vector<StatementView> statements = statements_of(policy.document);
  const bool any_deny = std::any_of(statements.begin(), statements.end(), [](const StatementView& s) { return s.deny; });
  for (const StatementView& statement : statements) {
    if (statement.deny) continue;
    const Node* effect = statement.node->get("Effect");
    const Span at = effect != nullptr ? effect->text_extent() : statement.node->span;
    std::optional<std::string> why = names_no_action(statement);
    if (!why) why = acts_on_no_resource(statement);
    std::vector<uint32_t> denies;
    if (!why && any_deny && !unmodelled) {
      if (!model && !(model = modelled(policy))) {
        unmodelled = true;
        continue;
      }
      if (!evaluator) evaluator.emplace(model->statements);
      if (auto covering = denied_entirely(*model, *evaluator, static_cast<uint32_t>(statement.index))) {
        denies = *covering;
        why = fmt::format("the Deny in statement {} takes back every action it allows on every resource it names",
                          statement_numbers(denies));
      }
    }
    if (!why) continue;
    LintFinding finding = lint_finding(
        rule, policy, at,
        fmt::format("Statement {} of policy {} is an Allow that grants nothing: {}.", statement.index + 1, policy.name,
                    *why),
        std::to_string(statement.index));
    for (uint32_t deny : denies)
      if (const Node* deny_effect = statements[deny].node->get("Effect")) finding.related.push_back(deny_effect->text_extent());
    out.push_back(std::move(finding));
  }
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterLintRule registration({
    .info =
        {
            .name = "FLEETAUDIT_ALLOW_GRANTS_NOTHING",
            .aliases = {},
            .severity = Severity::low,
            .resource_type = ResourceType::iot_policy,
            .reason_codes = {"ALLOW_GRANTS_NOTHING"},
            .short_description = "An Allow statement grants nothing.",
            .full_description =
                "An Allow statement whose actions are none AWS IoT defines, whose resources are all of types its "
                "actions never act on (iot:Subscribe on topic/…), or whose every action on every resource a Deny "
                "of the same document takes back, grants nothing: the devices are refused what it was written "
                "for, and a reader of the policy is misled about what it allows.",
            .help = "The Deny case is decided exactly on the statements' resource languages (the policy model "
                    "`audit` uses), for every action AWS defines that the Allow names, by the Denies without a "
                    "Condition; a Deny whose policy variable the device may not match is not credited. Other "
                    "policies attached to the same principal are not considered. Fix: correct the action or "
                    "resource, narrow the Deny, or remove the statement.",
            .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-policies.html",
            .parameters = {},
            .required_inputs = {},
            .run = nullptr,
            .fleetaudit_own = true,
        },
    .run = run,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit::lint
