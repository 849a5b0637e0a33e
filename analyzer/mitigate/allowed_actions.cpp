#include "analyzer/mitigate/allowed_actions.h"

#include <algorithm>
#include <cstdint>

#include "analyzer/engine/check.h"

namespace fleetaudit {

namespace {

using Type = MitigationActionType;
constexpr uint8_t bit(Type type) { return static_cast<uint8_t>(1u << static_cast<unsigned>(type)); }
constexpr uint8_t kSns = bit(Type::publish_finding_to_sns);
constexpr uint8_t kDeviceCertificate =
    kSns | bit(Type::update_device_certificate) | bit(Type::add_things_to_thing_group);
constexpr uint8_t kCaCertificate = kSns | bit(Type::update_ca_certificate);
constexpr uint8_t kPolicy = kSns | bit(Type::replace_default_policy_version);
constexpr uint8_t kLogging = kSns | bit(Type::enable_iot_logging);

struct AllowedActions {
  std::string_view check_name;
  uint8_t types;
};

// The table of https://docs.aws.amazon.com/iot-device-defender/latest/devguide/dd-mitigation-actions.html.
// DEVICE_CERTIFICATE_AGE_CHECK is missing from AWS's table; it gets the device-certificate actions
// of the other device-certificate checks (an inference, documented in the README).
constexpr AllowedActions kAwsTable[] = {
    {"AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK", kSns},
    {"CA_CERTIFICATE_EXPIRING_CHECK", kCaCertificate},
    {"CA_CERTIFICATE_KEY_QUALITY_CHECK", kCaCertificate},
    {"CONFLICTING_CLIENT_IDS_CHECK", kSns},
    {"DEVICE_CERTIFICATE_AGE_CHECK", kDeviceCertificate},
    {"DEVICE_CERTIFICATE_EXPIRING_CHECK", kDeviceCertificate},
    {"DEVICE_CERTIFICATE_KEY_QUALITY_CHECK", kDeviceCertificate},
    {"DEVICE_CERTIFICATE_SHARED_CHECK", kDeviceCertificate},
    {"INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK", kDeviceCertificate},
    {"IOT_POLICY_OVERLY_PERMISSIVE_CHECK", kPolicy},
    {"IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK", kPolicy},
    {"IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK", kPolicy},  // the CDK's spelling
    {"IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK", kSns},
    {"IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK", kSns},
    {"LOGGING_DISABLED_CHECK", kLogging},
    {"REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK", kCaCertificate},
    {"REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK", kDeviceCertificate},
    {"UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK", kSns},
};

}  // namespace

std::vector<MitigationActionType> allowed_mitigation_actions(std::string_view check_name) {
  uint8_t types = 0;
  auto entry = std::find_if(std::begin(kAwsTable), std::end(kAwsTable),
                            [&](const AllowedActions& allowed) { return allowed.check_name == check_name; });
  if (entry != std::end(kAwsTable)) {
    types = entry->types;
  } else if (const CheckInfo* check = CheckRegistry::instance().find(check_name)) {
    for (std::string_view name : check->mitigation_actions)
      if (auto type = mitigation_action_type_from(name)) types |= bit(*type);
  }
  std::vector<MitigationActionType> result;
  for (MitigationActionType type : kAllMitigationActionTypes)
    if (types & bit(type)) result.push_back(type);
  return result;
}

}  // namespace fleetaudit
