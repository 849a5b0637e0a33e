#include "analyzer/lint/terraform_policy_sources.h"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "analyzer/lint/json_reader.h"
#include "analyzer/lint/utf8_text.h"
#include "analyzer/load/input_files.h"
#include "analyzer/util/utf8.h"

namespace fleetaudit::lint {

namespace {

namespace fs = std::filesystem;

// AWS IoT takes 2,048 characters per policy document: a file of a MiB is no policy, and reading
// is bounded whatever the file turns out to be.
constexpr size_t kMaxPolicyFileBytes = size_t{1} << 20;

// path.module: the directory of the .tf file.
std::string module_of(const SourceFile& terraform) {
  const std::string parent = fs::path(terraform.path()).parent_path().string();
  return parent.empty() ? "." : parent;
}

// The file a file() argument names, relative to the .tf file's directory (path.module); nullopt
// when an interpolation other than path.module decides it.
std::optional<fs::path> policy_path(const Node& argument, const SourceFile& terraform) {
  if (!argument.is_string() || !argument.tag.empty()) return std::nullopt;
  std::string text = argument.text;
  constexpr std::string_view kModule = "<path.module>";  // hcl_strings' stand-in for ${path.module}
  if (text.rfind(kModule, 0) == 0) text.erase(0, kModule.size() + (text.size() > kModule.size() && text[kModule.size()] == '/'));
  if (text.empty() || text.find('<') != std::string::npos) return std::nullopt;
  const fs::path written(text);
  const fs::path module(module_of(terraform));
  return (written.is_absolute() ? written : module / written).lexically_normal();
}

Node made_string(std::string text, Span where) {
  Node node;
  node.kind = Node::Kind::string;
  node.text = std::move(text);
  node.span = where;  // no offsets: made up, located at `where`
  return node;
}

Node made_container(Node::Kind kind, Span where) {
  Node node;
  node.kind = kind;
  node.span = where;
  return node;
}

void put(Node& mapping, Node key, Node value) {
  mapping.keys.push_back(std::move(key));
  mapping.items.push_back(std::move(value));
}

// Inside aws_iam_policy_document `${…}` is Terraform's interpolation, so IAM's policy variables are
// written `&{…}`; the provider turns them into `${…}`. Same length: the offsets stay right.
Node unescaped(Node node) {
  if (node.is_string() && node.tag.empty())
    for (size_t at = node.text.find("&{"); at != std::string::npos; at = node.text.find("&{", at + 2)) node.text[at] = '$';
  for (Node& item : node.items) item = unescaped(std::move(item));
  return node;
}

// condition { test, variable, values } into Condition: {test: {variable: values}}.
void add_condition(const Node& block, Node& conditions) {
  const Node* test = block.get("test");
  const Node* variable = block.get("variable");
  const Node* values = block.get("values");
  if (test == nullptr || variable == nullptr || values == nullptr || !test->is_string() || !variable->is_string()) return;
  Node* by_test = conditions.get(test->text);
  if (by_test == nullptr) {
    put(conditions, *test, made_container(Node::Kind::mapping, block.span));
    by_test = &conditions.items.back();
  }
  put(*by_test, unescaped(*variable), unescaped(*values));
}

constexpr std::pair<std::string_view, std::string_view> kStatementKeys[] = {
    {"sid", "Sid"},         {"effect", "Effect"},       {"actions", "Action"},
    {"not_actions", "NotAction"}, {"resources", "Resource"}, {"not_resources", "NotResource"},
};

// One statement block (`where`: its `statement` keyword); the key it cannot read in `unread`.
std::optional<Node> statement_of(const Node& block, Span where, const Node*& unread) {
  Node statement = made_container(Node::Kind::mapping, block.span);
  Node conditions = made_container(Node::Kind::mapping, block.span);
  bool effect = false;
  for (size_t i = 0; i < block.keys.size(); ++i) {
    const Node& key = block.keys[i];
    if (key.text == "condition") {
      add_condition(block.items[i], conditions);
      continue;
    }
    if (key.text == "dynamic") {
      unread = &key;
      return std::nullopt;
    }
    for (const auto& [written, json] : kStatementKeys)
      if (key.text == written) put(statement, made_string(std::string(json), key.span), unescaped(block.items[i]));
    effect |= key.text == "effect";
  }
  if (!effect) put(statement, made_string("Effect", where), made_string("Allow", where));  // the provider's default
  if (!conditions.keys.empty()) put(statement, made_string("Condition", conditions.span), std::move(conditions));
  return statement;
}

}  // namespace

bool read_policy_file(const Node& call, const std::string& address, IacFile& file, PolicyInput& policy) {
  const std::optional<fs::path> path = call.items.size() == 1 ? policy_path(call.items[0], *file.source) : std::nullopt;
  if (!path) {
    file.unchecked(call.span,
                 fmt::format("{}.policy reads a file whose path only the apply decides: not checked", address));
    return false;
  }
  // Only inside the boundary: a pull request's file("/etc/passwd") or file("../../secret.json") is
  // named at the call and never read, so nothing of it can reach a report.
  const ReadBoundary own_directory = ReadBoundary::around(module_of(*file.source), "the directory of the .tf file");
  const ReadBoundary& boundary = file.boundary != nullptr ? *file.boundary : own_directory;
  std::string error, text;
  if (!read_regular_file(path->string(), text, error, kMaxPolicyFileBytes, &boundary)) {
    file.problem(DiagnosticSeverity::error, call.span,
                 fmt::format("{}.policy: cannot read {}: {}", address, path->string(), error));
    return false;
  }
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte order mark
  auto source = std::make_unique<SourceFile>(path->string(), std::move(text));
  if (const size_t bad = first_invalid_utf8(source->text()); bad != std::string_view::npos) {
    file.problem(DiagnosticSeverity::error, *source, {static_cast<uint32_t>(bad), static_cast<uint32_t>(bad)},
                 fmt::format("not UTF-8 text ({}.policy reads it): a byte that is not part of a UTF-8 character", address));
    return false;
  }
  Node document;
  if (std::optional<ReadError> bad = read_json(source->text(), nullptr, document)) {
    file.problem(DiagnosticSeverity::error, *source, {bad->offset, bad->offset},
                 fmt::format("not a valid JSON policy document ({}.policy reads it): {}", address, bad->message));
    return false;
  }
  if (!document.is(Node::Kind::mapping) || document.get("Statement") == nullptr) {
    file.problem(DiagnosticSeverity::error, *source, document.span,
                 fmt::format("not a policy document ({}.policy reads it): no Statement", address));
    return false;
  }
  policy.document = std::move(document);
  policy.document_source = source.get();
  file.other_sources.push_back(std::move(source));
  return true;
}

bool policy_document_from_data(const Node& body, const std::string& address, IacFile& file, Node& document) {
  document = made_container(Node::Kind::mapping, body.span);
  Node statements = made_container(Node::Kind::sequence, body.span);
  Node version = made_string("2012-10-17", body.span);  // the provider's default
  for (size_t i = 0; i < body.keys.size(); ++i) {
    const Node& key = body.keys[i];
    const Node* unread = nullptr;
    if (key.text == "statement") {
      if (std::optional<Node> statement = statement_of(body.items[i], key.span, unread))
        statements.items.push_back(std::move(*statement));
    } else if (key.text == "version") {
      version = body.items[i];
    } else if (key.text == "policy_id") {
      put(document, made_string("Id", key.span), body.items[i]);
    } else if (key.text != "depends_on" && key.text != "provider") {
      unread = &key;  // source_policy_documents, override_policy_documents, dynamic, for_each, …
    }
    if (unread != nullptr) {
      file.unchecked(unread->span,
                   fmt::format("{} has {}, which lint does not read: the policy is not checked", address, unread->text));
      return false;
    }
  }
  put(document, made_string("Version", body.span), std::move(version));
  put(document, made_string("Statement", body.span), std::move(statements));
  return true;
}

}  // namespace fleetaudit::lint
