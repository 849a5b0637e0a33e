#pragma once
// The snapshot one IaC file declares, for the registered checks to run on: each policy with one
// version (version 1, the default, as CloudFormation and Terraform create it), the certificates
// and the things they are attached to, the policies' targets, the logging options. ARNs are
// in the stack's own partition, region and account (document_json.h).
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/lint/document_json.h"
#include "analyzer/lint/iac_model.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::lint {

struct TemplateSnapshot {
  Snapshot snapshot;
  StackContext stack;
  std::unordered_map<std::string, size_t> policy_by_name;  // policy name -> index in file.policies
  std::unordered_map<std::string, size_t> role_by_arn;     // role ARN -> index in file.roles
  std::unordered_map<std::string, size_t> role_use_by_alias_arn;  // role alias ARN -> index in file.role_uses
  std::vector<std::string> role_use_role_arn;  // per file.role_uses: its role's ARN; empty when not checked
  std::vector<size_t> role_use_role;           // per file.role_uses: index in file.roles when checked
};

// Fills `built` from the file; a policy that does not parse, or a second one of a name, is a
// problem of the file and left out. A role alias or identity pool whose role the template does not
// declare completely is a warning of the file (not checked) and left out.
void build_template_snapshot(IacFile& file, TemplateSnapshot& built);

}  // namespace fleetaudit::lint
