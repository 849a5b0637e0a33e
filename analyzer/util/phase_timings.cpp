#include "analyzer/util/phase_timings.h"

#include <fmt/format.h>

namespace fleetaudit {

void PhaseTimings::print(std::FILE* out) const {
  double total = 0;
  for (const Phase& phase : phases_) total += phase.concurrent ? 0 : phase.milliseconds;
  fmt::print(out, "fleetaudit: timings (wall milliseconds):\n");
  for (const Phase& phase : phases_) {
    if (phase.concurrent) fmt::print(out, "  ({:>8.1f}) {}\n", phase.milliseconds, phase.name);
    else fmt::print(out, "  {:>10.1f}  {}\n", phase.milliseconds, phase.name);
  }
  fmt::print(out, "  {:>10.1f}  total\n", total);
}

}  // namespace fleetaudit
