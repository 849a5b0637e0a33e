#pragma once
// The in-memory snapshot: one columnar table per kind of resource, all strings interned.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/policy/statement_table.h"
#include "analyzer/tables/adjacency.h"
#include "analyzer/tables/iam_tables.h"
#include "analyzer/tables/string_interner.h"
#include "analyzer/util/time.h"
#include "analyzer/x509/certificate_facts.h"

namespace fleetaudit {

// The files a snapshot may hold; every one is optional.
enum class SnapshotFile : uint8_t {
  manifest,
  things,
  thing_principals,
  certificates,
  ca_certificates,
  policies,
  policy_targets,
  thing_groups,
  logging_v1,
  logging_v2,
  audit_configuration,
  role_aliases,
  iam_authorization_details,
  cognito_identity_pool_roles,
  iam_service_last_accessed,
  audit_suppressions,
  iot_logs,  // a folder: iot-logs/
  count
};
inline constexpr size_t kSnapshotFileCount = static_cast<size_t>(SnapshotFile::count);
const char* file_name(SnapshotFile file);

// Byte offset of each row's JSON object in its file, for pointing reports at the source.
using SourceOffsets = std::vector<uint64_t>;

enum class CertificateStatus : uint8_t {
  active,
  inactive,
  revoked,
  pending_transfer,
  register_inactive,
  pending_activation,
};
const char* to_string(CertificateStatus status);
std::optional<CertificateStatus> certificate_status_from(std::string_view text);
// The statuses AWS's certificate checks look at.
inline bool is_in_use(CertificateStatus status) {
  return status == CertificateStatus::active || status == CertificateStatus::pending_transfer;
}

// The file a name of the format stands for ("iot-logs/" and "iot-logs" name the logs folder).
std::optional<SnapshotFile> snapshot_file_named(std::string_view name);

struct Manifest {
  int64_t format_version = 0;
  std::optional<EpochMillis> exported_at;
  StringId account_id = kNoString;
  StringId region = kNoString;
  // What fleetaudit-export says of its own work: false when it was interrupted or a call failed
  // (`error` says which); absent in a hand-made snapshot.
  std::optional<bool> complete;
  std::string export_error;
  // A file the manifest names, with the exporter's reason.
  struct Skipped {
    std::string file;
    std::string reason;
  };
  // Files the exporter could not or was told not to export ("access denied to …", "--skip").
  std::vector<Skipped> skipped;
  // Of an export that did not finish: files of which nothing was fetched (`missingFiles`), and
  // files fetched in part (`partialFiles`, kept for --resume, never in the snapshot).
  std::vector<Skipped> missing;
  std::vector<Skipped> partial;
};

struct CertificateTable {
  std::vector<StringId> certificate_id;
  std::vector<StringId> ca_certificate_id;  // kNoString when absent
  std::vector<CertificateStatus> status;
  std::vector<EpochMillis> creation_date;
  std::vector<EpochMillis> not_before;  // validity; kMissingTime when absent
  std::vector<EpochMillis> not_after;
  // Facts read from certificatePem while loading; the PEM itself is not kept. Empty when the
  // loader did not decode the PEMs (LoadOptions::device_certificate_pems).
  std::vector<x509::CertificateFacts> facts;
  // The DER of each certificate: kept for CA certificates only (few, and CRLs are verified with them).
  std::vector<std::string> der;
  SourceOffsets source;
  size_t size() const { return certificate_id.size(); }
};
inline constexpr EpochMillis kMissingTime = INT64_MIN;

// A principal or policy target ARN kept as two interned parts: "arn:aws:iot:REGION:ACCOUNT:cert/"
// and the name after the first '/' of the resource. The names are the certificate ids and group
// names other tables hold, so they are stored once and joins compare ids, not text. Anything
// else (a Cognito identity id, an ARN without '/') keeps prefix kNoString and all of its text
// in `name`.
struct SplitArn {
  StringId prefix = kNoString;
  StringId name = kNoString;
  bool operator==(const SplitArn&) const = default;
};
SplitArn intern_split_arn(StringInterner& strings, std::string_view text);
// The two texts intern_split_arn interns: (prefix, name); the prefix is empty when unsplit.
std::pair<std::string_view, std::string_view> split_arn_text(std::string_view text);
// The resource type of a split ARN ("cert", "thinggroup"), from its prefix; empty when unsplit.
std::string_view arn_resource_type(const StringInterner& strings, SplitArn arn);

// One row per (thing, principal) attachment, in file order.
struct ThingPrincipalTable {
  enum class Association : uint8_t { unspecified, exclusive_thing, non_exclusive_thing };
  std::vector<StringId> thing_name;
  std::vector<SplitArn> principal;  // certificate ARN or Cognito identity id, as exported
  std::vector<uint32_t> certificate_row;  // row in CertificateTable, or kNoRow
  std::vector<Association> association;
  SourceOffsets source;  // the thing's element
  size_t size() const { return thing_name.size(); }
};
inline constexpr uint32_t kNoRow = UINT32_MAX;

struct PolicyTable {
  std::vector<StringId> name;
  std::vector<StringId> arn;
  std::vector<StringId> default_version_id;
  SourceOffsets source;
  size_t size() const { return name.size(); }
};

// Every version of every policy; statements live in the statement table, contiguous per version.
struct PolicyVersionTable {
  std::vector<uint32_t> policy_row;
  std::vector<StringId> version_id;
  std::vector<uint8_t> is_default;
  std::vector<uint32_t> first_statement;
  std::vector<uint32_t> end_statement;
  SourceOffsets source;  // the policy element (default version) or the versions[] element
  size_t size() const { return policy_row.size(); }
};

struct PolicyTargetTable {
  std::vector<StringId> policy_name;
  std::vector<SplitArn> target;  // certificate ARN, thing-group ARN or Cognito identity id
  SourceOffsets source;
  size_t size() const { return policy_name.size(); }
};

struct ThingGroupMembershipTable {
  std::vector<StringId> thing_name;
  std::vector<StringId> group_name;
  std::vector<StringId> group_arn;
  SourceOffsets source;
  size_t size() const { return thing_name.size(); }
};

enum class LogLevel : uint8_t { debug, info, error, warn, disabled };
std::optional<LogLevel> log_level_from(std::string_view text);

struct LoggingV1 {
  StringId role_arn = kNoString;
  std::optional<LogLevel> level;
};

struct LoggingV2 {
  bool configured = false;  // false: the file holds {} (NotConfiguredException)
  StringId role_arn = kNoString;
  std::optional<LogLevel> default_level;
  bool disable_all_logs = false;
};

struct CheckConfigurationEntry {
  std::string check_name;
  bool enabled = false;
  std::vector<std::pair<std::string, std::string>> parameters;
  uint64_t source = 0;
};

struct AuditConfiguration {
  std::vector<CheckConfigurationEntry> checks;
};

// One audit suppression (list-audit-suppressions), from the snapshot or --suppressions.
struct AuditSuppression {
  std::string check_name;
  std::string identifier_member;  // the ResourceIdentifier member, e.g. "deviceCertificateId"
  std::string identifier_value;   // its value; for policyVersionIdentifier the policy name
  std::string policy_version_id;  // policyVersionIdentifier only
  std::optional<EpochMillis> expiration;
  bool indefinitely = false;
  std::string description;
  std::string source_file;  // where it was read, for messages
  uint32_t source_line = 0;
  uint32_t source_column = 0;
};

// Connection events from AWS IoT v2 logs (iot-logs/), only the ones the log checks read.
struct ConnectionEventTable {
  enum class Kind : uint8_t { connect, disconnect };
  std::vector<Kind> kind;
  std::vector<EpochMillis> time;
  std::vector<StringId> client_id;
  std::vector<StringId> principal;          // principalId: a certificate id for X.509 clients
  std::vector<uint8_t> succeeded;           // status Success
  std::vector<uint8_t> duplicate_client_id;  // disconnectReason DUPLICATE_CLIENTID
  size_t size() const { return kind.size(); }
};

// One certificate revocation list from the snapshot's crls/ folder that could be read and whose signature
// verified against a CA certificate in ca-certificates.json.
struct RevocationList {
  std::string file;                  // "crls/NAME"
  x509::Digest16 issuer_digest{};    // SHA-256 of the issuer Name DER, first 16 bytes
  x509::ShortBytes issuer_key_id;    // subject key identifier of the CA whose key verified it
  uint32_t ca_row = UINT32_MAX;      // that CA, in ca_certificates
  EpochMillis next_update = INT64_MIN;  // INT64_MIN when absent
  std::vector<x509::ShortBytes> revoked_serials;  // sorted; INTEGER content octets as in certificates
  bool revokes(const x509::ShortBytes& serial) const;
  // True when this list is the one the issuer of a certificate with these facts publishes.
  bool covers(const x509::CertificateFacts& facts) const;
};

// What of one snapshot file could not be read. The checks that read a file with gaps are
// "incomplete"; those that need a file nothing of which could be used are "not run".
struct InputGaps {
  uint64_t records_read = 0;        // records (array elements) read whole, as the loader counted them
  uint64_t records_unreadable = 0;  // records with an error: left out, or read only in part
  bool file_problem = false;        // an error outside any record: malformed JSON, wrong top level, cut off
  std::string first_problem;        // the first error, rendered (file:line:column: path: message)
  // Set when nothing of the file could be used; `present` is then false, and the checks that need
  // the file are not run with this reason, under this auditDetails errorCode.
  std::string unreadable_reason;
  std::string error_code;
  bool skipped_by_exporter = false;  // not exported, as manifest.json says: not an input error
  bool any() const { return records_unreadable > 0 || file_problem || !unreadable_reason.empty(); }
};
// auditDetails errorCode of a file present but unusable.
inline constexpr std::string_view kInputUnreadable = "INPUT_UNREADABLE";

struct Snapshot {
  std::string directory;
  std::array<bool, kSnapshotFileCount> present{};  // file existed and could be read
  std::array<InputGaps, kSnapshotFileCount> gaps{};

