#include "analyzer/policy/pattern_automaton.h"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

namespace fleetaudit::policy {

Dfa::Dfa(size_t symbol_count, size_t state_count)
    : symbol_count_(symbol_count),
      next_(symbol_count * state_count, 0),
      accepting_(state_count, 0),
      live_(state_count, 0) {}

void Dfa::compute_live() {
  // Backwards from the accepting states over reversed moves.
  std::vector<std::vector<uint32_t>> into(state_count());
  for (uint32_t state = 0; state < state_count(); ++state)
    for (Symbol symbol = 0; symbol < symbol_count_; ++symbol) into[next(state, symbol)].push_back(state);
  std::vector<uint32_t> work;
  for (uint32_t state = 0; state < state_count(); ++state)
    if (accepting_[state]) {
      live_[state] = 1;
      work.push_back(state);
    }
  while (!work.empty()) {
    const uint32_t state = work.back();
    work.pop_back();
    for (uint32_t from : into[state])
      if (!live_[from]) {
        live_[from] = 1;
        work.push_back(from);
      }
  }
}

std::optional<std::vector<Symbol>> Dfa::shortest(std::span<const Symbol> order) const {
  std::vector<uint32_t> parent(state_count(), UINT32_MAX);
  std::vector<Symbol> via(state_count(), 0);
  std::deque<uint32_t> queue{start()};
  parent[start()] = start();
  while (!queue.empty()) {
    const uint32_t state = queue.front();
    queue.pop_front();
    if (accepting(state)) {
      std::vector<Symbol> path;
      for (uint32_t at = state; at != start(); at = parent[at]) path.push_back(via[at]);
      std::reverse(path.begin(), path.end());
      return path;
    }
    for (Symbol symbol : order) {
      const uint32_t target = next(state, symbol);
      if (parent[target] != UINT32_MAX || !live(target)) continue;
      parent[target] = state;
      via[target] = symbol;
      queue.push_back(target);
    }
  }
  return std::nullopt;
}

bool Dfa::accepts(std::span<const Symbol> symbols) const {
  uint32_t state = start();
  for (Symbol symbol : symbols) state = next(state, symbol);
  return accepting(state);
}

uint32_t Dfa::run(std::span<const Symbol> symbols) const {
  uint32_t state = start();
  for (Symbol symbol : symbols) state = next(state, symbol);
  return state;
}

Dfa Dfa::restarted(uint32_t from) const {
  std::unordered_map<uint32_t, uint32_t> index{{from, 0}};
  std::vector<uint32_t> order{from};
  for (size_t at = 0; at < order.size(); ++at)
    for (Symbol symbol = 0; symbol < symbol_count_; ++symbol)
      if (index.emplace(next(order[at], symbol), static_cast<uint32_t>(order.size())).second)
        order.push_back(next(order[at], symbol));
  Dfa result(symbol_count_, order.size());
  for (uint32_t state = 0; state < order.size(); ++state) {
    for (Symbol symbol = 0; symbol < symbol_count_; ++symbol)
      result.set_next(state, symbol, index.at(next(order[state], symbol)));
    if (accepting(order[state])) result.set_accepting(state);
  }
  result.compute_live();
  return result;
}

template <class Keep>
std::optional<Dfa> Dfa::product(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter, Keep&& keep) {
  std::unordered_map<uint64_t, uint32_t> index;
  std::vector<std::pair<uint32_t, uint32_t>> pairs{{a.start(), b.start()}};
  index.emplace(0, 0);
  std::vector<uint32_t> moves;
  for (size_t at = 0; at < pairs.size(); ++at) {
    if (pairs.size() > max_states) return std::nullopt;
    if (meter != nullptr && !meter->spend(a.symbol_count())) return std::nullopt;
    const auto [x, y] = pairs[at];
    for (Symbol symbol = 0; symbol < a.symbol_count(); ++symbol) {
      const uint64_t key = (uint64_t{a.next(x, symbol)} << 32) | b.next(y, symbol);
      auto [found, added] = index.emplace(key, static_cast<uint32_t>(pairs.size()));
      if (added) pairs.emplace_back(a.next(x, symbol), b.next(y, symbol));
      moves.push_back(found->second);
    }
  }
  Dfa result(a.symbol_count(), pairs.size());
  result.next_ = std::move(moves);
  for (uint32_t state = 0; state < pairs.size(); ++state)
    if (keep(a.accepting(pairs[state].first), b.accepting(pairs[state].second))) result.set_accepting(state);
  result.compute_live();
  return result;
}

std::optional<Dfa> Dfa::intersect(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter) {
  return product(a, b, max_states, meter, [](bool x, bool y) { return x && y; });
}
std::optional<Dfa> Dfa::unite(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter) {
  return product(a, b, max_states, meter, [](bool x, bool y) { return x || y; });
}
std::optional<Dfa> Dfa::subtract(const Dfa& a, const Dfa& b, size_t max_states, WorkMeter* meter) {
  return product(a, b, max_states, meter, [](bool x, bool y) { return x && !y; });
}

uint32_t Nfa::add_state() {
  epsilon_.emplace_back();
  moves_.emplace_back();
  return static_cast<uint32_t>(epsilon_.size() - 1);
}

Nfa::Fragment Nfa::one_of(const SymbolSet& symbols) {
  const Fragment piece{add_state(), add_state()};
  for (size_t symbol = 0; symbol < alphabet_.size(); ++symbol)
    if (symbols.test(symbol)) moves_[piece.entry].emplace_back(static_cast<Symbol>(symbol), piece.exit);
  return piece;
}

Nfa::Fragment Nfa::symbol(Symbol symbol) {
  SymbolSet set;
  set.set(symbol);
  return one_of(set);
}

Nfa::Fragment Nfa::empty_string() {
  const Fragment piece{add_state(), add_state()};
  epsilon_[piece.entry].push_back(piece.exit);
  return piece;
}

Nfa::Fragment Nfa::text(std::string_view literal) {
  Fragment whole = empty_string();
  for (char c : literal) whole = sequence({whole, symbol(alphabet_.of(c))});
  return whole;
}

Nfa::Fragment Nfa::sequence(std::initializer_list<Fragment> parts) {
  Fragment whole = *parts.begin();
  for (auto part = parts.begin() + 1; part != parts.end(); ++part) {
    epsilon_[whole.exit].push_back(part->entry);
    whole.exit = part->exit;
  }
  return whole;
}

Nfa::Fragment Nfa::either(std::initializer_list<Fragment> choices) {
  const Fragment piece{add_state(), add_state()};
  for (const Fragment& choice : choices) {
    epsilon_[piece.entry].push_back(choice.entry);
    epsilon_[choice.exit].push_back(piece.exit);
  }
  return piece;
}

Nfa::Fragment Nfa::at_least_one(Fragment repeated) {
  const Fragment piece{add_state(), add_state()};
  epsilon_[piece.entry].push_back(repeated.entry);
  epsilon_[repeated.exit].push_back(piece.exit);
  epsilon_[repeated.exit].push_back(repeated.entry);
  return piece;
}

Nfa::Fragment Nfa::any_number(Fragment repeated) {
  const Fragment piece = at_least_one(repeated);
  epsilon_[piece.entry].push_back(piece.exit);
  return piece;
}

Nfa::Fragment Nfa::optional(Fragment maybe) {
  epsilon_[maybe.entry].push_back(maybe.exit);
  return maybe;
}

void Nfa::closure(std::vector<uint32_t>& states) const {
  std::vector<uint8_t> seen(epsilon_.size(), 0);
  for (uint32_t state : states) seen[state] = 1;
  for (size_t at = 0; at < states.size(); ++at)
    for (uint32_t target : epsilon_[states[at]])
      if (!seen[target]) {
        seen[target] = 1;
        states.push_back(target);
      }
  std::sort(states.begin(), states.end());
}

std::optional<Dfa> Nfa::determinize(Fragment language, size_t max_states, WorkMeter* meter) const {
  const size_t symbols = alphabet_.size();
  // State 0 is the empty set (the dead sink), so every DFA built here has one.
  std::map<std::vector<uint32_t>, uint32_t> index{{{}, 0}};
  std::vector<std::vector<uint32_t>> sets{{}};
  std::vector<uint32_t> start{language.entry};
  closure(start);
  index.emplace(start, 1);
  sets.push_back(start);
  std::vector<uint32_t> moves(symbols, 0);  // the sink moves to itself
  std::vector<std::vector<uint32_t>> targets(symbols);
  for (size_t at = 1; at < sets.size(); ++at) {
    if (sets.size() > max_states) return std::nullopt;
    for (auto& target : targets) target.clear();
    uint64_t work = sets[at].size();
    for (uint32_t state : sets[at])
      for (const auto& [symbol, target] : moves_[state]) targets[symbol].push_back(target);
    for (size_t symbol = 0; symbol < symbols; ++symbol) {
      closure(targets[symbol]);
      // The closure, its sort and the map's comparisons each read the set (the map about log n times).
      work += 1 + targets[symbol].size() * 8 + epsilon_.size() / 16;
      if (meter != nullptr && !meter->spend(work)) return std::nullopt;
      work = 0;
      targets[symbol].erase(std::unique(targets[symbol].begin(), targets[symbol].end()), targets[symbol].end());
      auto [found, added] = index.emplace(targets[symbol], static_cast<uint32_t>(sets.size()));
      if (added) sets.push_back(targets[symbol]);
      moves.push_back(found->second);
    }
  }
  // Renumber so that the start is state 0, as Dfa expects: swap the sink (0) and the start (1).
  auto renumber = [](uint32_t state) { return state <= 1 ? 1 - state : state; };
  Dfa dfa(symbols, sets.size());
  for (uint32_t state = 0; state < sets.size(); ++state) {
    for (size_t symbol = 0; symbol < symbols; ++symbol)
      dfa.set_next(renumber(state), static_cast<Symbol>(symbol), renumber(moves[state * symbols + symbol]));
    if (std::binary_search(sets[state].begin(), sets[state].end(), language.exit)) dfa.set_accepting(renumber(state));
  }
  dfa.compute_live();
  return dfa;
}

}  // namespace fleetaudit::policy
