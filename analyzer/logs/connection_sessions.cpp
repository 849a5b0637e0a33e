#include "analyzer/logs/connection_sessions.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace fleetaudit {

std::vector<ConnectionSession> connection_sessions(const ConnectionEventTable& events, LogWindow window) {
  std::vector<uint32_t> order(events.size());
  std::iota(order.begin(), order.end(), 0u);
  // Within one instant a Disconnect comes first: a reconnect right after a drop is not an overlap.
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::make_tuple(events.principal[a], events.client_id[a], events.time[a],
                           events.kind[a] == ConnectionEventTable::Kind::connect, a) <
           std::make_tuple(events.principal[b], events.client_id[b], events.time[b],
                           events.kind[b] == ConnectionEventTable::Kind::connect, b);
  });
  std::vector<ConnectionSession> sessions;
  auto keep = [&](const ConnectionSession& session) {
    if (session.end >= window.from && session.start <= window.to) sessions.push_back(session);
  };
  std::optional<ConnectionSession> open;
  for (size_t i = 0; i < order.size(); ++i) {
    const uint32_t e = order[i];
    const bool same_pair = open && open->principal == events.principal[e] && open->client_id == events.client_id[e];
    if (open && !same_pair) {
      keep(*open);
      open.reset();
    }
    const EpochMillis time = events.time[e];
    if (events.kind[e] == ConnectionEventTable::Kind::connect) {
      if (!events.succeeded[e]) continue;
      if (open) keep({open->principal, open->client_id, open->start, time});
      open = ConnectionSession{events.principal[e], events.client_id[e], time, kStillConnected};
    } else if (open) {
      keep({open->principal, open->client_id, open->start, time});
      open.reset();
    } else {
      keep({events.principal[e], events.client_id[e], kBeforeTheLogs, time});
    }
  }
  if (open) keep(*open);
  std::sort(sessions.begin(), sessions.end(), [](const ConnectionSession& a, const ConnectionSession& b) {
    return std::tie(a.principal, a.start, a.end, a.client_id) < std::tie(b.principal, b.start, b.end, b.client_id);
  });
  return sessions;
}

std::string epoch_millis_text(EpochMillis time) { return std::to_string(time); }

bool is_certificate_id(std::string_view principal) {
  return principal.size() == 64 && std::all_of(principal.begin(), principal.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace fleetaudit
