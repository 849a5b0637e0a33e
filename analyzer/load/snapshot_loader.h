#pragma once
#include <optional>
#include <string>

#include "analyzer/tables/snapshot.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit {

// Loads every snapshot file found in `directory` into `snapshot`; problems in the files go to
// `diagnostics`. Returns a message when the directory itself is unusable (missing, not a
// directory, holding no snapshot file): that is a usage error, not an input problem.
std::optional<std::string> load_snapshot(const std::string& directory, Snapshot& snapshot, Diagnostics& diagnostics);

// Builds the indexes the rules share (certificate by id, things by certificate).
void build_indexes(Snapshot& snapshot, Diagnostics& diagnostics);

}  // namespace fleetaudit
