// Mitigation actions: validation as AWS does it, planning (order, skips, policy versions), and
// the preview writer for what the end-to-end tests cannot reach.
#include <gtest/gtest.h>

#include <memory>

#include "analyzer/load/snapshot_loader.h"
#include "analyzer/mitigate/allowed_actions.h"
#include "analyzer/mitigate/mitigation_outputs.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::TempDir;

std::string action_json(const std::string& name, const std::string& params) {
  return R"({"actionName": ")" + name + R"(", "roleArn": "arn:aws:iam::123456789012:role/r", "actionParams": {)" +
         params + "}}";
}
const std::string kSns = R"("publishFindingToSnsParams": {"topicArn": "arn:aws:sns:eu-west-1:123456789012:t"})";
const std::string kDeactivate = R"("updateDeviceCertificateParams": {"action": "DEACTIVATE"})";
const std::string kLogging = R"("enableIoTLoggingParams": {"roleArnForLogging": "arn:aws:iam::1:role/l", "logLevel": "ERROR"})";
const std::string kBlank = R"("replaceDefaultPolicyVersionParams": {"templateName": "BLANK_POLICY"})";

std::string definition_json(const std::string& actions, const std::string& mapping,
                            const std::string& target = R"({"auditTaskId": "any"})") {
  return R"({"actions": [)" + actions + R"(], "task": {"taskId": "t1", "target": )" + target +
         R"(, "auditCheckToActionsMapping": {)" + mapping + "}}}";
}

std::string joined(const std::vector<std::string>& errors) {
  std::string text;
  for (const std::string& error : errors) text += error + "\n";
  return text;
}

// Parses and expects exactly the problems whose text contains each of `fragments`.
void expect_rejected(const std::string& json, std::initializer_list<std::string> fragments) {
  std::vector<std::string> errors;
  EXPECT_FALSE(parse_mitigation_definition(json, errors).has_value());
  for (const std::string& fragment : fragments)
    EXPECT_NE(joined(errors).find(fragment), std::string::npos) << "missing \"" << fragment << "\" in\n" << joined(errors);
}

TEST(MitigationActions, ValidDefinitionKeepsMappingOrder) {
  std::vector<std::string> errors;
  auto definition = parse_mitigation_definition(
      definition_json(action_json("Notify", kSns) + "," + action_json("Deactivate", kDeactivate),
                      R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Deactivate", "Notify"])"),
      errors);
  ASSERT_TRUE(definition) << joined(errors);
  ASSERT_EQ(definition->task.check_actions.size(), 1u);
  EXPECT_EQ(definition->task.check_actions[0].second, (std::vector<uint32_t>{1, 0}));
  EXPECT_EQ(definition->actions[1].type, MitigationActionType::update_device_certificate);
}

TEST(MitigationActions, ActionTypeNotAllowedForCheckNamesTheAction) {
  expect_rejected(definition_json(action_json("TurnOnLogs", kLogging), R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["TurnOnLogs"])"),
                  {"action TurnOnLogs (ENABLE_IOT_LOGGING) cannot be applied to DEVICE_CERTIFICATE_SHARED_CHECK findings",
                   "this check allows UPDATE_DEVICE_CERTIFICATE, ADD_THINGS_TO_THING_GROUP, PUBLISH_FINDING_TO_SNS"});
  expect_rejected(definition_json(action_json("Blank", kBlank), R"("LOGGING_DISABLED_CHECK": ["Blank"])"),
                  {"action Blank (REPLACE_DEFAULT_POLICY_VERSION) cannot be applied to LOGGING_DISABLED_CHECK"});
}

TEST(MitigationActions, LoggingLevelDisabledIsRefused) {
  expect_rejected(
      definition_json(action_json("Quiet", R"("enableIoTLoggingParams": {"roleArnForLogging": "r", "logLevel": "DISABLED"})"),
                      R"("LOGGING_DISABLED_CHECK": ["Quiet"])"),
      {"action Quiet.actionParams.enableIoTLoggingParams.logLevel: DISABLED is not allowed"});
}

