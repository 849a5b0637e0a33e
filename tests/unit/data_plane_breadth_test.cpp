#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_variables.h"

#include <gtest/gtest.h>

#include <string>

#include "analyzer/policy/policy_document.h"

namespace fleetaudit::policy {
namespace {

constexpr std::string_view kPolicyArn = "arn:aws:iot:us-east-1:123456789012:policy/DevicePolicy";
const std::string kArn = "arn:aws:iot:us-east-1:123456789012:";

constexpr DataPlaneActionSet kConnect = action_bit(DataPlaneAction::connect);
constexpr DataPlaneActionSet kPublish = action_bit(DataPlaneAction::publish);
constexpr DataPlaneActionSet kSubscribe = action_bit(DataPlaneAction::subscribe);
constexpr DataPlaneActionSet kGetShadow = action_bit(DataPlaneAction::get_thing_shadow);
constexpr DataPlaneActionSet kShadows = kGetShadow | action_bit(DataPlaneAction::update_thing_shadow) |
                                        action_bit(DataPlaneAction::delete_thing_shadow);
constexpr DataPlaneActionSet kIotJobs =
    action_bit(DataPlaneAction::describe_job_execution) | action_bit(DataPlaneAction::get_pending_job_executions) |
    action_bit(DataPlaneAction::start_next_pending_job_execution) | action_bit(DataPlaneAction::update_job_execution);
constexpr DataPlaneActionSet kJobsData = action_bit(DataPlaneAction::jobsdata_describe_job_execution) |
                                         action_bit(DataPlaneAction::jobsdata_get_pending_job_executions) |
                                         action_bit(DataPlaneAction::jobsdata_start_next_pending_job_execution) |
                                         action_bit(DataPlaneAction::jobsdata_update_job_execution);
constexpr std::string_view kIsAttached = R"("Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}})";

// One statement; `resource` is a JSON value (quoted string or array), `extra` more members.
std::string statement(std::string_view effect, std::string_view action, std::string_view resource,
                      std::string_view extra = "", std::string_view resource_key = "Resource",
                      std::string_view action_key = "Action") {
  std::string text = "{\"Effect\":\"" + std::string(effect) + "\",\"" + std::string(action_key) + "\":" +
                     std::string(action) + ",\"" + std::string(resource_key) + "\":" + std::string(resource);
  if (!extra.empty()) text += "," + std::string(extra);
  return text + "}";
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string allow(std::string_view action, const std::string& resource, std::string_view extra = "") {
  return statement("Allow", quoted(std::string(action)), quoted(resource), extra);
}

std::string deny(std::string_view action, const std::string& resource, std::string_view extra = "") {
  return statement("Deny", quoted(std::string(action)), quoted(resource), extra);
}

DataPlaneActionSet broad(std::initializer_list<std::string> statements, std::string_view policy_arn = kPolicyArn) {
  std::string document = R"({"Version":"2012-10-17","Statement":[)";
  for (const std::string& text : statements) document += (document.back() == '[' ? "" : ",") + text;
  document += "]}";
  PolicyStatementTable table;
  auto error = append_policy_document(document, 0, table);
  EXPECT_FALSE(error) << document << "\n" << (error ? error->json_path + ": " + error->message : "");
  BreadthEvaluator evaluator(table);
  return evaluator.broad_actions(0, static_cast<uint32_t>(table.size()), ArnScope::of_iot_arn(policy_arn).value());
}

// The examples of the policy model ----------------------------------------------------------------

TEST(DataPlaneBreadth, BroadExamples) {
  EXPECT_EQ(broad({allow("iot:Connect", "*")}), kConnect);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*")}), kConnect);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/${iot:ClientId}")}), kConnect);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*")}), kPublish);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*/shadow/update")}), kPublish);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*")}), kPublish);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/things/#")}), kSubscribe);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/things/+/shadow/update")}), kSubscribe);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/things/*")}), kSubscribe);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/*")}), kSubscribe);
  EXPECT_EQ(broad({allow("iot:GetThingShadow", kArn + "thing/*")}), kGetShadow);
  EXPECT_EQ(broad({allow("iot:GetRetainedMessage", kArn + "topic/*")}),
            action_bit(DataPlaneAction::get_retained_message));
}

TEST(DataPlaneBreadth, NotBroadExamples) {
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/${iot:Connection.Thing.ThingName}")}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/${iot:ClientId}", kIsAttached)}), 0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*")}), 0u);
  const std::string own_things = kArn + "topicfilter/$aws/things/${iot:Connection.Thing.ThingName}";
  EXPECT_EQ(broad({allow("iot:Subscribe", own_things + "/shadow/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Subscribe", own_things + "/jobs/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:GetThingShadow", kArn + "thing/MyThing1")}), 0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/sensors/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/building/#")}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/MyThing*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/${iot:Certificate.Subject.CommonName}/*")}), 0u);
}

TEST(DataPlaneBreadth, ResourceInAnotherAccountOrRegionIsNotBroad) {
  EXPECT_EQ(broad({allow("iot:Connect", "arn:aws:iot:us-east-1:999999999999:client/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", "arn:aws:iot:eu-west-1:123456789012:client/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", "arn:aws:iot:*:123456789012:client/*")}), kConnect);
  // The same pattern judged for a policy of the other account.
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*")}, "arn:aws:iot:us-east-1:999999999999:policy/p"), 0u);
}

TEST(DataPlaneBreadth, NamedShadowProbe) {
  EXPECT_EQ(broad({allow("iot:UpdateThingShadow", kArn + "thing/*/*")}),
            action_bit(DataPlaneAction::update_thing_shadow));
  EXPECT_EQ(broad({allow("iot:UpdateThingShadow", kArn + "thing/MyThing1/*")}), 0u);
}

