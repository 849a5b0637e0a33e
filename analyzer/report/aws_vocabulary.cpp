#include "analyzer/report/aws_vocabulary.h"

namespace fleetaudit {

std::string_view aws_partition(std::string_view region) {
  if (region.starts_with("cn-")) return "aws-cn";
  if (region.starts_with("us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string_view security_hub_resource_type(ResourceType type) {
  // AwsIamRole is one of Security Hub's own types; the IoT ones follow Device Defender's AwsIotPolicy.
  switch (type) {
    case ResourceType::device_certificate: return "AwsIotCertificate";
    case ResourceType::ca_certificate: return "AwsIotCaCertificate";
    case ResourceType::iot_policy: return "AwsIotPolicy";
    case ResourceType::cognito_identity_pool: return "AwsCognitoIdentityPool";
    case ResourceType::client_id: return "AwsIotClientId";
    case ResourceType::account_settings: return "AwsAccount";
    case ResourceType::role_alias: return "AwsIotRoleAlias";
    case ResourceType::iam_role: return "AwsIamRole";
    case ResourceType::issuer_certificate: return "AwsIotIssuerCertificate";
  }
  return "Other";
}

std::string resource_display_name(const ResourceIdentifier& resource) {
  if (resource.kind == ResourceIdentifier::Kind::policy_version) return resource.value + ":" + resource.version_id;
  return resource.value;
}

std::string_view cut_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace fleetaudit
