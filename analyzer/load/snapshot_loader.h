#pragma once
#include <optional>
#include <string>

#include "analyzer/tables/snapshot.h"
#include "analyzer/util/diagnostics.h"
#include "analyzer/util/phase_timings.h"

namespace fleetaudit {

// Loads every snapshot file found in `directory` into `snapshot`; problems in the files go to
// `diagnostics`. Returns a message when the directory itself is unusable (missing, not a
// directory, holding no snapshot file): that is a usage error, not an input problem.
struct LoadOptions {
  // Record files are read this many bytes at a time (rounded to whole records).
  size_t window_bytes = size_t{1} << 20;  // measured: smaller peaks lower, no slower than 32 MiB
  PhaseTimings* timings = nullptr;        // when set, each file's load time is recorded
  // False when no check will read device certificates' PEM facts: the PEMs are then not decoded
  // (nor checked), only the JSON around them.
  bool device_certificate_pems = true;
};

std::optional<std::string> load_snapshot(const std::string& directory, Snapshot& snapshot, Diagnostics& diagnostics,
                                         const LoadOptions& options = {});

// Builds the indexes the rules share (certificate by id, things by certificate).
void build_indexes(Snapshot& snapshot, Diagnostics& diagnostics);

}  // namespace fleetaudit
