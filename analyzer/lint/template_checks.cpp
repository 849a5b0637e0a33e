#include "analyzer/lint/template_checks.h"

#include <fmt/format.h>

#include <regex>
#include <string>
#include <unordered_map>

#include "analyzer/engine/audit.h"
#include "analyzer/lint/document_json.h"
#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/glob.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::lint {

namespace {

struct TemplateSnapshot {
  Snapshot snapshot;
  StackContext stack;
  std::unordered_map<std::string, size_t> policy_by_name;  // policy name -> index in file.policies
};

void add_policies(IacFile& file, TemplateSnapshot& built) {
  Snapshot& snapshot = built.snapshot;
  std::vector<const Node*> documents;
  for (const PolicyInput& policy : file.policies) documents.push_back(&policy.document);
  built.stack = stack_context_of(documents);
  const StringId version = snapshot.strings.intern("1");  // CloudFormation creates version 1, the default
  for (size_t i = 0; i < file.policies.size(); ++i) {
    const PolicyInput& policy = file.policies[i];
    if (!built.policy_by_name.emplace(policy.name, i).second) {
      file.problem(DiagnosticSeverity::error, policy.anchor,
                   fmt::format("a second policy named {}: only the first is checked", policy.name));
      continue;
    }
    const uint32_t row = static_cast<uint32_t>(snapshot.policies.size());
    const uint32_t first = static_cast<uint32_t>(snapshot.policy_statements.size());
    if (auto error = policy::append_policy_document(document_json(policy.document, built.stack), row,
                                                    snapshot.policy_statements)) {
      file.problem(DiagnosticSeverity::error, policy.anchor,
                   fmt::format("policy {}: {}{}{}", policy.name, error->json_path, error->json_path.empty() ? "" : ": ",
                               error->message));
      continue;
    }
    snapshot.policies.name.push_back(snapshot.strings.intern(policy.name));
    snapshot.policies.arn.push_back(snapshot.strings.intern(fmt::format(
        "arn:{}:iot:{}:{}:policy/{}", built.stack.partition, built.stack.region, built.stack.account, policy.name)));
    snapshot.policies.default_version_id.push_back(version);
    snapshot.policies.source.push_back(i);
    snapshot.policy_versions.policy_row.push_back(row);
    snapshot.policy_versions.version_id.push_back(version);
    snapshot.policy_versions.is_default.push_back(1);
    snapshot.policy_versions.first_statement.push_back(first);
    snapshot.policy_versions.end_statement.push_back(static_cast<uint32_t>(snapshot.policy_statements.size()));
    snapshot.policy_versions.source.push_back(i);
  }
  snapshot.present[static_cast<size_t>(SnapshotFile::policies)] = !file.policies.empty();
}

// Certificates: those the template creates, and any other that an attachment names (its status
// is not in the template; attaching it to things says it is meant for use).
void add_attachments(const IacFile& file, TemplateSnapshot& built) {
  Snapshot& snapshot = built.snapshot;
  if (file.attachments.empty()) return;
  std::unordered_map<std::string, size_t> status;
  for (const CertificateInput& certificate : file.certificates) status.emplace(certificate.id, status.size());
  auto add_certificate = [&](const std::string& id, std::string_view declared) {
    const StringId interned = snapshot.strings.intern(id);
    for (StringId existing : snapshot.certificates.certificate_id)
      if (existing == interned) return;
    snapshot.certificates.certificate_id.push_back(interned);
    snapshot.certificates.ca_certificate_id.push_back(kNoString);
    snapshot.certificates.status.push_back(certificate_status_from(declared).value_or(CertificateStatus::active));
    snapshot.certificates.creation_date.push_back(kMissingTime);
    snapshot.certificates.not_before.push_back(kMissingTime);
    snapshot.certificates.not_after.push_back(kMissingTime);
    snapshot.certificates.source.push_back(0);
  };
  for (const CertificateInput& certificate : file.certificates) add_certificate(certificate.id, certificate.status);
  for (const ThingAttachmentInput& attachment : file.attachments) {
    add_certificate(attachment.certificate, "ACTIVE");
    snapshot.thing_principals.thing_name.push_back(snapshot.strings.intern(attachment.thing));
    snapshot.thing_principals.principal.push_back(intern_split_arn(
        snapshot.strings, fmt::format("arn:{}:iot:{}:{}:cert/{}", built.stack.partition, built.stack.region,
                                      built.stack.account, attachment.certificate)));
    snapshot.thing_principals.association.push_back(ThingPrincipalTable::Association::unspecified);
    snapshot.thing_principals.source.push_back(0);
  }
  snapshot.present[static_cast<size_t>(SnapshotFile::certificates)] = true;
  snapshot.present[static_cast<size_t>(SnapshotFile::thing_principals)] = true;
}

// AWS::IoT::PolicyPrincipalAttachment and aws_iot_policy_attachment: whom each policy reaches.
void add_policy_targets(const IacFile& file, TemplateSnapshot& built) {
  if (file.policy_targets.empty()) return;
  Snapshot& snapshot = built.snapshot;
  for (const PolicyTargetInput& target : file.policy_targets) {
    std::string arn = target.target;
    if (arn.find(':') == std::string::npos)  // a certificate of this template, by its logical id
      arn = fmt::format("arn:{}:iot:{}:{}:cert/{}", built.stack.partition, built.stack.region, built.stack.account, arn);
    snapshot.policy_targets.policy_name.push_back(snapshot.strings.intern(target.policy));
    snapshot.policy_targets.target.push_back(intern_split_arn(snapshot.strings, arn));
    snapshot.policy_targets.source.push_back(0);
  }
  snapshot.present[static_cast<size_t>(SnapshotFile::policy_targets)] = true;
}

void add_logging(const IacFile& file, Snapshot& snapshot) {
  if (file.logging.empty()) return;
  const LoggingInput& logging = file.logging.front();
  LoggingV2 options;
  options.configured = true;
  options.role_arn = logging.role_arn.empty() ? kNoString : snapshot.strings.intern(logging.role_arn);
  options.default_level = log_level_from(logging.default_level);
  options.disable_all_logs = logging.disable_all_logs;
  snapshot.logging_v2 = options;
  if (!logging.account.empty()) snapshot.manifest.account_id = snapshot.strings.intern(logging.account);
  snapshot.present[static_cast<size_t>(SnapshotFile::logging_v2)] = true;
}

bool inputs_present(const CheckInfo& check, const Snapshot& snapshot) {
  for (const std::vector<SnapshotFile>& group : check.required_inputs) {
    bool any = false;
    for (SnapshotFile input : group) any |= snapshot.has(input);
    if (!any) return false;
  }
  return true;
}

// "Statement[2] (arn:…)" in a finding's message: the statements the check names (0-based).
std::vector<std::pair<size_t, std::string>> statements_named(const std::string& message) {
  static const std::regex mention(R"(Statement\[(\d+)\] \(([^)]*)\))");
  std::vector<std::pair<size_t, std::string>> named;
  for (auto it = std::sregex_iterator(message.begin(), message.end(), mention); it != std::sregex_iterator(); ++it)
    named.emplace_back(std::stoul((*it)[1].str()), (*it)[2].str());
  return named;
}

// "iot:Connect on ARN (statement 2, …)" in EXAMPLES: each broad action's witness and the
// statement (1-based) that allows it, as the breadth evaluator wrote them.
std::vector<std::pair<size_t, std::string>> witnesses_of(const Finding& finding) {
  std::vector<std::pair<size_t, std::string>> witnesses;
  for (const auto& [key, value] : finding.additional_info) {
    if (key != "EXAMPLES") continue;
    static const std::regex example(R"(\S+ on (.+?) \(statement (\d+))");
    for (auto it = std::sregex_iterator(value.begin(), value.end(), example); it != std::sregex_iterator(); ++it)
      witnesses.emplace_back(std::stoul((*it)[2].str()), (*it)[1].str());
  }
  return witnesses;
}

// The value of statement `index` (0-based) that grants `witness`: the resource whose pattern
// matches it (narrowed to its wildcard), the NotResource list, else the statement.
std::optional<Span> granting_value(const PolicyInput& policy, size_t index, const std::string& witness,
                                   const StackContext& stack) {
  for (const StatementView& statement : statements_of(policy.document)) {
    if (statement.index != index) continue;
    if (statement.resources == nullptr) return statement.node->span;
    if (statement.not_resource) return statement.resources->span;
    const std::vector<const Node*> resources = strings_of(statement.resources);
    for (const Node* resource : resources)
      if (policy::Glob::compile(stack_text(resource->text, stack)).matches(witness)) return culprit_span(*resource);
    for (const Node* resource : resources)  // a variable the evaluator read as another device's name
      if (resource->text.find_first_of("*?$") != std::string::npos) return culprit_span(*resource);
    return statement.resources->span;
  }
  return std::nullopt;
}

void add_span(LintFinding& out, Span span, bool& placed) {
  if (!placed) {
    out.where = span;
    placed = true;
    return;
  }
  if (span.begin == out.where.begin && span.end == out.where.end) return;
  for (const Span& related : out.related)
    if (related.begin == span.begin && related.end == span.end) return;
  out.related.push_back(span);
}

void place_policy_finding(const PolicyInput& policy, const Finding& finding, const StackContext& stack,
                          LintFinding& out) {
  bool placed = false;
  for (const auto& [statement, witness] : witnesses_of(finding))
    if (statement > 0)
      if (std::optional<Span> span = granting_value(policy, statement - 1, witness, stack)) add_span(out, *span, placed);
  for (const auto& [index, text] : statements_named(finding.message))
    if (const Node* value = statement_resource(policy.document, index, text, stack))
      add_span(out,
               finding.reason_code == "POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT" ? mqtt_wildcard_span(*value)
                                                                                         : value->text_extent(),
               placed);
  if (!placed) out.where = policy.anchor;
}

}  // namespace

