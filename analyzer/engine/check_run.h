#pragma once
// Running one check as `audit` does: the parameters it runs with, what decides its verdict before it
// runs (disabled, its inputs), the run itself, and what its result makes of the verdict. `audit`
// runs every check this way over a snapshot, `lint` the template-decidable ones over the snapshot a
// template declares.
#include <functional>
#include <optional>
#include <string_view>

#include "analyzer/engine/audit.h"

namespace fleetaudit {

// The value of `parameter` written as `text`: a whole number within its bounds, else none.
std::optional<int64_t> parameter_value(const CheckParameter& parameter, std::string_view text);

// The configuration's entry for `check` (by name or alias); null when it has none.
const CheckConfigurationEntry* configuration_entry(const AuditConfiguration& configuration, const CheckInfo& check);

// Every parameter `check` declares: the entry's valid value, else the default.
std::vector<std::pair<std::string_view, int64_t>> resolve_parameters(const CheckInfo& check,
                                                                     const CheckConfigurationEntry* entry);

// A run of `check` with its parameters, its verdict decided already when the configuration
// (`configuration_source` names it) disables it or its inputs leave it not run. True when the
// check is to run; an incomplete input's reason is kept in the run for its verdict.
bool prepare_check_run(const CheckInfo& check, const Snapshot& snapshot, const AuditConfiguration* configuration,
                       std::string_view configuration_source, CheckRun& run);

// Runs the check of a prepared run on `snapshot`; its findings sorted by resource.
CheckResult run_check(const CheckRun& run, const Snapshot& snapshot, EpochMillis clock,
                      const x509::WeakKeyBlocklist& weak_keys);

// The run's verdict from its result: status, findings, why it is not run or incomplete, and the
// error code. `suppress` (may be empty) marks the suppressed findings before the verdict is taken.
void settle_check_run(CheckRun& run, CheckResult& result, const std::function<void(CheckRun&)>& suppress);

}  // namespace fleetaudit
