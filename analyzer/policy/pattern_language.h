#pragma once
// Exact questions about the resources a set of statements admits.
//
// A statement's resource list is a regular language: the union of its patterns (Resource), or the
// complement of that union (NotResource). The question "which strings of the scope does some Allow
// statement admit and no Deny statement admit" is decided by running every pattern of every
// statement at once, as one automaton whose states are sets of pattern positions, in product with
// the scope's DFA, breadth-first. Only reachable states are built, so a policy of thousands of
// statements costs what its patterns share, and the first accepting state gives a shortest witness.
// The work is bounded: past the budget the answer is "too complex", never a guess.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analyzer/policy/pattern_alphabet.h"
#include "analyzer/policy/pattern_automaton.h"
#include "analyzer/policy/work_meter.h"

namespace fleetaudit::policy {

// One statement's Resource (or NotResource) list.
struct StatementLanguage {
  std::vector<ResourcePattern> patterns;
  bool complement = false;  // NotResource: every string no pattern matches
};

struct WorkBudget {
  size_t max_states = 200'000;        // product states built
  size_t max_positions = 8'000'000;  // pattern positions stored over all states (4 bytes each)
  size_t max_steps = 100'000'000;     // pattern positions advanced, stored or compared (without a meter)
};

enum class LanguageAnswer : uint8_t {
  empty,        // no string of the scope is allowed and not denied: a proof
  found,        // witness holds a shortest one
  too_complex,  // the budget ran out; reason says which part
};

struct WitnessResult {
  LanguageAnswer answer = LanguageAnswer::empty;
  std::vector<Symbol> witness;
  uint32_t allowed_by = 0;  // index into `allowed` of a statement that admits the witness
  std::string reason;       // too_complex: what ran out
  size_t states = 0;        // product states built (for tests and benchmarks)
};

// A shortest string of `scope` that some statement of `allowed` admits and none of `denied` does.
// Every pattern's literals must be mentioned in `alphabet`, and `scope` built over it. The work is
// charged to `meter` (the policy's, shared with its other questions) as it is done; without one,
// the question has `budget.max_steps` of its own.
WitnessResult find_allowed_not_denied(const Alphabet& alphabet, std::span<const StatementLanguage> allowed,
                                      std::span<const StatementLanguage> denied, const Dfa& scope,
                                      const WorkBudget& budget = {}, WorkMeter* meter = nullptr);

// For each Allow, whether some resource is left once every Deny is taken away (found: some,
// empty: nothing, too_complex: undecided); for each Deny, whether it overlaps the Allows (it takes
// something away). The alphabet and the automaton of every string are set up here, over all the
// statements' patterns; the work is charged to `meter`.
struct AllowDenyVerdicts {
  std::vector<LanguageAnswer> left_of_allow;
  std::vector<uint8_t> deny_overlaps;
};
AllowDenyVerdicts allow_deny_verdicts(std::span<const StatementLanguage> allowed,
                                      std::span<const StatementLanguage> denied, WorkMeter* meter);

// Whether a statement admits a concrete symbol string (a direct match, for witnesses and tests).
bool statement_admits(const Alphabet& alphabet, const StatementLanguage& statement, std::span<const Symbol> text);
bool pattern_matches(const Alphabet& alphabet, const ResourcePattern& pattern, std::span<const Symbol> text);

}  // namespace fleetaudit::policy
