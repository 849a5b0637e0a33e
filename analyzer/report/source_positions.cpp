#include "analyzer/report/source_positions.h"

#include <cstring>
#include <set>

#include "analyzer/load/mapped_file.h"

namespace fleetaudit {

SourcePositions locate_findings(const std::string& snapshot_directory, const AuditReport& report) {
  std::map<SnapshotFile, std::set<uint64_t>> wanted;
  for (const CheckRun& run : report.runs)
    for (const Finding& finding : run.findings)
      if (finding.location.file != SnapshotFile::count) wanted[finding.location.file].insert(finding.location.offset);

  SourcePositions positions;
  for (const auto& [file, offsets] : wanted) {
    std::string error;
    auto bytes = MappedFile::open(snapshot_directory + "/" + file_name(file), error);
    if (!bytes) continue;  // reported without a region
    // One forward sweep over the sorted offsets.
    TextPosition position;
    const char* data = bytes->data();
    uint64_t cursor = 0, line_start = 0;
    for (uint64_t offset : offsets) {
      if (offset > bytes->size()) break;
      while (cursor < offset) {
        const void* newline = std::memchr(data + cursor, '\n', offset - cursor);
        if (newline == nullptr) {
          cursor = offset;
          break;
        }
        cursor = static_cast<uint64_t>(static_cast<const char*>(newline) - data) + 1;
        line_start = cursor;
        ++position.line;
      }
      position.column = static_cast<uint32_t>(offset - line_start) + 1;
      positions[{file, offset}] = position;
    }
  }
  return positions;
}

}  // namespace fleetaudit
