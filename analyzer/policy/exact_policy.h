#pragma once
// The one policy model: exact answers about IoT policies and IAM role policies.
//
// Every resource pattern is a regular language over a finite alphabet (the bytes the patterns
// mention, one symbol for every other character, one symbol per device-bound value). Questions
// are answered by a product of the patterns' automata, walked breadth-first, so an answer "yes"
// comes with a shortest witness string and "no" is a proof, never a sample. Each question has a
// work budget; past it the answer is "not decided" with the reason (never a guess).
//
// Callers hand in parsed documents (PolicyStatementTable rows, as append_policy_document makes
// them); nothing here reads snapshot tables, so `fleetaudit lint` evaluates IaC documents with the
// same model.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

// ---------------------------------------------------------------------------------------------
// ARNs: the one parser.
struct ArnParts {
  std::string_view partition, service, region, account, resource;  // resource: "topic/a/b"
};
// nullopt unless `arn` reads arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (resource non-empty).
std::optional<ArnParts> parse_arn(std::string_view arn);

// ---------------------------------------------------------------------------------------------
// The device data plane, in the order findings list actions.
enum class DataPlaneAction : uint8_t {
  connect,                  // client
  publish,                  // topic
  subscribe,                // topicfilter
  receive,                  // topic (never broad on its own: a device receives what it subscribes to)
  retain_publish,           // topic
  get_retained_message,     // topic
  list_retained_messages,   // "*": lists every retained topic of the account
  get_thing_shadow,         // thing, thing/<name>/<shadow>
  update_thing_shadow,      //
  delete_thing_shadow,      //
  list_named_shadows_for_thing,  // "*"
  describe_job_execution,   // thing (iot: and iotjobsdata: spellings)
  get_pending_job_executions,
  start_next_pending_job_execution,
  update_job_execution,
  jobsdata_describe_job_execution,
  jobsdata_get_pending_job_executions,
  jobsdata_start_next_pending_job_execution,
  jobsdata_update_job_execution,
  delete_connection,        // client: disconnects a client (a fleetaudit extension to AWS's list)
};
inline constexpr size_t kDataPlaneActionCount = 20;

using DataPlaneActionSet = uint32_t;  // bit i = DataPlaneAction i
constexpr DataPlaneActionSet action_bit(DataPlaneAction action) {
  return DataPlaneActionSet{1} << static_cast<unsigned>(action);
}
inline constexpr DataPlaneActionSet kAllDataPlaneActions = (DataPlaneActionSet{1} << kDataPlaneActionCount) - 1;

std::string_view action_name(DataPlaneAction action);  // "iot:Connect", "iotjobsdata:UpdateJobExecution"
// Parses "iot:publish" (any case) to the action; nullopt when not in the catalogue.
std::optional<DataPlaneAction> data_plane_action_named(std::string_view name);
// The catalogue actions an action pattern names (a glob, compared case-insensitively).
DataPlaneActionSet actions_matching(std::string_view action_pattern);
// "[iot:Connect, iot:Publish]", in catalogue order.
std::string describe_actions(DataPlaneActionSet actions);

// ---------------------------------------------------------------------------------------------
// Inputs.
enum class PolicyKind : uint8_t {
  iot,  // an IoT policy: resources in its own partition, region and account
  iam,  // an IAM role policy: IAM is global, any region and account the pattern admits
};

// One policy document: statements [first_statement, end_statement) of `statements`.
struct PolicyDocumentRef {
  const PolicyStatementTable* statements = nullptr;
  uint32_t first_statement = 0, end_statement = 0;
  std::string policy_name;  // for findings: "MyPolicy"
  std::string version_id;   // "3"; empty when the document has no versions (IAM, IaC)
  // Whether this document's Allow statements count (false: only its Deny statements act, as for
  // the other policies attached beside the one being judged).
  bool contributes_allows = true;
};

struct EvaluationContext {
  PolicyKind kind = PolicyKind::iot;
  // IoT: where the policy lives; resources elsewhere are not this fleet's. Ignored for IAM.
  std::string partition = "aws", region, account;
  // Whether ${iot:ClientId} is chosen by the device. nullopt: decide it from the documents given
  // (pinned when they allow Connect on no client id but the device's own, or only with
  // iot:Connection.Thing.IsAttached). A caller that knows every policy attached beside these
  // passes what it decided across all of them.
  std::optional<bool> client_id_chosen_by_device;
  // Work budget per question (product states visited); past it the policy is "not decided".
  size_t max_states = 200'000;
};

