#pragma once
// Which statements apply to an action: the one place that says a conditional Deny counts for
// nothing. Every evaluator (IoT policies, IAM roles, the misconfiguration check, access, lint)
// asks here.
#include <cstdint>
#include <vector>

#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

// Whether a statement naming the action takes part in deciding it. Every Allow does (one with a
// Condition is reported as allowed if its Condition holds). A Deny does only without a Condition:
// the snapshot cannot tell whether a Condition holds when a device makes the request, and a Deny
// credited when it may not apply would hide the access it leaves: "a Deny takes this back" is said
// only when it is proved. So a conditional Deny counts for nothing.
constexpr bool takes_part(uint8_t flags) {
  return (flags & kStatementDeny) == 0 || (flags & kStatementHasCondition) == 0;
}

// Calls visit(statement) for each statement of [first, end), in order, that names the action
// (`names_action(statement)`, the caller's matcher: action bits, globs or a request) and takes part.
template <class NamesAction, class Visit>
void for_each_applicable(const PolicyStatementTable& statements, uint32_t first, uint32_t end,
                         NamesAction&& names_action, Visit&& visit) {
  for (uint32_t statement = first; statement < end; ++statement)
    if (takes_part(statements.flags(statement)) && names_action(statement)) visit(statement);
}

// The statements of [first, end) that apply to the action: the Allows naming it and the
// unconditional Denies naming it, in order.
template <class NamesAction>
std::vector<uint32_t> applicable(const PolicyStatementTable& statements, uint32_t first, uint32_t end,
                                 NamesAction&& names_action) {
  std::vector<uint32_t> rows;
  for_each_applicable(statements, first, end, names_action, [&](uint32_t statement) { rows.push_back(statement); });
  return rows;
}

}  // namespace fleetaudit::policy
