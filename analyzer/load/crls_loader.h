#pragma once
// Loading the snapshot's crls/ folder (after ca-certificates.json, whose certificates verify the lists).
#include <string>

#include "analyzer/tables/snapshot.h"
#include "analyzer/util/diagnostics.h"

namespace fleetaudit {

// Sets snapshot.crls when `directory` exists; unreadable, unverifiable lists are reported and skipped.
void load_crls(const std::string& directory, Snapshot& snapshot, Diagnostics& diagnostics);

}  // namespace fleetaudit