  StringInterner strings;
  Manifest manifest;
  // things.json is validated but not kept: no check reads it.
  CertificateTable certificates;
  CertificateTable ca_certificates;
  ThingPrincipalTable thing_principals;
  PolicyTable policies;
  PolicyVersionTable policy_versions;
  policy::PolicyStatementTable policy_statements;
  PolicyTargetTable policy_targets;
  ThingGroupMembershipTable thing_groups;
  std::optional<LoggingV1> logging_v1;
  std::optional<LoggingV2> logging_v2;
  std::optional<AuditConfiguration> audit_configuration;
  IamTables iam;
  std::vector<AuditSuppression> suppressions;
  ConnectionEventTable connection_events;
  std::optional<std::vector<RevocationList>> crls;  // absent: the snapshot has no crls/ folder

  // Indexes, built once after loading.
  std::vector<uint32_t> certificate_row_by_id;  // indexed by StringId of the certificate id
  Adjacency things_by_certificate;             // certificate row -> thing-name StringIds (distinct)

  bool has(SnapshotFile file) const { return present[static_cast<size_t>(file)]; }
  const InputGaps& gaps_of(SnapshotFile file) const { return gaps[static_cast<size_t>(file)]; }
  // Nothing of `file` can be used (it did not parse, or the exporter could not read it: `reason`
  // says which): the checks that need it are not run, with the reason; an audit with such a file
  // exits with status 2. `error_code` goes to auditDetails (e.g. "INSUFFICIENT_PERMISSIONS").
  void mark_unreadable(SnapshotFile file, std::string reason, std::string_view error_code = kInputUnreadable) {
    InputGaps& entry = gaps[static_cast<size_t>(file)];
    entry.unreadable_reason = std::move(reason);
    entry.error_code = std::string(error_code);
    present[static_cast<size_t>(file)] = false;
  }
  std::string_view text(StringId id) const { return id == kNoString ? std::string_view{} : strings.view(id); }
  std::string text(SplitArn arn) const { return std::string(text(arn.prefix)).append(text(arn.name)); }
};

// The row in snapshot.certificates of the certificate with this id, or kNoRow.
inline uint32_t certificate_row_of(const Snapshot& snapshot, StringId certificate_id) {
  return certificate_id < snapshot.certificate_row_by_id.size() ? snapshot.certificate_row_by_id[certificate_id]
                                                                 : kNoRow;
}

}  // namespace fleetaudit
