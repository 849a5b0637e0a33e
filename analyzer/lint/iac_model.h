#pragma once
// What the front ends (CloudFormation, plain policy documents, Terraform) read out of one file:
// the IoT resources the checks can decide on, each with where it was written.
#include <memory>
#include <string>
#include <vector>

#include "analyzer/lint/source_file.h"
#include "analyzer/load/input_files.h"
#include "analyzer/lint/value_tree.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit::lint {

// Stand-ins for values only known at deploy time. A resource ARN built from them is in the stack's
// own partition, region and account; a Ref without a value stays one specific (unknown) name.
inline constexpr std::string_view kStackPartition = "<AWS-Partition>";
inline constexpr std::string_view kStackRegion = "<AWS-Region>";
inline constexpr std::string_view kStackAccount = "<AWS-AccountId>";

// The kind of a CloudFormation-shaped AWS IoT provisioning template (fleet provisioning, JITP, bulk
// registration): what it declares is made for one device, the one being provisioned.
inline constexpr std::string_view kProvisioningTemplate = "IoT provisioning template";

// Where a finding belongs: the file, and the template resource (empty for the file as a whole).
struct Origin {
  std::string resource;  // CloudFormation logical id, Terraform address; empty for a plain document
  std::string cdk_path;  // aws:cdk:path metadata of a CDK-synthesized resource
};

struct PolicyInput {
  Origin origin;
  std::string name;  // PolicyName, else the logical id (or the file name of a plain document)
  Node document;     // with intrinsics resolved
  Span anchor;       // the PolicyDocument value: where a finding points when nothing narrower fits
  // `${iot:…}` written in its Fn::Sub without the `!` escape (CloudFormation rejects the template).
  std::vector<Span> unescaped_sub_variables;
  // The file the document's spans are in when it is not the linted file itself (a policy JSON a
  // Terraform `file()` reads); `anchor` is always in the linted file.
  const SourceFile* document_source = nullptr;
};

struct ThingAttachmentInput {
  Origin origin;
  std::string certificate;  // the certificate id (or the name of the template resource that creates it)
  std::string thing;
  Span where;
};

// A policy attached to a principal (AWS::IoT::PolicyPrincipalAttachment, aws_iot_policy_attachment).
struct PolicyTargetInput {
  Origin origin;
  std::string policy;  // the policy name
  std::string target;  // a certificate ARN, a thing-group ARN or a Cognito identity
  Span where;
};

struct CertificateInput {
  Origin origin;
  std::string id;
  std::string status;  // as declared; ACTIVE when not
  Span where;
};

// A certificate's CertificatePem, written inline.
struct CertificatePemInput {
  std::string certificate;  // the certificate's id (its logical id)
  std::string pem;
  Span where;  // the CertificatePem value
};

// An AWS::IAM::Role with the IAM policy documents the template gives it: its inline Policies, the
// AWS::IAM::Policy and ManagedPolicy resources that name it in Roles, the RolePolicy resources
// that name it in RoleName, the template's managed policies in its ManagedPolicyArns.
struct RoleInput {
  Origin origin;
  std::string name;  // RoleName, else the logical id (what Ref and GetAtt resolve to)
  std::vector<Node> documents;  // with intrinsics resolved
  std::vector<Span> document_spans;
  // Policies whose statements the template does not give: managed policy ARNs it does not declare
  // (an AWS managed policy, another stack's), documents that could not be read.
  std::vector<std::string> unknown_managed_policies;
  Span where;
};

// A role handed out by an AWS::IoT::RoleAlias or an AWS::Cognito::IdentityPoolRoleAttachment.
struct RoleUseInput {
  enum class Kind : uint8_t { role_alias, authenticated, unauthenticated };
  Origin origin;
  Kind kind = Kind::role_alias;
  std::string holder;    // the role alias name, or the identity pool id (its logical id when a Ref)
  std::string role_arn;  // as resolved
  Span where;            // the role ARN's value
};

// A check an AWS::IoT::AccountAuditConfiguration turns off.
struct DisabledAuditCheckInput {
  Origin origin;
  std::string key;  // as written in AuditCheckConfigurations
  Span where;       // the Enabled value
};

struct LoggingInput {
  Origin origin;
  std::string account;  // AWS::IoT::Logging AccountId; empty when not declared
  std::string role_arn;
  std::string default_level;  // DISABLED, ERROR, …; empty when not declared
  bool disable_all_logs = false;
  Span where;
};

// `Metadata: fleetaudit: ignore_checks` on a resource or the template, or a `# fleetaudit:ignore` comment.
struct Suppression {
  std::string check;
  std::string reason;
  std::string resource;  // for Metadata on a resource; empty otherwise
  uint32_t first_line = 0, last_line = 0;  // for comments: the lines it covers (0: any line)
  Span where;
  bool used = false;
};

struct IacFile {
  std::unique_ptr<SourceFile> source;
  std::string kind;  // "CloudFormation template", "IoT policy document", "Terraform plan"; "" when not IaC
  std::vector<PolicyInput> policies;
  std::vector<ThingAttachmentInput> attachments;
  std::vector<PolicyTargetInput> policy_targets;
  std::vector<CertificateInput> certificates;
  std::vector<CertificatePemInput> certificate_pems;
  std::vector<LoggingInput> logging;
  std::vector<RoleInput> roles;
  std::vector<RoleUseInput> role_uses;
  std::vector<DisabledAuditCheckInput> disabled_audit_checks;
  std::vector<Suppression> suppressions;
  std::vector<Diagnostic> problems;  // errors and warnings, positioned in this file or in other_sources
  std::vector<std::unique_ptr<SourceFile>> other_sources;  // files read for it (policy JSON of `file()`)
  // What file() may read (lint_inputs.h), while the file is read; null: the directory of the file itself.
  const ReadBoundary* boundary = nullptr;

  // IoT content the file holds that lint did not judge (a policy named but not written here, a
  // value only the deployment decides, a module not followed): a warning that says what and why,
  // counted so that the summary can say how many.
  size_t not_checked = 0;
  void unchecked(Span where, std::string message) {
    ++not_checked;
    problem(DiagnosticSeverity::warning, where, std::move(message));
  }

  void problem(DiagnosticSeverity severity, Span where, std::string message);
  void problem(DiagnosticSeverity severity, const SourceFile& in, Span where, std::string message);
};

}  // namespace fleetaudit::lint
