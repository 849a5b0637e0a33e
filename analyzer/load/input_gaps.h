#pragma once
// After loading: what of each snapshot file could not be read, from the problems reported on it.
#include "analyzer/tables/snapshot.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit {

// Fills snapshot.gaps from the errors in `diagnostics` (records are told apart by the index in
// their JSON path), and marks unusable every file of which no record could be read.
void note_input_gaps(Snapshot& snapshot, const Diagnostics& diagnostics);

}  // namespace fleetaudit