TEST(DataPlaneBreadth, QuestionMarksReachNamesOfThatLength) {
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/?????")}), kConnect);
}

// Actions ----------------------------------------------------------------------------------------

TEST(DataPlaneBreadth, WildcardActionsExpandOverTheCatalogue) {
  EXPECT_EQ(broad({allow("*", "*")}), kAllDataPlaneActions);
  EXPECT_EQ(broad({allow("iot:*", "*")}), kAllDataPlaneActions & ~kJobsData);
  EXPECT_EQ(broad({allow("iot:*Shadow", kArn + "thing/*")}), kShadows);
  EXPECT_EQ(broad({allow("iot:?onnect", "*")}), kConnect);
  EXPECT_EQ(broad({allow("iot:Get*", "*")}), kGetShadow | action_bit(DataPlaneAction::get_retained_message) |
                                                 action_bit(DataPlaneAction::get_pending_job_executions));
}

TEST(DataPlaneBreadth, ActionsAreCaseInsensitive) {
  EXPECT_EQ(broad({allow("IOT:CONNECT", "*")}), kConnect);
  EXPECT_EQ(broad({allow("iot:publish", "*")}), kPublish);
}

TEST(DataPlaneBreadth, JobActionsUnderBothPrefixes) {
  EXPECT_EQ(broad({allow("iot:DescribeJobExecution", kArn + "thing/*")}),
            action_bit(DataPlaneAction::describe_job_execution));
  EXPECT_EQ(broad({allow("iotjobsdata:*", kArn + "thing/*")}), kJobsData);
  EXPECT_EQ(broad({allow("*JobExecution*", kArn + "thing/*")}), kIotJobs | kJobsData);
  EXPECT_EQ(broad({allow("iotjobsdata:UpdateJobExecution", kArn + "thing/MyThing1")}), 0u);
}

TEST(DataPlaneBreadth, ReceiveAndControlPlaneActionsAreNeverBroad) {
  EXPECT_EQ(broad({allow("iot:Receive", "*")}), 0u);
  EXPECT_EQ(broad({allow("iot:UpdateCertificate", "*")}), 0u);
}

TEST(DataPlaneBreadth, NotActionGrantsTheRestOfTheCatalogue) {
  EXPECT_EQ(broad({statement("Allow", R"("iot:Connect")", R"("*")", "", "Resource", "NotAction")}),
            kAllDataPlaneActions & ~kConnect);
  EXPECT_EQ(broad({statement("Allow", R"(["iot:*","iotjobsdata:*"])", R"("*")", "", "Resource", "NotAction")}), 0u);
}

