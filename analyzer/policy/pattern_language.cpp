#include "analyzer/policy/pattern_language.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace fleetaudit::policy {

namespace {

// Every pattern of every statement laid end to end. A position is "about to read token p" of its
// pattern; each pattern ends in an end position, which accepts. A group is one statement.
struct Positions {
  std::vector<PatternToken> token;  // by position (unused at end positions)
  std::vector<uint8_t> end;         // the pattern is complete here
  std::vector<uint8_t> universal;   // a trailing *: the pattern accepts every continuation
  std::vector<uint32_t> group;      // by position
  std::vector<uint32_t> starts;     // the start position of every pattern, in order
};

struct Group {
  bool deny = false;
  bool complement = false;
};

// What a set of active positions says about the strings read so far and their continuations.
struct Verdict {
  bool allowed = false, denied = false;
  bool allow_possible = false;  // some continuation may still be allowed
  bool denied_forever = false;  // every continuation is denied
};

class Product {
public:
  Product(const Alphabet& alphabet, std::span<const StatementLanguage> allowed,
          std::span<const StatementLanguage> denied, const Dfa& scope, const WorkBudget& budget, WorkMeter* meter);
  WitnessResult run();

private:
  void add_statement(const StatementLanguage& statement, bool deny);
  void add_closed(std::vector<uint32_t>& set, uint32_t position) const;
  Verdict judge(std::span<const uint32_t> set) const;
  uint32_t allowing_group(std::span<const uint32_t> set) const;
  std::span<const uint32_t> positions_of(uint32_t state) const {
    return {pool_.data() + offsets_[state], pool_.data() + offsets_[state + 1]};
  }
  // Adds (scope_state, set) unless present; returns its id, or UINT32_MAX when it was present.
  uint32_t intern(uint32_t scope_state, std::span<const uint32_t> set, uint64_t set_hash);
  bool out_of_budget(WitnessResult& result) const;
  WitnessResult found(uint32_t state);
  void successors(uint32_t state, std::vector<uint32_t>& every_symbol,
                  std::vector<std::pair<Symbol, uint32_t>>& by_symbol);

