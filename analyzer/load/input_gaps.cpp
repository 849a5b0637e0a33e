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
void note_files_not_exported(Snapshot& snapshot) {
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
  note_files_not_exported(snapshot);
}

}  // namespace fleetaudit
