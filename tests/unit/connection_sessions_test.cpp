// Sessions rebuilt from Connect/Disconnect log entries.
#include <gtest/gtest.h>

#include "analyzer/logs/connection_sessions.h"

namespace fleetaudit {
namespace {

struct Events {
  Snapshot snapshot;
  void add(ConnectionEventTable::Kind kind, EpochMillis time, std::string_view client, std::string_view principal,
           bool succeeded = true) {
    ConnectionEventTable& table = snapshot.connection_events;
    table.kind.push_back(kind);
    table.time.push_back(time);
    table.client_id.push_back(snapshot.strings.intern(client));
    table.principal.push_back(snapshot.strings.intern(principal));
    table.succeeded.push_back(succeeded);
    table.duplicate_client_id.push_back(false);
  }
};

constexpr auto kConnect = ConnectionEventTable::Kind::connect;
constexpr auto kDisconnect = ConnectionEventTable::Kind::disconnect;

TEST(ConnectionSessions, PairsConnectAndDisconnectPerPrincipalAndClient) {
  Events events;
  events.add(kDisconnect, 50, "a", "p");   // began before the logs
  events.add(kConnect, 100, "a", "p");
  events.add(kConnect, 150, "b", "p");
  events.add(kDisconnect, 200, "a", "p");
  events.add(kConnect, 300, "a", "p", false);  // failed: no session
  events.add(kConnect, 400, "a", "p");         // still connected
  auto sessions = connection_sessions(events.snapshot.connection_events, {0, 1000});
  ASSERT_EQ(sessions.size(), 4u);
  EXPECT_EQ(sessions[0].start, kBeforeTheLogs);
  EXPECT_EQ(sessions[0].end, 50);
  EXPECT_EQ(sessions[1].start, 100);
  EXPECT_EQ(sessions[1].end, 200);
  EXPECT_EQ(sessions[2].start, 150);
  EXPECT_EQ(sessions[2].end, kStillConnected);
  EXPECT_EQ(sessions[3].start, 400);
  EXPECT_EQ(sessions[3].end, kStillConnected);
}

TEST(ConnectionSessions, ReconnectInTheSameMillisecondIsNotAnOverlapAndWindowFilters) {
  Events events;
  events.add(kConnect, 100, "a", "p");
  events.add(kConnect, 200, "a", "p");  // takes the session over: the first ends at 200
  events.add(kDisconnect, 200, "a", "p");
  auto sessions = connection_sessions(events.snapshot.connection_events, {0, 1000});
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].end, 200);
  EXPECT_EQ(sessions[1].start, 200);
  EXPECT_TRUE(connection_sessions(events.snapshot.connection_events, {5000, 6000}).size() == 1u);  // still open
  EXPECT_TRUE(is_certificate_id(std::string(64, 'a')));
  EXPECT_FALSE(is_certificate_id("us-east-1:0f0e"));
}

}  // namespace
}  // namespace fleetaudit