// Resources ----------------------------------------------------------------------------------------

TEST(DataPlaneBreadth, NotResourceOnAllow) {
  auto not_resource = [](std::string_view action, const std::string& excluded) {
    return statement("Allow", quoted(std::string(action)), quoted(excluded), "", "NotResource");
  };
  EXPECT_EQ(broad({not_resource("iot:Publish", kArn + "topic/secret/*")}), kPublish);
  EXPECT_EQ(broad({not_resource("iot:Publish", kArn + "topic/*")}), 0u);
  EXPECT_EQ(broad({not_resource("iot:Publish", "*")}), 0u);
  EXPECT_EQ(broad({not_resource("iot:Connect", kArn + "topic/*")}), kConnect);
  // Excluding $aws filters still leaves '#' and the custom topics.
  EXPECT_EQ(broad({not_resource("iot:Subscribe", kArn + "topicfilter/$aws/*")}), kSubscribe);
  EXPECT_EQ(broad({not_resource("iot:Subscribe", kArn + "topicfilter/*")}), 0u);
}

TEST(DataPlaneBreadth, ConditionsOtherThanIsAttachedAreIgnoredOnAllow) {
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*", R"("Condition":{"StringEquals":{"iot:ClientId":"x"}})")}),
            kConnect);
  // Under IsAttached the client id is the name of a thing attached to the certificate: the
  // device's own, whatever the Connect statement's resource.
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*", kIsAttached)}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", "*", kIsAttached)}), 0u);
  // It narrows Connect only: Publish on any topic stays broad.
  EXPECT_EQ(broad({allow("iot:*", "*", kIsAttached)}) & kConnect, 0u);
  EXPECT_EQ(broad({allow("iot:*", "*", kIsAttached)}) & kPublish, kPublish);
}

// ${iot:ClientId} --------------------------------------------------------------------------------

TEST(DataPlaneBreadth, ClientIdIsPinnedByIsAttachedForConnect) {
  const std::string client_id = kArn + "client/${iot:ClientId}";
  EXPECT_EQ(broad({allow("iot:Connect", client_id)}), kConnect);
  const std::string listed = R"("Condition":{"StringEquals":{"iot:Connection.Thing.IsAttached":["true"]}})";
  EXPECT_EQ(broad({allow("iot:Connect", client_id, listed)}), 0u);
  const std::string not_attached = R"("Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"false"}})";
  EXPECT_EQ(broad({allow("iot:Connect", client_id, not_attached)}), kConnect);
  // The condition of one statement does not pin the client id of another.
  EXPECT_EQ(broad({allow("iot:Connect", client_id), allow("iot:Connect", kArn + "client/x", kIsAttached)}), kConnect);
}

TEST(DataPlaneBreadth, ClientIdOfOtherActionsFollowsConnect) {
  const std::string subscribe = allow("iot:Subscribe", kArn + "topicfilter/${iot:ClientId}/data");
  const std::string publish = allow("iot:Publish", kArn + "topic/$aws/things/${iot:ClientId}/shadow/update");
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*"), subscribe, publish}), kConnect | kSubscribe | kPublish);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/${iot:Connection.Thing.ThingName}"), subscribe, publish}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/${iot:ClientId}", kIsAttached), subscribe}), 0u);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/${iot:ClientId}"), subscribe}), kConnect | kSubscribe);
  // No Connect grant at all: the device cannot pick another device's client id.
  EXPECT_EQ(broad({subscribe, publish}), 0u);
}

// Deny --------------------------------------------------------------------------------------------