// Where a statement is: document index in the span given, statement index in that document.
struct StatementRef {
  uint32_t document = 0;
  uint32_t statement = 0;  // 0-based index in the document's Statement list
  std::string sid;         // empty when the statement has none
};
// "policy MyPolicy version 3 Statement[1] (Sid AllowShadow)"
std::string describe_statement(std::span<const PolicyDocumentRef> documents, const StatementRef& statement);

// ---------------------------------------------------------------------------------------------
// IOT_POLICY_OVERLY_PERMISSIVE_CHECK and the data-plane part of the IAM role checks.
struct BroadGrant {
  DataPlaneAction action;
  // A concrete resource ARN the device may use that belongs to another device (or the account).
  // Device-bound values read as the variable ("${iot:Connection.Thing.ThingName}").
  std::string witness;
  std::string why;               // "any thing's shadow", "another client id", ...
  std::string received_topic;    // Subscribe: a foreign topic the witness filter receives
  StatementRef granted_by;       // an Allow statement that admits the witness
};

struct BreadthVerdict {
  std::vector<BroadGrant> grants;  // catalogue order, one per broad action
  // Notes that qualify the verdict, e.g. an unknown policy variable read conservatively.
  std::vector<std::string> notes;
  // Set when some question exceeded its budget: the verdict is incomplete for those actions.
  std::optional<std::string> not_decided;
  DataPlaneActionSet undecided_actions = 0;
  bool client_id_chosen_by_device = false;  // as decided (or given)

  DataPlaneActionSet broad_actions() const;
  const BroadGrant* grant(DataPlaneAction action) const;
};

// The actions the Allow statements of `documents` (those that contribute) grant on another
// device's resources after every document's unconditional Deny statements.
BreadthVerdict evaluate_breadth(std::span<const PolicyDocumentRef> documents, const EvaluationContext& context);

// For an action `documents` grant broadly without the Deny statements of `others`, whether those
// Deny statements take back every foreign resource of the grant; if so the Deny statements that
// do (indexes are into `others`). nullopt: not taken back (or not decided).
std::optional<std::vector<StatementRef>> deny_takes_back(std::span<const PolicyDocumentRef> documents,
                                                         std::span<const PolicyDocumentRef> others,
                                                         DataPlaneAction action, const EvaluationContext& context);

// ---------------------------------------------------------------------------------------------
// IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK.
struct WildcardDeny {
  StatementRef deny;
  std::string resource;  // the pattern with a whole-level + or a trailing #
};
struct BypassedDeny {
  StatementRef deny;            // the Subscribe Deny the client goes around
  StatementRef allow;           // the Subscribe Allow it uses
  std::string filter;           // the filter it subscribes with (allowed, not denied)
  std::string topic;            // a topic that filter receives whose own filter the Deny denies,
                                // and on which iot:Receive is allowed and not denied
};
struct MisconfigurationVerdict {
  std::vector<WildcardDeny> wildcard_denies;
  std::vector<BypassedDeny> bypassed_denies;
  std::optional<std::string> not_decided;
};
MisconfigurationVerdict evaluate_misconfiguration(const PolicyDocumentRef& document, const EvaluationContext& context);

// ---------------------------------------------------------------------------------------------
// `fleetaudit access`.
// The concrete identity a question is asked for; empty values are unknown (read conservatively).
struct DeviceIdentity {
  std::string thing_name;
  std::string client_id;  // for actions other than Connect; empty: the thing name when pinned
};

struct AccessDecision {
  bool allowed = false;
  std::optional<StatementRef> allowed_by;  // the Allow that admits it (when allowed)
  std::optional<StatementRef> denied_by;   // the Deny that takes it back (when one matches)
  std::vector<std::string> notes;
};
// Whether the device may perform `action` on the concrete `resource` ARN.
AccessDecision decide_access(std::span<const PolicyDocumentRef> documents, const EvaluationContext& context,
                             DataPlaneAction action, std::string_view resource, const DeviceIdentity& device);

struct EffectivePermission {
  DataPlaneAction action;
  std::vector<std::string> allowed_patterns;  // Allow resource patterns, variables resolved
  std::vector<std::string> denied_patterns;   // unconditional Deny patterns subtracted
  bool not_resource_allow = false;            // an Allow uses NotResource (everything but …)
  std::optional<std::string> example;         // a shortest resource left after Deny
  std::optional<BroadGrant> foreign;          // a resource of another device left, if any
};
// Per action, what the device may reach after Deny (actions with nothing allowed are left out).
std::vector<EffectivePermission> effective_permissions(std::span<const PolicyDocumentRef> documents,
                                                       const EvaluationContext& context,
                                                       const DeviceIdentity& device);

}  // namespace fleetaudit::policy
