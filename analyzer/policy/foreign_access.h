#pragma once
// The question the policy checks ask: may the device use some resource of another device?
#include <span>
#include <string>
#include <string_view>

#include "analyzer/policy/foreign_resources.h"
#include "analyzer/policy/pattern_language.h"

namespace fleetaudit::policy {

inline constexpr std::string_view kDeviceNamePlaceholder = "${iot:Connection.Thing.ThingName}";

struct ForeignAccess {
  LanguageAnswer answer = LanguageAnswer::empty;
  std::string witness;         // found: a full ARN of another device's resource, allowed and not denied
  std::string received_topic;  // topic_filter: a foreign topic the witness filter receives
  uint32_t allowed_by = 0;     // found: index into `allowed` of a statement admitting the witness
  std::string reason;          // too_complex: what ran out
};

// A shortest resource of `family` in `scope` that belongs to another device, that a statement of
// `allowed` admits and no statement of `denied` does. SELF renders as `device_name`.
ForeignAccess find_foreign_access(ResourceFamily family, const ArnScope& scope,
                                  std::span<const StatementLanguage> allowed, std::span<const StatementLanguage> denied,
                                  const WorkBudget& budget = {},
                                  std::string_view device_name = kDeviceNamePlaceholder, WorkMeter* meter = nullptr);

// Whether every string `covered` matches is matched by `covering` too, exactly (as languages;
// variables are literal text). For case-insensitive globs (actions) the comparison ignores case.
bool pattern_covers(const Glob& covering, const Glob& covered);

}  // namespace fleetaudit::policy
