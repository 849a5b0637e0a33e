#pragma once
// MQTT sessions rebuilt from the Connect and Disconnect entries of the IoT logs, for the log checks.
#include <cstdint>
#include <vector>

#include "analyzer/tables/snapshot.h"

namespace fleetaudit {

inline constexpr EpochMillis kBeforeTheLogs = INT64_MIN;  // session start not in the logs
inline constexpr EpochMillis kStillConnected = INT64_MAX;  // session end not in the logs

struct ConnectionSession {
  StringId principal;
  StringId client_id;
  EpochMillis start;
  EpochMillis end;
};

// The audit window: the `days` before the audit clock.
struct LogWindow {
  EpochMillis from;
  EpochMillis to;
  static LogWindow before(EpochMillis now, int64_t days) { return {now - days * kMillisPerDay, now}; }
  bool contains(EpochMillis time) const { return time >= from && time <= to; }
};

// Sessions of each (principal, client id) pair: a successful Connect opens one, the next Disconnect
// of the pair (or the pair's next Connect, which takes the session over) closes it. A Disconnect
// with no Connect before it in the logs closes a session that began before them. Only sessions
// that overlap `window` are returned, sorted by principal then start. O(n log n).
std::vector<ConnectionSession> connection_sessions(const ConnectionEventTable& events, LogWindow window);

// "1754000000000": additionalInfo times are epoch milliseconds as decimal strings.
std::string epoch_millis_text(EpochMillis time);

// A certificate id as the logs give it in principalId: 64 hex digits.
bool is_certificate_id(std::string_view principal);

}  // namespace fleetaudit
