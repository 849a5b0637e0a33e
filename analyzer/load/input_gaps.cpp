#include "analyzer/load/input_gaps.h"

#include <fmt/format.h>

#include <optional>
#include <set>

namespace fleetaudit {

namespace {

// The snapshot file a diagnostic is about: its name, or a file inside iot-logs/.
std::optional<SnapshotFile> file_of(const std::string& name) {
  for (size_t i = 0; i < kSnapshotFileCount; ++i) {
    const std::string_view file = file_name(static_cast<SnapshotFile>(i));
    if (name == file) return static_cast<SnapshotFile>(i);
  }
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
}

}  // namespace fleetaudit
