#include "analyzer/lint/template_snapshot.h"

#include <fmt/format.h>

#include "analyzer/lint/template_roles.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/policy/policy_document.h"
#include "analyzer/x509/certificate_facts.h"
#include "analyzer/x509/pem.h"

namespace fleetaudit::lint {

namespace {

// The stack's partition, region and account, from the IoT ARNs of every policy the file declares.
void find_stack(const IacFile& file, TemplateSnapshot& built) {
  std::vector<const Node*> documents;
  for (const PolicyInput& policy : file.policies) documents.push_back(&policy.document);
  for (const RoleInput& role : file.roles)
    for (const Node& document : role.documents) documents.push_back(&document);
  built.stack = stack_context_of(documents);
}

void add_policies(IacFile& file, TemplateSnapshot& built) {
  Snapshot& snapshot = built.snapshot;
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

// The facts of an inline CertificatePem; not parsed (and a problem of the file) when it cannot be read.
x509::CertificateFacts facts_of(IacFile& file, const std::string& id) {
  x509::CertificateFacts facts;
  for (const CertificatePemInput& pem : file.certificate_pems) {
    if (pem.certificate != id) continue;
    std::string der;
    std::string error = x509::decode_pem(pem.pem, "CERTIFICATE", der);
    if (error.empty()) error = x509::extract_facts(der, {}, facts);
    if (!error.empty()) {
      facts.parsed = false;
      file.problem(DiagnosticSeverity::error, pem.where,
                   fmt::format("Resources.{}.Properties.CertificatePem: {}; the certificate checks do not read it", id,
                               error));
    }
    break;
  }
  return facts;
}

// Certificates: those the template creates (with the facts of an inline PEM), and any other that
// an attachment names (its status is not in the template; attaching it to things says it is meant
// for use). Creation dates are the deployment's: left missing.
void add_certificates(IacFile& file, TemplateSnapshot& built) {
  Snapshot& snapshot = built.snapshot;
  if (file.attachments.empty() && file.certificates.empty()) return;
  CertificateTable& table = snapshot.certificates;
  auto add_certificate = [&](const std::string& id, std::string_view declared, x509::CertificateFacts facts) {
    const StringId interned = snapshot.strings.intern(id);
    for (StringId existing : table.certificate_id)
      if (existing == interned) return;
    table.certificate_id.push_back(interned);
    table.ca_certificate_id.push_back(kNoString);
    table.status.push_back(certificate_status_from(declared).value_or(CertificateStatus::active));
    table.creation_date.push_back(kMissingTime);
    table.not_before.push_back(facts.parsed ? facts.not_before : kMissingTime);
    table.not_after.push_back(facts.parsed ? facts.not_after : kMissingTime);
    table.facts.push_back(facts);
    table.source.push_back(0);
  };
  for (const CertificateInput& certificate : file.certificates)
    add_certificate(certificate.id, certificate.status, facts_of(file, certificate.id));
  snapshot.present[static_cast<size_t>(SnapshotFile::certificates)] = true;
  for (const ThingAttachmentInput& attachment : file.attachments) {
    add_certificate(attachment.certificate, "ACTIVE", {});
    snapshot.thing_principals.thing_name.push_back(snapshot.strings.intern(attachment.thing));
    snapshot.thing_principals.principal.push_back(intern_split_arn(
        snapshot.strings, fmt::format("arn:{}:iot:{}:{}:cert/{}", built.stack.partition, built.stack.region,
                                      built.stack.account, attachment.certificate)));
    snapshot.thing_principals.association.push_back(ThingPrincipalTable::Association::unspecified);
    snapshot.thing_principals.source.push_back(0);
  }
  if (!file.attachments.empty()) snapshot.present[static_cast<size_t>(SnapshotFile::thing_principals)] = true;
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

// A level the file leaves to the deployment (a parameter without a Default, a Terraform variable)
// is not a level: the logging check is not run, and the file says so (never "disabled").
bool level_undecided(IacFile& file, const LoggingInput& logging) {
  if (logging.disable_all_logs || logging.default_level.empty() || log_level_from(logging.default_level)) return false;
  file.unchecked(logging.where,
               fmt::format("not decided: LOGGING_DISABLED_CHECK was not run: {} sets the default log level to {}, "
                           "which is no level the file decides (a parameter without a Default, a variable)",
                           logging.origin.resource.empty() ? std::string("the file") : logging.origin.resource,
                           logging.default_level));
  return true;
}

void add_logging(IacFile& file, Snapshot& snapshot) {
  if (file.logging.empty()) return;
  const LoggingInput& logging = file.logging.front();
  if (level_undecided(file, logging)) return;
  LoggingV2 options;
  options.configured = true;
  options.role_arn = logging.role_arn.empty() ? kNoString : snapshot.strings.intern(logging.role_arn);
  options.default_level = log_level_from(logging.default_level);
  options.disable_all_logs = logging.disable_all_logs;
  snapshot.logging_v2 = options;
  if (!logging.account.empty()) snapshot.manifest.account_id = snapshot.strings.intern(logging.account);
  snapshot.present[static_cast<size_t>(SnapshotFile::logging_v2)] = true;
}

}  // namespace

void build_template_snapshot(IacFile& file, TemplateSnapshot& built) {
  find_stack(file, built);
  add_policies(file, built);
  add_certificates(file, built);
  add_roles(file, built);
  add_policy_targets(file, built);
  add_logging(file, built.snapshot);
  Diagnostics ignored;  // every certificate an attachment names was added above
  build_indexes(built.snapshot, ignored);
}

}  // namespace fleetaudit::lint