  const Alphabet& alphabet_;
  const Dfa& scope_;
  WorkBudget budget_;
  Positions positions_;
  std::vector<Group> groups_;
  size_t complement_allows_ = 0, complement_denies_ = 0;
  // Product states.
  std::vector<uint32_t> pool_;
  std::vector<uint64_t> offsets_{0};
  std::vector<uint32_t> scope_state_, parent_;
  std::vector<Symbol> via_;
  std::vector<uint64_t> hash_;
  std::vector<uint32_t> slots_;  // open addressing: state id + 1, 0 = free
  WorkMeter own_meter_;
  WorkMeter& meter_;
};

uint64_t mix(uint64_t hash, uint64_t value) {
  hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  return hash * 0xff51afd7ed558ccdULL;
}

uint64_t hash_set(std::span<const uint32_t> set) {
  uint64_t hash = set.size();
  for (uint32_t position : set) hash = mix(hash, position);
  return hash;
}

Product::Product(const Alphabet& alphabet, std::span<const StatementLanguage> allowed,
                 std::span<const StatementLanguage> denied, const Dfa& scope, const WorkBudget& budget,
                 WorkMeter* meter)
    : alphabet_(alphabet), scope_(scope), budget_(budget), own_meter_(budget.max_steps),
      meter_(meter != nullptr ? *meter : own_meter_) {
  for (const StatementLanguage& statement : allowed) add_statement(statement, false);
  for (const StatementLanguage& statement : denied) add_statement(statement, true);
}

void Product::add_statement(const StatementLanguage& statement, bool deny) {
  const uint32_t group = static_cast<uint32_t>(groups_.size());
  groups_.push_back({deny, statement.complement});
  if (statement.complement) ++(deny ? complement_denies_ : complement_allows_);
  for (const ResourcePattern& pattern : statement.patterns) {
    positions_.starts.push_back(static_cast<uint32_t>(positions_.token.size()));
    for (size_t i = 0; i < pattern.size(); ++i) {
      const bool trailing_run = i + 1 == pattern.size() && pattern[i].kind == PatternTokenKind::any_run;
      positions_.token.push_back(pattern[i]);
      positions_.end.push_back(0);
      positions_.universal.push_back(trailing_run ? 1 : 0);
      positions_.group.push_back(group);
    }
    positions_.token.push_back({});
    positions_.end.push_back(1);
    positions_.universal.push_back(0);
    positions_.group.push_back(group);
  }
}

// A * may also match nothing: being before it is being after it too.
void Product::add_closed(std::vector<uint32_t>& set, uint32_t position) const {
  set.push_back(position);
  while (!positions_.end[position] && positions_.token[position].kind == PatternTokenKind::any_run)
    set.push_back(++position);
}

// Positions of one group are contiguous in a sorted set, so one pass sees each group once.
Verdict Product::judge(std::span<const uint32_t> set) const {
  Verdict verdict;
  size_t complement_allows_matched = 0, complement_allows_stuck = 0;
  size_t complement_denies_matched = 0, complement_denies_present = 0;
  for (size_t at = 0; at < set.size();) {
    const uint32_t group = positions_.group[set[at]];
    bool matched = false, universal = false;
    for (; at < set.size() && positions_.group[set[at]] == group; ++at) {
      matched = matched || positions_.end[set[at]];
      universal = universal || positions_.universal[set[at]];
    }
    const Group& kind = groups_[group];
    if (!kind.deny && !kind.complement) {
      verdict.allowed = verdict.allowed || matched;
      verdict.allow_possible = true;
    } else if (!kind.deny) {
      complement_allows_matched += matched;
      complement_allows_stuck += universal;
    } else if (!kind.complement) {
      verdict.denied = verdict.denied || matched;
      verdict.denied_forever = verdict.denied_forever || universal;
    } else {
      complement_denies_matched += matched;
      ++complement_denies_present;
    }
  }
  // A NotResource statement matches when none of its patterns does.
  verdict.allowed = verdict.allowed || complement_allows_matched < complement_allows_;
  verdict.allow_possible = verdict.allow_possible || complement_allows_stuck < complement_allows_;
  verdict.denied = verdict.denied || complement_denies_matched < complement_denies_;
  verdict.denied_forever = verdict.denied_forever || complement_denies_present < complement_denies_;
  return verdict;
}

uint32_t Product::allowing_group(std::span<const uint32_t> set) const {
  std::vector<uint8_t> matched(groups_.size(), 0);
  for (uint32_t position : set)
    if (positions_.end[position]) matched[positions_.group[position]] = 1;
  for (uint32_t group = 0; group < groups_.size(); ++group)
    if (!groups_[group].deny && matched[group] != groups_[group].complement) return group;
  return 0;
}

uint32_t Product::intern(uint32_t scope_state, std::span<const uint32_t> set, uint64_t set_hash) {
  const uint64_t hash = mix(set_hash, scope_state);
  if ((scope_state_.size() + 1) * 2 > slots_.size()) {
    std::vector<uint32_t> grown(std::max<size_t>(64, slots_.size() * 2), 0);
    for (uint32_t state = 0; state < scope_state_.size(); ++state) {
      size_t slot = hash_[state] & (grown.size() - 1);
      while (grown[slot] != 0) slot = (slot + 1) & (grown.size() - 1);
      grown[slot] = state + 1;
    }
    slots_.swap(grown);
  }
  size_t slot = hash & (slots_.size() - 1);
  for (; slots_[slot] != 0; slot = (slot + 1) & (slots_.size() - 1)) {
    const uint32_t state = slots_[slot] - 1;
    meter_.spend(1);
    if (hash_[state] != hash || scope_state_[state] != scope_state) continue;
    const auto existing = positions_of(state);
    meter_.spend(set.size());
    if (std::equal(existing.begin(), existing.end(), set.begin(), set.end())) return UINT32_MAX;
  }
  const uint32_t state = static_cast<uint32_t>(scope_state_.size());
  meter_.spend(set.size());
  slots_[slot] = state + 1;
  pool_.insert(pool_.end(), set.begin(), set.end());
  offsets_.push_back(pool_.size());
  scope_state_.push_back(scope_state);
  hash_.push_back(hash);
  parent_.push_back(UINT32_MAX);
  via_.push_back(0);
  return state;
}

bool Product::out_of_budget(WitnessResult& result) const {
  if (scope_state_.size() > budget_.max_states) {
    result.reason = "more than " + std::to_string(budget_.max_states) + " automaton states";
  } else if (pool_.size() > budget_.max_positions) {
    result.reason = "more than " + std::to_string(budget_.max_positions) + " stored pattern positions";
  } else if (meter_.exhausted()) {
    result.reason = &meter_ == &own_meter_ ? "more than " + std::to_string(budget_.max_steps) + " steps"
                                           : meter_.reason();
  } else {
    return false;
  }
  result.answer = LanguageAnswer::too_complex;
  result.states = scope_state_.size();
  return true;
}

WitnessResult Product::found(uint32_t state) {
  WitnessResult result;
  result.answer = LanguageAnswer::found;
  for (uint32_t at = state; parent_[at] != UINT32_MAX; at = parent_[at]) result.witness.push_back(via_[at]);
  std::reverse(result.witness.begin(), result.witness.end());
  result.allowed_by = allowing_group(positions_of(state));
  result.states = scope_state_.size();
  return result;
}

// The positions following `state`'s: those reached on every symbol (sorted, distinct) and those
// reached on one symbol only.
void Product::successors(uint32_t state, std::vector<uint32_t>& every_symbol,
                         std::vector<std::pair<Symbol, uint32_t>>& by_symbol) {
  every_symbol.clear();
  by_symbol.clear();
  for (uint32_t position : positions_of(state)) {
    if (positions_.end[position]) continue;
    const PatternToken& token = positions_.token[position];
    switch (token.kind) {
      case PatternTokenKind::any_run: add_closed(every_symbol, position); break;
      case PatternTokenKind::any_one: add_closed(every_symbol, position + 1); break;
      case PatternTokenKind::literal: by_symbol.emplace_back(alphabet_.of(token.literal), position + 1); break;
      case PatternTokenKind::self: by_symbol.emplace_back(alphabet_.self(), position + 1); break;
    }
  }
  meter_.spend(positions_of(state).size() + every_symbol.size() + by_symbol.size());
  std::sort(every_symbol.begin(), every_symbol.end());
  every_symbol.erase(std::unique(every_symbol.begin(), every_symbol.end()), every_symbol.end());
}

WitnessResult Product::run() {
  const size_t symbol_count = alphabet_.size();
  const std::vector<Symbol> search_order = alphabet_.search_order();
  std::vector<uint32_t> start;
  for (uint32_t position : positions_.starts) add_closed(start, position);
  std::sort(start.begin(), start.end());
  start.erase(std::unique(start.begin(), start.end()), start.end());
  WitnessResult result;
  if (!meter_.spend(start.size()) && out_of_budget(result)) return result;
  intern(scope_.start(), start, hash_set(start));
  {
    const Verdict verdict = judge(start);
    if (verdict.allowed && !verdict.denied && scope_.accepting(scope_.start())) return found(0);
  }

  std::vector<uint32_t> every_symbol, merged;
  std::vector<std::pair<Symbol, uint32_t>> by_symbol;
  std::vector<std::vector<uint32_t>> on_symbol(symbol_count);
  std::vector<uint8_t> has_own(symbol_count, 0);
  for (uint32_t state = 0; state < scope_state_.size(); ++state) {
    if (out_of_budget(result)) return result;
    successors(state, every_symbol, by_symbol);
    for (const auto& [symbol, position] : by_symbol) {
      if (!has_own[symbol]) on_symbol[symbol].clear();
      has_own[symbol] = 1;
      add_closed(on_symbol[symbol], position);
    }
    const uint64_t every_symbol_hash = hash_set(every_symbol);
    const Verdict every_symbol_verdict = judge(every_symbol);
    for (Symbol symbol : search_order) {
      const uint32_t scope_state = scope_.next(scope_state_[state], symbol);
      if (!scope_.live(scope_state)) continue;
      std::span<const uint32_t> next = every_symbol;
      uint64_t next_hash = every_symbol_hash;
      Verdict verdict = every_symbol_verdict;
      if (has_own[symbol]) {
        std::vector<uint32_t>& own = on_symbol[symbol];
        std::sort(own.begin(), own.end());
        merged.clear();
        std::set_union(every_symbol.begin(), every_symbol.end(), own.begin(), own.end(), std::back_inserter(merged));
        merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
        meter_.spend(2 * merged.size() + own.size());
        next = merged;
        next_hash = hash_set(merged);
        verdict = judge(merged);
      }
      if (!verdict.allow_possible || verdict.denied_forever) continue;
      const uint32_t added = intern(scope_state, next, next_hash);
      // Checked inside the state too: one state of a long pattern can cost millions of steps.
      if (meter_.exhausted() && out_of_budget(result)) return result;
      if (added == UINT32_MAX) continue;
      parent_[added] = state;
      via_[added] = symbol;
      if (verdict.allowed && !verdict.denied && scope_.accepting(scope_state)) return found(added);
    }
    for (const auto& [symbol, position] : by_symbol) has_own[symbol] = 0;
  }
  result.answer = LanguageAnswer::empty;
  result.states = scope_state_.size();
  return result;
}

}  // namespace

