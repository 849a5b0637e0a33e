// Terraform plan JSON (`terraform show -json plan.out`): the IoT resources it will create, with
// values unknown until apply (after_unknown) treated as unknown.
#include <fmt/format.h>

#include "analyzer/lint/cfn_intrinsics.h"
#include "analyzer/lint/iac_reader.h"
#include "analyzer/lint/json_reader.h"
#include "analyzer/policy/arn.h"

namespace fleetaudit::lint {

namespace {

struct PlannedResource {
  std::string address, type;
  Span address_at;  // the "address" string: where a finding about the whole resource points
  const Node* values = nullptr;
  const Node* unknown = nullptr;  // after_unknown: attribute -> true
  const Node* expressions = nullptr;  // configuration: attribute -> {references: [...]}
};

void collect_modules(const Node& module, std::vector<PlannedResource>& out) {
  if (const Node* resources = module.get("resources"))
    for (const Node& resource : resources->items) {
      const Node* address = resource.get("address");
      const Node* type = resource.get("type");
      if (address == nullptr || type == nullptr) continue;
      out.push_back({address->text, type->text, address->text_extent(), resource.get("values"), nullptr, nullptr});
    }
  if (const Node* children = module.get("child_modules"))
    for (const Node& child : children->items) collect_modules(child, out);
}

// configuration.root_module.resources[].expressions, by address (root module only).
const Node* expressions_of(const Node& root, const std::string& address) {
  const Node* configuration = root.get("configuration");
  const Node* module = configuration != nullptr ? configuration->get("root_module") : nullptr;
  const Node* resources = module != nullptr ? module->get("resources") : nullptr;
  if (resources == nullptr) return nullptr;
  for (const Node& resource : resources->items)
    if (const Node* at = resource.get("address"); at != nullptr && at->text == address) return resource.get("expressions");
  return nullptr;
}

// The value of an attribute, or for one unknown until apply the resource it refers to
// ("aws_iot_certificate.door"), or nullopt.
std::optional<Node> attribute(const PlannedResource& resource, const std::string& name) {
  const Node* value = resource.values != nullptr ? resource.values->get(name) : nullptr;
  if (value != nullptr && value->is_string()) return *value;
  const Node* unknown = resource.unknown != nullptr ? resource.unknown->get(name) : nullptr;
  if (unknown == nullptr || unknown->text != "true") return std::nullopt;
  const Node* expression = resource.expressions != nullptr ? resource.expressions->get(name) : nullptr;
  const Node* references = expression != nullptr ? expression->get("references") : nullptr;
  if (references != nullptr && !references->items.empty()) {
    std::string target = references->items.back().text;  // the resource, after its attribute
    return stand_in(target, references->items.back().span);
  }
  return stand_in("<" + resource.address + "." + name + ">", unknown->span);
}

}  // namespace

void read_terraform_plan(const Node& root, IacFile& file) {
  std::vector<PlannedResource> planned;
  if (const Node* changes = root.get("resource_changes"); changes != nullptr && changes->is(Node::Kind::sequence)) {
    for (const Node& change : changes->items) {
      const Node* address = change.get("address");
      const Node* type = change.get("type");
      const Node* body = change.get("change");
      if (address == nullptr || type == nullptr || body == nullptr) continue;
      const Node* actions = body->get("actions");
      if (actions != nullptr && actions->items.size() == 1 && actions->items[0].text == "delete") continue;
      planned.push_back({address->text, type->text, address->text_extent(), body->get("after"),
                         body->get("after_unknown"), nullptr});
    }
  } else if (const Node* values = root.get("planned_values"); values != nullptr && values->get("root_module")) {
    collect_modules(*values->get("root_module"), planned);
  }
  for (PlannedResource& resource : planned) {
    resource.expressions = expressions_of(root, resource.address);
    const Origin origin{resource.address, {}};
    const Span where = resource.address_at;
    if (resource.type == "aws_iot_policy") {
      std::optional<Node> text = attribute(resource, "policy");
      if (!text || text->offsets.empty() || text->text.rfind("<", 0) == 0) {
        file.problem(DiagnosticSeverity::warning, where,
                     fmt::format("{}: the policy is not known until apply; not checked", resource.address));
        continue;
      }
      Node document;
      if (std::optional<ReadError> error = read_json(text->text, &text->offsets, document)) {
        file.problem(DiagnosticSeverity::error, {error->offset, error->offset},
                     fmt::format("{}.policy: not a valid JSON policy document: {}", resource.address, error->message));
        continue;
      }
      std::optional<Node> name = attribute(resource, "name");
      file.policies.push_back({origin, name ? name->text : resource.address, std::move(document), text->span, {}});
    } else if (resource.type == "aws_iot_thing_principal_attachment") {
      std::optional<Node> principal = attribute(resource, "principal");
      std::optional<Node> thing = attribute(resource, "thing");
      if (!principal || !thing) continue;
      std::string certificate = principal->text;
      if (const auto id = policy::arn_resource_name(certificate, "cert")) certificate = std::string(*id);
      if (certificate.size() > 4 && certificate.compare(certificate.size() - 4, 4, ".arn") == 0)
        certificate.resize(certificate.size() - 4);
      file.attachments.push_back({origin, certificate, thing->text, where});
    } else if (resource.type == "aws_iot_policy_attachment") {
      std::optional<Node> policy = attribute(resource, "policy");
      std::optional<Node> target = attribute(resource, "target");
      if (policy && target) file.policy_targets.push_back({origin, policy->text, target->text, where});
    } else if (resource.type == "aws_iot_certificate") {
      const Node* active = resource.values != nullptr ? resource.values->get("active") : nullptr;
      file.certificates.push_back(
          {origin, resource.address, active != nullptr && active->text == "false" ? "INACTIVE" : "ACTIVE", where});
    } else if (resource.type == "aws_iot_logging_options") {
      LoggingInput logging;
      logging.origin = origin;
      logging.where = where;
      if (std::optional<Node> level = attribute(resource, "default_log_level")) logging.default_level = level->text;
      if (std::optional<Node> role = attribute(resource, "role_arn")) logging.role_arn = role->text;
      const Node* disabled = resource.values != nullptr ? resource.values->get("disable_all_logs") : nullptr;
      logging.disable_all_logs = disabled != nullptr && disabled->text == "true";
      const Node* level = resource.values != nullptr ? resource.values->get("default_log_level") : nullptr;
      if (logging.disable_all_logs) logging.where = disabled->span;
      else if (level != nullptr) logging.where = level->text_extent();
      file.logging.push_back(std::move(logging));
    }
  }
}

}  // namespace fleetaudit::lint
