// The classes of grants issue 11 lists, each decided from the patterns' languages.
#include "analyzer/policy/foreign_access.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit::policy {
namespace {

const ArnScope kScope{"aws", "eu-west-1", "123456789012"};
const std::string kArn = "arn:aws:iot:eu-west-1:123456789012:";

// Thing-bound variables are the device's own; ${iot:ClientId} is chosen by the device.
VariableReading read_variable(std::string_view name) {
  return name.starts_with("iot:Connection.Thing.") ? VariableReading::device_name : VariableReading::any_text;
}

// Patterns are written without the ARN prefix unless they start with "*" or "arn:".
StatementLanguage statement(std::initializer_list<std::string_view> patterns, bool not_resource = false) {
  StatementLanguage language;
  language.complement = not_resource;
  for (std::string_view text : patterns) {
    const std::string full = text.starts_with("*") || text.starts_with("arn:") ? std::string(text) : kArn + std::string(text);
    if (auto pattern = resolve_pattern(Glob::compile(full), read_variable)) language.patterns.push_back(*pattern);
  }
  return language;
}

ForeignAccess ask(ResourceFamily family, std::vector<StatementLanguage> allowed,
                  std::vector<StatementLanguage> denied = {}, const ArnScope& scope = kScope) {
  return find_foreign_access(family, scope, allowed, denied);
}

void expect_witness(const ForeignAccess& access, const std::string& witness) {
  ASSERT_EQ(access.answer, LanguageAnswer::found) << access.reason;
  EXPECT_EQ(access.witness, witness);
}

void expect_none(const ForeignAccess& access) {
  EXPECT_EQ(access.answer, LanguageAnswer::empty) << access.witness << access.reason;
}

TEST(ForeignAccess, ShadowAndJobTopicsOfAnyThing) {
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/$aws/things/*/shadow/delete"})}),
                 kArn + "topic/$aws/things/x/shadow/delete");
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/$aws/things/*/shadow/name/*/update"})}),
                 kArn + "topic/$aws/things/x/shadow/name//update");
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/$aws/things/*/jobs/*/update"})}),
                 kArn + "topic/$aws/things/x/jobs//update");
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/$aws/things/*/jobs/start-next"})}),
                 kArn + "topic/$aws/things/y/jobs/start-next");
}

TEST(ForeignAccess, OwnThingTopicsAreNotForeign) {
  expect_none(ask(ResourceFamily::topic, {statement({"topic/$aws/things/${iot:Connection.Thing.ThingName}/*"})}));
  expect_none(ask(ResourceFamily::topic, {statement({"topic/${iot:Connection.Thing.ThingName}/*"})}));
  // A prefix is not the device's name: MyThing1 may publish to MyThing12's topics.
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/$aws/things/${iot:Connection.Thing.ThingName}*"})}),
                 kArn + "topic/$aws/things/${iot:Connection.Thing.ThingName}x/");
}

TEST(ForeignAccess, SubscribeWithMqttWildcards) {
  const ForeignAccess documents =
      ask(ResourceFamily::topic_filter, {statement({"topicfilter/$aws/things/+/shadow/update/documents"})});
  expect_witness(documents, kArn + "topicfilter/$aws/things/+/shadow/update/documents");
  EXPECT_EQ(documents.received_topic, "$aws/things/x/shadow/update/documents");

  const ForeignAccess everything = ask(ResourceFamily::topic_filter, {statement({"topicfilter/#"})});
  expect_witness(everything, kArn + "topicfilter/#");
  EXPECT_EQ(everything.received_topic, "x");
  const ForeignAccess reserved = ask(ResourceFamily::topic_filter, {statement({"topicfilter/$aws/#"})});
  expect_witness(reserved, kArn + "topicfilter/$aws/#");
  EXPECT_EQ(reserved.received_topic, "$aws/things/x/");

  // A * may be spelled as a filter with + or #.
  expect_witness(ask(ResourceFamily::topic_filter, {statement({"topicfilter/$aws/things/*"})}),
                 kArn + "topicfilter/$aws/things/#");
  expect_witness(ask(ResourceFamily::topic_filter, {statement({"topicfilter/+"})}), kArn + "topicfilter/+");
  expect_witness(ask(ResourceFamily::topic_filter, {statement({"topicfilter/+/data"})}), kArn + "topicfilter/+/data");
}

TEST(ForeignAccess, SubscribeOnOwnTopicsIsNotForeign) {
  expect_none(ask(ResourceFamily::topic_filter,
                  {statement({"topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*",
                              "topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"})}));
  // A literal first level pins the topic tree to one name, however many levels follow.
  expect_none(ask(ResourceFamily::topic_filter, {statement({"topicfilter/building/*"})}));
  // The literal filter "$aws/things/+" receives only three-level topics, none of them a thing's.
  expect_none(ask(ResourceFamily::topic_filter, {statement({"topicfilter/$aws/things/+"})}));
}

