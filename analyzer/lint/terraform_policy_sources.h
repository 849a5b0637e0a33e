#pragma once
// The policy an aws_iot_policy's `policy` names when it is not written inline: a JSON file read by
// file() (relative to the .tf file's directory, which is path.module), or a data
// "aws_iam_policy_document" of the same file, rendered as the provider renders it.
#include <string>

#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

// file("policy.json"), file("${path.module}/policies/device.json"): the document read into
// `policy` (its spans in the JSON file, which `file.other_sources` keeps). False, with a problem
// of `file`, when the path is not decided or the file is not a readable regular JSON file.
bool read_policy_file(const Node& call, const std::string& address, IacFile& file, PolicyInput& policy);

// The document the statement blocks of a data "aws_iam_policy_document" body make: Version
// 2012-10-17 and Effect Allow unless written, actions/not_actions, resources/not_resources,
// condition { test, variable, values }, `&{…}` as the policy variable `${…}`; each value at its
// HCL span. False, with a warning, when the block holds what is not read (a dynamic block, other
// documents merged in).
bool policy_document_from_data(const Node& body, const std::string& address, IacFile& file, Node& document);

}  // namespace fleetaudit::lint
