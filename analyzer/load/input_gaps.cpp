#include "analyzer/load/input_gaps.h"

#include <fmt/format.h>

#include <optional>
#include <set>

namespace fleetaudit {

namespace {

// The snapshot file a diagnostic is about: its name, or a file inside iot-logs/.
std::optional<SnapshotFile> file_of(const std::string& name) {
  if (auto file = snapshot_file_named(name)) return file;
  const std::string_view logs = file_name(SnapshotFile::iot_logs);
  if (name.size() > logs.size() && name.compare(0, logs.size(), logs) == 0 && name[logs.size()] == '/')
    return SnapshotFile::iot_logs;
  return std::nullopt;
}

// "certificateDescriptions[3]" of "certificateDescriptions[3].status"; empty outside any record.
std::string_view record_of(std::string_view json_path) {
  const size_t close = json_path.find(']');
  return close == std::string_view::npos ? std::string_view{} : json_path.substr(0, close + 1);
}

// A file the exporter lists as skipped, and that is not there: the checks that need it are not
// run, with the exporter's reason (not an input error: the snapshot says what it lacks and why).
void note_files_skipped(Snapshot& snapshot) {
  for (const Manifest::Skipped& skipped : snapshot.manifest.skipped) {
    const std::optional<SnapshotFile> file = snapshot_file_named(skipped.file);
    if (!file || snapshot.has(*file)) continue;
    InputGaps& gaps = snapshot.gaps[static_cast<size_t>(*file)];
    if (!gaps.unreadable_reason.empty()) continue;
    gaps.unreadable_reason = fmt::format("{} was not exported: {}", file_name(*file),
                                         skipped.reason.empty() ? "the exporter gives no reason" : skipped.reason);
    gaps.error_code = skipped.reason.rfind("access denied", 0) == 0 ? "INSUFFICIENT_PERMISSIONS" : "INPUT_MISSING";
    gaps.skipped_by_exporter = true;
  }
}

// The reason the manifest gives for `file` in `list`, if it lists it.
const Manifest::Skipped* listed(const std::vector<Manifest::Skipped>& list, SnapshotFile file) {
  for (const Manifest::Skipped& entry : list)
    if (snapshot_file_named(entry.file) == file) return &entry;
  return nullptr;
}

// An export that did not finish (complete: false) lacks what it did not fetch: a file it lists as
// missing or partial, or any file of the format it does not hold and did not skip, is an input
// problem (the checks that need it are not run, those that read it are incomplete), with the
// exporter's reason. A partial file that is there after all (not fleetaudit-export's doing: it
// publishes only whole files) is read, and the checks that read it are incomplete.
void note_files_not_finished(Snapshot& snapshot) {
  const Manifest& manifest = snapshot.manifest;
  if (manifest.complete != false && manifest.missing.empty() && manifest.partial.empty()) return;
  const std::string unfinished =
      "the export did not finish (manifest.json: complete is " +
      std::string(manifest.complete == false ? "false" : "not false, yet it lists files missing or partial") +
      (manifest.export_error.empty() ? ")" : ": " + manifest.export_error + ")");
  for (size_t i = 0; i < kSnapshotFileCount; ++i) {
    const SnapshotFile file = static_cast<SnapshotFile>(i);
    InputGaps& gaps = snapshot.gaps[i];
    if (file == SnapshotFile::manifest || gaps.skipped_by_exporter) continue;
    const Manifest::Skipped* missing = listed(manifest.missing, file);
    const Manifest::Skipped* partial = listed(manifest.partial, file);
    const Manifest::Skipped* entry = missing ? missing : partial;
    const std::string why = entry && !entry->reason.empty() ? entry->reason : unfinished;
    if (snapshot.has(file)) {
      if (!partial) continue;
      gaps.file_problem = true;
      if (gaps.first_problem.empty())
        gaps.first_problem = fmt::format("manifest.json lists {} as partial: {}", file_name(file), why);
      continue;
    }
    if (!gaps.unreadable_reason.empty() || (!entry && manifest.complete != false)) continue;
    gaps.unreadable_reason = fmt::format("{} was not exported{}: {}", file_name(file),
                                         partial ? " whole (only part of it was fetched)" : "", why);
    gaps.error_code = "INPUT_MISSING";
  }
}

}  // namespace

void note_input_gaps(Snapshot& snapshot, const Diagnostics& diagnostics) {
  std::array<std::set<std::string>, kSnapshotFileCount> bad_records;
  for (const Diagnostic& diagnostic : diagnostics.items()) {
    if (diagnostic.severity != DiagnosticSeverity::error) continue;
    const std::optional<SnapshotFile> file = file_of(diagnostic.file);
    if (!file) continue;
    InputGaps& gaps = snapshot.gaps[static_cast<size_t>(*file)];
    if (gaps.first_problem.empty()) gaps.first_problem = diagnostic.render();
    if (*file == SnapshotFile::iot_logs) {
      // A log problem is one line or event (with a line number), or a whole file or the folder.
      if (diagnostic.line > 0) ++gaps.records_unreadable;
      else gaps.file_problem = true;
      continue;
    }
    const std::string_view record = record_of(diagnostic.json_path);
    if (record.empty()) gaps.file_problem = true;
    else bad_records[static_cast<size_t>(*file)].emplace(record);
  }
  for (size_t i = 0; i < kSnapshotFileCount; ++i) {
    const SnapshotFile file = static_cast<SnapshotFile>(i);
    InputGaps& gaps = snapshot.gaps[i];
    gaps.records_unreadable += bad_records[i].size();
    // Log entries are not counted as they are read: a folder is never wholly unusable here.
    if (!snapshot.has(file) || !gaps.any() || gaps.records_read > 0 || file == SnapshotFile::iot_logs) continue;
    snapshot.mark_unreadable(file, fmt::format("nothing of {} could be read ({})", file_name(file), gaps.first_problem));
  }
  note_files_skipped(snapshot);
  note_files_not_finished(snapshot);
}

}  // namespace fleetaudit
