#include "analyzer/lint/template_snapshot.h"

#include <fmt/format.h>

#include "analyzer/load/snapshot_loader.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::lint {

namespace {


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

}  // namespace

void build_template_snapshot(IacFile& file, TemplateSnapshot& built) {
  add_policies(file, built);
  add_attachments(file, built);
  add_policy_targets(file, built);
  add_logging(file, built.snapshot);
  Diagnostics ignored;  // every certificate an attachment names was added above
  build_indexes(built.snapshot, ignored);
}

}  // namespace fleetaudit::lint
