// policy::applicable: the Allows and the unconditional Denies that name an action, in order; a
// conditional Deny counts for nothing; what names the action is the caller's matcher.
#include "analyzer/policy/applicable.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_document.h"

namespace fleetaudit::policy {
namespace {

// Statements 0-5: Allow Publish, Deny Publish, Deny Publish with a Condition, Allow Subscribe
// with a Condition, Allow Publish with a Condition, Deny iot:*.
PolicyStatementTable table_of_six() {
  const std::string topic = R"("arn:aws:iot:us-east-1:123456789012:topic/a")";
  const std::string condition = R"("Condition":{"StringEquals":{"aws:SourceIp":"10.0.0.1"}})";
  const std::string document = R"({"Version":"2012-10-17","Statement":[)"
                               R"({"Effect":"Allow","Action":"iot:Publish","Resource":)" +
                               topic + "}," + R"({"Effect":"Deny","Action":"iot:Publish","Resource":)" + topic + "}," +
                               R"({"Effect":"Deny","Action":"iot:Publish","Resource":)" + topic + "," + condition +
                               "}," + R"({"Effect":"Allow","Action":"iot:Subscribe","Resource":"*",)" + condition +
                               "}," + R"({"Effect":"Allow","Action":"iot:Publish","Resource":)" + topic + "," +
                               condition + "}," + R"({"Effect":"Deny","Action":"iot:*","Resource":"*"}]})";
  PolicyStatementTable table;
  EXPECT_FALSE(append_policy_document(document, 0, table));
  EXPECT_EQ(table.size(), 6u);
  return table;
}

std::vector<uint32_t> applicable_to(const PolicyStatementTable& table, DataPlaneActionSet action, uint32_t first = 0) {
  BreadthEvaluator evaluator(table);
  return applicable(table, first, static_cast<uint32_t>(table.size()),
                    [&](uint32_t statement) { return (evaluator.statement_actions(statement) & action) != 0; });
}

TEST(Applicable, AllowsAndUnconditionalDeniesInOrder) {
  const PolicyStatementTable table = table_of_six();
  // The conditional Deny (2) counts for nothing; the conditional Allow (4) does count.
  EXPECT_EQ(applicable_to(table, action_bit(DataPlaneAction::publish)), (std::vector<uint32_t>{0, 1, 4, 5}));
  EXPECT_EQ(applicable_to(table, action_bit(DataPlaneAction::subscribe)), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(applicable_to(table, action_bit(DataPlaneAction::connect)), (std::vector<uint32_t>{5}));
  EXPECT_EQ(applicable_to(table, action_bit(DataPlaneAction::publish), 2), (std::vector<uint32_t>{4, 5}));
}

TEST(Applicable, TakesPartByEffectAndCondition) {
  EXPECT_TRUE(takes_part(0));
  EXPECT_TRUE(takes_part(kStatementHasCondition));
  EXPECT_TRUE(takes_part(kStatementDeny));
  EXPECT_FALSE(takes_part(kStatementDeny | kStatementHasCondition));
  EXPECT_FALSE(takes_part(kStatementDeny | kStatementHasCondition | kStatementNotResource));
}

TEST(Applicable, VisitsWithoutCollecting) {
  const PolicyStatementTable table = table_of_six();
  std::vector<uint32_t> seen;
  for_each_applicable(
      table, 0, static_cast<uint32_t>(table.size()), [](uint32_t) { return true; },
      [&](uint32_t statement) { seen.push_back(statement); });
  EXPECT_EQ(seen, (std::vector<uint32_t>{0, 1, 3, 4, 5}));
}

}  // namespace
}  // namespace fleetaudit::policy
