#pragma once
// What the report tests share: a report written to a string, and the fixture snapshots whose
// findings carry typed evidence.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/report/reporters.h"
#include "tests/test_support.h"

namespace fleetaudit::testing {

// `writer`'s report of `report` (a snapshot, for the HTML report's things), as a string.
inline std::string written(void (*writer)(const ReportContext&, std::FILE*), const AuditReport& report,
                           const Snapshot* snapshot = nullptr) {
  ReportContext context{report, "snapshot", false, nullptr, std::nullopt, {}, nullptr, {}, snapshot};
  char* data = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&data, &size);
  writer(context, out);
  std::fclose(out);
  std::string text(data, size);
  std::free(data);
  return text;
}

// Every fixture snapshot whose findings carry evidence: the policy and identity pool checks', and
// the demo.
inline std::vector<std::string> evidence_fixtures() {
  std::vector<std::string> found;
  for (const char* check :
       {"iot_policy_overly_permissive_check", "iot_policy_potential_misconfiguration_check",
        "authenticated_cognito_role_overly_permissive_check", "unauthenticated_cognito_role_overly_permissive_check"})
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/fixtures/" + check))
      if (std::filesystem::exists(entry.path() / "manifest.json")) found.push_back(entry.path().string());
  found.push_back(source_dir() + "/fixtures/demo");
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace fleetaudit::testing