TEST(DataPlaneBreadth, UnconditionalDenyTakesBackTheProbe) {
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"), deny("iot:Publish", kArn + "topic/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"), deny("*", "*")}), 0u);
  // Other devices' custom topics stay open.
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"), deny("iot:Publish", kArn + "topic/$aws/*")}), kPublish);
  // A Deny for another action takes nothing back.
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"), deny("iot:Subscribe", "*")}), kPublish);
  EXPECT_EQ(broad({allow("iot:*", "*"), deny("iot:Connect", "*")}), kAllDataPlaneActions & ~kJobsData & ~kConnect);
}

TEST(DataPlaneBreadth, ConditionalDenyIsNotCredited) {
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"),
                   deny("iot:Publish", "*", R"("Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}})")}),
            kPublish);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"),
                   deny("iot:Publish", "*", R"("Condition":{"StringEquals":{"iot:ClientId":"x"}})")}),
            kPublish);
}

TEST(DataPlaneBreadth, DenyWithNotActionOrNotResource) {
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"),
                   statement("Deny", R"("iot:Connect")", R"("*")", "", "Resource", "NotAction")}),
            0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"),
                   statement("Deny", R"("iot:Publish")", quoted(kArn + "topic/safe/*"), "", "NotResource")}),
            0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"),
                   statement("Deny", R"("iot:Publish")", quoted(kArn + "topic/*"), "", "NotResource")}),
            kPublish);
}

TEST(DataPlaneBreadth, DenyClientIdOnConnectMeansTheConnectingClient) {
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*"), deny("iot:Connect", kArn + "client/${iot:ClientId}")}), 0u);
  // For Publish the device picks a client id that dodges the Deny.
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*"), deny("iot:Publish", kArn + "topic/${iot:ClientId}*")}),
            kPublish);
}

TEST(DataPlaneBreadth, SubscribeDenyMustCoverTheAllowPattern) {
  const std::string all_filters = allow("iot:Subscribe", kArn + "topicfilter/*");
  EXPECT_EQ(broad({all_filters, deny("iot:Subscribe", kArn + "topicfilter/*")}), 0u);
  EXPECT_EQ(broad({all_filters, deny("iot:Subscribe", "*")}), 0u);
  // Deny matches filter strings literally: '#' in a Deny stops only the filter "$aws/#".
  EXPECT_EQ(broad({all_filters, deny("iot:Subscribe", kArn + "topicfilter/$aws/#")}), kSubscribe);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/things/#"),
                   deny("iot:Subscribe", kArn + "topicfilter/$aws/*")}),
            0u);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/things/#"),
                   deny("iot:Subscribe", kArn + "topicfilter/$aws/things/#")}),
            0u);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/*"),
                   deny("iot:Subscribe", kArn + "topicfilter/$aws/things/*")}),
            kSubscribe);
  EXPECT_EQ(broad({all_filters, deny("iot:Subscribe", kArn + "topicfilter/*",
                                     R"("Condition":{"StringEquals":{"iot:ClientId":"x"}})")}),
            kSubscribe);
}

TEST(DataPlaneBreadth, SubscribeDenyWithNotResource) {
  const std::string things = allow("iot:Subscribe", kArn + "topicfilter/$aws/things/#");
  EXPECT_EQ(broad({things, statement("Deny", R"("iot:Subscribe")", quoted(kArn + "topicfilter/building/*"), "",
                                     "NotResource")}),
            0u);
  EXPECT_EQ(broad({things, statement("Deny", R"("iot:Subscribe")", quoted(kArn + "topicfilter/$aws/*"), "",
                                     "NotResource")}),
            kSubscribe);
}

// Evaluator ---------------------------------------------------------------------------------------

TEST(BreadthEvaluator, VersionsAreJudgedByTheirOwnStatementRanges) {
  PolicyStatementTable table;
  const std::string broad_version = R"({"Statement":[)" + allow("iot:Connect", kArn + "client/*") + "]}";
  const std::string narrow_version =
      R"({"Statement":[)" + allow("iot:Connect", kArn + "client/${iot:Connection.Thing.ThingName}") + "," +
      allow("iot:Publish", kArn + "topic/sensors/1") + "]}";
  ASSERT_FALSE(append_policy_document(broad_version, 0, table));
  ASSERT_FALSE(append_policy_document(narrow_version, 1, table));
  ASSERT_FALSE(append_policy_document(broad_version, 2, table));
  ASSERT_EQ(table.size(), 4u);
  BreadthEvaluator evaluator(table);
  const ArnScope own = ArnScope::of_iot_arn(kPolicyArn).value();
  const ArnScope other = ArnScope::of_iot_arn("arn:aws:iot:us-east-1:999999999999:policy/p").value();
  EXPECT_EQ(evaluator.broad_actions(0, 1, own), kConnect);
  EXPECT_EQ(evaluator.broad_actions(1, 3, own), 0u);
  EXPECT_EQ(evaluator.broad_actions(3, 4, other), 0u);  // the cached pattern, in another context
  EXPECT_EQ(evaluator.broad_actions(3, 4, own), kConnect);
  EXPECT_EQ(evaluator.broad_actions(0, 0, own), 0u);
}

TEST(BreadthEvaluator, PatternsAddedAfterConstructionAreEvaluated) {
  PolicyStatementTable table;
  BreadthEvaluator evaluator(table);
  const ArnScope own = ArnScope::of_iot_arn(kPolicyArn).value();
  ASSERT_FALSE(append_policy_document(R"({"Statement":[)" + allow("iot:Publish", kArn + "topic/a") + "]}", 0, table));
  EXPECT_EQ(evaluator.broad_actions(0, 1, own), 0u);
  ASSERT_FALSE(append_policy_document(R"({"Statement":[)" + allow("iot:Publish", kArn + "topic/*") + "]}", 1, table));
  EXPECT_EQ(evaluator.broad_actions(1, 2, own), kPublish);
}

TEST(ArnScope, FromPolicyArn) {
  const std::optional<ArnScope> context = ArnScope::of_iot_arn("arn:aws-cn:iot:cn-north-1:123456789012:policy/p");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->partition, "aws-cn");
  EXPECT_EQ(context->region, "cn-north-1");
  EXPECT_EQ(context->account, "123456789012");
  EXPECT_FALSE(ArnScope::of_iot_arn("DevicePolicy"));
  EXPECT_FALSE(ArnScope::of_iot_arn("arn:aws:s3:::bucket/policy"));
  EXPECT_FALSE(ArnScope::of_iot_arn("arn:aws:iot:us-east-1::policy/p"));
  EXPECT_FALSE(ArnScope::of_iot_arn("arn:aws:iot:us/east:1:policy/p"));
}

TEST(DataPlaneCatalogue, NamesAndDescription) {
  EXPECT_EQ(action_name(DataPlaneAction::connect), "iot:Connect");
  EXPECT_EQ(action_name(DataPlaneAction::jobsdata_update_job_execution), "iotjobsdata:UpdateJobExecution");
  EXPECT_EQ(BreadthEvaluator::describe(kPublish | kConnect), "[iot:Connect, iot:Publish]");
  EXPECT_EQ(BreadthEvaluator::describe(0), "[]");
  EXPECT_EQ(BreadthEvaluator::describe(kAllDataPlaneActions),
            "[iot:Connect, iot:DeleteConnection, iot:Publish, iot:RetainPublish, iot:Subscribe, "
            "iot:GetRetainedMessage, iot:ListRetainedMessages, iot:GetThingShadow, "
            "iot:UpdateThingShadow, iot:DeleteThingShadow, iot:DescribeJobExecution, iot:GetPendingJobExecutions, "
            "iot:StartNextPendingJobExecution, iot:UpdateJobExecution, iotjobsdata:DescribeJobExecution, "
            "iotjobsdata:GetPendingJobExecutions, iotjobsdata:StartNextPendingJobExecution, "
            "iotjobsdata:UpdateJobExecution]");
  EXPECT_EQ(actions_matching("iot:*"), kAllDataPlaneActions & ~kJobsData);
  EXPECT_EQ(actions_matching("iot:Receive"), 0u);
}

// The retained-message actions and iot:DeleteConnection are decided like their families: RetainPublish
// on topics, DeleteConnection on clients, ListRetainedMessages (no resource type) on "*" only.
TEST(DataPlaneBreadth, RetainedMessagesAndDeleteConnection) {
  const DataPlaneActionSet retain = action_bit(DataPlaneAction::retain_publish);
  const DataPlaneActionSet list = action_bit(DataPlaneAction::list_retained_messages);
  const DataPlaneActionSet disconnect = action_bit(DataPlaneAction::delete_connection);
  EXPECT_EQ(broad({allow("iot:RetainPublish", "arn:aws:iot:us-east-1:123456789012:topic/*")}), retain);
  EXPECT_EQ(broad({allow("iot:RetainPublish",
                         "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/*")}),
            0u);
  EXPECT_EQ(broad({allow("iot:ListRetainedMessages", "*")}), list);
  // A resource ARN never authorizes an action without a resource type.
  EXPECT_EQ(broad({allow("iot:ListRetainedMessages", "arn:aws:iot:us-east-1:123456789012:*")}), 0u);
  EXPECT_EQ(broad({allow("iot:DeleteConnection", "arn:aws:iot:us-east-1:123456789012:client/*")}), disconnect);
  EXPECT_EQ(broad({allow("iot:DeleteConnection",
                         "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}")}),
            0u);
}


// The classes the probe evaluator got wrong (issue 11), now decided over the patterns' languages.
TEST(DataPlaneBreadth, GrantsNoProbeSaw) {
  const DataPlaneActionSet publish = action_bit(DataPlaneAction::publish);
  const DataPlaneActionSet subscribe = action_bit(DataPlaneAction::subscribe);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*/shadow/delete")}), publish);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*/shadow/name/*/update")}), publish);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*/jobs/*/update")}), publish);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*/jobs/start-next")}), publish);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/$aws/things/+/shadow/update/documents")}), subscribe);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/*/telemetry")}), publish);
  EXPECT_EQ(broad({allow("iot:Subscribe", kArn + "topicfilter/+")}), subscribe);
}

TEST(DataPlaneBreadth, DenyIsCreditedOnlyForWhatItCovers) {
  const DataPlaneActionSet connect = action_bit(DataPlaneAction::connect);
  const DataPlaneActionSet publish = action_bit(DataPlaneAction::publish);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*"), deny("iot:Connect", kArn + "client/?")}), connect);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/$aws/things/*"),
                   deny("iot:Publish", kArn + "topic/$aws/things/*/shadow/update"),
                   deny("iot:Publish", kArn + "topic/$aws/things/*/jobs/*")}),
            publish);
  EXPECT_EQ(broad({allow("iot:Connect", kArn + "client/*"), deny("iot:Connect", kArn + "client/*")}), 0u);
}

