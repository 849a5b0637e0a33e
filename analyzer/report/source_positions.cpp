#include "analyzer/report/source_positions.h"

#include <cstring>
#include <memory>
#include <set>

#include "analyzer/load/byte_source.h"

namespace fleetaudit {

SourcePositions locate_findings(const std::string& snapshot_directory, const AuditReport& report) {
  std::map<SnapshotFile, std::set<uint64_t>> wanted;
  for (const CheckRun& run : report.runs)
    for (const Finding& finding : run.findings)
      if (finding.location.file != SnapshotFile::count) wanted[finding.location.file].insert(finding.location.offset);

  SourcePositions positions;
  // Read a block at a time rather than mapped: a mapped multi-GB file would count whole in the
  // process's resident memory once scanned.
  constexpr size_t kBlockBytes = size_t{1} << 20;
  auto block = std::make_unique<char[]>(kBlockBytes);
  for (const auto& [file, offsets] : wanted) {
    std::string error;
    auto source = ByteSource::open_file(snapshot_directory + "/" + file_name(file), error);
    if (!source) continue;  // reported without a region
    // One forward sweep over the sorted offsets.
    uint64_t block_start = 0;
    size_t block_size = 0;
    uint64_t cursor = 0;      // newlines before this offset are counted
    uint64_t line_start = 0;  // offset of the first byte of the current line
    uint32_t line = 1;
    for (uint64_t offset : offsets) {
      if (offset > source->size()) break;
      while (cursor < offset) {
        if (cursor >= block_start + block_size) {
          block_start = cursor;
          block_size = source->read(block_start, block.get(), kBlockBytes);
          if (block_size == 0) break;
        }
        const char* from = block.get() + (cursor - block_start);
        const size_t span = static_cast<size_t>(std::min(offset, block_start + block_size) - cursor);
        const void* newline = std::memchr(from, '\n', span);
        if (newline == nullptr) {
          cursor += span;
          continue;
        }
        cursor = block_start + static_cast<uint64_t>(static_cast<const char*>(newline) - block.get()) + 1;
        line_start = cursor;
        ++line;
      }
      positions[{file, offset}] = TextPosition{line, static_cast<uint32_t>(offset - line_start) + 1};
    }
  }
  return positions;
}

}  // namespace fleetaudit
