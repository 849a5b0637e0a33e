#include "analyzer/lint/cfn_resources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "analyzer/engine/check.h"
#include "analyzer/lint/json_reader.h"
#include "analyzer/policy/arn.h"

namespace fleetaudit::lint {

namespace {

const Node& empty_mapping() {
  static const Node empty = [] {
    Node node;
    node.kind = Node::Kind::mapping;
    return node;
  }();
  return empty;
}

const Node& properties_of(const Node& resource) {
  const Node* properties = resource.get("Properties");
  return properties != nullptr && properties->is(Node::Kind::mapping) ? *properties : empty_mapping();
}

std::string type_of(const Node& resource) {
  const Node* type = resource.get("Type");
  return type != nullptr && type->is_string() ? type->text : std::string();
}

// The items of a list property; a single value counts as a list of one.
std::vector<const Node*> items_of(const Node* value) {
  std::vector<const Node*> items;
  if (value == nullptr) return items;
  if (!value->is(Node::Kind::sequence)) return {value};
  for (const Node& item : value->items) items.push_back(&item);
  return items;
}

// The managed policy a ManagedPolicyArns item names by `Ref` (or `Fn::GetAtt … PolicyArn`): its
// logical id; empty otherwise.
std::string policy_target(const Node& value) {
  Node argument;
  const std::string function = intrinsic_of(value, argument);
  if (function == "Ref" && argument.is_string()) return argument.text;
  if (function != "Fn::GetAtt") return {};
  if (argument.is_string() && argument.text.ends_with(".PolicyArn"))
    return argument.text.substr(0, argument.text.size() - 10);
  if (argument.is(Node::Kind::sequence) && argument.items.size() == 2 && argument.items[1].text == "PolicyArn")
    return argument.items[0].text;
  return {};
}

RoleInput* role_named(IacFile& file, const std::string& name) {
  for (RoleInput& role : file.roles)
    if (role.name == name) return &role;
  return nullptr;
}

void add_document(RoleInput& role, const Node& document, const IntrinsicResolver& resolver, const std::string& path,
                  IacFile& file) {
  if (std::optional<Node> resolved = resolved_policy_document(document, resolver, path, file)) {
    role.documents.push_back(std::move(*resolved));
    role.document_spans.push_back(document.span);
  } else {
    role.unknown_managed_policies.push_back(path);  // unreadable: the role's permissions are not known
  }
}

// What Ref and GetAtt make of a role's name: RoleName, else the logical id.
std::string role_name(const std::string& id, const Node& resource, const IntrinsicResolver& resolver) {
  if (const Node* name = properties_of(resource).get("RoleName")) {
    const Node resolved = resolver.resolve(*name);
    if (resolved.is_string()) return resolved.text;
  }
  return id;
}

// The role names that role aliases and identity pools name by ARN (after role/ and any path): only
// these roles are read, so that a template's other roles cost nothing and cannot be errors.
std::vector<std::string> roles_handed_out(const Node& resources, const IntrinsicResolver& resolver) {
  std::vector<const Node*> arns;
  for (const Node& resource : resources.items) {
    const std::string type = type_of(resource);
    const Node& properties = properties_of(resource);
    if (type == "AWS::IoT::RoleAlias" && properties.get("RoleArn") != nullptr) arns.push_back(properties.get("RoleArn"));
    if (const Node* roles = properties.get("Roles");
        type == "AWS::Cognito::IdentityPoolRoleAttachment" && roles != nullptr && roles->is(Node::Kind::mapping))
      for (const Node& arn : roles->items) arns.push_back(&arn);
  }
  std::vector<std::string> names;
  for (const Node* arn : arns) {
    const Node resolved = resolver.resolve(*arn);
    if (const auto name = resolved.is_string() ? policy::arn_role_name(resolved.text) : std::nullopt)
      names.emplace_back(*name);
  }
  return names;
}

RoleInput read_role(const std::string& id, const Node& resource, const Node& key, const IntrinsicResolver& resolver,
                    IacFile& file) {
  const Node& properties = properties_of(resource);
  RoleInput role;
  role.origin.resource = id;
  if (const Node* metadata = resource.get("Metadata"))
    if (const Node* path = metadata->get("aws:cdk:path"); path != nullptr && path->is_string())
      role.origin.cdk_path = path->text;
  role.where = key.span;
  role.name = role_name(id, resource, resolver);
  const std::vector<const Node*> policies = items_of(properties.get("Policies"));
  for (size_t i = 0; i < policies.size(); ++i)
    if (const Node* document = policies[i]->get("PolicyDocument"))
      add_document(role, *document, resolver, fmt::format("Resources.{}.Properties.Policies[{}].PolicyDocument", id, i),
                   file);
  return role;
}

// ManagedPolicyArns: a template ManagedPolicy by Ref is read with the other attached policies; any
// other ARN (an AWS managed policy, another stack's) is not in the template.
void read_managed_policy_arns(const Node& resources, const std::string& role_id, RoleInput& role,
                              const IntrinsicResolver& resolver) {
  const Node* role_resource = resources.get(role_id);
  for (const Node* arn : items_of(properties_of(*role_resource).get("ManagedPolicyArns"))) {
    const std::string target = policy_target(*arn);
    const Node* policy = target.empty() ? nullptr : resources.get(target);
    if (policy != nullptr && type_of(*policy) == "AWS::IAM::ManagedPolicy") continue;  // read with the policies
    const Node resolved = resolver.resolve(*arn);
    role.unknown_managed_policies.push_back(resolved.is_string() ? resolved.text : "<ManagedPolicyArns>");
  }
}

// An AWS::IAM::Policy or ManagedPolicy: the roles it names (Roles), and the roles whose
// ManagedPolicyArns Ref it; an AWS::IAM::RolePolicy: its RoleName.
void attach_policy(const Node& resources, size_t index, const IntrinsicResolver& resolver, IacFile& file) {
  const std::string& id = resources.keys[index].text;
  const Node& properties = properties_of(resources.items[index]);
  const Node* document = properties.get("PolicyDocument");
  if (document == nullptr) return;
  std::vector<RoleInput*> attached;
  std::vector<const Node*> roles = items_of(properties.get("Roles"));
  if (const Node* role_name = properties.get("RoleName")) roles.push_back(role_name);
  for (const Node* role : roles) {
    const Node resolved = resolver.resolve(*role);
    if (RoleInput* found = resolved.is_string() ? role_named(file, resolved.text) : nullptr) attached.push_back(found);
  }
  for (size_t i = 0; i < resources.keys.size(); ++i) {
    if (type_of(resources.items[i]) != "AWS::IAM::Role") continue;
    for (const Node* arn : items_of(properties_of(resources.items[i]).get("ManagedPolicyArns")))
      if (policy_target(*arn) == id)
        for (RoleInput& role : file.roles)
          if (role.origin.resource == resources.keys[i].text) attached.push_back(&role);
  }
  std::sort(attached.begin(), attached.end());
  attached.erase(std::unique(attached.begin(), attached.end()), attached.end());
  for (RoleInput* role : attached)
    add_document(*role, *document, resolver, fmt::format("Resources.{}.Properties.PolicyDocument", id), file);
}

// "DEVICE_CERTIFICATE_EXPIRING_CHECK" and CloudFormation's "DeviceCertificateExpiringCheck" (or
// "IoTPolicyPotentialMisConfigurationCheck") say the same once underscores and case are dropped.
std::string folded(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '_') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

bool names_registered_check(const std::string& key) {
  const std::string wanted = folded(key);
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    if (folded(check.name) == wanted) return true;
    for (std::string_view alias : check.aliases)
      if (folded(alias) == wanted) return true;
  }
  return false;
}

}  // namespace

