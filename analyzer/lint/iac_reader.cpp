#include "analyzer/lint/iac_reader.h"

#include <fmt/format.h>

#include <algorithm>
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

// No AWSTemplateFormatVersion, and a certificate taken from the provisioning request (CertificateId
// or CertificateSigningRequest, usually a Ref of an AWS::IoT::Certificate:: parameter) or
// OverrideSettings on a resource: AWS IoT's provisioning template, not a stack.
bool is_provisioning_template(const Node& root) {
  if (root.get("AWSTemplateFormatVersion") != nullptr) return false;
  for (const Node& resource : root.get("Resources")->items) {
    if (!resource.is(Node::Kind::mapping)) continue;
    if (resource.get("OverrideSettings") != nullptr) return true;
    const Node* type = resource.get("Type");
    const Node* properties = resource.get("Properties");
    if (type == nullptr || type->text != "AWS::IoT::Certificate" || properties == nullptr) continue;
    if (properties->get("CertificateId") != nullptr || properties->get("CertificateSigningRequest") != nullptr)
      return true;
    // Bulk registration and CA-based templates: the PEM is a parameter of the request, not written here.
    const Node* pem = properties->get("CertificatePem");
    if (pem != nullptr && !(pem->is_string() && pem->tag.empty())) return true;
  }
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
    file.kind = is_provisioning_template(root) ? kProvisioningTemplate : "CloudFormation template";
    read_cloudformation(root, file);
  } else if (is_serverless_service(root)) {
    file.kind = "Serverless Framework service";
    read_serverless_service(root, file);
  } else if (is_terraform_plan(root)) {
    file.kind = "Terraform plan";
    read_terraform_plan(root, file);
  } else if (is_policy_document(root) && names_iot_action(root)) {
    if (const std::string other = other_service_named(root); !other.empty()) {
      // Judged as an IAM policy where the file hands it to a role alias or identity pool; alone,
      // its grants of other services are IAM's business, not an IoT policy's.
      file.kind = "IAM policy document";
      file.unchecked(root.span,
                   fmt::format("not checked: an IAM policy, not an IoT policy (it names {}); lint judges IAM policies "
                               "as the roles a role alias or Cognito identity pool of a template hands out",
                               other));
      return;
    }
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
  // A serverless.yml whose resources are other files: read, to say so.
  return content.find("\nresources:") != std::string_view::npos && content.find("\nprovider:") != std::string_view::npos &&
         content.find("service:") != std::string_view::npos;
}

// An aws_iot_ resource, or a module call that may create IoT resources (its note says it was not followed).
bool may_be_iot_terraform(std::string_view content) {
  if (content.find("aws_iot_") != std::string_view::npos) return true;
  return content.find("module") != std::string_view::npos &&
         (content.find("iot") != std::string_view::npos || content.find("greengrass") != std::string_view::npos);
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
  const bool terraform_source = ends_with(display_path, ".tf");
  if (terraform_source ? !may_be_iot_terraform(text) : !may_be_iac(text)) {
    file.source = std::make_unique<SourceFile>(display_path, std::move(text));
    return file;
  }
  // Reports are UTF-8 (SARIF, JSON): bytes that are not become '?', one for one so every offset
  // stays where it was. In a comment they are what the language accepts (Shift-JIS comments);
  // elsewhere they are an error at their span, and the rest of the file is still read.
  const CommentSyntax comments = terraform_source ? CommentSyntax::hcl
                                 : yaml_syntax(display_path, text) ? CommentSyntax::hash
                                                                   : CommentSyntax::none;
  const std::vector<InvalidUtf8Run> invalid = invalid_utf8_runs(text, comments);
  for (const InvalidUtf8Run& run : invalid) std::fill(text.begin() + run.begin, text.begin() + run.end, '?');
  file.source = std::make_unique<SourceFile>(display_path, std::move(text));
  const std::string_view content = file.source->text();
  for (const InvalidUtf8Run& run : invalid)
    if (!run.in_comment)
      file.problem(DiagnosticSeverity::error, {static_cast<uint32_t>(run.begin), static_cast<uint32_t>(run.end)},
                   fmt::format("not UTF-8 text: {} byte(s) that are not part of a UTF-8 character, outside a "
                               "comment (read as '?'; the rest of the file is still read)",
                               run.end - run.begin));
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
