#include "analyzer/baseline/fail_on.h"

#include <algorithm>
#include <cctype>

namespace fleetaudit {

std::optional<FailOn> parse_fail_on(const std::string& text) {
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (upper == "ANY") return FailOn{};
  if (upper == "NEW") return FailOn{FailOn::Kind::new_findings, Severity::low};
  for (Severity severity : {Severity::critical, Severity::high, Severity::medium, Severity::low})
    if (upper == to_string(severity)) return FailOn{FailOn::Kind::severity, severity};
  return std::nullopt;
}

bool audit_fails(const AuditReport& report, const Drift* drift, const FailOn& fail_on) {
  for (size_t r = 0; r < report.runs.size(); ++r) {
    const CheckRun& run = report.runs[r];
    // Severity enumerators run from critical (0) down to low.
    if (fail_on.kind == FailOn::Kind::severity && run.check->severity > fail_on.at_least) continue;
    for (size_t f = 0; f < run.findings.size(); ++f) {
      if (run.findings.suppressed(f)) continue;
      if (fail_on.kind != FailOn::Kind::new_findings) return true;
      if (drift != nullptr && drift->of(r, f).state != BaselineState::unchanged) return true;
    }
  }
  return false;
}

}  // namespace fleetaudit
