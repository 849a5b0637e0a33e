// CloudFormation (and SAM, and CDK synth output): the IoT resources of a template.
#include <fmt/format.h>

#include "analyzer/lint/cfn_intrinsics.h"
#include "analyzer/lint/cfn_resources.h"
#include "analyzer/lint/iac_reader.h"
#include "analyzer/policy/arn.h"

namespace fleetaudit::lint {

namespace {

std::string text_of(const Node* node, std::string fallback = {}) {
  return node != nullptr && (node->is_string() || node->is(Node::Kind::number)) ? node->text : fallback;
}

// Metadata: {fleetaudit: {ignore_checks: [CHECK | {id: CHECK, reason: why}], reason: why}}
void read_metadata_suppressions(const Node* metadata, const std::string& resource, IacFile& file) {
  const Node* ours = metadata != nullptr ? metadata->get("fleetaudit") : nullptr;
  if (ours == nullptr) return;
  const Node* checks = ours->get("ignore_checks");
  if (checks == nullptr || !checks->is(Node::Kind::sequence)) {
    file.problem(DiagnosticSeverity::error, ours->span,
                 "Metadata.fleetaudit needs ignore_checks: a list of check names or of {id, reason}");
    return;
  }
  const std::string shared_reason = text_of(ours->get("reason"));
  for (const Node& item : checks->items) {
    Suppression suppression;
    suppression.resource = resource;
    suppression.where = item.span;
    if (item.is(Node::Kind::mapping)) {
      suppression.check = text_of(item.get("id"));
      suppression.reason = text_of(item.get("reason"), shared_reason);
    } else {
      suppression.check = text_of(&item);
      suppression.reason = shared_reason;
    }
    if (suppression.check.empty()) {
      file.problem(DiagnosticSeverity::error, item.span, "an ignore_checks entry names no check");
      continue;
    }
    if (suppression.reason.empty())
      file.problem(DiagnosticSeverity::warning, item.span,
                   fmt::format("the suppression of {} gives no reason", suppression.check));
    file.suppressions.push_back(std::move(suppression));
  }
}

// A certificate named by a principal: the id after cert/ in an ARN (resolved from GetAtt for a
// certificate of this template, whose id is its logical id).
std::string certificate_of(const Node& principal) {
  const std::optional<std::string_view> id = policy::arn_resource_name(principal.text, "cert");
  return id ? std::string(*id) : principal.text;
}

// A provisioning template (fleet provisioning, JITP, bulk registration) may name a policy that
// already exists by PolicyName alone: AWS attaches it to the new certificate. Its statements are
// not in the file, so it is said to be unchecked rather than called an error.
bool names_existing_policy(const std::string& id, const Node& properties, const IntrinsicResolver& resolver,
                           IacFile& file) {
  const Node* name = properties.get("PolicyName");
  if (name == nullptr || file.kind != kProvisioningTemplate) return false;
  const Node resolved = resolver.resolve(*name);
  file.unchecked(name->span,
               fmt::format("not checked: Resources.{} attaches the existing policy {} by PolicyName; its document is "
                           "not in this file (lint the file that creates it)",
                           id, resolved.is_string() ? resolved.text : std::string("(a value only the deployment knows)")));
  return true;
}

void read_policy(const std::string& id, const Node& properties, const IntrinsicResolver& resolver, Origin origin,
                 IacFile& file) {
  const Node* document = properties.get("PolicyDocument");
  if (document == nullptr) {
    if (names_existing_policy(id, properties, resolver, file)) return;
    file.problem(DiagnosticSeverity::error, properties.span,
                 fmt::format("Resources.{}.Properties: AWS::IoT::Policy needs a PolicyDocument", id));
    return;
  }
  PolicyInput policy;
  policy.origin = std::move(origin);
  policy.anchor = document->span;
  if (const Node* name = properties.get("PolicyName")) {
    const Node resolved_name = resolver.resolve(*name);
    policy.name = text_of(&resolved_name, id);
  }
  if (policy.name.empty()) policy.name = id;
  const size_t unescaped_before = resolver.unescaped_policy_variables.size();
  std::optional<Node> resolved =
      resolved_policy_document(*document, resolver, fmt::format("Resources.{}.Properties.PolicyDocument", id), file);
  policy.unescaped_sub_variables.assign(resolver.unescaped_policy_variables.begin() + unescaped_before,
                                        resolver.unescaped_policy_variables.end());
  if (!resolved) return;
  policy.document = std::move(*resolved);
  file.policies.push_back(std::move(policy));
}

bool mentions_iot(const Node& node) {
  if (node.is_string() && (node.text.rfind("iot:", 0) == 0 || node.text.find(":iot:") != std::string::npos)) return true;
  for (const Node& key : node.keys)
    if (key.text.find("IoT") != std::string::npos || key.text.find("Iot") != std::string::npos) return true;
  for (const Node& item : node.items)
    if (mentions_iot(item)) return true;
  return false;
}

// Resources that hold IoT content lint does not judge: said, so that a clean run is not read as
// "all checked".
void note_unread_resource(const std::string& id, const std::string& type, const Node& resource, IacFile& file,
                          Span where) {
  if (type == "AWS::IoT::ProvisioningTemplate") {
    file.unchecked(where, fmt::format("not checked: Resources.{} (AWS::IoT::ProvisioningTemplate): its TemplateBody "
                                      "is not read; lint the provisioning template as a JSON file",
                                      id));
  } else if ((type.rfind("Custom::", 0) == 0 || type == "AWS::CloudFormation::CustomResource") &&
             resource.get("Properties") != nullptr && mentions_iot(*resource.get("Properties"))) {
    file.unchecked(where, fmt::format("not checked: Resources.{} is a custom resource ({}) whose properties name IoT "
                                      "actions or resources: what it creates only its code decides",
                                      id, type));
  }
}

// What a provisioning template declares is one device's: AWS attaches its policies to the
// certificate it registers and that certificate to its thing. Said as attachments, so the checks
// see the policies as attached to one device's certificate.
void attach_provisioned_device(const Node& resources, const IntrinsicResolver& resolver, size_t first_policy,
                               IacFile& file) {
  const CertificateInput* certificate = nullptr;
  for (const CertificateInput& declared : file.certificates) certificate = certificate ? certificate : &declared;
  if (certificate == nullptr) return;
  for (size_t i = first_policy; i < file.policies.size(); ++i)
    file.policy_targets.push_back({file.policies[i].origin, file.policies[i].name, certificate->id, certificate->where});
  for (size_t i = 0; i < resources.keys.size(); ++i) {
    const Node& resource = resources.items[i];
    if (text_of(resource.get("Type")) != "AWS::IoT::Thing") continue;
    const Node* properties = resource.get("Properties");
    const Node* name = properties != nullptr ? properties->get("ThingName") : nullptr;
    const Node resolved = name != nullptr ? resolver.resolve(*name) : Node();
    file.attachments.push_back({certificate->origin, certificate->id,
                                resolved.is_string() ? resolved.text : resources.keys[i].text, resources.keys[i].span});
    return;
  }
}

}  // namespace

void read_cloudformation(const Node& root, IacFile& file) {
  const IntrinsicResolver resolver(root);
  read_metadata_suppressions(root.get("Metadata"), {}, file);
  const Node& resources = *root.get("Resources");
  const size_t first_policy = file.policies.size();
  read_iam_roles(resources, resolver, file);
  for (size_t i = 0; i < resources.keys.size(); ++i) {
    const std::string& id = resources.keys[i].text;
    const Node& resource = resources.items[i];
    const std::string type = text_of(resource.get("Type"));
    const Node* metadata = resource.get("Metadata");
    read_metadata_suppressions(metadata, id, file);
    Origin origin{id, metadata != nullptr ? text_of(metadata->get("aws:cdk:path")) : std::string()};
    static const Node kEmpty = [] {
      Node empty;
      empty.kind = Node::Kind::mapping;
      return empty;
    }();
    const Node* properties = resource.get("Properties");
    if (properties == nullptr || !properties->is(Node::Kind::mapping)) properties = &kEmpty;
    if (type == "AWS::IoT::Policy") {
      read_policy(id, *properties, resolver, origin, file);
    } else if (type == "AWS::IoT::ThingPrincipalAttachment") {
      const Node principal = resolver.resolve(properties->get("Principal") ? *properties->get("Principal") : kEmpty);
      const Node thing = resolver.resolve(properties->get("ThingName") ? *properties->get("ThingName") : kEmpty);
      if (!principal.is_string() || !thing.is_string()) {
        file.problem(DiagnosticSeverity::error, resource.span,
                     fmt::format("Resources.{}.Properties: a ThingPrincipalAttachment needs Principal and ThingName", id));
        continue;
      }
      file.attachments.push_back({origin, certificate_of(principal), thing.text, resources.keys[i].span});
    } else if (type == "AWS::IoT::PolicyPrincipalAttachment") {
      const Node policy = resolver.resolve(properties->get("PolicyName") ? *properties->get("PolicyName") : kEmpty);
      const Node principal = resolver.resolve(properties->get("Principal") ? *properties->get("Principal") : kEmpty);
      if (!policy.is_string() || !principal.is_string()) {
        file.problem(DiagnosticSeverity::error, resource.span,
                     fmt::format("Resources.{}.Properties: a PolicyPrincipalAttachment needs PolicyName and Principal", id));
        continue;
      }
      file.policy_targets.push_back({origin, policy.text, principal.text, resources.keys[i].span});
    } else if (type == "AWS::IoT::Certificate") {
      file.certificates.push_back({origin, id, text_of(properties->get("Status"), "ACTIVE"), resources.keys[i].span});
      if (const Node* pem = properties->get("CertificatePem")) {
        // A parameter without a Default (a provisioning request's PEM) is no PEM written here.
        const Node resolved = resolver.resolve(*pem);
        if (resolved.is_string() && ((pem->is_string() && pem->tag.empty()) || resolved.text.find("-----BEGIN") != std::string::npos))
          file.certificate_pems.push_back({id, resolved.text, pem->span});
      }
    } else if (type == "AWS::IoT::RoleAlias") {
      read_role_alias(id, *properties, resolver, origin, file);
    } else if (type == "AWS::Cognito::IdentityPoolRoleAttachment") {
      read_identity_pool_roles(id, *properties, resolver, origin, file);
    } else if (type == "AWS::IoT::AccountAuditConfiguration") {
      read_audit_configuration(*properties, resolver, origin, file);
    } else if (type == "AWS::IoT::ProvisioningTemplate" || type.rfind("Custom::", 0) == 0 ||
               type == "AWS::CloudFormation::CustomResource") {
      note_unread_resource(id, type, resource, file, resources.keys[i].span);
    } else if (type == "AWS::IoT::Logging") {
      const Node level = resolver.resolve(properties->get("DefaultLogLevel") ? *properties->get("DefaultLogLevel") : kEmpty);
      const Node role = resolver.resolve(properties->get("RoleArn") ? *properties->get("RoleArn") : kEmpty);
      const Node* level_node = properties->get("DefaultLogLevel");
      const Node account = resolver.resolve(properties->get("AccountId") ? *properties->get("AccountId") : kEmpty);
      file.logging.push_back({origin, account.is_string() ? account.text : std::string(),
                              role.is_string() ? role.text : std::string(),
                              level.is_string() ? level.text : std::string(), false,
                              level_node != nullptr ? level_node->span : resources.keys[i].span});
    }
  }
  if (file.kind == kProvisioningTemplate) attach_provisioned_device(resources, resolver, first_policy, file);
  // Values past a cycle or the budget are stand-ins: the file is not judged clean.
  if (const auto& stopped = resolver.stopped())
    file.problem(DiagnosticSeverity::error, stopped->where,
                 "intrinsic functions not resolved: " + stopped->why + "; the values involved were not checked");
}

}  // namespace fleetaudit::lint
