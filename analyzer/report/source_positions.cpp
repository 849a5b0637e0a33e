#include "analyzer/report/source_positions.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "analyzer/load/byte_source.h"

namespace fleetaudit {

namespace {

constexpr uint64_t kNoNewline = UINT64_MAX;

// What one stretch of a file holds: its newlines, and for each wanted offset in it the newlines
// before the offset and the last of them, all counted from the stretch's start.
struct Stretch {
  uint64_t begin = 0, end = 0;
  std::vector<uint64_t> offsets;  // sorted, within [begin, end]
  uint64_t newlines = 0;
  uint64_t last_newline = kNoNewline;
  std::vector<std::pair<uint64_t, uint64_t>> at_offsets;  // (newlines before, last newline before)

  // Reads a block at a time rather than mapped: a mapped multi-GB file would count whole in the
  // process's resident memory once scanned.
  void scan(const ByteSource& source) {
    constexpr size_t kBlockBytes = size_t{1} << 20;
    auto block = std::make_unique<char[]>(kBlockBytes);
    size_t next_offset = 0;
    for (uint64_t block_start = begin; block_start < end;) {
      const size_t size = source.read(block_start, block.get(), static_cast<size_t>(std::min<uint64_t>(kBlockBytes, end - block_start)));
      if (size == 0) break;
      const char* data = block.get();
      uint64_t cursor = block_start;
      auto count_to = [&](uint64_t stop) {  // newlines in [cursor, stop)
        while (cursor < stop) {
          const void* newline = std::memchr(data + (cursor - block_start), '\n', static_cast<size_t>(stop - cursor));
          if (newline == nullptr) {
            cursor = stop;
            return;
          }
          last_newline = block_start + static_cast<uint64_t>(static_cast<const char*>(newline) - data);
          ++newlines;
          cursor = last_newline + 1;
        }
      };
      for (; next_offset < offsets.size() && offsets[next_offset] < block_start + size; ++next_offset) {
        count_to(offsets[next_offset]);
        at_offsets.emplace_back(newlines, last_newline);
      }
      count_to(block_start + size);
      block_start += size;
    }
    while (at_offsets.size() < offsets.size()) at_offsets.emplace_back(newlines, last_newline);  // past a short read
  }
};

}  // namespace

const TextPosition* SourcePositions::find(Where where) const {
  auto at = std::lower_bound(where_.begin(), where_.end(), where);
  if (at == where_.end() || *at != where) return nullptr;
  const TextPosition& position = position_[static_cast<size_t>(at - where_.begin())];
  return position.line == 0 ? nullptr : &position;
}

SourcePositions locate_findings(const std::string& snapshot_directory, const AuditReport& report,
                                unsigned stretches_wanted) {
  SourcePositions positions;
  for (const CheckRun& run : report.runs)
    for (size_t i = 0; i < run.findings.size(); ++i)
      if (const SourceLocation location = run.findings.location(i); location.file != SnapshotFile::count)
        positions.where_.emplace_back(location.file, location.offset);
  std::sort(positions.where_.begin(), positions.where_.end());
  positions.where_.erase(std::unique(positions.where_.begin(), positions.where_.end()), positions.where_.end());
  positions.position_.assign(positions.where_.size(), TextPosition{0, 0});  // line 0: not located
  const unsigned threads = stretches_wanted > 0 ? stretches_wanted : std::max(1u, std::thread::hardware_concurrency());
  const uint64_t min_stretch_bytes = stretches_wanted > 0 ? 1 : uint64_t{1} << 20;
  for (size_t first = 0, end = 0; first < positions.where_.size(); first = end) {
    const SnapshotFile file = positions.where_[first].first;
    for (end = first; end < positions.where_.size() && positions.where_[end].first == file;) ++end;
    std::string error;
    // Re-read for positions only: inside the snapshot, as it was loaded.
    const ReadBoundary boundary = ReadBoundary::around(snapshot_directory, "the snapshot directory");
    auto source = ByteSource::open_file(snapshot_directory + "/" + file_name(file), error, &boundary);
    if (!source) continue;  // reported without a region
    std::vector<uint64_t> offsets;
    for (size_t i = first; i < end; ++i)
      if (positions.where_[i].second <= source->size()) offsets.push_back(positions.where_[i].second);
    if (offsets.empty()) continue;
    // The bytes up to the last offset are split into one stretch per core, scanned in parallel,
    // then their counts chained.
    const uint64_t span = offsets.back() + 1;
    std::vector<Stretch> stretches(std::min<uint64_t>(threads, span / min_stretch_bytes + 1));
    for (size_t i = 0; i < stretches.size(); ++i) {
      stretches[i].begin = span * i / stretches.size();
      stretches[i].end = span * (i + 1) / stretches.size();
    }
    size_t stretch = 0;
    for (uint64_t offset : offsets) {
      while (offset >= stretches[stretch].end) ++stretch;
      stretches[stretch].offsets.push_back(offset);
    }
    std::vector<std::thread> helpers;
    for (size_t i = 1; i < stretches.size(); ++i) helpers.emplace_back([&, i] { stretches[i].scan(*source); });
    stretches[0].scan(*source);
    for (std::thread& helper : helpers) helper.join();

    uint64_t newlines_before = 0, last_newline_before = kNoNewline;
    size_t located = 0;
    for (const Stretch& part : stretches) {
      for (size_t i = 0; i < part.offsets.size(); ++i) {
        const auto [newlines, last_newline] = part.at_offsets[i];
        const uint64_t line_newline = last_newline != kNoNewline ? last_newline : last_newline_before;
        const uint64_t line_start = line_newline == kNoNewline ? 0 : line_newline + 1;
        // The offsets of this file are where_[first, end) in the same order, those in range first.
        positions.position_[first + located++] = TextPosition{static_cast<uint32_t>(1 + newlines_before + newlines),
                                                              static_cast<uint32_t>(part.offsets[i] - line_start) + 1};
      }
      newlines_before += part.newlines;
      if (part.last_newline != kNoNewline) last_newline_before = part.last_newline;
    }
  }
  return positions;
}

}  // namespace fleetaudit
