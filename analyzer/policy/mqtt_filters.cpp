#include "analyzer/policy/mqtt_filters.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

namespace fleetaudit::policy {

std::optional<Dfa> topics_received_by(const Alphabet& alphabet, std::span<const Symbol> filter, size_t max_states) {
  const Symbol slash = alphabet.of('/'), plus = alphabet.of('+'), hash = alphabet.of('#');
  Nfa nfa(alphabet);
  const SymbolSet level = alphabet.all_but("/+#");
  SymbolSet first_level = level;
  first_level.reset(alphabet.of('$'));
  auto levels = [&](std::span<const Symbol> text) {
    Nfa::Fragment topic = nfa.empty_string();
    for (size_t i = 0; i < text.size(); ++i) {
      const bool whole_level = (i == 0 || text[i - 1] == slash) && (i + 1 == text.size() || text[i + 1] == slash);
      const bool first = i == 0;
      Nfa::Fragment piece = nfa.symbol(text[i]);
      if (whole_level && text[i] == plus) {
        piece = first ? nfa.optional(nfa.sequence({nfa.one_of(first_level), nfa.any_number(nfa.one_of(level))}))
                      : nfa.any_number(nfa.one_of(level));
      } else if (whole_level && text[i] == hash && i + 1 == text.size()) {
        const SymbolSet rest = alphabet.all_but("+#");
        piece = first ? nfa.optional(nfa.sequence({nfa.one_of(alphabet.all_but("+#$")), nfa.any_number(nfa.one_of(rest))}))
                      : nfa.any_number(nfa.one_of(rest));
      } else if (text[i] == plus || text[i] == hash) {
        return nfa.one_of(SymbolSet{});  // an invalid filter receives nothing
      }
      topic = nfa.sequence({topic, piece});
    }
    return topic;
  };
  const size_t n = filter.size();
  // "a/#" also receives "a".
  if (n >= 2 && filter[n - 1] == hash && filter[n - 2] == slash)
    return nfa.determinize(nfa.either({levels(filter), levels(filter.first(n - 2))}), max_states);
  return nfa.determinize(levels(filter), max_states);
}

namespace {

// Reading a filter symbol by symbol: where it stands in its level, the topic-DFA states the topic
// read so far may be in, and (after a '/') the states before that '/', for "a/#" receiving "a".
enum class Mode : uint8_t { start, level_start, literal, plus, hash, dead };

struct Position {
  Mode mode = Mode::start;
  bool first_level = true;
  std::vector<uint32_t> states, parent;  // sorted
  bool operator<(const Position& other) const {
    return std::tie(mode, first_level, states, parent) < std::tie(other.mode, other.first_level, other.states, other.parent);
  }
};

class FilterReader {
public:
  FilterReader(const Alphabet& alphabet, const Dfa& topics) : alphabet_(alphabet), topics_(topics) {
    level_ = alphabet.all_but("/+#");
    anything_ = alphabet.all_but("+#");
  }

  Position step(const Position& at, Symbol symbol) const {
    const Symbol slash = alphabet_.of('/'), plus = alphabet_.of('+'), hash = alphabet_.of('#');
    Position next;
    next.first_level = at.first_level;
    switch (at.mode) {
      case Mode::start:
      case Mode::level_start:
        if (symbol == plus) return {Mode::plus, at.first_level, at.states, at.parent};
        if (symbol == hash) return {Mode::hash, at.first_level, at.states, at.parent};
        if (symbol == slash) return after_slash(at.states, at.first_level);
        return {Mode::literal, at.first_level, moved(at.states, symbol), {}};
      case Mode::literal:
        if (symbol == plus || symbol == hash) return dead();
        if (symbol == slash) return after_slash(at.states, at.first_level);
        return {Mode::literal, at.first_level, moved(at.states, symbol), {}};
      case Mode::plus:
        if (symbol != slash) return dead();
        return after_slash(level_closure(at.states, at.first_level), at.first_level);
      case Mode::hash:
      case Mode::dead:
        break;
    }
    return dead();
  }

  bool accepts(const Position& at) const {
    switch (at.mode) {
      case Mode::start:
      case Mode::dead: return false;
      case Mode::level_start:
      case Mode::literal: return any_accepting(at.states);
      case Mode::plus: return any_accepting(level_closure(at.states, at.first_level));
      case Mode::hash: return any_accepting(at.parent) || any_accepting(closure(at.states, anything_, at.first_level));
    }
    return false;
  }

