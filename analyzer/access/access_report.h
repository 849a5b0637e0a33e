#pragma once
// `fleetaudit access` output: text for a person (snapshot names escaped) and JSON (shape in
// README.md, "Access queries"). Both sorted, so equal snapshots give equal output.
#include <cstdio>
#include <string>

#include "analyzer/access/access_query.h"

namespace fleetaudit::access {

void write_thing_text(const Snapshot& snapshot, const ThingPermissions& permissions, std::FILE* out);
void write_thing_json(const Snapshot& snapshot, const ThingPermissions& permissions, std::FILE* out);

void write_resource_text(const Snapshot& snapshot, policy::DataPlaneAction action, const std::string& resource,
                         const ResourceAccess& access, std::FILE* out);
void write_resource_json(const Snapshot& snapshot, policy::DataPlaneAction action, const std::string& resource,
                         const ResourceAccess& access, std::FILE* out);

}  // namespace fleetaudit::access
