#pragma once
// IAM policy documents as they are exported: a JSON object in AWS CLI output, a URL-encoded JSON
// string from the SDKs and the raw API (RFC 3986 percent-encoding).
#include <optional>
#include <string>
#include <string_view>

namespace fleetaudit::iam {

// Percent-decodes `text`; nullopt when a '%' is not followed by two hex digits. '+' stays '+'
// (RFC 3986, not form encoding).
std::optional<std::string> percent_decode(std::string_view text);

// The JSON text of a document given as a string: decoded when it is URL-encoded, as is when it
// already reads as JSON (starts with '{' after blanks). nullopt when the encoding is broken.
std::optional<std::string> document_text_from_string(std::string_view text);

}  // namespace fleetaudit::iam
