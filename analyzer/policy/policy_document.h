#pragma once
// Parsing one IoT policy document (the JSON text a policy version's policyDocument holds).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

struct PolicyParseError {
  size_t offset = 0;      // byte offset in the document text
  std::string json_path;  // e.g. "Statement[2].Effect"; empty for the document as a whole
  std::string message;    // what was expected, e.g. expected "Allow" or "Deny"
};

// Appends the document's statements, contiguously, all owned by `version_row`.
//
// Accepted: {"Version", "Id", "Statement"} where Statement is one statement object or an array of
// them; each statement has Effect "Allow"|"Deny", exactly one of Action/NotAction and one of
// Resource/NotResource (a string or an array of strings), optional Condition (an object of operator
// -> object of key -> value) and Sid (a string). Other keys are ignored, but every value is read
// in full, so malformed JSON anywhere, or content after the document, is an error.
//
// On error nothing is appended.
std::optional<PolicyParseError> append_policy_document(std::string_view document_json, uint32_t version_row,
                                                       PolicyStatementTable& table);

}  // namespace fleetaudit::policy