TEST(MitigationActions, UnknownActionNameInMapping) {
  expect_rejected(definition_json(action_json("Notify", kSns), R"("LOGGING_DISABLED_CHECK": ["Notify", "Ghost"])"),
                  {"task.auditCheckToActionsMapping.LOGGING_DISABLED_CHECK: no action named Ghost"});
}

TEST(MitigationActions, MappingForCheckThatDoesNotExist) {
  expect_rejected(definition_json(action_json("Notify", kSns), R"("NOT_A_REAL_CHECK": ["Notify"])"),
                  {"unknown check NOT_A_REAL_CHECK; valid check names:", "LOGGING_DISABLED_CHECK"});
}

TEST(MitigationActions, MoreThanOneParamBlock) {
  expect_rejected(definition_json(action_json("Both", kSns + "," + kDeactivate), R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Both"])"),
                  {"action Both.actionParams: must hold exactly one parameter block, found 2"});
  // The mapping does not report the rejected action a second time.
  std::vector<std::string> errors;
  parse_mitigation_definition(
      definition_json(action_json("Both", kSns + "," + kDeactivate), R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Both"])"), errors);
  EXPECT_EQ(errors.size(), 1u) << joined(errors);
}

TEST(MitigationActions, OtherMistakesAreNamed) {
  expect_rejected(definition_json(action_json("Bad Name", kSns), R"("LOGGING_DISABLED_CHECK": ["Bad Name"])"),
                  {"must be 1 to 128 letters, digits, _ or -"});
  expect_rejected(definition_json(action_json("Notify", kSns), R"("LOGGING_DISABLED_CHECK": ["Notify"])", "{}"),
                  {"task.target: must hold exactly one of"});
  expect_rejected(definition_json(action_json("Notify", kSns) + "," + action_json("Notify", kSns),
                                  R"("LOGGING_DISABLED_CHECK": ["Notify"])"),
                  {"action Notify: defined twice"});
  expect_rejected("{\"actions\": [}", {"1:14: not valid JSON"});
}

TEST(MitigationActions, TableCoversAllSeventeenAwsChecks) {
  const char* aws_checks[] = {
      "AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK", "UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK",
      "CA_CERTIFICATE_EXPIRING_CHECK", "CA_CERTIFICATE_KEY_QUALITY_CHECK", "CONFLICTING_CLIENT_IDS_CHECK",
      "DEVICE_CERTIFICATE_AGE_CHECK", "DEVICE_CERTIFICATE_EXPIRING_CHECK", "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK",
      "DEVICE_CERTIFICATE_SHARED_CHECK", "INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK",
      "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK",
      "IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK", "IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK",
      "LOGGING_DISABLED_CHECK", "REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK",
      "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK"};
  for (const char* check : aws_checks) {
    auto allowed = allowed_mitigation_actions(check);
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), MitigationActionType::publish_finding_to_sns), allowed.end())
        << check;
  }
  EXPECT_EQ(allowed_mitigation_actions("CONFLICTING_CLIENT_IDS_CHECK").size(), 1u);
  EXPECT_EQ(allowed_mitigation_actions("CA_CERTIFICATE_EXPIRING_CHECK"),
            (std::vector{MitigationActionType::update_ca_certificate, MitigationActionType::publish_finding_to_sns}));
  EXPECT_TRUE(allowed_mitigation_actions("NO_SUCH_CHECK").empty());
}

// A small snapshot on disk, loaded.
struct LoadedSnapshot {
  TempDir dir;
  std::unique_ptr<Snapshot> snapshot = std::make_unique<Snapshot>();
  void load() {
    Diagnostics diagnostics;
    ASSERT_FALSE(load_snapshot(dir.path(), *snapshot, diagnostics).has_value());
    ASSERT_FALSE(diagnostics.has_errors());
  }
};

const std::string kManifest = R"({"formatVersion": 1, "exportedAt": "2026-11-20T08:00:00Z", "accountId": "123456789012", "region": "eu-west-1"})";

std::string policy_version(int id) {
  return R"({"policyName": "P", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}", "policyVersionId": ")" +
         std::to_string(id) + R"(", "isDefaultVersion": false})";
}

