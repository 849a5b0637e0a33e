// Serverless Framework services (serverless.yml): `resources.Resources` is CloudFormation, merged
// into the stack Serverless deploys. Serverless's own variables (${self:…}, ${opt:stage, 'dev'},
// ${aws:accountId}, ${sls:stage}) are resolved before CloudFormation sees the template: they are
// read here as far as the file decides them, and stay named unknowns otherwise.
#include <fmt/format.h>

#include "analyzer/lint/iac_reader.h"

namespace fleetaudit::lint {

namespace {

constexpr int kMostSelfReferences = 8;  // ${self:a} naming ${self:b} naming …: bounded
// Variables resolved for one string, nested ones included: a file of ${self:…} each naming many
// others would otherwise grow exponentially. Past it, what is left stays a named unknown.
constexpr int kMostVariablesPerString = 4096;
constexpr size_t kLongestResolvedString = 64 * 1024;

// Sources Serverless resolves; any other ${…} (${AWS::Region} of an Fn::Sub, ${iot:ClientId}) is not its.
bool serverless_source(std::string_view expression) {
  for (std::string_view source : {"self:", "opt:", "sls:", "env:", "ssm:", "cf:", "s3:", "file(", "param:", "aws:",
                                  "strToBool("})
    if (expression.rfind(source, 0) == 0) return true;
  return false;
}

const Node* at_path(const Node& root, std::string_view path) {
  const Node* node = &root;
  while (node != nullptr && !path.empty()) {
    const size_t dot = path.find('.');
    node = node->get(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return node;
}

std::string resolved_text(const Node& root, std::string_view text, int depth, int& budget);

// One variable's value: its default (`${opt:stage, 'dev'}`), a self: reference to a scalar of the
// file, the stack's own account and region, else a named stand-in.
std::string variable_value(const Node& root, std::string_view expression, int depth, int& budget) {
  if (--budget < 0) return "<" + std::string(expression) + ">";
  if (const size_t comma = expression.find(','); comma != std::string_view::npos) {
    std::string_view fallback = expression.substr(comma + 1);
    while (!fallback.empty() && fallback.front() == ' ') fallback.remove_prefix(1);
    while (!fallback.empty() && fallback.back() == ' ') fallback.remove_suffix(1);
    const bool quoted = fallback.size() >= 2 && (fallback.front() == '\'' || fallback.front() == '"') &&
                        fallback.back() == fallback.front();
    if (quoted) return std::string(fallback.substr(1, fallback.size() - 2));
    if (fallback.rfind("${", 0) == 0) return resolved_text(root, fallback, depth + 1, budget);
    expression = expression.substr(0, comma);
  }
  if (expression == "aws:accountId") return std::string(kStackAccount);
  if (expression == "aws:region" || expression == "opt:region" || expression == "self:provider.region")
    if (expression != "self:provider.region" || at_path(root, "provider.region") == nullptr)
      return std::string(kStackRegion);
  if (expression.rfind("self:", 0) == 0 && depth < kMostSelfReferences) {
    const Node* value = at_path(root, expression.substr(5));
    if (value != nullptr && (value->is_string() || value->is(Node::Kind::number)) && value->tag.empty())
      return resolved_text(root, value->text, depth + 1, budget);
  }
  return "<" + std::string(expression) + ">";
}

std::string resolved_text(const Node& root, std::string_view text, int depth, int& budget) {
  std::string out;
  for (size_t at = 0; at < text.size() && out.size() <= kLongestResolvedString;) {
    const size_t open = text.find("${", at);
    const size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(at));
      break;
    }
    out.append(text.substr(at, open - at));
    const std::string_view expression = text.substr(open + 2, close - open - 2);
    out += serverless_source(expression) ? variable_value(root, expression, depth, budget)
                                         : std::string(text.substr(open, close - open + 1));
    at = close + 1;
  }
  return out;
}

// Each string's variables resolved; a replaced variable's bytes are located at its `${`.
void resolve_variables(const Node& root, Node& node) {
  for (Node& item : node.items) resolve_variables(root, item);
  if (!node.is_string() || node.text.find("${") == std::string::npos) return;
  std::string text;
  std::vector<uint32_t> offsets;
  const bool located = node.offsets.size() == node.text.size() + 1;
  auto offset = [&](size_t i) { return located ? node.offsets[i] : node.span.begin; };
  int budget = kMostVariablesPerString;
  for (size_t at = 0; at < node.text.size() && text.size() <= kLongestResolvedString;) {
    const size_t open = node.text.find("${", at);
    const size_t close = open == std::string::npos ? open : node.text.find('}', open);
    const size_t keep_to = close == std::string::npos ? node.text.size() : open;
    for (size_t i = at; i < keep_to; ++i) text.push_back(node.text[i]), offsets.push_back(offset(i));
    if (close == std::string::npos) break;
    const std::string_view expression = std::string_view(node.text).substr(open + 2, close - open - 2);
    const std::string value = serverless_source(expression) ? variable_value(root, expression, 0, budget)
                                                            : node.text.substr(open, close - open + 1);
    for (size_t i = 0; i < value.size(); ++i)
      text.push_back(value[i]), offsets.push_back(serverless_source(expression) ? offset(open) : offset(open + i));
    at = close + 1;
  }
  offsets.push_back(located ? node.offsets.back() : node.span.end);
  node.text = std::move(text);
  node.offsets = std::move(offsets);
}

}  // namespace

bool is_serverless_service(const Node& root) {
  if (!root.is(Node::Kind::mapping) || root.get("service") == nullptr || root.get("provider") == nullptr) return false;
  const Node* resources = root.get("resources");
  return resources != nullptr;
}

// provider.iam.role.statements (v3) or provider.iamRoleStatements (v2): the functions' role. It is
// not an IoT policy and no check judges a Lambda role: said when it grants IoT actions.
void note_function_role(const Node& root, IacFile& file) {
  const Node* provider = root.get("provider");
  if (provider == nullptr) return;
  const Node* statements = provider->get("iamRoleStatements");
  if (const Node* iam = provider->get("iam"); statements == nullptr && iam != nullptr)
    if (const Node* role = iam->get("role")) statements = role->get("statements");
  if (statements == nullptr || !statements->is(Node::Kind::sequence)) return;
  for (const Node& statement : statements->items) {
    const Node* action = statement.get("Action");
    if (action == nullptr) continue;
    const std::vector<const Node*> actions =
        action->is(Node::Kind::sequence) ? [&] {
          std::vector<const Node*> items;
          for (const Node& item : action->items) items.push_back(&item);
          return items;
        }()
                                         : std::vector<const Node*>{action};
    for (const Node* name : actions)
      if (name->is_string() && (name->text.rfind("iot:", 0) == 0 || name->text.rfind("iotjobsdata:", 0) == 0)) {
        file.unchecked(statements->span,
                       fmt::format("not checked: the functions' role (provider IAM statements) grants {}: a Lambda "
                                   "role is judged by no IoT check",
                                   name->text));
        return;
      }
  }
}

void read_serverless_service(const Node& root, IacFile& file) {
  note_function_role(root, file);
  const Node* resources = root.get("resources");
  const Node* template_resources = resources->is(Node::Kind::mapping) ? resources->get("Resources") : nullptr;
  if (template_resources == nullptr || !template_resources->is(Node::Kind::mapping)) {
    // `resources: [${file(resources/iot.yml)}]`, or only Outputs: what it includes is another file's.
    file.unchecked(resources->span,
                 "not checked: resources is not a CloudFormation Resources mapping written in this file (an included "
                 "file is linted on its own when it is a template)");
    return;
  }
  Node stack;
  stack.kind = Node::Kind::mapping;
  stack.span = resources->span;
  for (size_t i = 0; i < resources->keys.size(); ++i) {
    if (resources->keys[i].text != "Resources" && resources->keys[i].text != "Conditions") continue;
    stack.keys.push_back(resources->keys[i]);
    stack.items.push_back(resources->items[i]);
    resolve_variables(root, stack.items.back());
  }
  read_cloudformation(stack, file);
}

}  // namespace fleetaudit::lint
