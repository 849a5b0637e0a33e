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

struct Finding {
  ResourceType resource_type;
  ResourceIdentifier resource;
  std::string reason_code;
  std::string message;  // one line: what is wrong with which resource, and why
  AdditionalInfo additional_info;
  std::vector<RelatedResource> related;
  SourceLocation location;
  std::string logical_name;  // the resource's ARN or id, for SARIF logicalLocations
  bool suppressed = false;
  std::string suppression_description;  // the matching suppression's, when suppressed
};

}  // namespace fleetaudit
