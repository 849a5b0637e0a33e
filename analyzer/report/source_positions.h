#pragma once
// Line and column of findings' source offsets, counted only for the files that have findings.
#include <string>
#include <vector>
#include <utility>

#include "analyzer/engine/audit.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit {

// Line and column by (file, offset), in a sorted array: reports look up hundreds of thousands.
class SourcePositions {
 public:
  using Where = std::pair<SnapshotFile, uint64_t>;
  // nullptr when the offset was not located.
  const TextPosition* find(Where where) const;
  size_t size() const { return where_.size(); }

 private:
  friend SourcePositions locate_findings(const std::string&, const AuditReport&, unsigned);
  std::vector<Where> where_;  // sorted, distinct
  std::vector<TextPosition> position_;
};

// Re-reads each file that a finding points into, once, counting newlines up to the offsets; a
// large file is read in stretches, one per core (or `stretches` when given, for tests).
SourcePositions locate_findings(const std::string& snapshot_directory, const AuditReport& report,
                                unsigned stretches = 0);

}  // namespace fleetaudit
