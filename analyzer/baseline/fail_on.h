#pragma once
// --fail-on: which findings make `fleetaudit audit` exit with status 1.
#include <optional>
#include <string>

#include "analyzer/baseline/drift.h"

namespace fleetaudit {

struct FailOn {
  enum class Kind : uint8_t { any, new_findings, severity };
  Kind kind = Kind::any;
  Severity at_least = Severity::low;  // Kind::severity: this severity or a higher one
};

// "any", "new", or a severity (LOW, MEDIUM, HIGH, CRITICAL; any case). nullopt when none of them.
std::optional<FailOn> parse_fail_on(const std::string& text);

// Whether the audit fails: unsuppressed findings that the rule counts (new or updated ones need `drift`).
bool audit_fails(const AuditReport& report, const Drift* drift, const FailOn& fail_on);

}  // namespace fleetaudit