std::optional<Node> resolved_policy_document(const Node& document, const IntrinsicResolver& resolver,
                                             const std::string& path, IacFile& file) {
  Node resolved = resolver.resolve(document);
  if (resolved.is_string()) {  // the document as JSON text (a string, a block scalar, an Fn::Sub)
    Node parsed;
    if (std::optional<ReadError> error = read_json(resolved.text, &resolved.offsets, parsed)) {
      file.problem(DiagnosticSeverity::error, {error->offset, error->offset},
                   fmt::format("{}: not a valid JSON policy document: {}", path, error->message));
      return std::nullopt;
    }
    resolved = std::move(parsed);
  }
  if (!resolved.is(Node::Kind::mapping)) {
    file.problem(DiagnosticSeverity::error, document.span,
                 fmt::format("{}: expected an object or a JSON string", path));
    return std::nullopt;
  }
  return resolved;
}

void read_iam_roles(const Node& resources, const IntrinsicResolver& resolver, IacFile& file) {
  const std::vector<std::string> wanted = roles_handed_out(resources, resolver);
  if (wanted.empty()) return;
  for (size_t i = 0; i < resources.keys.size(); ++i) {
    if (type_of(resources.items[i]) != "AWS::IAM::Role") continue;
    const std::string& id = resources.keys[i].text;
    if (std::find(wanted.begin(), wanted.end(), role_name(id, resources.items[i], resolver)) == wanted.end()) continue;
    file.roles.push_back(read_role(id, resources.items[i], resources.keys[i], resolver, file));
  }
  if (file.roles.empty()) return;
  for (RoleInput& role : file.roles) read_managed_policy_arns(resources, role.origin.resource, role, resolver);
  for (size_t i = 0; i < resources.keys.size(); ++i) {
    const std::string type = type_of(resources.items[i]);
    if (type == "AWS::IAM::Policy" || type == "AWS::IAM::ManagedPolicy" || type == "AWS::IAM::RolePolicy")
      attach_policy(resources, i, resolver, file);
  }
}

