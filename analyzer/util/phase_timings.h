#pragma once
// Wall time of each phase of a run (each file loaded, each check, the report), for --timings.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace fleetaudit {

class PhaseTimings {
 public:
  using Clock = std::chrono::steady_clock;

  // Records the time since `start` under `phase` and returns the current time, so that
  // consecutive phases chain: `start = timings.record("things.json", start);`.
  Clock::time_point record(std::string phase, Clock::time_point start) {
    Clock::time_point now = Clock::now();
    phases_.push_back({std::move(phase), std::chrono::duration<double, std::milli>(now - start).count()});
    return now;
  }
  // A phase that ran alongside the others: listed in parentheses, and left out of the total.
  void add_concurrent(std::string phase, double milliseconds) {
    phases_.push_back({std::move(phase), milliseconds, true});
  }
  // One line per phase, in the order they ran, then the total.
  void print(std::FILE* out) const;

 private:
  struct Phase {
    std::string name;
    double milliseconds;
    bool concurrent = false;
  };
  std::vector<Phase> phases_;
};

// Records into `timings` when it is not null; a no-op otherwise.
inline PhaseTimings::Clock::time_point record_phase(PhaseTimings* timings, std::string phase,
                                                    PhaseTimings::Clock::time_point start) {
  return timings ? timings->record(std::move(phase), start) : start;
}

}  // namespace fleetaudit
