// The example policies of AWS's documentation (AWS IoT Core developer guide, AWS IoT Device
// Defender audit pages), each with the verdict AWS's description of the checks implies:
//   IOT_POLICY_OVERLY_PERMISSIVE_CHECK: broad when some resource of ANOTHER device (another client
//     id, another thing's shadow or jobs topics, another thing, every device's retained topics) is
//     allowed and not denied. A name spelled out (client/client1) or a wildcard after a literal
//     prefix (topic/admin/*) is the fleet owner's scoping; a custom topic whose first level a
//     wildcard or a device-chosen value picks is broad; iot:Receive is never broad;
//     ${iot:ClientId} is the device's own only when Connect pins it (IsAttached, or Connect only on
//     the thing name or on names spelled out).
//   IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: a Deny whose resource holds MQTT '+' or '#', and a
//     Subscribe Deny on a subtree that a wider Subscribe Allow plus Receive bypasses.
//
// Each policy is as printed on the page, with region and account written {arn} (the pages use
// us-east-1:123456789012, us-west-2:…, or region:account-id placeholders) and JSON typos of the
// page fixed where noted. Each case is loaded as a snapshot (manifest.json + policies.json) and
// audited; the test compares the check's findings with the expected verdict.
//
// Cases marked DISAGREES: fleetaudit's verdict today differs from `broad`, the verdict AWS's text
// supports (the reason is beside the case). Where the evaluator's fix is plain, the case expects
// AWS's verdict and fails until the fix lands; where it needs a decision, `fleetaudit_today` holds
// today's verdict, which the case asserts instead, so that a change of behaviour is seen.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "analyzer/engine/audit.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

constexpr const char* kNotBroad = "";

struct Example {
  const char* name;      // the test's name, also the policy's name
  const char* document;  // the policy; {arn} stands for arn:aws:iot:us-east-1:123456789012:
  // IOT_POLICY_OVERLY_PERMISSIVE_CHECK: the actions the finding lists, in its order, or kNotBroad.
  const char* broad;
  // IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: the reason codes of its findings (none by default).
  std::set<std::string> misconfigured = {};
  // DISAGREES, awaiting a decision: what IOT_POLICY_OVERLY_PERMISSIVE_CHECK reports today.
  const char* fleetaudit_today = nullptr;
};

// ---------------------------------------------------------------------------------------------
// "AWS IoT policies overly permissive" (Device Defender, audit-chk-iot-policy-permissive): the
// page's noncompliant resources (each as a one-statement policy) and its compliant policies.
const Example kDeviceDefenderPage[] = {
    {"DD_ConnectAnyClient",  // noncompliant: "allows any device to connect"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Connect","Resource":"{arn}client/*"}]})",
     "[iot:Connect]"},
    {"DD_ConnectClientIdVariable",  // noncompliant: "equivalent to the wildcard *" without IsAttached
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Connect","Resource":"{arn}client/${iot:ClientId}"}]})",
     "[iot:Connect]"},
    {"DD_ConnectThingNameIsAttached",  // compliant
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],
          "Resource":["{arn}client/${iot:Connection.Thing.ThingName}"],
          "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}}]})",
     kNotBroad},
    {"DD_PublishAnyShadowUpdate",  // noncompliant: "update the shadow of any device"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Publish","Resource":"{arn}topic/$aws/things/*/shadow/update"}]})",
     "[iot:Publish]"},
    {"DD_PublishAnyThingTopic",  // noncompliant: "read, update, or delete the shadow of any device"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Publish","Resource":"{arn}topic/$aws/things/*"}]})",
     "[iot:Publish]"},
    {"DD_PublishOwnShadow",  // compliant (the page's trailing comma after Resource removed)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],
          "Resource":["{arn}topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]}]})",
     kNotBroad},
    {"DD_SubscribeAnyThingStar",  // noncompliant: "reserved shadow or job topics for all devices"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Subscribe","Resource":"{arn}topicfilter/$aws/things/*"}]})",
     "[iot:Subscribe]"},
    {"DD_SubscribeAnyThingHash",  // noncompliant: "the same as the previous example, but using the # wildcard"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Subscribe","Resource":"{arn}topicfilter/$aws/things/#"}]})",
     "[iot:Subscribe]"},
    {"DD_SubscribeAnyShadowUpdatePlus",  // noncompliant: "shadow updates on any device (+ = all devices)"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Subscribe","Resource":"{arn}topicfilter/$aws/things/+/shadow/update"}]})",
     "[iot:Subscribe]"},
    {"DD_SubscribeOwnShadowAndJobs",  // compliant (the page's missing comma between resources added)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Subscribe"],
          "Resource":["{arn}topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*",
                      "{arn}topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"]}]})",
     kNotBroad},
    {"DD_ReceiveAnyThingTopic",  // compliant: "can only receive messages from topics on which it has permission to subscribe"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Receive","Resource":"{arn}topic/$aws/things/*"}]})",
     kNotBroad},
    {"DD_ShadowAndJobApisOnAnyThing",  // noncompliant: "the specified action on any thing"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow",
          "Action":["iot:DeleteThingShadow","iot:GetThingShadow","iot:UpdateThingShadow",
                    "iot:DescribeJobExecution","iot:GetPendingJobExecutions",
                    "iot:StartNextPendingJobExecution","iot:UpdateJobExecution"],
          "Resource":"{arn}thing/*"}]})",
     "[iot:GetThingShadow, iot:UpdateThingShadow, iot:DeleteThingShadow, iot:DescribeJobExecution, "
     "iot:GetPendingJobExecutions, iot:StartNextPendingJobExecution, iot:UpdateJobExecution]"},
    {"DD_ShadowAndJobApisOnTwoThings",  // compliant: "only two things" (the page's ":/thing/" written ":thing/")
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow",
          "Action":["iot:DeleteThingShadow","iot:GetThingShadow","iot:UpdateThingShadow",
                    "iot:DescribeJobExecution","iot:GetPendingJobExecutions",
                    "iot:StartNextPendingJobExecution","iot:UpdateJobExecution"],
          "Resource":["{arn}thing/MyThing1","{arn}thing/MyThing2"]}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "AWS IoT policy potentially misconfigured" (Device Defender, audit-chk-iot-misconfigured-policies).
