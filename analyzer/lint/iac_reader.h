#pragma once
// Reads one file and, when it is infrastructure as code fleetaudit understands, what it declares:
// a CloudFormation/SAM/CDK template (JSON or YAML), a plain IoT policy document, a Terraform plan
// (JSON) or Terraform source (.tf, a subset: hcl_reader.h). Anything else (package.json, a CI workflow) gives kind "".
#include <string>

#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

// A file's text (read by lint_run, or in memory for tests and the benchmark); the extension of
// `display_path` (how reports name the file, relative to the current directory) chooses the syntax.
// `boundary`: what a Terraform file() may read (null: the file's own directory).
IacFile read_iac_text(std::string text, const std::string& display_path, const ReadBoundary* boundary = nullptr);

// Front ends, each in its own file.
void read_cloudformation(const Node& root, IacFile& file);
void read_terraform_plan(const Node& root, IacFile& file);
// serverless.yml: `service`, `provider` and `resources`, whose Resources is CloudFormation.
bool is_serverless_service(const Node& root);
void read_serverless_service(const Node& root, IacFile& file);
void read_terraform_source(IacFile& file);
// `# fleetaudit:ignore CHECK reason` comments (YAML and Terraform source).
void read_suppression_comments(IacFile& file);

}  // namespace fleetaudit::lint
