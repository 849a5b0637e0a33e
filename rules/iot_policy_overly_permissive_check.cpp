// IOT_POLICY_OVERLY_PERMISSIVE_CHECK: a policy version grants data-plane access beyond one device.
#include <fmt/format.h>

#include "analyzer/engine/check.h"
#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/policy_reach.h"
#include "rules/policy_wording.h"

namespace fleetaudit {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

void add_grants(Evidence& evidence, const std::vector<policy::GrantExample>& examples) {
  for (const policy::GrantExample& example : examples) {
    StatementEvidence& grant = evidence.statements.emplace_back();
    grant.kind = StatementEvidence::Kind::grants;
    grant.number = example.number;
    grant.sid = example.sid;
    grant.resource = example.resource;
    grant.action = example.action;
    grant.witness = example.witness;
  }
}

// The first example in the message, all of them in additionalInfo: a reviewer sees why.
void say_examples(Finding& finding) {
  std::string all_examples;
  for (const StatementEvidence& grant : finding.evidence.statements)
    all_examples += (all_examples.empty() ? "" : "; ") + example_text(grant);
  if (finding.evidence.statements.empty()) return;
  finding.message += fmt::format(" For example: {}.", example_text(finding.evidence.statements.front()));
  finding.additional_info.emplace_back("EXAMPLES", all_examples);
}

// The Deny statements of the policies attached alongside that take `cancelled` back.
void say_taken_back(Finding& finding, const std::vector<policy::StatementRef>& denies, const std::string& cancelled) {
  std::string named;
  for (const policy::StatementRef& deny : denies) {
    StatementEvidence& statement = finding.evidence.statements.emplace_back();
    statement.kind = StatementEvidence::Kind::takes_back;
    statement.policy = deny.policy;
    statement.number = deny.number;
    statement.sid = deny.sid;
    named += (named.empty() ? "" : ", ") + other_policy_statement_text(statement);
  }
  finding.message += fmt::format(
      " For every certificate it reaches today, Deny statements of the policies "
      "attached alongside it ({}) take back {}.",
      named, cancelled);
  finding.additional_info.emplace_back("CANCELLED_BY_DENY", cancelled);
  finding.additional_info.emplace_back("CANCELLED_BY", named);
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const PolicyVersionTable& versions = snapshot.policy_versions;
  policy::BreadthEvaluator evaluator(snapshot.policy_statements);
  CheckResult result;
  result.resources_evaluated = versions.size();
  std::vector<policy::DataPlaneActionSet> broad_by_version(versions.size(), 0);
  std::vector<policy::DataPlaneActionSet> broad_default(snapshot.policies.size(), 0);
  std::vector<std::vector<policy::GrantExample>> examples(versions.size());
  for (uint32_t row = 0; row < versions.size(); ++row) {
    const uint32_t policy_row = versions.policy_row[row];
    broad_by_version[row] = evaluator.broad_actions(versions.first_statement[row], versions.end_statement[row],
                                                    policy::policy_scope(snapshot, policy_row));
    if (broad_by_version[row] != 0) examples[row] = evaluator.examples(broad_by_version[row]);
    if (evaluator.undecided_actions() != 0)
      result.undecided.push_back(fmt::format(
          "policy {} version {}: {} too complex to decide ({})", snapshot.text(snapshot.policies.name[policy_row]),
          snapshot.text(versions.version_id[row]), evaluator.describe(evaluator.undecided_actions()),
          policy_wording::undecided_text(evaluator.undecided_reasons())));
    if (versions.is_default[row]) broad_default[policy_row] = broad_by_version[row];
  }
  // With policy-targets.json: who each policy reaches, and what the policies attached alongside
  // change (their Denies take back, their Connect grants make ${iot:ClientId} anybody's).
  const bool targets_known = snapshot.has(SnapshotFile::policy_targets);
  policy::PolicyReach reach;
  policy::EffectiveGrants effective;
  if (targets_known) {
    reach = policy::compute_policy_reach(snapshot);
    effective = policy::effective_grants(snapshot, reach, broad_default);
  }
  for (uint32_t row = 0; row < versions.size(); ++row) {
    const uint32_t policy_row = versions.policy_row[row];
    const bool combined = targets_known && versions.is_default[row];
    const policy::DataPlaneActionSet own = broad_by_version[row];
    const policy::DataPlaneActionSet gained = combined ? effective.actions[policy_row] & ~own : 0;
    if ((own | gained) == 0) continue;
    std::string_view name = snapshot.text(snapshot.policies.name[policy_row]);
    std::string_view version = snapshot.text(versions.version_id[row]);
    Finding finding;
    finding.resource_type = ResourceType::iot_policy;
    finding.resource = {ResourceIdentifier::Kind::policy_version, std::string(name), std::string(version)};
    finding.reason_code = "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS";
    finding.message = fmt::format("Policy {} version {}{} allows broad access to IoT data plane actions: {}.", name,
                                  version, versions.is_default[row] ? " (default)" : "",
                                  evaluator.describe(own | gained));
    add_grants(finding.evidence, examples[row]);
    if (gained != 0) add_grants(finding.evidence, effective.combined_examples[policy_row]);
    finding.additional_info = {{"IS_DEFAULT_VERSION", versions.is_default[row] ? "true" : "false"}};
    say_examples(finding);
    const std::vector<std::string> unknown =
        policy::unknown_variables(snapshot.policy_statements, versions.first_statement[row], versions.end_statement[row]);
    if (!unknown.empty()) {
      finding.message += fmt::format(" It uses policy variables fleetaudit does not know ({}), read cautiously as "
                                     "any text in an Allow and as matching nothing in a Deny.",
                                     join(unknown));
      finding.additional_info.emplace_back("UNKNOWN_VARIABLES", join(unknown));
    }
    if (targets_known) {
      finding.message += fmt::format(" The policy is {}.", policy_wording::reach_text(reach, policy_row));
      finding.additional_info.emplace_back("ATTACHED", reach.attached[policy_row] ? "true" : "false");
      finding.additional_info.emplace_back("CERTIFICATES_REACHED", std::to_string(reach.certificates[policy_row]));
      finding.additional_info.emplace_back("THINGS_REACHED", std::to_string(reach.things[policy_row]));
    }
    if (gained != 0) {
      const std::string unpinning = join(effective.unpinning_policies[policy_row]);
      finding.message += fmt::format(" It grants {} broadly only together with the policies attached alongside it ({}), which "
                                     "let the device connect under another device's client id, so ${{iot:ClientId}} "
                                     "in its resources may be any device's.",
                                     evaluator.describe(gained), unpinning);
      finding.additional_info.emplace_back("BROAD_WITH_POLICIES", unpinning);
    }
    const policy::DataPlaneActionSet cancelled = combined ? own & ~effective.actions[policy_row] : 0;
    if (cancelled != 0 && reach.certificates[policy_row] > 0)
      say_taken_back(finding, effective.deny_statements[policy_row], policy::BreadthEvaluator::describe(cancelled));
    finding.location = {SnapshotFile::policies, versions.source[row]};
    std::string_view arn = snapshot.text(snapshot.policies.arn[policy_row]);
    finding.logical_name = arn.empty() ? std::string(name) : fmt::format("{}/{}", arn, version);
    result.findings.push_back(std::move(finding));
  }
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::iot_policy,
    .reason_codes = {"ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"},
    .short_description = "An IoT policy version grants data-plane access beyond the device that uses it.",
    .full_description =
        "A version of an AWS IoT policy lets a device connect with any client id, publish or subscribe to other "
        "devices' reserved topics ($aws/things/…), or read and change other things' shadows and jobs. A device "
        "holding such a policy that is compromised can impersonate, spy on or control the rest of the fleet. "
        "Every version is checked, not only the default: any version can be made the default in one call.",
    .help =
        "fleetaudit evaluates the policy as AWS IoT does: Action and Resource as strings or lists, `*` and `?` "
        "wildcards (actions case-insensitive), NotAction/NotResource, policy variables, and Deny statements that "
        "take a grant back. The decision is exact: each pattern is read as the set of resources it admits, and "
        "a grant is broad when some resource of another device is allowed and no Deny covers it (e.g. "
        "`client/*`, `topic/$aws/things/*/shadow/delete`, `topicfilter/$aws/things/+/shadow/update/documents`, "
        "`thing/*`, a custom topic whose first level a wildcard chooses). A name spelled out, or a wildcard after "
        "a literal prefix (`thing/MyThing*`), is the fleet owner's scoping, as AWS says. Each finding gives an "
        "example (additionalInfo EXAMPLES: one per action): a resource of another device the grant allows, where "
        "`x` stands for a name no pattern pins, and the statement that allows it. "
        "`client/${iot:ClientId}` counts as broad unless the statement has the condition "
        "`iot:Connection.Thing.IsAttached` = true, under which the client id is the name of a thing attached to "
        "the certificate, so a Connect statement with it grants only the device's own client id whatever its "
        "resource. Thing-, certificate- and Cognito-identity-bound variables (`${iot:Connection.Thing.*}`, "
        "`${iot:Certificate.*}`, `${iot:CertificateId}`, `${cognito-identity.amazonaws.com:sub}`) are the "
        "device's own; a variable fleetaudit does not know is read as any text in an Allow and nothing in a "
        "Deny, and the finding says so (UNKNOWN_VARIABLES). Variables are text unless the policy's Version is "
        "2012-10-17. iot:Receive is not reported: a device only receives what it "
        "may subscribe to. The actions decided: iot:Connect, Publish, Subscribe, the retained-message actions "
        "(RetainPublish, GetRetainedMessage, and ListRetainedMessages, which AWS authorizes on `*` only and "
        "which lists every device's retained topics), the shadow actions (named shadows included: "
        "`thing/NAME/SHADOW`), the job actions under iot: and iotjobsdata:, and iot:DeleteConnection "
        "(disconnecting any client: fleetaudit's addition to AWS's list).\n\n"
        "With policy-targets.json the finding also says whom the policy reaches: the certificates it is attached "
        "to, the things in the thing groups it is attached to (thing-groups.json; a group's policy applies to the "
        "things listed as its members, parent groups are not followed, and it is counted even though AWS applies "
        "it only when the client id equals the thing name) and the things and certificates joined "
        "to those (thing-principals.json). A policy attached to nothing is still reported: it can be attached "
        "tomorrow. For the default version, every certificate's policies (its own and its things' groups') are "
        "evaluated together, each distinct set of policies once: the policy's Allow statements with the Deny "
        "statements of the other policies of the set. An action is reported as taken back (CANCELLED_BY_DENY) "
        "only when that holds for every certificate the policy reaches, and CANCELLED_BY names the Deny "
        "statements (policy and statement number); a Deny is credited only for what it provably covers. The "
        "finding stays, because the version itself still grants the action wherever it is attached next. "
        "Within a set, ${iot:ClientId} is the device's own id only if no policy of the set lets it connect "
        "under another device's client id: otherwise a version scoped by ${iot:ClientId} is reported too, "
        "naming the policies that free the client id (BROAD_WITH_POLICIES).\n\n"
        "Fix: scope each statement to the connecting thing, e.g. `iot:Connect` on "
        "`arn:aws:iot:REGION:ACCOUNT:client/${iot:Connection.Thing.ThingName}` and `iot:Publish` on "
        "`…:topic/$aws/things/${iot:Connection.Thing.ThingName}/*`, then publish it with "
        "`aws iot create-policy-version --policy-name NAME --policy-document file://policy.json --set-as-default` "
        "and delete the broad versions.",
    .help_uri = "https://docs.aws.amazon.com/iot-device-defender/latest/devguide/audit-chk-iot-policy-permissive.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::policies}},
    .optional_inputs = {SnapshotFile::policy_targets, SnapshotFile::thing_principals, SnapshotFile::thing_groups},
    .run = run,
    .mitigation_actions = {"PUBLISH_FINDING_TO_SNS", "REPLACE_DEFAULT_POLICY_VERSION"},
    .decidable_from_template = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