MitigationFinding policy_finding(const std::string& version) {
  MitigationFinding finding;
  finding.finding_id = "f-" + version;
  finding.check_name = "IOT_POLICY_OVERLY_PERMISSIVE_CHECK";
  finding.resource_type = "IOT_POLICY";
  finding.resource = {ResourceIdentifier::Kind::policy_version, "P", version};
  finding.reason_code = "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS";
  return finding;
}

std::optional<MitigationDefinition> definition_for(const std::string& json) {
  std::vector<std::string> errors;
  auto definition = parse_mitigation_definition(json, errors);
  EXPECT_TRUE(errors.empty()) << joined(errors);
  return definition;
}

TEST(MitigationPlan, FullPolicyMakesRoomThenReplacesAndDeletesTheFlaggedVersion) {
  LoadedSnapshot fleet;
  fleet.dir.write("manifest.json", kManifest);
  // Five versions: 7 is the default (broad); 3, 4, 5, 6 are older; 4 is broad too.
  std::string versions = policy_version(3) + "," + policy_version(4) + "," + policy_version(5) + "," + policy_version(6);
  fleet.dir.write("policies.json", R"({"policies": [{"policyName": "P", "policyArn": "arn:aws:iot:eu-west-1:123456789012:policy/P", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}", "defaultVersionId": "7", "versions": [)" +
                                       versions + "]}]}");
  fleet.load();
  auto definition = definition_for(definition_json(action_json("Blank", kBlank), R"("IOT_POLICY_OVERLY_PERMISSIVE_CHECK": ["Blank"])",
                                                   R"({"findingIds": ["f-7", "f-4"]})"));
  ASSERT_TRUE(definition);
  std::vector<std::string> errors;
  MitigationPlan plan =
      build_mitigation_plan(*fleet.snapshot, *definition, {policy_finding("4"), policy_finding("7")}, errors);
  ASSERT_TRUE(errors.empty()) << joined(errors);
  ASSERT_EQ(plan.executions.size(), 2u);
  // Finding on version 4 (not the default): only that version goes; the default stays for now.
  const auto& first = plan.executions[0].changes;
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, PlannedChange::Kind::delete_policy_version);
  EXPECT_EQ(first[0].target, "4");
  // Finding on version 7 (the default): four versions remain, so no room needs making.
  const auto& second = plan.executions[1].changes;
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].kind, PlannedChange::Kind::create_default_policy_version);
  EXPECT_EQ(second[0].target, "8");
  EXPECT_EQ(second[1].kind, PlannedChange::Kind::delete_policy_version);
  EXPECT_EQ(second[1].target, "7");

  // Only the default flagged: the policy is full, so the oldest non-default version (3) makes room.
  MitigationPlan full = build_mitigation_plan(*fleet.snapshot, *definition_for(definition_json(
                                                  action_json("Blank", kBlank), R"("IOT_POLICY_OVERLY_PERMISSIVE_CHECK": ["Blank"])",
                                                  R"({"findingIds": ["f-7"]})")),
                                              {policy_finding("7")}, errors);
  ASSERT_EQ(full.executions.size(), 1u);
  const auto& changes = full.executions[0].changes;
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind, PlannedChange::Kind::delete_policy_version);
  EXPECT_EQ(changes[0].target, "3");
  EXPECT_EQ(changes[1].target, "8");
  EXPECT_EQ(changes[2].target, "7");
}

