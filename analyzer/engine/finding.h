#pragma once
// A non-compliant resource, shaped after Device Defender's AuditFinding.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/tables/snapshot.h"

namespace fleetaudit {

enum class Severity : uint8_t { critical, high, medium, low };
const char* to_string(Severity severity);

enum class ResourceType : uint8_t {
  device_certificate,
  ca_certificate,
  iot_policy,
  cognito_identity_pool,
  client_id,
  account_settings,
  role_alias,
  iam_role,
  issuer_certificate,
};
const char* to_string(ResourceType type);
// The resource type AWS reports name ("IOT_POLICY") as an enumerator; nullopt for another spelling
// (a report written by another fleetaudit).
std::optional<ResourceType> resource_type_named(std::string_view name);

// Exactly one member of AWS's ResourceIdentifier.
struct ResourceIdentifier {
  enum class Kind : uint8_t {
    device_certificate_id,
    ca_certificate_id,
    cognito_identity_pool_id,
    client_id,
    policy_version,  // policyVersionIdentifier {policyName, policyVersionId}
    account,
    iam_role_arn,
    role_alias_arn,
  };
  Kind kind;
  std::string value;       // the id, ARN, account, or the policy name
  std::string version_id;  // policy_version only

  // "deviceCertificateId=…", "policyVersionIdentifier=name@version": stable, for ids and tests.
  std::string key() const;
  const char* member_name() const;  // e.g. "deviceCertificateId"
};
// The identifier a key() string names (reports carry keys); nullopt when it names none.
std::optional<ResourceIdentifier> parse_resource_key(std::string_view key);
// Orders identifiers as their key() strings would order, without building them (<0, 0, >0).
int compare_keys(const ResourceIdentifier& a, const ResourceIdentifier& b);

using AdditionalInfo = std::vector<std::pair<std::string, std::string>>;

struct RelatedResource {
  ResourceType type;
  ResourceIdentifier identifier;
  AdditionalInfo additional_info;
};

struct SourceLocation {
  SnapshotFile file = SnapshotFile::count;  // count: no location
  uint64_t offset = 0;
};

// What a policy finding rests on, one statement at a time: typed, so that lint's spans, SARIF's
// locations and the message itself are all made from it and no room parses another's English.
struct StatementEvidence {
  enum class Kind : uint8_t {
    grants,         // an Allow grants `action` on `witness` (another device's resource) through `resource`
    takes_back,     // a Deny of `policy`, attached alongside, takes back what the finding's policy grants
    wildcard_deny,  // a Deny's `resource` holds an MQTT wildcard a policy reads literally
    bypassed_deny,  // a Subscribe Deny on `resource`, bypassed by subscribing to `witness` (receiving `topic`)
                    // through the Allow numbered `through`
  };
  Kind kind = Kind::grants;
  std::string policy;    // whose statement: empty for the finding's own policy version
  uint32_t number = 0;   // in its version's Statement list, from 1, as AWS's console numbers them
  std::string sid;       // the statement's Sid; empty when it has none
  std::string resource;  // the resource pattern that grants or denies; empty: none singled out (NotResource)
  std::string action;    // grants: e.g. "iot:Publish"
  std::string witness;   // grants: a resource it allows; bypassed_deny: the wider filter that bypasses
  std::string topic;     // bypassed_deny: a topic that filter receives (may be empty)
  uint32_t through = 0;  // bypassed_deny: the bypassing Allow's number, from 1
};

// A role an identity pool hands out, as a pool finding names it.
struct RoleEvidence {
  enum class Use : uint8_t { authenticated, unauthenticated, role_mapping };
  Use use = Use::authenticated;
  std::string role_arn;
  std::string provider;  // role_mapping: the identity provider
};

struct Evidence {
  std::vector<StatementEvidence> statements;
  std::vector<RoleEvidence> roles;
  bool empty() const { return statements.empty() && roles.empty(); }
};

// The evidence kinds as the JSON report spells them ("grants", "bypassedDeny", "roleMapping"), and
// back (nullopt: no such name), so that `merge` rebuilds the evidence a report's findings carried.
const char* to_string(StatementEvidence::Kind kind);
std::optional<StatementEvidence::Kind> statement_evidence_kind_named(std::string_view name);
const char* to_string(RoleEvidence::Use use);
std::optional<RoleEvidence::Use> role_evidence_use_named(std::string_view name);

// The evidence in the words of messages and additionalInfo: the one place they are spelled.
// "iot:Publish on ARN (statement 3, Sid \"X\")"
std::string example_text(const StatementEvidence& grant);
// "policy DenyAll statement 2 (Sid \"x\")"
std::string other_policy_statement_text(const StatementEvidence& statement);
// "statement 2 (arn:…/topicfilter/a/#)", and for a bypassed Deny what bypasses it.
std::string deny_text(const StatementEvidence& deny);
// "authenticated role ARN", "role-mapping role ARN (provider P)"
std::string role_text(const RoleEvidence& role);

struct Finding {
  ResourceType resource_type;
  ResourceIdentifier resource;
  std::string reason_code;
  std::string message;  // one line: what is wrong with which resource, and why
  AdditionalInfo additional_info;
  std::vector<RelatedResource> related;
  SourceLocation location;
  std::string logical_name;  // the resource's ARN or id, for SARIF logicalLocations
  Evidence evidence;
  bool suppressed = false;
  std::string suppression_description;  // the matching suppression's, when suppressed
};

// Test-only: a rewrite of every finding's words (its message and additionalInfo values) as each
// check hands its findings over, in audit and lint alike. The message-rename test rewords them all
// and shows that lint's spans, SARIF's locations and baseline matching do not move: no room
// reads a check's English back. Null (the default): the words stand.
using WordingRewrite = void (*)(Finding& finding);
void set_wording_rewrite_for_tests(WordingRewrite rewrite);
void apply_wording_rewrite(Finding& finding);

}  // namespace fleetaudit
