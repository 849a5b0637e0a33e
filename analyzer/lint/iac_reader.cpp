#include "analyzer/lint/iac_reader.h"

#include <fmt/format.h>

#include <filesystem>

#include "analyzer/lint/json_reader.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/lint/utf8_text.h"
#include "analyzer/lint/yaml_reader.h"

namespace fleetaudit::lint {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_cloudformation(const Node& root) {
  if (!root.is(Node::Kind::mapping)) return false;
  const Node* resources = root.get("Resources");
  if (resources == nullptr || !resources->is(Node::Kind::mapping)) return false;
  if (root.get("AWSTemplateFormatVersion") != nullptr) return true;
  for (const Node& resource : resources->items)
    if (const Node* type = resource.get("Type"); type != nullptr && type->text.find("::") != std::string::npos)
      return true;
  return false;
}

bool is_policy_document(const Node& root) {
  return root.is(Node::Kind::mapping) && root.get("Statement") != nullptr &&
         (root.get("Version") != nullptr || root.keys.size() == 1);
}

bool is_terraform_plan(const Node& root) {
  return root.is(Node::Kind::mapping) && root.get("format_version") != nullptr &&
         (root.get("planned_values") != nullptr || root.get("resource_changes") != nullptr);
}

void read_document(const Node& root, IacFile& file) {
  if (is_cloudformation(root)) {
    file.kind = "CloudFormation template";
    read_cloudformation(root, file);
  } else if (is_terraform_plan(root)) {
    file.kind = "Terraform plan";
    read_terraform_plan(root, file);
  } else if (is_policy_document(root) && names_iot_action(root)) {
    file.kind = "IoT policy document";
    PolicyInput policy;
    policy.name = std::filesystem::path(file.source->path()).stem().string();
    policy.document = root;
    policy.anchor = root.span;
    file.policies.push_back(std::move(policy));
  }
}

// Text that names none of the members IaC starts from is some other file (package.json, a CI
// workflow, a Helm chart): not read, so neither linted nor an error when it does not parse.
bool may_be_iac(std::string_view content) {
  for (std::string_view word : {"Statement", "Resources", "format_version"})
    if (content.find(word) != std::string_view::npos) return true;
  return false;
}

bool yaml_syntax(std::string_view path, std::string_view content) {
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return true;
  if (ends_with(path, ".json")) return false;
  const size_t first = content.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && content[first] != '{' && content[first] != '[';
}

}  // namespace

void IacFile::problem(DiagnosticSeverity severity, Span where, std::string message) {
  problem(severity, *source, where, std::move(message));
}

void IacFile::problem(DiagnosticSeverity severity, const SourceFile& in, Span where, std::string message) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.file = in.path();
  in.position(where.begin, diagnostic.line, diagnostic.column);
  // A message may quote the file (a resource's name, a path it gives): bounded, cut between
  // characters; reports escape it.
  constexpr size_t kMaxMessageBytes = 1024;
  if (message.size() > kMaxMessageBytes) {
    size_t cut = kMaxMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
    message.resize(cut);
    message += "…";
  }
  diagnostic.message = std::move(message);
  problems.push_back(std::move(diagnostic));
}

IacFile read_iac_text(std::string text, const std::string& display_path, const ReadBoundary* boundary) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte order mark
  IacFile file;
  file.boundary = boundary;
  file.source = std::make_unique<SourceFile>(display_path, std::move(text));
  const std::string_view content = file.source->text();
  const bool terraform_source = ends_with(display_path, ".tf");
  if (terraform_source ? content.find("aws_iot_") == std::string_view::npos : !may_be_iac(content)) return file;
  // Reports are UTF-8 (SARIF, JSON): a file that is not cannot be quoted in them.
  if (const size_t bad = invalid_utf8_at(content); bad != std::string_view::npos) {
    file.kind = "text";
    file.problem(DiagnosticSeverity::error, {static_cast<uint32_t>(bad), static_cast<uint32_t>(bad)},
                 "not UTF-8 text: a byte that is not part of a UTF-8 character");
    return file;
  }
  if (terraform_source) {
    read_terraform_source(file);
    if (!file.kind.empty()) read_suppression_comments(file);
    return file;
  }
  const bool yaml = yaml_syntax(display_path, content);
  std::vector<Node> documents(1);
  std::optional<ReadError> error =
      yaml ? read_yaml(*file.source, documents) : read_json(content, nullptr, documents[0]);
  if (error) {
    file.kind = yaml ? "YAML" : "JSON";
    file.problem(DiagnosticSeverity::error, {error->offset, error->offset},
                 fmt::format("not valid {}: {}", file.kind, error->message));
    return file;
  }
  for (const Node& document : documents) read_document(document, file);
  if (yaml && !file.kind.empty()) read_suppression_comments(file);
  return file;
}

}  // namespace fleetaudit::lint
