// libFuzzer entry: the first byte picks a snapshot file kind, the rest is that file's bytes.
// Every loader must report problems, never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "analyzer/engine/audit.h"
#include "analyzer/engine/check_inputs.h"
#include "analyzer/load/input_gaps.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/snapshot_loader.h"

using namespace fleetaudit;

namespace {
using Loader = bool (*)(load::FileReader&, load::ondemand::parser&, Snapshot&);
constexpr Loader kLoaders[] = {
    load::load_manifest,       load::load_things,      load::load_thing_principals, load::load_certificates,
    load::load_ca_certificates, load::load_policies,   load::load_policy_targets,   load::load_thing_groups,
    load::load_logging_v1,     load::load_logging_v2,  load::load_audit_configuration,
    load::load_role_aliases,   load::load_iam_authorization_details, load::load_cognito_identity_pool_roles,
    load::load_iam_service_last_accessed, load::load_audit_suppressions,
};
// The file each loader reads, in the same order.
constexpr SnapshotFile kFiles[] = {
    SnapshotFile::manifest,        SnapshotFile::things,          SnapshotFile::thing_principals,
    SnapshotFile::certificates,    SnapshotFile::ca_certificates, SnapshotFile::policies,
    SnapshotFile::policy_targets,  SnapshotFile::thing_groups,    SnapshotFile::logging_v1,
    SnapshotFile::logging_v2,      SnapshotFile::audit_configuration, SnapshotFile::role_aliases,
    SnapshotFile::iam_authorization_details, SnapshotFile::cognito_identity_pool_roles,
    SnapshotFile::iam_service_last_accessed, SnapshotFile::audit_suppressions,
};
static_assert(sizeof kFiles / sizeof kFiles[0] == sizeof kLoaders / sizeof kLoaders[0]);

// "Incomplete is never compliant": when the loader reported an error in the file, no check that
// reads the file may call itself compliant.
void audit_never_calls_a_flagged_file_compliant(Loader loader, SnapshotFile kind, const ByteSource& bytes) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  const std::string name(file_name(kind));
  load::FileReader reader(name, bytes, diagnostics, 1 << 20);
  static load::ondemand::parser parser;
  loader(reader, parser, *snapshot);
  snapshot->present[static_cast<size_t>(kind)] = true;
  snapshot->gaps[static_cast<size_t>(kind)].records_read = reader.records_read();
  build_indexes(*snapshot, diagnostics);
  diagnostics.sort();
  note_input_gaps(*snapshot, diagnostics);
  bool flagged = false;
  for (const Diagnostic& diagnostic : diagnostics.items())
    flagged |= diagnostic.severity == DiagnosticSeverity::error && diagnostic.file == name;
  if (!flagged) return;
  const AuditReport report = run_audit(*snapshot, AuditOptions{}, std::move(diagnostics));
  for (const CheckRun& run : report.runs) {
    if (run.status != CheckStatus::compliant) continue;
    for (SnapshotFile file : files_read(*run.check))
      if (file == kind) __builtin_trap();
  }
}


// What one load produced, as text: the rows of every table the loaders fill, and the problems.
std::string load_once(Loader loader, const ByteSource& bytes, size_t window_bytes) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  load::FileReader reader("fuzz.json", bytes, diagnostics, window_bytes);
  static load::ondemand::parser parser;
  loader(reader, parser, *snapshot);
  build_indexes(*snapshot, diagnostics);
  const Snapshot& s = *snapshot;
  std::string out = std::to_string(s.strings.size()) + " " + std::to_string(s.certificates.size()) + " " +
                    std::to_string(s.ca_certificates.size()) + " " + std::to_string(s.thing_principals.size()) + " " +
                    std::to_string(s.policy_versions.size()) + " " + std::to_string(s.policy_statements.size()) + " " +
                    std::to_string(s.policy_targets.size()) + " " + std::to_string(s.thing_groups.size()) + "\n";
  for (StringId id = 0; id < s.strings.size(); ++id) out.append(s.strings.view(id)).push_back('\n');
  for (const Diagnostic& diagnostic : diagnostics.items()) out += diagnostic.render() + "\n";
  return out;
}
}  // namespace

// Each input is loaded three ways that must agree: windows read in place, the same source read
// again (the in-place edits must all have been undone), and windows copied out.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t which = data[0] % (sizeof kLoaders / sizeof kLoaders[0]);
  const Loader loader = kLoaders[which];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  // Small windows, so that the fuzzer also explores records cut across windows.
  const size_t window_bytes = 64 + data[0] * 7;
  const ByteSource in_place = ByteSource::from_bytes(text);
  const std::string first = load_once(loader, in_place, window_bytes);
  if (load_once(loader, in_place, window_bytes) != first) __builtin_trap();
  const ByteSource copied = ByteSource::from_bytes(text, ByteSource::Windows::copied);
  if (load_once(loader, copied, window_bytes) != first) __builtin_trap();
  audit_never_calls_a_flagged_file_compliant(loader, kFiles[which], in_place);
  return 0;
}
