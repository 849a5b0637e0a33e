#include "analyzer/tables/adjacency.h"

#include <gtest/gtest.h>

#include <random>

namespace fleetaudit {
namespace {

std::vector<uint32_t> targets_of(const Adjacency& adjacency, size_t row) {
  auto span = adjacency.of(row);
  return {span.begin(), span.end()};
}

TEST(Adjacency, RowsKeepTheirEdgesInOrderAndEmptyRowsAreEmpty) {
  const Adjacency adjacency = Adjacency::from_edges(5, {{3, 30}, {1, 10}, {3, 31}, {4, 40}, {1, 11}, {3, 32}});
  ASSERT_EQ(adjacency.rows(), 5u);
  EXPECT_EQ(targets_of(adjacency, 0), std::vector<uint32_t>{});
  EXPECT_EQ(targets_of(adjacency, 1), (std::vector<uint32_t>{10, 11}));
  EXPECT_EQ(targets_of(adjacency, 2), std::vector<uint32_t>{});
  EXPECT_EQ(targets_of(adjacency, 3), (std::vector<uint32_t>{30, 31, 32}));
  EXPECT_EQ(targets_of(adjacency, 4), std::vector<uint32_t>{40});
  EXPECT_EQ(adjacency.offsets, (std::vector<uint32_t>{0, 0, 2, 2, 5, 6}));
}

TEST(Adjacency, NoEdgesAndNoRows) {
  EXPECT_EQ(Adjacency::from_edges(3, {}).offsets, (std::vector<uint32_t>{0, 0, 0, 0}));
  const Adjacency none = Adjacency::from_edges(0, {});
  EXPECT_EQ(none.rows(), 0u);
  EXPECT_TRUE(none.targets.empty());
}

// Against the obvious construction: a vector per row, edges appended in order.
TEST(Adjacency, MatchesPerRowListsOnRandomEdges) {
  std::mt19937 random(3);
  for (size_t rows : {1u, 7u, 100u, 1000u}) {
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    std::vector<std::vector<uint32_t>> expected(rows);
    for (uint32_t i = 0; i < 5 * rows; ++i) {
      const uint32_t row = random() % rows;
      edges.emplace_back(row, i);
      expected[row].push_back(i);
    }
    const Adjacency adjacency = Adjacency::from_edges(rows, edges);
    ASSERT_EQ(adjacency.rows(), rows);
    for (size_t row = 0; row < rows; ++row) EXPECT_EQ(targets_of(adjacency, row), expected[row]) << row;
  }
}

}  // namespace
}  // namespace fleetaudit