TEST(MitigationPlan, SuppressedFindingsAndActionsAfterOneThatCannotApplyAreSkipped) {
  LoadedSnapshot fleet;
  fleet.dir.write("manifest.json", kManifest);
  fleet.dir.write("certificates.json", R"({"certificateDescriptions": []})");
  fleet.load();
  auto definition = definition_for(definition_json(action_json("Deactivate", kDeactivate) + "," + action_json("Notify", kSns),
                                                   R"("DEVICE_CERTIFICATE_SHARED_CHECK": ["Deactivate", "Notify"])",
                                                   R"({"auditTaskId": "task"})"));
  ASSERT_TRUE(definition);
  MitigationFinding missing;
  missing.finding_id = "missing";
  missing.task_id = "task";
  missing.check_name = "DEVICE_CERTIFICATE_SHARED_CHECK";
  missing.resource = {ResourceIdentifier::Kind::device_certificate_id, "abc", {}};
  MitigationFinding suppressed = missing;
  suppressed.finding_id = "suppressed";
  suppressed.suppressed = true;
  MitigationFinding other_task = missing;
  other_task.task_id = "another-task";
  std::vector<std::string> errors;
  MitigationPlan plan = build_mitigation_plan(*fleet.snapshot, *definition, {missing, suppressed, other_task}, errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(plan.findings.size(), 2u);  // the other task's finding is not targeted
  ASSERT_EQ(plan.executions.size(), 4u);
  for (const PlannedExecution& execution : plan.executions) EXPECT_EQ(execution.status, ExecutionStatus::skipped);
  EXPECT_EQ(plan.executions[0].reason, "certificate abc is not in the snapshot");
  EXPECT_EQ(plan.executions[1].reason, "an earlier action for this finding (Deactivate) cannot apply");
  EXPECT_NE(plan.executions[2].reason.find("suppressed"), std::string::npos);
}

TEST(MitigationPlan, UnknownTargetedFindingIdIsAnError) {
  LoadedSnapshot fleet;
  fleet.dir.write("manifest.json", kManifest);
  fleet.load();
  auto definition = definition_for(definition_json(action_json("Notify", kSns), R"("LOGGING_DISABLED_CHECK": ["Notify"])",
                                                   R"({"findingIds": ["nope"]})"));
  std::vector<std::string> errors;
  build_mitigation_plan(*fleet.snapshot, *definition, {}, errors);
  EXPECT_EQ(joined(errors), "task.target.findingIds: no finding has id nope\n");
}

TEST(MitigatedSnapshot, CaCertificateDeactivationKeepsEveryOtherField) {
  // No CA check is registered on this branch, so the CA action is checked at the writer.
  LoadedSnapshot fleet;
  fleet.dir.write("manifest.json", kManifest);
  fleet.dir.write("ca-certificates.json", R"({"certificateDescriptions": [
    {"certificateId": "ca1", "status": "ACTIVE", "creationDate": 1706868471.208, "customField": {"x": [1, 2.50, null]}},
    {"certificateId": "ca2", "status": "ACTIVE", "creationDate": 1706868471.208}
  ], "nextMarker": "m"})");
  MitigationDefinition definition;
  MitigationAction deactivate;
  deactivate.name = "DeactivateCa";
  deactivate.type = MitigationActionType::update_ca_certificate;
  definition.actions.push_back(deactivate);
  MitigationPlan plan;
  plan.definition = &definition;
  plan.findings.push_back({});
  plan.executions.push_back({0, 0, ExecutionStatus::pending, {}, {{PlannedChange::Kind::deactivate_ca_certificate, "ca1", "INACTIVE", "ACTIVE", {}}}});
  TempDir out;
  std::string preview = out.path() + "/preview";
  std::vector<std::string> skipped;
  ASSERT_FALSE(write_mitigated_snapshot(plan, fleet.dir.path(), preview, skipped).has_value());
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(testing::read_file(preview + "/ca-certificates.json"), R"({
  "certificateDescriptions": [
    {
      "certificateId": "ca1",
      "status": "INACTIVE",
      "creationDate": 1706868471.208,
      "customField": {
        "x": [
          1,
          2.50,
          null
        ]
      }
    },
    {
      "certificateId": "ca2",
      "status": "ACTIVE",
      "creationDate": 1706868471.208
    }
  ],
  "nextMarker": "m"
}
)");
  EXPECT_EQ(testing::read_file(preview + "/manifest.json"), kManifest);
  // Never into the input, never over a directory that holds something.
  EXPECT_TRUE(write_mitigated_snapshot(plan, fleet.dir.path(), fleet.dir.path(), skipped).has_value());
  EXPECT_TRUE(write_mitigated_snapshot(plan, fleet.dir.path(), preview, skipped).has_value());
  EXPECT_TRUE(write_mitigated_snapshot(plan, fleet.dir.path(), fleet.dir.file("inside"), skipped).has_value());
}

}  // namespace
}  // namespace fleetaudit