void read_role_alias(const std::string& id, const Node& properties, const IntrinsicResolver& resolver,
                     const Origin& origin, IacFile& file) {
  const Node* arn = properties.get("RoleArn");
  if (arn == nullptr) {
    file.problem(DiagnosticSeverity::error, properties.span,
                 fmt::format("Resources.{}.Properties: AWS::IoT::RoleAlias needs a RoleArn", id));
    return;
  }
  RoleUseInput use;
  use.origin = origin;
  use.holder = id;
  if (const Node* name = properties.get("RoleAlias")) {
    const Node resolved = resolver.resolve(*name);
    if (resolved.is_string()) use.holder = resolved.text;
  }
  const Node resolved = resolver.resolve(*arn);
  use.role_arn = resolved.is_string() ? resolved.text : std::string();
  use.where = arn->span;
  file.role_uses.push_back(std::move(use));
}

// Roles: {authenticated: ARN, unauthenticated: ARN}. RoleMappings (rules per identity provider)
// are not read.
void read_identity_pool_roles(const std::string& id, const Node& properties, const IntrinsicResolver& resolver,
                              const Origin& origin, IacFile& file) {
  const Node* roles = properties.get("Roles");
  if (roles == nullptr || !roles->is(Node::Kind::mapping)) return;
  const Node* pool = properties.get("IdentityPoolId");
  const Node pool_id = pool != nullptr ? resolver.resolve(*pool) : Node();
  for (size_t i = 0; i < roles->keys.size(); ++i) {
    const std::string& side = roles->keys[i].text;
    if (side != "authenticated" && side != "unauthenticated") continue;
    const Node arn = resolver.resolve(roles->items[i]);
    RoleUseInput use;
    use.origin = origin;
    use.kind = side == "authenticated" ? RoleUseInput::Kind::authenticated : RoleUseInput::Kind::unauthenticated;
    use.holder = pool_id.is_string() ? pool_id.text : id;
    use.role_arn = arn.is_string() ? arn.text : std::string();
    use.where = roles->items[i].span;
    file.role_uses.push_back(std::move(use));
  }
}

// AuditCheckConfigurations: {CheckName: {Enabled: false}} for a check fleetaudit runs.
void read_audit_configuration(const Node& properties, const IntrinsicResolver& resolver, const Origin& origin,
                              IacFile& file) {
  const Node* checks = properties.get("AuditCheckConfigurations");
  if (checks == nullptr || !checks->is(Node::Kind::mapping)) return;
  for (size_t i = 0; i < checks->keys.size(); ++i) {
    const Node* enabled = checks->items[i].get("Enabled");
    if (enabled == nullptr) continue;
    const Node value = resolver.resolve(*enabled);
    if ((value.text != "false" && value.text != "False") || !names_registered_check(checks->keys[i].text)) continue;
    file.disabled_audit_checks.push_back({origin, checks->keys[i].text, enabled->span});
  }
}

}  // namespace fleetaudit::lint
