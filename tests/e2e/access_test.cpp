// `fleetaudit access` end to end, on a small snapshot written here: three locks whose policy is
// scoped with ${iot:Connection.Thing.ThingName}, a Deny attached through a thing group, a NotResource
// grant, a Cognito pool role and a role alias, and a thing whose name is a terminal escape.
#include <gtest/gtest.h>

#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

const std::string kArn = "arn:aws:iot:us-east-1:123456789012";
const std::string kHostileThing = "evil\\nALLOWED \\u001b[31mthing";  // as written inside JSON

std::string certificate_id(char digit) { return std::string(64, digit); }

// A JSON string literal holding `text` (a policy document inside policies.json).
std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string policy(const std::string& name, const std::string& statements) {
  return "{\"policyName\": \"" + name + "\", \"policyArn\": \"" + kArn + ":policy/" + name +
         "\", \"defaultVersionId\": \"1\", \"policyDocument\": " +
         json_string("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}") + "}";
}

void write_fleet(const TempDir& dir) {
  dir.write("manifest.json",
            R"({"formatVersion": 1, "exportedAt": "2026-11-20T00:00:00Z", "accountId": "123456789012", "region": "us-east-1"})");
  std::string certificates;
  for (char digit : std::string("12345"))
    certificates += std::string(certificates.empty() ? "" : ",") + "{\"certificateArn\": \"" + kArn + ":cert/" +
                    certificate_id(digit) + "\", \"certificateId\": \"" + certificate_id(digit) +
                    "\", \"status\": \"ACTIVE\", \"creationDate\": \"2025-01-01T00:00:00Z\"}";
  dir.write("certificates.json", "{\"certificateDescriptions\": [" + certificates + "]}");
  auto attachment = [](const std::string& thing, char digit) {
    return "{\"thingName\": \"" + thing + "\", \"principals\": [\"" + kArn + ":cert/" + certificate_id(digit) + "\"]}";
  };
  dir.write("thing-principals.json", "{\"thingPrincipals\": [" + attachment("lock-1", '1') + "," +
                                         attachment("lock-2", '2') + "," + attachment("lock-3", '3') + "," +
                                         attachment(kHostileThing, '4') + "]}");
  dir.write("thing-groups.json", "{\"thingGroupMemberships\": [{\"thingName\": \"lock-3\", \"thingGroups\": "
                                 "[{\"groupName\": \"restricted\", \"groupArn\": \"" +
                                     kArn + ":thinggroup/restricted\"}]}]}");
  const std::string per_thing =
      R"({"Sid": "ConnectAsSelf", "Effect": "Allow", "Action": "iot:Connect", "Resource": ")" + kArn +
      R"(:client/${iot:Connection.Thing.ThingName}"},)"
      R"({"Sid": "OwnShadow", "Effect": "Allow", "Action": "iot:Publish", "Resource": ")" + kArn +
      R"(:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"},)"
      R"({"Effect": "Allow", "Action": "iot:Subscribe", "Resource": ")" + kArn +
      R"(:topicfilter/alerts/*", "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}})";
  const std::string deny_delete = R"({"Sid": "NoShadowDelete", "Effect": "Deny", "Action": "iot:Publish", "Resource": ")" +
                                  kArn + R"(:topic/$aws/things/*/shadow/delete"},)" +
                                  R"({"Sid": "NoAlerts", "Effect": "Deny", "Action": "iot:Subscribe", "Resource": ")" +
                                  kArn + R"(:topicfilter/alert*"})";
  const std::string not_secret = R"({"Sid": "AllButSecret", "Effect": "Allow", "Action": "iot:Publish", "NotResource": [")" +
                                 kArn + R"(:topic/secret/*", ")" + kArn + R"(:topic/$aws/*"]})";
  const std::string all = R"({"Effect": "Allow", "Action": "iot:*", "Resource": "*"})";
  dir.write("policies.json", "{\"policies\": [" + policy("PerThing", per_thing) + "," +
                                 policy("DenyRestricted", deny_delete) + "," + policy("NotSecret", not_secret) + "," +
                                 policy("Everything", all) + "]}");
  auto target = [](const std::string& policy_name, const std::string& targets) {
    return "{\"policyName\": \"" + policy_name + "\", \"targets\": [" + targets + "]}";
  };
  auto cert = [](char digit) { return "\"" + kArn + ":cert/" + certificate_id(digit) + "\""; };
  dir.write("policy-targets.json",
            "{\"policyTargets\": [" + target("PerThing", cert('1') + "," + cert('2') + "," + cert('3')) + "," +
                target("DenyRestricted", "\"" + kArn + ":thinggroup/restricted\"") + "," +
                target("NotSecret", cert('2')) + "," + target("Everything", cert('4')) + "]}");
  const std::string trust = R"("AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []})";
  auto role = [&](const std::string& name, const std::string& statements) {
    return R"({"RoleName": ")" + name + R"(", "Arn": "arn:aws:iam::123456789012:role/)" + name + R"(", )" + trust +
           R"(, "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [)" +
           statements + R"(]}}], "AttachedManagedPolicies": []})";
  };
  dir.write("iam-authorization-details.json",
            R"({"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [)" +
                role("AppUser", R"({"Sid": "Shadows", "Effect": "Allow", "Action": "IoT:publish", "Resource": "arn:aws:iot:*:123456789012:topic/$aws/things/*/shadow/update"})") +
                "," +
                role("DeviceCreds", R"({"Effect": "Allow", "Action": "iot:*", "Resource": "*"}, {"Sid": "NotLock1", "Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/$aws/things/lock-1/*"})") +
                "]}");
  dir.write("cognito-identity-pool-roles.json",
            R"({"identityPoolRoles": [{"IdentityPoolId": "us-east-1:pool-1", "Roles": {"authenticated": "arn:aws:iam::123456789012:role/AppUser"}}]})");
  dir.write("role-aliases.json",
            R"({"roleAliasDescriptions": [{"roleAlias": "device-creds", "roleAliasArn": "arn:aws:iot:us-east-1:123456789012:rolealias/device-creds", "roleArn": "arn:aws:iam::123456789012:role/DeviceCreds", "owner": "123456789012", "credentialDurationSeconds": 3600}]})");
}

struct Fleet {
  TempDir dir;
  Fleet() { write_fleet(dir); }
  CommandResult access(const std::string& arguments) const {
    return testing::run_fleetaudit("access '" + dir.path() + "' " + arguments, dir.file("stderr.txt"));
  }
  std::string errors() const { return testing::read_file(dir.file("stderr.txt")); }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string publish_on(const std::string& topic) {
  return "--action iot:Publish --resource '" + kArn + ":topic/" + topic + "'";
}

TEST(AccessCommand, ThingNameScopedPolicyReachesTheOwnShadowOnly) {
  Fleet fleet;
  const CommandResult result = fleet.access(publish_on("$aws/things/lock-1/shadow/update"));
  ASSERT_EQ(result.exit_status, 0) << fleet.errors();
  EXPECT_TRUE(has(result.output, "ALLOWED thing lock-1 certificate " + certificate_id('1') +
                                     " (ACTIVE): policy PerThing version 1 statement 2 (Sid \"OwnShadow\")\n"))
      << result.output;
  EXPECT_FALSE(has(result.output, "thing lock-2")) << result.output;  // its own shadow only; NotSecret excludes $aws/*
  EXPECT_FALSE(has(result.output, "thing lock-3")) << result.output;
  // The IAM side: the pool's role allows it (case-insensitive action); the alias's role denies it.
  EXPECT_TRUE(has(result.output, "ALLOWED cognito-pool us-east-1:pool-1 (authenticated role "
                                 "arn:aws:iam::123456789012:role/AppUser): role AppUser statement 1 (Sid \"Shadows\")\n"))
      << result.output;
  EXPECT_TRUE(has(result.output, "DENIED role-alias device-creds (role arn:aws:iam::123456789012:role/DeviceCreds): "
                                 "allowed by role DeviceCreds statement 1 but denied by role DeviceCreds statement 2 "
                                 "(Sid \"NotLock1\")\n"))
      << result.output;

  const CommandResult other = fleet.access(publish_on("$aws/things/lock-2/shadow/update"));
  EXPECT_TRUE(has(other.output, "ALLOWED thing lock-2 certificate")) << other.output;
  EXPECT_FALSE(has(other.output, "thing lock-1")) << other.output;
}

TEST(AccessCommand, ClientIdOfAClientArnIsItsName) {
  Fleet fleet;
  const CommandResult result = fleet.access("--action iot:Connect --resource '" + kArn + ":client/lock-3'");
  ASSERT_EQ(result.exit_status, 0) << fleet.errors();
  EXPECT_TRUE(has(result.output, "ALLOWED thing lock-3 certificate " + certificate_id('3') +
                                     " (ACTIVE): policy PerThing version 1 statement 1 (Sid \"ConnectAsSelf\")\n"))
      << result.output;
  EXPECT_FALSE(has(result.output, "thing lock-1")) << result.output;
}

TEST(AccessCommand, DenyThroughAThingGroupTakesAccessAway) {
  Fleet fleet;
  const CommandResult deleted = fleet.access(publish_on("$aws/things/lock-3/shadow/delete"));
  ASSERT_EQ(deleted.exit_status, 0) << fleet.errors();
  EXPECT_FALSE(has(deleted.output, "ALLOWED thing lock-3")) << deleted.output;
  EXPECT_TRUE(has(deleted.output, "DENIED thing lock-3 certificate " + certificate_id('3') +
                                      " (ACTIVE): allowed by policy PerThing version 1 statement 2 (Sid \"OwnShadow\") "
                                      "but denied by policy DenyRestricted version 1 statement 1 (Sid \"NoShadowDelete\")\n"))
      << deleted.output;
  const CommandResult updated = fleet.access(publish_on("$aws/things/lock-3/shadow/update"));
  EXPECT_TRUE(has(updated.output, "ALLOWED thing lock-3 certificate")) << updated.output;
  // lock-1 is in no group: its own delete topic stays allowed.
  EXPECT_TRUE(has(fleet.access(publish_on("$aws/things/lock-1/shadow/delete")).output, "ALLOWED thing lock-1 "));
}

TEST(AccessCommand, NotResourceAllowsWhatItDoesNotName) {
  Fleet fleet;
  const CommandResult telemetry = fleet.access(publish_on("telemetry/lock-2"));
  EXPECT_TRUE(has(telemetry.output, "ALLOWED thing lock-2 certificate " + certificate_id('2') +
                                        " (ACTIVE): policy NotSecret version 1 statement 1 (Sid \"AllButSecret\")\n"))
      << telemetry.output;
  EXPECT_FALSE(has(fleet.access(publish_on("secret/plans")).output, "thing lock-2"));
}

TEST(AccessCommand, ThingPermissionsListPatternsAndTheDeniesThatTakePartAway) {
  Fleet fleet;
  const CommandResult result = fleet.access("--thing lock-3");
  ASSERT_EQ(result.exit_status, 0) << fleet.errors();
  EXPECT_TRUE(has(result.output, "  certificate " + certificate_id('3') + " (ACTIVE), policies: DenyRestricted, PerThing\n"))
      << result.output;
  EXPECT_TRUE(has(result.output, "    iot:Publish\n      allow " + kArn +
                                     ":topic/$aws/things/lock-3/shadow/*  by policy PerThing version 1 statement 2 "
                                     "(Sid \"OwnShadow\")\n      deny  " +
                                     kArn + ":topic/$aws/things/*/shadow/delete  by policy DenyRestricted version 1 "
                                     "statement 1 (Sid \"NoShadowDelete\")\n"))
      << result.output;
  EXPECT_TRUE(has(result.output, "allow " + kArn + ":client/lock-3  ")) << result.output;
  EXPECT_FALSE(has(result.output, "lock-3/shadow/*  by policy PerThing version 1 statement 2 (Sid \"OwnShadow\") ["))
      << result.output;  // the Deny takes only part of it
  EXPECT_TRUE(has(result.output, ":topicfilter/alerts/*  by policy PerThing version 1 statement 3 if its Condition holds "
                                 "[all of it denied]\n      deny  " + kArn + ":topicfilter/alert*  by policy "
                                 "DenyRestricted version 1 statement 2 (Sid \"NoAlerts\")\n"))
      << result.output;

  const CommandResult lock2 = fleet.access("--thing lock-2");
  EXPECT_TRUE(has(lock2.output, "allow everything but " + kArn + ":topic/secret/*, " + kArn + ":topic/$aws/*  "))
      << lock2.output;
  EXPECT_FALSE(has(lock2.output, "deny ")) << lock2.output;  // no Deny reaches lock-2
}

