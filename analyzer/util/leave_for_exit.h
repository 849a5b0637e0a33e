#pragma once
// Handing a command's large results to process exit instead of freeing them.
#include <type_traits>
#include <utility>

#include "analyzer/util/sanitized_build.h"

namespace fleetaudit {

// The command returns, and the process ends, right after its report is written: freeing a
// million-thing snapshot and its findings string by string takes longer than most checks, and the
// kernel reclaims the memory at once. Sanitizer builds free as usual, so leak checks still see
// everything the program allocates and forgets.
template <typename T>
void leave_for_exit(T&& value) {
  if constexpr (!kSanitizedBuild) new std::decay_t<T>(std::forward<T>(value));  // NOLINT: intended
}

}  // namespace fleetaudit
