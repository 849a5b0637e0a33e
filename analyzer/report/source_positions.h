#pragma once
// Line and column of findings' source offsets, counted only for the files that have findings.
#include <map>
#include <utility>

#include "analyzer/engine/audit.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit {

using SourcePositions = std::map<std::pair<SnapshotFile, uint64_t>, TextPosition>;

// Re-reads each file that a finding points into, once, counting newlines up to the offsets; a
// large file is read in stretches, one per core (or `stretches` when given, for tests).
SourcePositions locate_findings(const std::string& snapshot_directory, const AuditReport& report,
                                unsigned stretches = 0);

}  // namespace fleetaudit
