// Terraform source (.tf, the subset hcl_reader.h reads): the IoT resources one file declares.
// References between them are followed within the file: aws_iot_policy.door.name is that
// policy's name, aws_iot_certificate.door.arn that certificate, aws_iot_thing.door.name that thing's,
// data.aws_iam_policy_document.door.json the document that data block renders.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analyzer/lint/hcl_reader.h"
#include "analyzer/lint/iac_reader.h"
#include "analyzer/lint/json_reader.h"
#include "analyzer/lint/terraform_module.h"
#include "analyzer/lint/terraform_policy_sources.h"
#include "analyzer/policy/arn.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::lint {

namespace {

struct Declared {
  std::string type, name;
  const Node* body = nullptr;
  Span where;
  std::string address() const { return type + "." + name; }
};

class TerraformFile {
public:
  explicit TerraformFile(const std::vector<HclBlock>& blocks) {
    for (const HclBlock& block : blocks)
      if ((block.type == "resource" || block.type == "data") && block.labels.size() == 2)
        (block.type == "data" ? data_ : resources_).push_back({block.labels[0], block.labels[1], &block.body, block.where});
  }
  const std::vector<Declared>& resources() const { return resources_; }

  // The data "aws_iam_policy_document" that `reference` (data.aws_iam_policy_document.NAME.json)
  // renders; nullptr when it names none of this file.
  const Declared* policy_document(const Node& reference) const {
    constexpr std::string_view kPrefix = "data.aws_iam_policy_document.";
    const std::string& text = reference.text;
    if (reference.tag != kHclReference || text.rfind(kPrefix, 0) != 0) return nullptr;
    const size_t dot = text.find('.', kPrefix.size());
    if (dot == std::string::npos) return nullptr;
    const std::string_view attribute = std::string_view(text).substr(dot + 1);
    if (attribute != "json" && attribute != "minified_json") return nullptr;
    for (const Declared& data : data_)
      if (data.type == "aws_iam_policy_document" && data.name == text.substr(kPrefix.size(), dot - kPrefix.size()))
        return &data;
    return nullptr;
  }

  // An attribute as text: a literal, or what a reference to another resource of the file names
  // (its `name`, or its address for a certificate or a reference without one). nullopt if absent.
  std::optional<std::string> text(const Declared& resource, std::string_view attribute) const {
    const Node* value = resource.body->get(attribute);
    if (value == nullptr) return std::nullopt;
    if (value->tag != kHclReference) return value->text;
    // aws_iot_policy.door.name, aws_iot_certificate.door.arn: TYPE.NAME.ATTRIBUTE
    const std::string& reference = value->text;
    const size_t first = reference.find('.');
    const size_t second = first == std::string::npos ? std::string::npos : reference.find('.', first + 1);
    const std::string address = reference.substr(0, second);
    for (const Declared& other : resources_)
      if (other.address() == address && other.type != "aws_iot_certificate") {
        const Node* name = other.body->get("name");
        if (name != nullptr && name->tag.empty() && name->is_string()) return name->text;
      }
    return address;
  }

private:
  std::vector<Declared> resources_;
  std::vector<Declared> data_;
};

void read_policy(const TerraformFile& terraform, const Declared& resource, IacFile& file) {
  const Node* policy = resource.body->get("policy");
  if (policy == nullptr) {
    file.problem(DiagnosticSeverity::error, resource.where, fmt::format("{}: no policy", resource.address()));
    return;
  }
  PolicyInput input;
  input.origin = {resource.address(), {}};
  input.name = terraform.text(resource, "name").value_or(resource.address());
  input.anchor = policy->span;
  if (policy->is(Node::Kind::mapping)) {  // jsonencode({…})
    input.document = *policy;
  } else if (policy->is_string() && policy->tag.empty()) {  // a string or heredoc of JSON
    if (std::optional<ReadError> error = read_json(policy->text, &policy->offsets, input.document)) {
      file.problem(DiagnosticSeverity::error, {error->offset, error->offset},
                   fmt::format("{}.policy: not a valid JSON policy document: {}", resource.address(), error->message));
      return;
    }
  } else if (policy->tag == kHclUnknown && policy->text.rfind("<file(", 0) == 0) {
    if (!read_policy_file(*policy, resource.address(), file, input)) return;
  } else if (const Declared* data = terraform.policy_document(*policy)) {
    if (!policy_document_from_data(*data->body, "data." + data->address(), file, input.document)) return;
  } else if (policy->tag == kHclUnknown && policy->text.rfind("<templatefile(", 0) == 0) {
    file.unchecked(policy->span,
                 fmt::format("{}.policy is a templatefile(…), whose variables only the apply decides: not checked",
                             resource.address()));
    return;
  } else {
    file.unchecked(policy->span,
                 fmt::format("{}.policy is not a document lint reads (a variable, a data source of another file, "
                             "a function, …): not checked",
                             resource.address()));
    return;
  }
  file.policies.push_back(std::move(input));
}

// aws_iot_thing_principal_attachment: with for_each or count, one attachment per instance. A
// certificate not chosen per instance (no each./count. in its principal) is then attached to
// every instance's thing: shared when there is more than one. A set the file does not decide is
// said, not guessed.
void read_thing_attachment(const TerraformFile& terraform, const Declared& resource, IacFile& file) {
  const Origin origin{resource.address(), {}};
  auto principal = terraform.text(resource, "principal");
  auto thing = terraform.text(resource, "thing");
  if (!principal || !thing) return;
  if (const auto id = policy::arn_resource_name(*principal, "cert")) *principal = std::string(*id);
  const Span where = resource.body->get("principal")->span;
  const bool repeated = resource.body->get("for_each") != nullptr || resource.body->get("count") != nullptr;
  if (!repeated) {
    file.attachments.push_back({origin, *principal, *thing, where});
    return;
  }
  const std::optional<std::vector<std::string>> keys = instance_keys(*resource.body);
  if (!keys) {
    file.unchecked(where, fmt::format("not decided: {} is repeated by a for_each or count whose instances only the "
                                      "plan decides: whether its certificate is shared is not checked (lint the plan)",
                                      resource.address()));
    return;
  }
  // As written (aws_iot_thing.this[each.key].name): whether the value differs per instance.
  auto per_instance = [&](std::string_view attribute) {
    const std::string& text = resource.body->get(attribute)->text;
    return text.find("each.") != std::string::npos || text.find("count.index") != std::string::npos;
  };
  // aws_iot_thing.this[each.key].name for the instance "pump-1": aws_iot_thing.this["pump-1"].name.
  auto instance_text = [&](std::string_view attribute, const std::string& key) {
    std::string text = resource.body->get(attribute)->text;
    for (std::string_view each : {"each.key", "each.value", "count.index"})
      for (size_t at = text.find(each); at != std::string::npos; at = text.find(each, at + 1))
        text.replace(at, each.size(), "\"" + key + "\"");
    return text;
  };
  for (const std::string& key : *keys) {
    const std::string certificate = per_instance("principal") ? instance_text("principal", key) : *principal;
    const std::string thing_name = *thing == "each.value" || *thing == "each.key" ? key
                                   : per_instance("thing")                     ? instance_text("thing", key)
                                                                               : *thing;
    file.attachments.push_back({origin, certificate, thing_name, where});
  }
}

// IoT resources this reader does not judge, and module calls it does not follow: said, so that a
// clean run does not read as "checked".
void note_unread(const std::vector<HclBlock>& blocks, IacFile& file) {
  for (const HclBlock& block : blocks) {
    if (block.type == "module" && block.labels.size() == 1) {
      const Node* source = block.body.get("source");
      std::string words = source != nullptr ? source->text : std::string();
      for (const Node& key : block.body.keys) words += " " + key.text;
      words = ascii_lower(words);
      if (words.find("iot") == std::string::npos && words.find("greengrass") == std::string::npos) continue;
      file.unchecked(block.where, fmt::format("not checked: module.{} is not followed (lint does not read other "
                                              "modules' source: lint `terraform show -json` of the plan)",
                                              block.labels[0]));
      continue;
    }
    if (block.type != "resource" || block.labels.size() != 2) continue;
    const std::string& type = block.labels[0];
    std::string what;
    if (type == "aws_iot_role_alias")
      what = "the role it hands out (role_arn) is not judged: lint reads a role alias's role in CloudFormation only";
    else if (type == "aws_iot_topic_rule")
      what = "the roles its actions use are not judged (lint judges the roles of role aliases and identity pools only)";
    else if (type == "aws_iot_provisioning_template") what = "its template_body is not read: lint the provisioning template as a JSON file";
    else if (type == "aws_iot_authorizer") what = "custom authorizers are not judged";
    if (what.empty()) continue;
    file.unchecked(block.where, fmt::format("not checked: {}.{}: {}", type, block.labels[1], what));
  }
}

}  // namespace

