#pragma once
// What a mitigation plan is written as: the plan for review (JSON), a summary for a person, the
// AWS CLI script an operator runs, and a preview snapshot with the plan applied.
#include <cstdio>
#include <optional>
#include <string>

#include "analyzer/mitigate/mitigation_plan.h"

namespace fleetaudit {

// The plan as JSON: every execution with its status, reason and changes.
void write_plan_json(const MitigationPlan& plan, std::FILE* out);
// Per action: executions pending and skipped, and how many resources it touches.
void write_plan_summary(const MitigationPlan& plan, std::FILE* out);
// A bash script of AWS CLI calls that performs the plan; a dry run unless given --execute.
void write_plan_script(const MitigationPlan& plan, const std::string& snapshot_directory, std::FILE* out);
// Copies the snapshot into `output_directory` (which must not exist or be empty) and rewrites the
// files the plan changes. Only regular files and directories are copied: a symbolic link to a
// regular file inside the snapshot is copied as that file, any other link (out of the snapshot, to a
// directory, dangling, a loop) is not followed but named in `skipped` ("name: why"); a FIFO, socket or
// device is an error that names it. Returns a message when it cannot.
std::optional<std::string> write_mitigated_snapshot(const MitigationPlan& plan, const std::string& snapshot_directory,
                                                    const std::string& output_directory,
                                                    std::vector<std::string>& skipped);

}  // namespace fleetaudit