AllowDenyVerdicts allow_deny_verdicts(std::span<const StatementLanguage> allowed,
                                      std::span<const StatementLanguage> denied, WorkMeter* meter) {
  Alphabet alphabet;
  for (const auto languages : {allowed, denied})
    for (const StatementLanguage& language : languages)
      for (const ResourcePattern& pattern : language.patterns) alphabet.mention(pattern);
  Nfa nfa(alphabet);
  const std::optional<Dfa> everything = nfa.determinize(nfa.any_number(nfa.one_of(alphabet.all())), 16);
  AllowDenyVerdicts verdicts;
  for (const StatementLanguage& allow : allowed)
    verdicts.left_of_allow.push_back(
        find_allowed_not_denied(alphabet, std::span(&allow, 1), denied, *everything, {}, meter).answer);
  // A Deny overlaps the Allows when Allow minus (everything but the Deny) is not empty.
  for (const StatementLanguage& deny : denied) {
    StatementLanguage outside = deny;
    outside.complement = !outside.complement;
    verdicts.deny_overlaps.push_back(
        find_allowed_not_denied(alphabet, allowed, std::span(&outside, 1), *everything, {}, meter).answer !=
        LanguageAnswer::empty);
  }
  return verdicts;
}

WitnessResult find_allowed_not_denied(const Alphabet& alphabet, std::span<const StatementLanguage> allowed,
                                      std::span<const StatementLanguage> denied, const Dfa& scope,
                                      const WorkBudget& budget, WorkMeter* meter) {
  return Product(alphabet, allowed, denied, scope, budget, meter).run();
}

