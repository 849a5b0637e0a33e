#include "analyzer/tables/snapshot.h"

#include "analyzer/policy/arn.h"

namespace fleetaudit {

const char* file_name(SnapshotFile file) {
  switch (file) {
    case SnapshotFile::manifest: return "manifest.json";
    case SnapshotFile::things: return "things.json";
    case SnapshotFile::thing_principals: return "thing-principals.json";
    case SnapshotFile::certificates: return "certificates.json";
    case SnapshotFile::ca_certificates: return "ca-certificates.json";
    case SnapshotFile::policies: return "policies.json";
    case SnapshotFile::policy_targets: return "policy-targets.json";
    case SnapshotFile::thing_groups: return "thing-groups.json";
    case SnapshotFile::logging_v1: return "logging-v1.json";
    case SnapshotFile::logging_v2: return "logging-v2.json";
    case SnapshotFile::audit_configuration: return "audit-configuration.json";
    case SnapshotFile::role_aliases: return "role-aliases.json";
    case SnapshotFile::iam_authorization_details: return "iam-authorization-details.json";
    case SnapshotFile::cognito_identity_pool_roles: return "cognito-identity-pool-roles.json";
    case SnapshotFile::iam_service_last_accessed: return "iam-service-last-accessed.json";
    case SnapshotFile::audit_suppressions: return "audit-suppressions.json";
    case SnapshotFile::iot_logs: return "iot-logs";
    case SnapshotFile::count: break;
  }
  return "";
}

std::optional<SnapshotFile> snapshot_file_named(std::string_view name) {
  if (name == "iot-logs/") name = "iot-logs";
  for (size_t i = 0; i < kSnapshotFileCount; ++i)
    if (name == file_name(static_cast<SnapshotFile>(i))) return static_cast<SnapshotFile>(i);
  return std::nullopt;
}

const char* to_string(CertificateStatus status) {
  switch (status) {
    case CertificateStatus::active: return "ACTIVE";
    case CertificateStatus::inactive: return "INACTIVE";
    case CertificateStatus::revoked: return "REVOKED";
    case CertificateStatus::pending_transfer: return "PENDING_TRANSFER";
    case CertificateStatus::register_inactive: return "REGISTER_INACTIVE";
    case CertificateStatus::pending_activation: return "PENDING_ACTIVATION";
  }
  return "";
}

std::optional<CertificateStatus> certificate_status_from(std::string_view text) {
  for (auto status : {CertificateStatus::active, CertificateStatus::inactive, CertificateStatus::revoked,
                      CertificateStatus::pending_transfer, CertificateStatus::register_inactive,
                      CertificateStatus::pending_activation})
    if (text == to_string(status)) return status;
  return std::nullopt;
}

std::pair<std::string_view, std::string_view> split_arn_text(std::string_view text) {
  // arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE/NAME: split after the type's '/'.
  const std::optional<policy::Arn> arn = policy::parse_arn(text);
  if (!arn || arn->resource.text.find('/') == std::string_view::npos || arn->resource_name().text.empty())
    return {{}, text};
  const size_t name_at = arn->resource_name().at;
  return {text.substr(0, name_at), text.substr(name_at)};
}

SplitArn intern_split_arn(StringInterner& strings, std::string_view text) {
  const auto [prefix, name] = split_arn_text(text);
  return {prefix.empty() ? kNoString : strings.intern(prefix), strings.intern(name)};
}

std::string_view arn_resource_type(const StringInterner& strings, SplitArn arn) {
  if (arn.prefix == kNoString) return {};
  const std::optional<policy::Arn> prefix = policy::parse_arn(strings.view(arn.prefix));  // "arn:…:ACCOUNT:TYPE/"
  return prefix ? prefix->resource_type().text : std::string_view{};
}

std::optional<LogLevel> log_level_from(std::string_view text) {
  if (text == "DEBUG") return LogLevel::debug;
  if (text == "INFO") return LogLevel::info;
  if (text == "ERROR") return LogLevel::error;
  if (text == "WARN") return LogLevel::warn;
  if (text == "DISABLED") return LogLevel::disabled;
  return std::nullopt;
}

}  // namespace fleetaudit