// AWS's recommended shape: everything allowed, then a NotResource Deny of all but the device's own.
TEST(DataPlaneBreadth, NotResourceDenyOfAllButTheDevicesOwnIsNotBroad) {
  const std::string own = "${iot:Connection.Thing.ThingName}";
  const std::string not_own = "\"NotResource\":[\"" + kArn + "client/" + own + "\",\"" + kArn + "thing/" + own +
                              "\",\"" + kArn + "topic/$aws/things/" + own + "/*\",\"" + kArn +
                              "topicfilter/$aws/things/" + own + "/*\"]";
  const std::string deny_all_but_own = R"({"Effect":"Deny","Action":"iot:*",)" + not_own + "}";
  EXPECT_EQ(broad({allow("iot:*", "*"), deny_all_but_own}), 0u);
  EXPECT_NE(broad({allow("iot:*", "*")}), 0u);
}


// A finding explains itself: a concrete resource of another device, and the statement granting it.
TEST(DataPlaneBreadth, ExamplesNameAForeignResourceAndTheStatement) {
  const std::string document = R"({"Version":"2012-10-17","Statement":[)" +
                               allow("iot:Connect", kArn + "client/${iot:Connection.Thing.ThingName}") + "," +
                               allow("iot:Publish", kArn + "topic/$aws/things/*/shadow/delete") + "]}";
  PolicyStatementTable table;
  ASSERT_FALSE(append_policy_document(document, 0, table));
  BreadthEvaluator evaluator(table);
  const DataPlaneActionSet broad =
      evaluator.broad_actions(0, static_cast<uint32_t>(table.size()), ArnScope::of_iot_arn(kPolicyArn).value());
  EXPECT_EQ(broad, action_bit(DataPlaneAction::publish));
  const std::vector<GrantExample> examples = evaluator.examples(broad);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].action, "iot:Publish");
  EXPECT_EQ(examples[0].witness, kArn + "topic/$aws/things/x/shadow/delete");
  EXPECT_EQ(examples[0].number, 2u);  // from 1, as the console numbers statements
  EXPECT_EQ(examples[0].sid, "");
  EXPECT_EQ(examples[0].resource, kArn + "topic/$aws/things/*/shadow/delete");  // the pattern that grants it
}