bool pattern_matches(const Alphabet& alphabet, const ResourcePattern& pattern, std::span<const Symbol> text) {
  // reach[i]: the pattern's first i tokens can match the text read so far.
  std::vector<uint8_t> reach(pattern.size() + 1, 0), next(pattern.size() + 1, 0);
  auto close = [&](std::vector<uint8_t>& set) {
    for (size_t i = 0; i < pattern.size(); ++i)
      if (set[i] && pattern[i].kind == PatternTokenKind::any_run) set[i + 1] = 1;
  };
  reach[0] = 1;
  close(reach);
  for (Symbol symbol : text) {
    std::fill(next.begin(), next.end(), 0);
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (!reach[i]) continue;
      const PatternToken& token = pattern[i];
      if (token.kind == PatternTokenKind::any_run) next[i] = 1;
      const bool one = token.kind == PatternTokenKind::any_one ||
                       (token.kind == PatternTokenKind::literal && alphabet.of(token.literal) == symbol) ||
                       (token.kind == PatternTokenKind::self && symbol == alphabet.self());
      if (one) next[i + 1] = 1;
    }
    close(next);
    reach.swap(next);
  }
  return reach[pattern.size()] != 0;
}

bool statement_admits(const Alphabet& alphabet, const StatementLanguage& statement, std::span<const Symbol> text) {
  const bool any = std::any_of(statement.patterns.begin(), statement.patterns.end(),
                               [&](const ResourcePattern& pattern) { return pattern_matches(alphabet, pattern, text); });
  return any != statement.complement;
}

}  // namespace fleetaudit::policy
