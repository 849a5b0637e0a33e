#pragma once
// Small automata over an Alphabet's symbols: a Thompson NFA to write languages with, and the
// complete DFA it determinizes to. Used for the fixed languages of a question (whose resources are
// foreign, what an MQTT filter receives), which stay small; the policy patterns themselves are run
// by the lazy product in pattern_language.h.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "analyzer/policy/pattern_alphabet.h"
#include "analyzer/policy/work_meter.h"

namespace fleetaudit::policy {

// A complete DFA: every state has a move on every symbol (state 0 may be a dead sink).
class Dfa {
public:
  Dfa(size_t symbol_count, size_t state_count);

  size_t state_count() const { return accepting_.size(); }
  size_t symbol_count() const { return symbol_count_; }
  uint32_t start() const { return 0; }
  uint32_t next(uint32_t state, Symbol symbol) const { return next_[state * symbol_count_ + symbol]; }
  bool accepting(uint32_t state) const { return accepting_[state] != 0; }
  // Whether some string leads from `state` to an accepting state.
  bool live(uint32_t state) const { return live_[state] != 0; }

  void set_next(uint32_t state, Symbol symbol, uint32_t target) { next_[state * symbol_count_ + symbol] = target; }
  void set_accepting(uint32_t state) { accepting_[state] = 1; }
  void compute_live();

  // A shortest accepted string, trying symbols in `order`; nullopt when the language is empty.
  std::optional<std::vector<Symbol>> shortest(std::span<const Symbol> order) const;
  bool accepts(std::span<const Symbol> symbols) const;

  // The same language read from `state` on (its reachable part, renumbered from 0).
  Dfa restarted(uint32_t state) const;
  // The state reached from the start by `symbols`.
  uint32_t run(std::span<const Symbol> symbols) const;

  // Products (both over the same alphabet); nullopt past `max_states` or once `meter` runs out.
  static std::optional<Dfa> intersect(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter = nullptr);
  static std::optional<Dfa> unite(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter = nullptr);
  static std::optional<Dfa> subtract(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter = nullptr);

private:
  template <class Keep>
  static std::optional<Dfa> product(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter, Keep&& keep);

  size_t symbol_count_;
  std::vector<uint32_t> next_;
  std::vector<uint8_t> accepting_;
  std::vector<uint8_t> live_;
};

// Languages written with Thompson's construction. A Fragment is a piece with one entry and one
// exit; each fragment is used in exactly one bigger piece.
class Nfa {
public:
  struct Fragment {
    uint32_t entry = 0, exit = 0;
  };

  explicit Nfa(const Alphabet& alphabet) : alphabet_(alphabet) {}

  Fragment one_of(const SymbolSet& symbols);
  Fragment symbol(Symbol symbol);
  Fragment text(std::string_view literal);
  Fragment empty_string();
  Fragment sequence(std::initializer_list<Fragment> parts);
  Fragment either(std::initializer_list<Fragment> choices);
  Fragment any_number(Fragment repeated);   // zero or more
  Fragment at_least_one(Fragment repeated);
  Fragment optional(Fragment maybe);

  // Subset construction; nullopt past `max_states` or once `meter` runs out (each NFA state of each
  // subset and each move is charged as it is built).
  std::optional<Dfa> determinize(Fragment language, size_t max_states, WorkMeter* meter = nullptr) const;
  const Alphabet& alphabet() const { return alphabet_; }

private:
  uint32_t add_state();
  void closure(std::vector<uint32_t>& states) const;

  const Alphabet& alphabet_;
  std::vector<std::vector<uint32_t>> epsilon_;                     // by state
  std::vector<std::vector<std::pair<Symbol, uint32_t>>> moves_;  // by state
};

}  // namespace fleetaudit::policy
