#include "analyzer/util/phase_timings.h"

#include <fmt/format.h>

namespace fleetaudit {

void PhaseTimings::print(std::FILE* out) const {
  double total = 0;
  for (const Phase& phase : phases_) total += phase.milliseconds;
  fmt::print(out, "fleetaudit: timings (wall milliseconds):\n");
  for (const Phase& phase : phases_) fmt::print(out, "  {:>10.1f}  {}\n", phase.milliseconds, phase.name);
  fmt::print(out, "  {:>10.1f}  total\n", total);
}

}  // namespace fleetaudit
