#pragma once
// A finding's typed evidence as a short list under its message: which statement (and Sid) grants
// what on which resource, which Deny takes it back, which role a pool hands out. Made from the
// structs, never from the message, and every value escaped.
#include <string>

#include "analyzer/engine/finding.h"

namespace fleetaudit::html {

// Evidence items shown per finding: the rest are counted; the JSON and SARIF reports have them all.
inline constexpr size_t kEvidenceShownPerFinding = 8;

// "<ul class=\"evidence\"><li …>statement 3 (Sid X) grants iot:Publish on … through …</li></ul>";
// empty for a finding without evidence, so that its row is as before.
std::string evidence_list(const Evidence& evidence);

}  // namespace fleetaudit::html