// Subscribe: the device picks the filter string; MQTT wildcards count only alone in their level.
TEST(DataPlaneBreadth, SubscribeFiltersUnderMqttMatching) {
  const DataPlaneActionSet subscribe = action_bit(DataPlaneAction::subscribe);
  auto subscribe_on = [](const std::string& filter) { return broad({allow("iot:Subscribe", kArn + "topicfilter/" + filter)}); };
  for (const char* filter : {"$aws/things/#", "$aws/things/+/shadow/update", "+/things/+/shadow/update", "#", "*",
                             "$aws/things/*", "$aws/things/?/shadow/update", "$aws/things/?", "?",
                             "$aws/things/+/shadow/update/#", "$aws/things/+/shadow/update/?"})
    EXPECT_EQ(subscribe_on(filter), subscribe) << filter;
  for (const char* filter : {"building/#", "$aws/things/${iot:Connection.Thing.ThingName}/shadow/*",
                             "$aws/things/a+/shadow/update", "$aws/things/+a/shadow/update", "$aws/things/x#",
                             "$aws/#/shadow/update", "$aws/things/x?/shadow/update"})
    EXPECT_EQ(subscribe_on(filter), 0u) << filter;
}

}  // namespace
}  // namespace fleetaudit::policy

namespace fleetaudit::policy {
namespace {

// A variable fleetaudit does not know is read cautiously and named, so a reviewer sees why.
TEST(DataPlaneBreadth, UnknownVariablesAreNamed) {
  EXPECT_TRUE(is_known_variable("iot:ClientId"));
  EXPECT_TRUE(is_known_variable("IOT:connection.thing.thingname"));
  EXPECT_TRUE(is_known_variable("iot:CertificateId"));
  EXPECT_TRUE(is_known_variable("iot:Certificate.Subject.CommonName"));
  EXPECT_FALSE(is_known_variable("iot:Thing.ThingName"));
  const std::string document = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"iot:Publish","Resource":["arn:aws:iot:us-east-1:123456789012:topic/${iot:Thing.ThingName}/*",
        "arn:aws:iot:us-east-1:123456789012:topic/${iot:ClientId}/${*}/${iot:Thing.ThingName}"]},
      {"Effect":"Deny","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:123456789012:topic/${my:Own}"}]})";
  PolicyStatementTable table;
  ASSERT_FALSE(append_policy_document(document, 0, table));
  EXPECT_EQ(unknown_variables(table, 0, static_cast<uint32_t>(table.size())),
            (std::vector<std::string>{"${iot:Thing.ThingName}", "${my:Own}"}));
  // Without Version 2012-10-17 they are text, not variables.
  PolicyStatementTable text;
  ASSERT_FALSE(append_policy_document(R"({"Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"${x:y}"}]})",
                                      0, text));
  EXPECT_TRUE(unknown_variables(text, 0, 1).empty());
}

// A misspelt thing variable is not the device's own: read cautiously, it makes the Allow broad.
TEST(DataPlaneBreadth, UnknownThingVariableIsNotTheDevicesOwn) {
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/${iot:Connection.Thing.ThingName}/*")}), 0u);
  EXPECT_EQ(broad({allow("iot:Publish", kArn + "topic/${iot:Connection.Thing.Name}/*")}), kPublish);
}

}  // namespace
}  // namespace fleetaudit::policy