  static Position dead() { return {Mode::dead, false, {}, {}}; }

private:
  Position after_slash(const std::vector<uint32_t>& states, bool) const {
    return {Mode::level_start, false, moved(states, alphabet_.of('/')), states};
  }
  std::vector<uint32_t> moved(const std::vector<uint32_t>& states, Symbol symbol) const {
    std::vector<uint32_t> result;
    for (uint32_t state : states) result.push_back(topics_.next(state, symbol));
    return normalized(std::move(result));
  }
  // States reachable by any string over `characters` (the first character, on the first level,
  // not '$': a filter starting with a wildcard receives no $-topic).
  std::vector<uint32_t> closure(const std::vector<uint32_t>& states, const SymbolSet& characters, bool first_level) const {
    std::vector<uint8_t> seen(topics_.state_count(), 0);
    std::vector<uint32_t> result, work;
    for (uint32_t state : states) {
      seen[state] = 1;
      result.push_back(state);
    }
    SymbolSet first = characters;
    if (first_level) first.reset(alphabet_.of('$'));
    // One step with `first`, then any number with `characters`.
    for (uint32_t state : states)
      for (Symbol symbol = 0; symbol < topics_.symbol_count(); ++symbol)
        if (first.test(symbol) && !seen[topics_.next(state, symbol)]) {
          seen[topics_.next(state, symbol)] = 1;
          result.push_back(topics_.next(state, symbol));
          work.push_back(topics_.next(state, symbol));
        }
    while (!work.empty()) {
      const uint32_t state = work.back();
      work.pop_back();
      for (Symbol symbol = 0; symbol < topics_.symbol_count(); ++symbol)
        if (characters.test(symbol) && !seen[topics_.next(state, symbol)]) {
          seen[topics_.next(state, symbol)] = 1;
          result.push_back(topics_.next(state, symbol));
          work.push_back(topics_.next(state, symbol));
        }
    }
    return normalized(std::move(result));
  }
  std::vector<uint32_t> level_closure(const std::vector<uint32_t>& states, bool first_level) const {
    return closure(states, level_, first_level);
  }
  bool any_accepting(const std::vector<uint32_t>& states) const {
    for (uint32_t state : states)
      if (topics_.accepting(state)) return true;
    return false;
  }
  // Dead topic states can never lead to a received topic: drop them, so equal positions meet.
  std::vector<uint32_t> normalized(std::vector<uint32_t> states) const {
    std::erase_if(states, [&](uint32_t state) { return !topics_.live(state); });
    std::sort(states.begin(), states.end());
    states.erase(std::unique(states.begin(), states.end()), states.end());
    return states;
  }

  const Alphabet& alphabet_;
  const Dfa& topics_;
  SymbolSet level_, anything_;
};

}  // namespace

std::optional<Dfa> filters_receiving(const Alphabet& alphabet, const Dfa& topics, size_t max_states,
                                     WorkMeter* meter) {
  const FilterReader reader(alphabet, topics);
  std::map<Position, uint32_t> index;
  std::vector<Position> positions;
  auto id_of = [&](Position position) {
    // Positions whose topic states are all dead (and no parent to fall back on) lead nowhere.
    if (position.states.empty() && position.parent.empty()) position = FilterReader::dead();
    auto [found, added] = index.emplace(position, static_cast<uint32_t>(positions.size()));
    if (added) positions.push_back(std::move(position));
    return found->second;
  };
  Position start;
  start.states = {topics.start()};
  id_of(start);
  std::vector<uint32_t> moves;
  const size_t symbols = alphabet.size();
  for (size_t at = 0; at < positions.size(); ++at) {
    if (positions.size() > max_states) return std::nullopt;
    for (Symbol symbol = 0; symbol < symbols; ++symbol) {
      const Position next = reader.step(positions[at], symbol);
      // A step reads its topic states (a closure reads all of the topics' DFA); the map compares them.
      const uint64_t work = 1 + (next.states.size() + next.parent.size()) * 8 +
                            (next.mode == positions[at].mode ? 0 : topics.state_count() / 16);
      if (meter != nullptr && !meter->spend(work)) return std::nullopt;
      moves.push_back(id_of(next));
    }
  }
  Dfa result(symbols, positions.size());
  for (uint32_t state = 0; state < positions.size(); ++state) {
    for (Symbol symbol = 0; symbol < symbols; ++symbol) result.set_next(state, symbol, moves[state * symbols + symbol]);
    if (reader.accepts(positions[state])) result.set_accepting(state);
  }
  result.compute_live();
  return result;
}

}  // namespace fleetaudit::policy