// Runs `script` (Python, with the parsed JSON as d) on fleetaudit's JSON answer; "ok" when it holds.
std::string check_json(const Fleet& fleet, const std::string& arguments, const std::string& script) {
  TempDir out;
  const CommandResult result = testing::run_fleetaudit(
      "access '" + fleet.dir.path() + "' --format json " + arguments + " > '" + out.file("answer.json") + "'");
  if (result.exit_status != 0) return "exit status " + std::to_string(result.exit_status);
  out.write("check.py", script + "\nprint(\"ok\")\n");
  return testing::run_command("/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                              "exec(open(sys.argv[2]).read())' '" +
                              out.file("answer.json") + "' '" + out.file("check.py") + "' 2>&1")
      .output;
}

TEST(AccessCommand, JsonShapes) {
  Fleet fleet;
  EXPECT_EQ(check_json(fleet, publish_on("$aws/things/lock-3/shadow/delete"), R"(
assert sorted(d) == ["action", "allowed", "denied", "resource"], d
assert d["action"] == "iot:Publish" and d["resource"].endswith(":topic/$aws/things/lock-3/shadow/delete"), d
assert [p["type"] for p in d["allowed"]] == ["certificate", "roleAlias"], d
c = d["allowed"][0]
assert sorted(c) == ["allowedBy", "certificateId", "certificateStatus", "deniedBy", "thingName", "type"], c
assert c["certificateId"] == "4" * 64 and c["certificateStatus"] == "ACTIVE" and c["deniedBy"] == [], c
assert c["allowedBy"] == [{"policyName": "Everything", "policyVersionId": "1", "statement": 1, "sid": "",
                           "conditional": False, "dependsOn": []}], c
r = d["allowed"][1]
assert sorted(r) == ["allowedBy", "deniedBy", "roleAlias", "roleArn", "type"], r
assert r["roleAlias"] == "device-creds" and r["allowedBy"][0]["roleName"] == "DeviceCreds", r
x = d["denied"][0]
assert x["thingName"] == "lock-3" and x["allowedBy"][0]["sid"] == "OwnShadow", x
assert x["deniedBy"] == [{"policyName": "DenyRestricted", "policyVersionId": "1", "statement": 1,
                          "sid": "NoShadowDelete"}], x)"),
            "ok\n");
  EXPECT_EQ(check_json(fleet, publish_on("$aws/things/lock-3/shadow/update"), R"(
assert [p["type"] for p in d["allowed"]] == ["certificate", "certificate", "cognitoIdentityPool", "roleAlias"], d
assert [p.get("thingName") for p in d["allowed"][:2]] == ["evil\nALLOWED \x1b[31mthing", "lock-3"], d
r = d["allowed"][2]
assert sorted(r) == ["allowedBy", "deniedBy", "identityPoolId", "roleArn", "roleKind", "type"], r
assert r["identityPoolId"] == "us-east-1:pool-1" and r["roleKind"] == "authenticated", r
assert r["allowedBy"] == [{"roleName": "AppUser", "statement": 1, "sid": "Shadows", "conditional": False,
                           "dependsOn": []}], r
assert d["denied"] == [], d)"),
            "ok\n");
  EXPECT_EQ(check_json(fleet, "--thing lock-3", R"(
assert sorted(d) == ["certificates", "thingName"], d
c = d["certificates"][0]
assert sorted(c) == ["actions", "certificateId", "certificateStatus", "policies"], c
assert c["policies"] == ["DenyRestricted", "PerThing"], c
assert [a["action"] for a in c["actions"]] == ["iot:Connect", "iot:Publish", "iot:Subscribe"], c
p = c["actions"][1]
a = p["allow"][0]
assert sorted(a) == ["conditional", "dependsOn", "leftAfterDeny", "policyName", "policyVersionId", "resources",
                     "sid", "statement"], a
assert a["resources"] == ["arn:aws:iot:us-east-1:123456789012:topic/$aws/things/lock-3/shadow/*"], a
assert a["leftAfterDeny"] == "some", a
assert [x["sid"] for x in p["deny"]] == ["NoShadowDelete"], p
s = c["actions"][2]["allow"][0]
assert s["conditional"] is True and s["leftAfterDeny"] == "nothing", s)"),
            "ok\n");
  EXPECT_EQ(check_json(fleet, "--thing lock-2", R"(
a = [x for x in d["certificates"][0]["actions"] if x["action"] == "iot:Publish"][0]["allow"][0]
assert a["sid"] == "AllButSecret" and a["notResources"][0].endswith(":topic/secret/*"), a
assert sorted(a) == ["conditional", "dependsOn", "leftAfterDeny", "notResources", "policyName", "policyVersionId",
                     "sid", "statement"], a)"),
            "ok\n");
}

