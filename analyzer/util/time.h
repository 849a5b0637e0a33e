#pragma once
// Times in a snapshot come as epoch seconds (CLI v1) or ISO 8601 strings with any offset (CLI v2).
// Inside fleetaudit every instant is epoch milliseconds, UTC.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fleetaudit {

using EpochMillis = int64_t;

// "2018-10-31T14:52:31.983000-07:00", "…Z", "…+00:00", date-time separator 'T' or ' '.
std::optional<EpochMillis> parse_iso8601(std::string_view text);
// Epoch seconds, possibly fractional, as a JSON number gives them.
std::optional<EpochMillis> epoch_seconds_to_millis(double seconds);
// "2026-06-01T00:00:00.000Z": the form every report writes.
std::string format_iso8601(EpochMillis millis);
// The same, appended to `out`.
void append_iso8601(std::string& out, EpochMillis millis);

inline constexpr EpochMillis kMillisPerDay = 86'400'000;

}  // namespace fleetaudit
