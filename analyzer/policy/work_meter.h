#pragma once
// The work one policy's questions may spend, shared by every automaton built to answer them and
// charged where the work happens (each pattern position stored, compared or advanced, each DFA
// move built), so that no input shape can make a policy cost more than its budget: a policy with
// many actions, many statements or many Deny resources is bounded as a whole, not per question.
// Counted in steps, not seconds, so the same input gets the same answer on every machine.
#include <algorithm>
#include <cstdint>
#include <string>

namespace fleetaudit::policy {

// Measured on the two-core CI machine: 100 M steps take 0.5-0.7 s; the demo's and the fixtures'
// policies take at most 16,119 steps each.
inline constexpr uint64_t kPolicyWorkSteps = 40'000'000;
// A policy document past AWS's size limits (it cannot have been deployed as written) gets less.
inline constexpr uint64_t kOversizedPolicyWorkSteps = 4'000'000;
// What every policy of a check may spend together; past it each policy still gets the floor, three
// times what the largest ordinary policy needs, so a file of thousands of pathological policies
// costs at most the total plus the floor for each.
inline constexpr uint64_t kCheckWorkSteps = 50'000'000;
inline constexpr uint64_t kPolicyWorkFloor = 50'000;

class WorkMeter {
public:
  explicit WorkMeter(uint64_t limit = kPolicyWorkSteps) : limit_(limit) {}

  // Adds `steps`; false once more than the limit has been spent.
  bool spend(uint64_t steps) {
    used_ += steps;
    return used_ <= limit_;
  }
  bool exhausted() const { return used_ > limit_; }
  uint64_t used() const { return used_; }
  uint64_t limit() const { return limit_; }
  // Why a question was not decided once the meter ran out.
  std::string reason() const { return "more than " + std::to_string(limit_) + " steps of work for the policy"; }

private:
  uint64_t used_ = 0;
  uint64_t limit_;
};

// Hands each policy of one check its meter: the per-policy limit while the check's total lasts,
// then the floor.
class CheckWorkBudget {
public:
  explicit CheckWorkBudget(uint64_t total = kCheckWorkSteps) : left_(total) {}
  WorkMeter next(uint64_t policy_limit = kPolicyWorkSteps) const {
    return WorkMeter(std::max(kPolicyWorkFloor, std::min(policy_limit, left_)));
  }
  void spent(const WorkMeter& meter) { left_ -= std::min(left_, meter.used()); }

private:
  uint64_t left_;
};

}  // namespace fleetaudit::policy
