#include "analyzer/lint/template_checks.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/engine/check_run.h"
#include "analyzer/lint/finding_placement.h"
#include "analyzer/lint/lint_rule.h"
#include "analyzer/lint/template_snapshot.h"
#include "analyzer/x509/weak_key_blocklist.h"

namespace fleetaudit::lint {

namespace {

// The shipped Debian weak-key sample, read once (audit's default), with what went wrong reading
// it: without it only ROCA is decided, which lint must say rather than pass keys it did not judge.
struct WeakKeys {
  x509::WeakKeyBlocklist blocklist;
  std::string problem;  // empty when the sample was read
};

const WeakKeys& weak_keys() {
  static const WeakKeys keys = [] {
    WeakKeys loaded;
    std::vector<std::string> problems = loaded.blocklist.load(x509::default_blocklist_directory());
    if (!problems.empty()) loaded.problem = problems.front();
    else if (loaded.blocklist.entries() == 0)
      loaded.problem = fmt::format("no weak-key blocklist in {}", x509::default_blocklist_directory());
    return loaded;
  }();
  return keys;
}

// Where a check's own words about what it did not decide go: the document of the policy they
// name, else the file's first policy or certificate, else its start.
Span place_of(const IacFile& file, std::string_view words) {
  for (const PolicyInput& policy : file.policies)
    if (!policy.name.empty() && words.find(policy.name) != std::string_view::npos) return policy.anchor;
  if (!file.policies.empty()) return file.policies.front().anchor;
  if (!file.certificate_pems.empty()) return file.certificate_pems.front().where;
  return {};
}

// A check that could not decide part of the file is never silent: an error, as audit's
// "incomplete" is exit status 2. Its "not run" reasons and notes are left out: they speak of
// snapshot files (iam-service-last-accessed.json, thing-principals.json) a template does not
// have, and what lint cannot read is said by the readers and the README.
void report_what_was_not_decided(IacFile& file, const CheckInfo& check, const CheckResult& result) {
  for (const auto& [input, message] : result.input_problems)
    file.problem(DiagnosticSeverity::error, place_of(file, message), fmt::format("{}: {}", check.name, message));
  for (const std::string& what : result.undecided)
    file.problem(DiagnosticSeverity::error, place_of(file, what),
                 fmt::format("{} could not decide {}", check.name, what));
}

// A file with inline PEMs, when the weak-key sample could not be read: said once for the file,
// as audit says it once for the report, without naming checks.
void report_missing_weak_keys(IacFile& file) {
  if (weak_keys().problem.empty() || file.certificate_pems.empty()) return;
  file.problem(DiagnosticSeverity::warning, file.certificate_pems.front().where,
               fmt::format("only ROCA keys were looked for among the inline certificates: {}", weak_keys().problem));
}

bool reads_attachments(const CheckInfo& check) {
  for (const std::vector<SnapshotFile>& group : check.required_inputs)
    for (SnapshotFile input : group)
      if (input == SnapshotFile::thing_principals) return true;
  return false;
}

// A certificate finding: at the attachments for a check about what the certificate is attached to
// (the first, the others related), else at the certificate's own CertificatePem.
void place_certificate_finding(const IacFile& file, const CheckInfo& check, const Finding& finding, LintFinding& lint) {
  lint.other_resources.push_back(finding.resource.value);  // the certificate's logical id or address
  if (!reads_attachments(check)) {
    for (const CertificatePemInput& pem : file.certificate_pems)
      if (pem.certificate == finding.resource.value)
        for (const CertificateInput& certificate : file.certificates)
          if (certificate.id == pem.certificate) {
            lint.origin = certificate.origin;
            lint.where = pem.where;
            return;
          }
  }
  for (const ThingAttachmentInput& attachment : file.attachments) {
    if (attachment.certificate != finding.resource.value) continue;
    if (lint.origin.resource.empty()) {
      lint.origin = attachment.origin;
      lint.where = attachment.where;
    } else {
      lint.related.push_back(attachment.where);
    }
  }
}

// A role finding points at where the alias or pool names the role; the role's policy documents
// are related, and a suppression on the role applies too.
void add_role_use(const IacFile& file, const TemplateSnapshot& built, size_t use, LintFinding& lint) {
  if (lint.origin.resource.empty()) {
    lint.origin = file.role_uses[use].origin;
    lint.where = file.role_uses[use].where;
  } else {
    lint.related.push_back(file.role_uses[use].where);
  }
  const RoleInput& role = file.roles[built.role_use_role[use]];
  if (std::find(lint.other_resources.begin(), lint.other_resources.end(), role.origin.resource) ==
      lint.other_resources.end())
    lint.other_resources.push_back(role.origin.resource);
  for (const Span& document : role.document_spans) lint.related.push_back(document);
}

// An identity pool finding's evidence names the roles of one side it judged.
void place_pool_finding(const IacFile& file, const TemplateSnapshot& built, const Finding& finding, LintFinding& lint) {
  for (size_t use = 0; use < file.role_uses.size(); ++use) {
    const RoleUseInput& input = file.role_uses[use];
    if (input.kind == RoleUseInput::Kind::role_alias || input.holder != finding.resource.value ||
        built.role_use_role_arn[use].empty())
      continue;
    const RoleEvidence::Use wanted = input.kind == RoleUseInput::Kind::authenticated
                                         ? RoleEvidence::Use::authenticated
                                         : RoleEvidence::Use::unauthenticated;
    for (const RoleEvidence& role : finding.evidence.roles)
      if (role.use == wanted && role.role_arn == built.role_use_role_arn[use]) {
        add_role_use(file, built, use, lint);
        break;
      }
  }
}

// Where a finding of an AWS check points; false when it names nothing of the file.
bool place_finding(const IacFile& file, const TemplateSnapshot& built, const CheckInfo& check, const Finding& finding,
                   LintFinding& lint) {
  switch (finding.resource.kind) {
    case ResourceIdentifier::Kind::policy_version: {
      auto found = built.policy_by_name.find(finding.resource.value);
      if (found == built.policy_by_name.end()) return false;
      const PolicyInput& policy = file.policies[found->second];
      lint.origin = policy.origin;
      place_policy_finding(policy, finding, built.stack, lint);
      return true;
    }
    case ResourceIdentifier::Kind::device_certificate_id:
      place_certificate_finding(file, check, finding, lint);
      return true;
    case ResourceIdentifier::Kind::role_alias_arn: {
      auto found = built.role_use_by_alias_arn.find(finding.resource.value);
      if (found == built.role_use_by_alias_arn.end()) return false;
      add_role_use(file, built, found->second, lint);
      return true;
    }
    case ResourceIdentifier::Kind::cognito_identity_pool_id:
      place_pool_finding(file, built, finding, lint);
      return !lint.origin.resource.empty();
    default:
      if (file.logging.empty()) return false;
      lint.origin = file.logging.front().origin;
      lint.where = file.logging.front().where;
      return true;
  }
}

}  // namespace

std::vector<const CheckInfo*> template_decidable_checks() {
  std::vector<const CheckInfo*> checks;
  for (const CheckInfo& check : CheckRegistry::instance().checks())
    if (check.decidable_from_template) checks.push_back(&check);
  return checks;
}

void run_template_checks(IacFile& file, const AuditConfiguration* configuration, EpochMillis now,
                         std::vector<LintFinding>& out) {
  TemplateSnapshot built;
  build_template_snapshot(file, built);
  report_missing_weak_keys(file);
  for (const CheckInfo* check : template_decidable_checks()) {
    // Disabled, or inputs the template does not declare: nothing to say, the file is not an account.
    CheckRun run;
    if (!prepare_check_run(*check, built.snapshot, configuration, "the template", run)) continue;
    CheckResult result = run_check(run, built.snapshot, now, weak_keys().blocklist);
    report_what_was_not_decided(file, *check, result);
    for (const Finding& finding : result.findings) {
      LintFinding lint;
      lint.check = check;
      lint.reason_code = finding.reason_code;
      lint.message = finding.message;
      lint.identity = finding_identity(*check, finding);
      if (place_finding(file, built, *check, finding, lint)) out.push_back(std::move(lint));
    }
  }
}

}  // namespace fleetaudit::lint