const std::vector<std::string_view>& template_decidable_checks() {
  static const std::vector<std::string_view> names{"DEVICE_CERTIFICATE_SHARED_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
                                                   "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK",
                                                   "LOGGING_DISABLED_CHECK"};
  return names;
}

void run_template_checks(IacFile& file, const AuditConfiguration* configuration, std::vector<LintFinding>& out) {
  TemplateSnapshot built;
  add_policies(file, built);
  add_attachments(file, built);
  add_policy_targets(file, built);
  add_logging(file, built.snapshot);
  Diagnostics ignored;  // every certificate an attachment names was added above
  build_indexes(built.snapshot, ignored);
  const x509::WeakKeyBlocklist no_weak_keys;
  for (std::string_view name : template_decidable_checks()) {
    const CheckInfo* check = CheckRegistry::instance().find(name);
    if (check == nullptr || !check_enabled(configuration, *check) || !inputs_present(*check, built.snapshot)) continue;
    CheckContext context{built.snapshot, 0, {}, no_weak_keys};
    for (const CheckParameter& parameter : check->parameters) context.parameters.emplace_back(parameter.name, parameter.default_value);
    CheckResult result = check->run(context);
    for (Finding& finding : result.findings) {
      LintFinding lint;
      lint.check = check;
      lint.reason_code = finding.reason_code;
      lint.message = finding.message;
      lint.identity = finding_identity(*check, finding);
      if (finding.resource.kind == ResourceIdentifier::Kind::policy_version) {
        auto found = built.policy_by_name.find(finding.resource.value);
        if (found == built.policy_by_name.end()) continue;
        const PolicyInput& policy = file.policies[found->second];
        lint.origin = policy.origin;
        place_policy_finding(policy, finding, built.stack, lint);
      } else if (finding.resource.kind == ResourceIdentifier::Kind::device_certificate_id) {
        lint.other_resources.push_back(finding.resource.value);  // the certificate's logical id or address
        for (const ThingAttachmentInput& attachment : file.attachments) {
          if (attachment.certificate != finding.resource.value) continue;
          if (lint.origin.resource.empty()) {
            lint.origin = attachment.origin;
            lint.where = attachment.where;
          } else {
            lint.related.push_back(attachment.where);
          }
        }
      } else if (!file.logging.empty()) {
        lint.origin = file.logging.front().origin;
        lint.where = file.logging.front().where;
      }
      out.push_back(std::move(lint));
    }
  }
}

}  // namespace fleetaudit::lint
