#pragma once
// Handing a command's large results to process exit instead of freeing them.
#include <type_traits>
#include <utility>

namespace fleetaudit {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// The command returns, and the process ends, right after its report is written: freeing a
// million-thing snapshot and its findings string by string takes longer than most checks, and the
// kernel reclaims the memory at once. Sanitizer builds free as usual, so leak checks still see
// everything the program allocates and forgets.
template <typename T>
void leave_for_exit(T&& value) {
  if constexpr (!kSanitizedBuild) new std::decay_t<T>(std::forward<T>(value));  // NOLINT: intended
}

}  // namespace fleetaudit
