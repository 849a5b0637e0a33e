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

  // Build from (row, target) pairs by counting sort: O(edges + rows), no per-row allocation, and
  // each row's targets in the order of its edges. offsets[r] first counts row r's edges, then marks
  // where the row ends, and once each edge (taken from the back) has stepped it back a place, where
  // it starts: no second array of cursors, which at a million rows is fresh pages to fault in.
  static Adjacency from_edges(size_t row_count, const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
    Adjacency result;
    result.offsets.assign(row_count + 1, 0);
    for (const auto& [row, target] : edges) ++result.offsets[row];
    uint32_t total = 0;
    for (uint32_t& offset : result.offsets) total = offset += total;
    result.targets.resize(edges.size());
    for (auto edge = edges.rbegin(); edge != edges.rend(); ++edge)
      result.targets[--result.offsets[edge->first]] = edge->second;
    return result;
  }
};

}  // namespace fleetaudit
