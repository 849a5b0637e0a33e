#pragma once
// The SARIF 2.1.0 log every fleetaudit SARIF report is written in: `audit` (one snapshot, or an
// organization's runs), its baseline drift (results and notifications of the same runs) and `lint`.
#include <string_view>
#include <vector>

#include "analyzer/engine/check.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// {"$schema": …, "version": "2.1.0", "runs": [ — the runs follow, then end_sarif_log.
void begin_sarif_log(JsonWriter& json);
void end_sarif_log(JsonWriter& json);
// A run's "tool": fleetaudit's driver with `rules` (a result's ruleIndex is into this list).
void write_sarif_tool(JsonWriter& json, const std::vector<const CheckInfo*>& rules);
// A run's "originalUriBaseIds": %SRCROOT%, which every relative artifact URI is under (described).
void write_sarif_source_root(JsonWriter& json, std::string_view description);

}  // namespace fleetaudit
