#pragma once
// One loader per snapshot file. Each fills its table in `snapshot`, reports problems to
// `file`, and returns false when the file could not be read to its end.
#include "analyzer/load/record_reader.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::load {

bool load_manifest(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_things(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_thing_principals(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_certificates(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
// certificates.json without decoding the PEMs: for audits where no check reads them.
bool load_certificates_without_pems(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_ca_certificates(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_policies(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_policy_targets(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_thing_groups(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_logging_v1(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_logging_v2(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_audit_configuration(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_role_aliases(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_iam_authorization_details(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_cognito_identity_pool_roles(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
bool load_iam_service_last_accessed(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);

// After every file is loaded: resolves the role ARNs of identity pools and role aliases to IAM
// roles, reporting each one the IAM details do not describe.
void link_iam_roles(Snapshot& snapshot, Diagnostics& diagnostics);
bool load_audit_suppressions(FileReader& file, ondemand::parser& parser, Snapshot& snapshot);
// iot-logs/: every *.json ({"events": [...]}), *.jsonl and *.gz file in the folder, in name
// order. False (reported) when iot-logs is not a readable folder: then no log was read.
bool load_iot_logs(const std::string& folder, Snapshot& snapshot, Diagnostics& diagnostics);

}  // namespace fleetaudit::load
