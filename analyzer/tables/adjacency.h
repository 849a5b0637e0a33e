#pragma once
// Compressed sparse rows: the neighbours of row r are targets[offsets[r] .. offsets[r+1]).
#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace fleetaudit {

struct Adjacency {
  std::vector<uint32_t> offsets{0};
  std::vector<uint32_t> targets;

  size_t rows() const { return offsets.size() - 1; }
  std::span<const uint32_t> of(size_t row) const {
    return {targets.data() + offsets[row], targets.data() + offsets[row + 1]};
  }

  // Build from (row, target) pairs by counting sort: O(edges + rows), no per-row allocation.
  static Adjacency from_edges(size_t row_count, const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
    Adjacency result;
    result.offsets.assign(row_count + 1, 0);
    for (const auto& [row, target] : edges) ++result.offsets[row + 1];
    for (size_t r = 0; r < row_count; ++r) result.offsets[r + 1] += result.offsets[r];
    result.targets.resize(edges.size());
    std::vector<uint32_t> cursor(result.offsets.begin(), result.offsets.end() - 1);
    for (const auto& [row, target] : edges) result.targets[cursor[row]++] = target;
    return result;
  }
};

}  // namespace fleetaudit