// None is broad: Subscribe stays under building/, there is no Connect, Receive is never broad.
const Example kMisconfigurationPage[] = {
    // The page names POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT for this one. The literal '#'
    // denies only the filter building/control_room/#, so a client subscribing to building/# still
    // receives control_room messages: the subtree Deny is bypassed as well, the second code.
    {"Misconf_HashInSubscribeDeny",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Subscribe","Resource":"{arn}topicfilter/building/*"},
         {"Effect":"Deny","Action":"iot:Subscribe","Resource":"{arn}topicfilter/building/control_room/#"},
         {"Effect":"Allow","Action":"iot:Receive","Resource":"{arn}topic/building/*"}]})",
     kNotBroad,
     {"POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT", "TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS"}},
    {"Misconf_SubtreeDenyBypassedByWideFilter",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Subscribe","Resource":"{arn}topicfilter/building/*"},
         {"Effect":"Deny","Action":"iot:Subscribe","Resource":"{arn}topicfilter/building/control_room/*"},
         {"Effect":"Allow","Action":"iot:Receive","Resource":"{arn}topic/building/*"}]})",
     kNotBroad,
     {"TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS"}},
    {"Misconf_CorrectlyConfiguredWithReceiveDeny",  // the page's fix: Deny Receive on the subtree too
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:Subscribe","Resource":"{arn}topicfilter/building/*"},
         {"Effect":"Deny","Action":"iot:Subscribe","Resource":"{arn}topicfilter/building/control_room/*"},
         {"Effect":"Allow","Action":"iot:Receive","Resource":"{arn}topic/building/*"},
         {"Effect":"Deny","Action":"iot:Receive","Resource":"{arn}topic/building/control_room/*"}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "Connect policy examples" (connect-policy).
const Example kConnectPolicyPage[] = {
    {"Connect_Client1",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1"]}]})",
     kNotBroad},
    {"Connect_DenyTwoClientsAllowThingName",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Deny","Action":["iot:Connect"],"Resource":["{arn}client/client1","{arn}client/client2"]},
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"],
          "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}}]})",
     kNotBroad},
    {"Connect_PersistentConnectOnAnyClient",  // a condition on connect attributes does not choose the client id
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":"*",
          "Condition":{"ForAllValues:StringEquals":{"iot:ConnectAttributes":["PersistentConnect"]}}}]})",
     "[iot:Connect]"},
    {"Connect_AnyClientButConditionalDeny",  // the conditional Deny removes PersistentConnect only
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":"*"},
         {"Effect":"Deny","Action":["iot:Connect"],"Resource":"*",
          "Condition":{"ForAnyValue:StringEquals":{"iot:ConnectAttributes":["PersistentConnect"]}}}]})",
     "[iot:Connect]"},
    {"Connect_LastWillTopicOnAnyClient",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":"*",
          "Condition":{"ArnEquals":{"iot:LastWillTopic":"{arn}topic/my/lastwill/topicName"}}}]})",
     "[iot:Connect]"},
    {"Connect_ThingNameSubscribeFilter",  // registered devices (3)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/my/topic/filter"]}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "Connect and publish policy examples" (connect-and-pub).
const Example kConnectAndPublishPage[] = {
    {"ConnectPub_ThingNameTopic",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]}]})",
     kNotBroad},
    {"ConnectPub_Client1ClientIdTopic",  // Connect only as client1, so ${iot:ClientId} is client1
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:ClientId}"]},
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1"]}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "Publish/Subscribe policy examples" (pub-sub-policy), registered and unregistered variants.
const Example kPublishSubscribePage[] = {
    {"PubSub_ThingNamePrefixPublish",  // registered (5)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:Connection.Thing.ThingName}/*"]}]})",
     kNotBroad},
    {"PubSub_ThreeClientsClientIdPrefixPublish",  // unregistered (5): ${iot:ClientId} is one of the three
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],
          "Resource":["{arn}client/client1","{arn}client/client2","{arn}client/client3"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:ClientId}/*"]}]})",
     kNotBroad},
    {"PubSub_ThingNameRoomFilter",  // registered (6)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/${iot:Connection.Thing.ThingName}/room*"]},
         {"Effect":"Allow","Action":["iot:Receive"],"Resource":["{arn}topic/${iot:Connection.Thing.ThingName}/room*"]}]})",
     kNotBroad},
    {"PubSub_ThreeClientsClientIdRoomFilter",  // unregistered (6)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],
          "Resource":["{arn}client/client1","{arn}client/client2","{arn}client/client3"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/${iot:ClientId}/room*"]},
         {"Effect":"Allow","Action":["iot:Receive"],"Resource":["{arn}topic/${iot:ClientId}/room*"]}]})",
     kNotBroad},
    {"PubSub_LiteralPlusInFilter",  // registered (4): '+' is a literal; only the filter some/+/topic
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/some/+/topic"]}]})",
     kNotBroad},
    {"PubSub_TwoFilters",  // unregistered (7)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],
          "Resource":["{arn}topicfilter/my/topic","{arn}topicfilter/my/othertopic"]}]})",
     kNotBroad},
    {"PubSub_ClientIdUnderLiteralPrefix",  // unregistered (8)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/my/topic/${iot:ClientId}"]}]})",
     kNotBroad},
    // Registered (9). The page writes ${iot:Thing.ThingName}, a variable AWS does not define (its
    // thing variables are iot:Connection.Thing.*). Whether it resolves to the thing name (as the
    // page means) or not at all (an unresolved variable matches no topic), the grant stays in the
    // device's own topics: not broad under any reading.
    // DISAGREES, by choice: ${iot:Thing.ThingName} is no variable AWS defines (the page's typo for
    // iot:Connection.Thing.ThingName?). fleetaudit reads a variable it does not know cautiously, as
    // any text in an Allow, so topic/<any>/* has a free first level: [iot:Publish], and the finding
    // names the unknown variable (UNKNOWN_VARIABLES; DataPlaneBreadth.UnknownVariablesAreNamed).
    {"PubSub_UndefinedThingVariableWithDeny",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:Thing.ThingName}/*"]},
         {"Effect":"Deny","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:Thing.ThingName}/bar"]}]})",
     kNotBroad, {}, "[iot:Publish]"},
    {"PubSub_TwoClientsClientIdPrefixWithDeny",  // unregistered (9)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1","{arn}client/client2"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:ClientId}/*"]},
         {"Effect":"Deny","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:ClientId}/bar"]}]})",
     kNotBroad},
    {"PubSub_ProvisioningTopic",  // thing variables replaced for Cognito too: client1, one topic
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1"]},
         {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],
          "Resource":["{arn}topic/iotmonitor/provisioning/987654321098"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],
          "Resource":["{arn}topicfilter/iotmonitor/provisioning/987654321098"]}]})",
     kNotBroad},
    {"PubSub_CognitoIdentityTopicAndClient",  // MQTT over WebSocket, the Cognito identity's own id
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${cognito-identity.amazonaws.com:sub}"]},
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${cognito-identity.amazonaws.com:sub}"]}]})",
     kNotBroad},
    {"PubSub_ReceiveOnOneTopic",  // unregistered (11)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/client1"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/my/topic"]},
         {"Effect":"Allow","Action":["iot:Receive"],"Resource":["{arn}topic/my/topic"]}]})",
     kNotBroad},
    // An earlier revision of the page: "publish to all topics and subscribe to all topic filters".
    {"PubSub_IotStarOnStar",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:*"],"Resource":["*"]}]})",
     "[iot:Connect, iot:DeleteConnection, iot:Publish, iot:RetainPublish, iot:Subscribe, iot:GetRetainedMessage, "
     "iot:ListRetainedMessages, iot:GetThingShadow, iot:UpdateThingShadow, iot:DeleteThingShadow, "
     "iot:DescribeJobExecution, iot:GetPendingJobExecutions, iot:StartNextPendingJobExecution, iot:UpdateJobExecution]"},
    {"PubSub_ConnectAndPublishOnStar",  // earlier revision: "publish to all topics"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish","iot:Connect"],"Resource":["*"]}]})",
     "[iot:Connect, iot:Publish]"},
    {"PubSub_AnyClientLiteralPlusFilter",  // earlier revision: Connect "*", Subscribe foo/+/bar only
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["*"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/foo/+/bar"]}]})",
     "[iot:Connect]"},
};

// ---------------------------------------------------------------------------------------------
// "Retained message policy examples" (retained-message-policy-examples).
const Example kRetainedMessagePage[] = {
    {"Retained_PublishConfiguration",  // the page's misplaced "{" in the first statement fixed
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/device1"]},
         {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],
          "Resource":["{arn}topic/device/sample/configuration"]}]})",
     kNotBroad},
    {"Retained_WillOnAnyClient",  // "grants all clients permission to connect"
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/*"],
          "Condition":{"ForAllValues:StringEquals":{"iot:ConnectAttributes":["LastWill"]}}},
         {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],"Resource":["{arn}topic/will"]}]})",
     "[iot:Connect]"},
    {"Retained_ListAndGet",  // ListRetainedMessages is authorized on "*": every device's retained topics
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:ListRetainedMessages"],"Resource":["*"]},
         {"Effect":"Allow","Action":["iot:GetRetainedMessage"],"Resource":["{arn}topic/foo"]}]})",
     "[iot:ListRetainedMessages]"},
};

// ---------------------------------------------------------------------------------------------
// "Basic AWS IoT Core policy variables" (basic-policy-variables).
const Example kBasicPolicyVariablesPage[] = {
    {"BasicVars_ConnectClientIdVariable",  // Connect on client/${iot:ClientId}: any client id
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:ClientId}"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/my/topic/${iot:ClientId}"]}]})",
     "[iot:Connect]"},
    // The page's warning: a client connecting as "+" subscribes to my/+/topic. The filters stay
    // under the owner's literal prefix my/, so the check's rule keeps this one not broad.
    {"BasicVars_ClientIdInFilterWithoutConnect",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Subscribe"],"Resource":["{arn}topicfilter/my/${iot:ClientId}/topic"]}]})",
     kNotBroad},
    {"BasicVars_ConnectClientId1",  // the page's remedy: only clientid1 connects
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/clientid1"]}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "Thing policy examples" (thing-policy-examples) and "Thing policy variables".
const Example kThingPolicyPages[] = {
    // "allows a device to connect if the certificate ... is attached to the thing". IsAttached
    // makes the client id the name of a thing attached to the certificate ("thing name is taken as
    // client Id"): the same set of client ids as AWS's compliant client/${iot:ClientId} + IsAttached.
    // Under IsAttached the client id is an attached thing's name, whatever the resource.
    {"Thing_ConnectAnyResourceIsAttached",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["*"],
          "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":["true"]}}}]})",
     kNotBroad},
    {"Thing_PublishWithTypeAndAttributeCondition",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":"{arn}topic/device/stats",
          "Condition":{"StringEquals":{"iot:Connection.Thing.Attributes[attributeName]":"attributeValue",
                                       "iot:Connection.Thing.ThingTypeName":"Thing_Type_Name"},
                       "Bool":{"iot:Connection.Thing.IsAttached":"true"}}}]})",
     kNotBroad},
    {"Thing_PublishUnderAttributePrefix",  // the first level is the owner-set attribute of the device's thing
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],
          "Resource":"{arn}topic/${iot:Connection.Thing.Attributes[attributeName]}/*"}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "Certificate policy examples" (certificate-policy-examples) and "X.509 certificate policy variables".
const Example kCertificatePages[] = {
    // Registered (12): a topic named after the certificate id of the connecting certificate.
    // ${iot:CertificateId} is the id of the certificate the device connected with (AWS's IoT Lens
    // recommends topic/${iot:CertificateId} for that reason): the device's own.
    {"Cert_CertificateIdTopic",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:CertificateId}"]},
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]}]})",
     kNotBroad},
    {"Cert_CommonNameTopic",  // unregistered (13)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/${iot:Certificate.Subject.CommonName}"]},
         {"Effect":"Allow","Action":["iot:Connect"],
          "Resource":["{arn}client/client1","{arn}client/client2","{arn}client/client3"]}]})",
     kNotBroad},
    {"Cert_AdminPrefixForAdministrators",  // registered (14)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/admin/*"],
          "Condition":{"StringEquals":{"iot:Certificate.Subject.CommonName.2":"Administrator"}}}]})",
     kNotBroad},
    {"Cert_AdminThingNameForAnyCommonName",  // registered (15)
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/${iot:Connection.Thing.ThingName}"]},
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/admin/${iot:Connection.Thing.ThingName}"],
          "Condition":{"ForAnyValue:StringEquals":{"iot:Certificate.Subject.CommonName.List":"Administrator"}}}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------
// "Basic job policy example" (basic-jobs-example), "Device Shadow MQTT topics" and the shadow
// REST API's authorization example, "AWS IoT Core action resources" (named shadows).
const Example kJobsAndShadowPages[] = {
    // One named thing. $aws/events/job/* and jobExecution/* are the account's job events, under a
    // literal prefix; the job APIs are granted on a topic ARN (as printed), which no job API uses.
    {"Jobs_BasicJobPolicy",
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Connect"],"Resource":["{arn}client/uniqueThingName"]},
         {"Effect":"Allow","Action":["iot:Publish"],
          "Resource":["{arn}topic/test/dc/pubtopic","{arn}topic/$aws/events/job/*",
                      "{arn}topic/$aws/events/jobExecution/*","{arn}topic/$aws/things/uniqueThingName/jobs/*"]},
         {"Effect":"Allow","Action":["iot:Subscribe"],
          "Resource":["{arn}topicfilter/test/dc/subtopic","{arn}topicfilter/$aws/events/jobExecution/*",
                      "{arn}topicfilter/$aws/things/uniqueThingName/jobs/*"]},
         {"Effect":"Allow","Action":["iot:Receive"],
          "Resource":["{arn}topic/test/dc/subtopic","{arn}topic/$aws/things/uniqueThingName/jobs/*"]},
         {"Effect":"Allow",
          "Action":["iot:DescribeJobExecution","iot:GetPendingJobExecutions",
                    "iot:StartNextPendingJobExecution","iot:UpdateJobExecution"],
          "Resource":["{arn}topic/$aws/things/uniqueThingName"]}]})",
     kNotBroad},
    {"Shadow_PublishGetOfOneThing",  // Device Shadow MQTT topics: /get
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],"Resource":["{arn}topic/$aws/things/thingName/shadow/get"]}]})",
     kNotBroad},
    {"Shadow_NamedShadowGetOfOneThing",  // the same for a named shadow
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:Publish"],
          "Resource":["{arn}topic/$aws/things/thingName/shadow/name/shadowName/get"]}]})",
     kNotBroad},
    {"Shadow_RestUpdateOfOneThing",  // shadow REST API: UpdateThingShadow
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":"iot:UpdateThingShadow","Resource":["{arn}thing/thing"]}]})",
     kNotBroad},
    {"Shadow_NamedShadowResources",  // action resources: thing/thingOne and thing/thingOne/shadowOne
     R"({"Version":"2012-10-17","Statement":[
         {"Effect":"Allow","Action":["iot:GetThingShadow","iot:UpdateThingShadow","iot:DeleteThingShadow"],
          "Resource":["{arn}thing/thingOne","{arn}thing/thingOne/shadowOne"]}]})",
     kNotBroad},
};

// ---------------------------------------------------------------------------------------------

template <size_t N>
void append(std::vector<Example>& all, const Example (&table)[N]) {
  all.insert(all.end(), table, table + N);
}

std::vector<Example> all_examples() {
  std::vector<Example> all;
  append(all, kDeviceDefenderPage);
  append(all, kMisconfigurationPage);
  append(all, kConnectPolicyPage);
  append(all, kConnectAndPublishPage);
  append(all, kPublishSubscribePage);
  append(all, kRetainedMessagePage);
  append(all, kBasicPolicyVariablesPage);
  append(all, kThingPolicyPages);
  append(all, kCertificatePages);
  append(all, kJobsAndShadowPages);
  return all;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

struct Verdicts {
  std::string broad = kNotBroad;     // the bracketed action list of the overly-permissive finding
  std::set<std::string> misconfigured;
  std::string messages;              // every finding's message, for a failure's output
};

// Loads a snapshot holding just this policy and audits it.
Verdicts audit(const Example& example) {
  testing::TempDir directory;
  directory.write("manifest.json",
                  R"({"formatVersion":1,"exportedAt":"2026-01-01T00:00:00Z","accountId":"123456789012",)"
                  R"("region":"us-east-1"})");
  const std::string document =
      replace_all(example.document, "{arn}", "arn:aws:iot:us-east-1:123456789012:");
  directory.write("policies.json", std::string(R"({"policies":[{"policyName":")") + example.name +
                                       R"(","policyArn":"arn:aws:iot:us-east-1:123456789012:policy/)" +
                                       example.name + R"(","policyDocument":)" + json_string(document) +
                                       R"(,"defaultVersionId":"1"}]})");
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  auto usage = load_snapshot(directory.path(), *snapshot, diagnostics);
  EXPECT_FALSE(usage) << *usage;
  for (const Diagnostic& diagnostic : diagnostics.items()) ADD_FAILURE() << diagnostic.render();
  AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  Verdicts verdicts;
  for (const CheckRun& run : report.runs) {
    for (const Finding& finding : run.findings) {
      if (run.check->name == "IOT_POLICY_OVERLY_PERMISSIVE_CHECK") {
        const std::string_view marker = "data plane actions: ";
        const size_t from = finding.message.find(marker);
        EXPECT_NE(from, std::string::npos) << finding.message;
        if (from == std::string::npos) continue;
        const size_t begin = from + marker.size();
        verdicts.broad = finding.message.substr(begin, finding.message.find(']', begin) + 1 - begin);
      } else if (run.check->name == "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK") {
        verdicts.misconfigured.insert(finding.reason_code);
      } else {
        continue;
      }
      verdicts.messages += "\n  " + finding.message;
    }
  }
  return verdicts;
}

void PrintTo(const Example& example, std::ostream* out) { *out << example.name; }

class AwsExamplePolicy : public ::testing::TestWithParam<Example> {};

TEST_P(AwsExamplePolicy, VerdictsMatchAwsDocumentation) {
  const Example& example = GetParam();
  const Verdicts verdicts = audit(example);
  if (example.fleetaudit_today != nullptr)
    EXPECT_EQ(verdicts.broad, example.fleetaudit_today)
        << "IOT_POLICY_OVERLY_PERMISSIVE_CHECK on " << example.name << " (a known disagreement: AWS's verdict is \""
        << example.broad << "\")" << verdicts.messages;
  else
    EXPECT_EQ(verdicts.broad, example.broad)
        << "IOT_POLICY_OVERLY_PERMISSIVE_CHECK on " << example.name << verdicts.messages;
  EXPECT_EQ(verdicts.misconfigured, example.misconfigured)
      << "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK on " << example.name << verdicts.messages;
}

INSTANTIATE_TEST_SUITE_P(AwsDocumentation, AwsExamplePolicy, ::testing::ValuesIn(all_examples()),
                         [](const ::testing::TestParamInfo<Example>& info) { return std::string(info.param.name); });

TEST(AwsExamplePolicies, NamesAreDistinct) {
  std::set<std::string> names;
  for (const Example& example : all_examples()) EXPECT_TRUE(names.insert(example.name).second) << example.name;
}

}  // namespace
}  // namespace fleetaudit