void read_terraform_source(IacFile& file) {
  std::vector<HclBlock> blocks;
  if (std::optional<ReadError> error = read_hcl(*file.source, blocks)) {
    file.kind = "Terraform";
    file.problem(DiagnosticSeverity::error, {error->offset, error->offset},
                 fmt::format("not Terraform this reader understands: {}", error->message));
    return;
  }
  ModuleValues values = module_values(*file.source, blocks);
  for (HclBlock& block : blocks) substitute_module_values(values, block.body);
  const TerraformFile terraform(blocks);
  bool any = false;
  for (const Declared& resource : terraform.resources()) {
    const Origin origin{resource.address(), {}};
    if (resource.type == "aws_iot_policy") {
      read_policy(terraform, resource, file);
    } else if (resource.type == "aws_iot_policy_attachment") {
      auto policy = terraform.text(resource, "policy");
      auto target = terraform.text(resource, "target");
      if (policy && target) file.policy_targets.push_back({origin, *policy, *target, resource.where});
    } else if (resource.type == "aws_iot_thing_principal_attachment") {
      read_thing_attachment(terraform, resource, file);
    } else if (resource.type == "aws_iot_certificate") {
      const Node* active = resource.body->get("active");
      file.certificates.push_back(
          {origin, resource.address(), active != nullptr && active->text == "false" ? "INACTIVE" : "ACTIVE", resource.where});
    } else if (resource.type == "aws_iot_logging_options") {
      LoggingInput logging;
      logging.origin = origin;
      const Node* level = resource.body->get("default_log_level");
      logging.where = level != nullptr ? level->span : resource.where;
      logging.default_level = terraform.text(resource, "default_log_level").value_or("");
      logging.role_arn = terraform.text(resource, "role_arn").value_or("");
      const Node* disabled = resource.body->get("disable_all_logs");
      logging.disable_all_logs = disabled != nullptr && disabled->text == "true";
      if (logging.disable_all_logs) logging.where = disabled->span;
      file.logging.push_back(std::move(logging));
    } else {
      continue;
    }
    any = true;
  }
  note_unread(blocks, file);
  if (any || !file.problems.empty()) file.kind = "Terraform";
}

}  // namespace fleetaudit::lint
