#pragma once
// Text for the HTML report: untrusted names made inert, long ids and lists shortened (the whole
// kept in a tooltip or counted), instants as days a person reads.
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/util/time.h"

namespace fleetaudit::html {

// Text from the snapshot as HTML text or attribute value: markup characters as entities, control
// characters as visible escapes (as in the text report).
std::string escape(std::string_view raw);

// An UPPER_SNAKE_CASE name (a check, a reason code) that may break after an underscore, and only
// there: escaped, with <wbr> after each underscore.
std::string breakable_name(std::string_view name);

// "843,451": counts a person reads at a glance.
std::string thousands(uint64_t number);

// An id as a short <code> whose title holds the whole: "c72dc030…ba8d6". Short ids stay whole.
// The element carries class "id" (the page's script gives it a copy button).
std::string id_element(std::string_view id);

// "2025-05-29": the day (UTC) of an instant.
std::string day_of(EpochMillis instant);
// "2025-05-29 (541 days ago)", "2026-12-01 (in 12 days)", "2026-11-20 (the audit's day)".
std::string day_with_distance(EpochMillis instant, EpochMillis clock);

// `value` cut to about `limit` characters for a table cell. A list ("a, b, c" or "a; b; c") is cut
// between items and ends "… and N more"; other text ends "… (N more characters)". Returned as
// escaped HTML.
std::string capped_text(std::string_view value, size_t limit);

}  // namespace fleetaudit::html
