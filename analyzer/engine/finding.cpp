#include "analyzer/engine/finding.h"

namespace fleetaudit {

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::critical: return "CRITICAL";
    case Severity::high: return "HIGH";
    case Severity::medium: return "MEDIUM";
    case Severity::low: return "LOW";
  }
  return "";
}

const char* to_string(ResourceType type) {
  switch (type) {
    case ResourceType::device_certificate: return "DEVICE_CERTIFICATE";
    case ResourceType::ca_certificate: return "CA_CERTIFICATE";
    case ResourceType::iot_policy: return "IOT_POLICY";
    case ResourceType::cognito_identity_pool: return "COGNITO_IDENTITY_POOL";
    case ResourceType::client_id: return "CLIENT_ID";
    case ResourceType::account_settings: return "ACCOUNT_SETTINGS";
    case ResourceType::role_alias: return "ROLE_ALIAS";
    case ResourceType::iam_role: return "IAM_ROLE";
    case ResourceType::issuer_certificate: return "ISSUER_CERTIFICATE";
  }
  return "";
}

const char* ResourceIdentifier::member_name() const {
  switch (kind) {
    case Kind::device_certificate_id: return "deviceCertificateId";
    case Kind::ca_certificate_id: return "caCertificateId";
    case Kind::cognito_identity_pool_id: return "cognitoIdentityPoolId";
    case Kind::client_id: return "clientId";
    case Kind::policy_version: return "policyVersionIdentifier";
    case Kind::account: return "account";
    case Kind::iam_role_arn: return "iamRoleArn";
    case Kind::role_alias_arn: return "roleAliasArn";
  }
  return "";
}

std::string ResourceIdentifier::key() const {
  std::string out = member_name();
  out += '=';
  out += value;
  if (kind == Kind::policy_version) {
    out += '@';
    out += version_id;
  }
  return out;
}

}  // namespace fleetaudit