TEST(ForeignAccess, DenyIsCreditedOnlyForWhatItCovers) {
  expect_witness(ask(ResourceFamily::client, {statement({"client/*"})}, {statement({"client/?"})}), kArn + "client/xx");
  expect_none(ask(ResourceFamily::client, {statement({"client/*"})}, {statement({"client/?", "client/??*"})}));
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/$aws/things/*"})},
                     {statement({"topic/$aws/things/*/shadow/update", "topic/$aws/things/*/jobs/*"})}),
                 kArn + "topic/$aws/things/x/");
}

TEST(ForeignAccess, VerdictDoesNotDependOnTheTopicSpelling) {
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/*/telemetry"})}), kArn + "topic/x/telemetry");
  expect_witness(ask(ResourceFamily::topic, {statement({"topic/*/data"})}), kArn + "topic/x/data");
  expect_none(ask(ResourceFamily::topic, {statement({"topic/sensors/*"})}));
  // A wildcard after a literal prefix is the fleet owner's scoping (AWS: thing/MyThing* is compliant).
  expect_none(ask(ResourceFamily::topic, {statement({"topic/s?nsors/*"})}));
}

TEST(ForeignAccess, ConnectAndClientIds) {
  expect_witness(ask(ResourceFamily::client, {statement({"client/*"})}), kArn + "client/x");
  expect_witness(ask(ResourceFamily::client, {statement({"client/${iot:ClientId}"})}), kArn + "client/x");
  expect_none(ask(ResourceFamily::client, {statement({"client/${iot:Connection.Thing.ThingName}"})}));
  expect_none(ask(ResourceFamily::client, {statement({"client/MyThing1", "client/MyThing2"})}));
}

TEST(ForeignAccess, ThingResourcesOfShadowAndJobActions) {
  expect_witness(ask(ResourceFamily::thing, {statement({"thing/*"})}), kArn + "thing/x");
  expect_none(ask(ResourceFamily::thing, {statement({"thing/MyThing1", "thing/MyThing2"})}));
  expect_none(ask(ResourceFamily::thing, {statement({"thing/${iot:Connection.Thing.ThingName}",
                                                     "thing/${iot:Connection.Thing.ThingName}/*"})}));
  expect_witness(ask(ResourceFamily::thing, {statement({"thing/*/config"})}), kArn + "thing/x/config");
  // Names with the device's own as a prefix are other devices' names.
  expect_witness(ask(ResourceFamily::thing, {statement({"thing/${iot:Connection.Thing.ThingName}?"})}),
                 kArn + "thing/${iot:Connection.Thing.ThingName}x");
  expect_witness(ask(ResourceFamily::thing, {statement({"thing/${iot:Connection.Thing.ThingName}-backup"})}),
                 kArn + "thing/${iot:Connection.Thing.ThingName}-backup");
}

TEST(ForeignAccess, TheNotResourcePatternAwsRecommends) {
  const std::vector<StatementLanguage> allow{statement({"*"})};
  const std::vector<StatementLanguage> deny{
      statement({"client/${iot:Connection.Thing.ThingName}", "thing/${iot:Connection.Thing.ThingName}",
                 "topic/$aws/things/${iot:Connection.Thing.ThingName}/*",
                 "topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/*"},
                /*not_resource=*/true)};
  for (ResourceFamily family :
       {ResourceFamily::client, ResourceFamily::thing, ResourceFamily::topic, ResourceFamily::topic_filter})
    expect_none(ask(family, allow, deny));
  // Without the Deny every family is reached.
  for (ResourceFamily family :
       {ResourceFamily::client, ResourceFamily::thing, ResourceFamily::topic, ResourceFamily::topic_filter})
    EXPECT_EQ(ask(family, allow).answer, LanguageAnswer::found);
}

TEST(ForeignAccess, NotResourceAllowGrantsEverythingElse) {
  const ForeignAccess access =
      ask(ResourceFamily::client, {statement({"client/${iot:Connection.Thing.ThingName}"}, true)});
  expect_witness(access, kArn + "client/x");
}

TEST(ForeignAccess, ResourcesOutsideTheAccountAreNotTheFleets) {
  expect_none(ask(ResourceFamily::client, {statement({"arn:aws:iot:us-east-1:123456789012:client/*"})}));
  // IAM is global: an empty region or account admits any.
  const ArnScope any_region{"aws", "", ""};
  expect_witness(ask(ResourceFamily::client, {statement({"arn:aws:iot:us-east-1:123456789012:client/*"})}, {},
                     any_region),
                 "arn:aws:iot:us-east-1:123456789012:client/x");
}

TEST(ForeignAccess, TheWitnessNamesTheAllowingStatement) {
  const ForeignAccess access = ask(ResourceFamily::client, {statement({"client/MyThing1"}), statement({"client/*"})});
  ASSERT_EQ(access.answer, LanguageAnswer::found);
  EXPECT_EQ(access.allowed_by, 1u);
}

TEST(ForeignAccess, ABudgetTooSmallSaysTooComplex) {
  WorkBudget tiny;
  tiny.max_states = 10;
  const std::vector<StatementLanguage> allowed{statement({"topic/$aws/things/*"})};
  const std::vector<StatementLanguage> denied{statement({"topic/$aws/things/*/shadow/update"})};
  const ForeignAccess access = find_foreign_access(ResourceFamily::topic, kScope, allowed, denied, tiny);
  EXPECT_EQ(access.answer, LanguageAnswer::too_complex);
  EXPECT_FALSE(access.reason.empty());
}

}  // namespace
}  // namespace fleetaudit::policy
