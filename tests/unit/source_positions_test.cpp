// locate_findings gives every finding of the demo the line and column its record starts at,
// however many stretches the files are split into for reading in parallel.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "analyzer/load/snapshot_loader.h"
#include "analyzer/report/source_positions.h"
#include "tests/test_support.h"

namespace fleetaudit {
namespace {

TEST(SourcePositions, SameLinesAndColumnsForAnyNumberOfStretches) {
  const std::string directory = testing::source_dir() + "/fixtures/demo";
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  ASSERT_FALSE(load_snapshot(directory, *snapshot, diagnostics).has_value());
  const AuditReport report = run_audit(*snapshot, {}, std::move(diagnostics));

  // Counted here the plain way: the line is one plus the newlines before the offset.
  std::map<SourcePositions::Where, TextPosition> expected;
  for (const CheckRun& run : report.runs)
    for (const Finding& finding : run.findings) {
      if (finding.location.file == SnapshotFile::count) continue;
      const std::string text = testing::read_file(directory + "/" + file_name(finding.location.file));
      ASSERT_LE(finding.location.offset, text.size());
      TextPosition position;
      for (uint64_t i = 0; i < finding.location.offset; ++i) {
        ++position.column;
        if (text[i] == '\n') ++position.line, position.column = 1;
      }
      expected[{finding.location.file, finding.location.offset}] = position;
    }
  ASSERT_GE(expected.size(), 3u);

  for (unsigned stretches : {1u, 2u, 3u, 7u, 1000u}) {
    const SourcePositions located = locate_findings(directory, report, stretches);
    ASSERT_EQ(located.size(), expected.size()) << stretches;
    for (const auto& [where, position] : expected) {
      const TextPosition* found = located.find(where);
      ASSERT_NE(found, nullptr) << where.second;
      EXPECT_EQ(found->line, position.line) << stretches << " stretches, offset " << where.second;
      EXPECT_EQ(found->column, position.column) << stretches << " stretches, offset " << where.second;
    }
  }
}

}  // namespace
}  // namespace fleetaudit