TEST(AccessCommand, HostileThingNameIsPrintedEscaped) {
  Fleet fleet;
  const CommandResult result = fleet.access(publish_on("anything"));
  ASSERT_EQ(result.exit_status, 0) << fleet.errors();
  EXPECT_TRUE(has(result.output, "ALLOWED thing evil\\nALLOWED \\x1b[31mthing certificate " + certificate_id('4')))
      << result.output;
  EXPECT_FALSE(has(result.output, "\x1b")) << result.output;
  EXPECT_FALSE(has(result.output, "\nALLOWED \\x1b")) << result.output;

  const CommandResult thing = fleet.access("--thing \"$(printf 'evil\\nALLOWED \\033[31mthing')\"");
  ASSERT_EQ(thing.exit_status, 0) << fleet.errors();
  EXPECT_TRUE(has(thing.output, "thing evil\\nALLOWED \\x1b[31mthing: 1 certificate\n")) << thing.output;
  EXPECT_FALSE(has(thing.output, "\x1b")) << thing.output;
}

TEST(AccessCommand, BadArgumentsAreUsageErrors) {
  Fleet fleet;
  struct Case {
    std::string arguments, message;
  };
  const Case cases[] = {
      {"--thing no-such-lock", "unknown thing \"no-such-lock\""},
      {"--thing lock-1 --action iot:Publish --resource '" + kArn + ":topic/a'", "--thing cannot be combined"},
      {"--action iot:Publish", "--action needs --resource"},
      {"--resource '" + kArn + ":topic/a'", "--resource needs --action"},
      {"", "give --thing NAME, or --action ACTION with --resource ARN"},
      {"--action iot:Frobnicate --resource '" + kArn + ":topic/a'",
       "--action iot:Frobnicate is not a known data-plane action; use one of: iot:Connect, iot:DeleteConnection, "
       "iot:Publish"},
      {"--action iot:Publish --resource topic/a", "--resource \"topic/a\" is not an ARN"},
      {"--action iot:Publish --resource '" + kArn + ":client/a'", "iot:Publish acts on topic ARNs"},
      {"--thing lock-1 --format yaml", "--format"},
  };
  for (const Case& c : cases) {
    const CommandResult result = fleet.access(c.arguments);
    EXPECT_EQ(result.exit_status, 2) << c.arguments;
    EXPECT_TRUE(has(fleet.errors(), c.message)) << c.arguments << "\n" << fleet.errors();
    EXPECT_EQ(result.output, "") << c.arguments;
  }
}

}  // namespace
}  // namespace fleetaudit
