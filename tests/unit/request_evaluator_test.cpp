// One concrete request against policy statements: variables bound to the device, IAM's Deny-wins
// logic, NotResource, conditions, and Version-less documents whose ${…} is literal text.
#include <gtest/gtest.h>

#include "analyzer/access/access_query.h"
#include "analyzer/policy/policy_document.h"
#include "analyzer/policy/request_evaluator.h"

namespace fleetaudit::policy {
namespace {

const std::string kArn = "arn:aws:iot:us-east-1:123456789012";

struct Statements {
  PolicyStatementTable table;
  std::vector<StatementRange> ranges;
  // Appends one policy document; its statements become one range.
  Statements& add(const std::string& document) {
    const uint32_t first = static_cast<uint32_t>(table.size());
    EXPECT_FALSE(append_policy_document(document, 0, table));
    ranges.push_back({first, static_cast<uint32_t>(table.size())});
    return *this;
  }
};

std::string versioned(const std::string& statements) {
  return R"({"Version": "2012-10-17", "Statement": [)" + statements + "]}";
}

RequestDecision decide(Statements& statements, DataPlaneAction action, const std::string& resource,
                       std::optional<std::string_view> thing, std::optional<std::string> client_id = std::nullopt) {
  RequestEvaluator evaluator(statements.table, action, resource, std::move(client_id));
  return evaluator.decide(statements.ranges, thing);
}

TEST(RequestEvaluator, ThingNameVariableIsTheAttachedThing) {
  Statements statements;
  statements.add(versioned(R"({"Effect": "Allow", "Action": "iot:Publish", "Resource": ")" + kArn +
                           R"(:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"})"));
  const std::string own = kArn + ":topic/$aws/things/lock-1/shadow/update";
  EXPECT_TRUE(decide(statements, DataPlaneAction::publish, own, "lock-1").allowed());
  EXPECT_FALSE(decide(statements, DataPlaneAction::publish, own, "lock-2").allowed());
  EXPECT_FALSE(decide(statements, DataPlaneAction::publish, own, std::nullopt).allowed());  // no thing: no match
  EXPECT_FALSE(decide(statements, DataPlaneAction::subscribe, own, "lock-1").allowed());    // another action
  // A prefix of the name is not the name.
  EXPECT_FALSE(decide(statements, DataPlaneAction::publish, own, "lock-").allowed());
}

TEST(RequestEvaluator, VariablesAreLiteralTextWithoutVersion) {
  Statements statements;
  statements.add(R"({"Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": ")" + kArn +
                 R"(:topic/${iot:Connection.Thing.ThingName}"}]})");
  EXPECT_FALSE(decide(statements, DataPlaneAction::publish, kArn + ":topic/lock-1", "lock-1").allowed());
  EXPECT_TRUE(
      decide(statements, DataPlaneAction::publish, kArn + ":topic/${iot:Connection.Thing.ThingName}", "lock-1").allowed());
}

TEST(RequestEvaluator, ClientIdIsTheClientArnsNameOtherwiseTheGrantDependsOnIt) {
  Statements statements;
  statements.add(versioned(R"({"Effect": "Allow", "Action": ["iot:Connect", "iot:Publish"], "Resource": [")" + kArn +
                           R"(:client/${iot:ClientId}", ")" + kArn + R"(:topic/clients/${iot:ClientId}"]})"));
  // Connect: ${iot:ClientId} is the client connecting, so any client ARN matches, unconditionally.
  const RequestDecision connect =
      decide(statements, DataPlaneAction::connect, kArn + ":client/anyone", "lock-1", std::string("anyone"));
  ASSERT_TRUE(connect.allowed());
  EXPECT_EQ(connect.allowed_by[0].depends, 0);
  const RequestDecision publish = decide(statements, DataPlaneAction::publish, kArn + ":topic/clients/x", "lock-1");
  ASSERT_TRUE(publish.allowed());
  EXPECT_EQ(publish.allowed_by[0].depends, kDependsOnClientId);
}

TEST(RequestEvaluator, UnconditionalDenyInAnyPolicyWinsAConditionalOneIsNotCredited) {
  Statements statements;
  statements.add(versioned(R"({"Effect": "Allow", "Action": "iot:*", "Resource": "*"})"));
  statements.add(versioned(R"({"Effect": "Deny", "Action": "iot:Publish", "Resource": ")" + kArn + R"(:topic/a/*"},
                              {"Effect": "Deny", "Action": "iot:Publish", "Resource": ")" + kArn +
                           R"(:topic/b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})"));
  const RequestDecision a = decide(statements, DataPlaneAction::publish, kArn + ":topic/a/1", "t");
  EXPECT_FALSE(a.allowed());
  EXPECT_EQ(a.denied_by, std::vector<uint32_t>{1});
  EXPECT_TRUE(decide(statements, DataPlaneAction::publish, kArn + ":topic/b/1", "t").allowed());
}

TEST(RequestEvaluator, ConditionalAllowIsAllowedIfTheConditionHolds) {
  Statements statements;
  statements.add(versioned(R"({"Effect": "Allow", "Action": "IOT:publish", "Resource": "*",
                               "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}})"));
  const RequestDecision decision = decide(statements, DataPlaneAction::publish, kArn + ":topic/x", "t");
  ASSERT_TRUE(decision.allowed());
  EXPECT_TRUE(decision.allowed_by[0].conditional);
}

TEST(RequestEvaluator, NotResourceAndNotAction) {
  Statements statements;
  statements.add(versioned(R"({"Effect": "Allow", "NotAction": "iot:Connect", "NotResource": ")" + kArn +
                           R"(:topic/secret/*"})"));
  EXPECT_TRUE(decide(statements, DataPlaneAction::publish, kArn + ":topic/open", "t").allowed());
  EXPECT_FALSE(decide(statements, DataPlaneAction::publish, kArn + ":topic/secret/x", "t").allowed());
  EXPECT_FALSE(decide(statements, DataPlaneAction::connect, kArn + ":client/t", "t", std::string("t")).allowed());
}

TEST(RequestEvaluator, ActionNamesAndResourceProblems) {
  EXPECT_EQ(data_plane_action_named("IoT:publish"), DataPlaneAction::publish);
  EXPECT_EQ(data_plane_action_named("iot:Receive"), std::nullopt);  // not in the catalogue
  EXPECT_FALSE(access::resource_problem(DataPlaneAction::publish, kArn + ":topic/a"));
  EXPECT_TRUE(access::resource_problem(DataPlaneAction::publish, "topic/a"));
  EXPECT_TRUE(access::resource_problem(DataPlaneAction::publish, kArn + ":topic/"));
  EXPECT_TRUE(access::resource_problem(DataPlaneAction::subscribe, kArn + ":topic/a"));
  EXPECT_FALSE(access::resource_problem(DataPlaneAction::list_retained_messages, "*"));
}

}  // namespace
}  // namespace fleetaudit::policy
