#include "analyzer/policy/subscribe_bypass.h"

#include "analyzer/policy/mqtt_filters.h"

namespace fleetaudit::policy {

namespace {

Nfa::Fragment pattern_fragment(Nfa& nfa, const Alphabet& alphabet, const ResourcePattern& pattern) {
  Nfa::Fragment whole = nfa.empty_string();
  for (const PatternToken& token : pattern) {
    Nfa::Fragment piece = nfa.empty_string();
    switch (token.kind) {
      case PatternTokenKind::literal: piece = nfa.symbol(alphabet.of(token.literal)); break;
      case PatternTokenKind::any_one: piece = nfa.one_of(alphabet.all()); break;
      case PatternTokenKind::any_run: piece = nfa.any_number(nfa.one_of(alphabet.all())); break;
      case PatternTokenKind::self: piece = nfa.symbol(alphabet.self()); break;
    }
    whole = nfa.sequence({whole, piece});
  }
  return whole;
}

// The union of the statements' languages as one DFA.
std::optional<Dfa> statements_dfa(const Alphabet& alphabet, std::span<const StatementLanguage> statements,
                                  size_t max_states, WorkMeter* meter) {
  Nfa everything(alphabet);
  const std::optional<Dfa> universe =
      everything.determinize(everything.any_number(everything.one_of(alphabet.all())), max_states);
  Nfa nothing_nfa(alphabet);
  std::optional<Dfa> result = nothing_nfa.determinize(nothing_nfa.one_of(SymbolSet{}), max_states);
  if (!universe || !result) return std::nullopt;
  for (const StatementLanguage& statement : statements) {
    Nfa nfa(alphabet);
    Nfa::Fragment patterns = nfa.one_of(SymbolSet{});
    for (const ResourcePattern& pattern : statement.patterns)
      patterns = nfa.either({patterns, pattern_fragment(nfa, alphabet, pattern)});
    std::optional<Dfa> language = nfa.determinize(patterns, max_states, meter);
    if (language && statement.complement) language = Dfa::subtract(*universe, *language, max_states, meter);
    if (!language) return std::nullopt;
    result = Dfa::unite(*result, *language, max_states, meter);
    if (!result) return std::nullopt;
  }
  return result;
}

std::vector<Symbol> symbols_of(const Alphabet& alphabet, std::string_view text) {
  std::vector<Symbol> symbols;
  for (char c : text) symbols.push_back(alphabet.of(c));
  return symbols;
}

// `prefix` followed by a string of `rest`.
Dfa prefixed(const Alphabet& alphabet, std::string_view prefix, const Dfa& rest) {
  const uint32_t length = static_cast<uint32_t>(prefix.size()), dead = length, offset = length + 1;
  Dfa result(alphabet.size(), offset + rest.state_count());
  for (uint32_t i = 0; i < length; ++i)
    for (Symbol symbol = 0; symbol < alphabet.size(); ++symbol)
      result.set_next(i, symbol, symbol != alphabet.of(prefix[i]) ? dead : i + 1 < length ? i + 1 : offset + rest.start());
  for (Symbol symbol = 0; symbol < alphabet.size(); ++symbol) result.set_next(dead, symbol, dead);
  for (uint32_t state = 0; state < rest.state_count(); ++state) {
    for (Symbol symbol = 0; symbol < alphabet.size(); ++symbol)
      result.set_next(offset + state, symbol, offset + rest.next(state, symbol));
    if (rest.accepting(state)) result.set_accepting(offset + state);
  }
  result.compute_live();
  return result;
}

SubscribeBypass too_complex(std::string reason) {
  SubscribeBypass bypass;
  bypass.answer = LanguageAnswer::too_complex;
  bypass.reason = std::move(reason);
  return bypass;
}

}  // namespace

SubscribeBypass find_subscribe_bypass(const SubscribeQuestion& question, const WorkBudget& budget,
                                      std::string_view device_name, WorkMeter* meter) {
  WorkMeter own_meter(budget.max_steps);
  if (meter == nullptr) meter = &own_meter;
  // Whichever automaton ran out, the reason is the one the caller can act on.
  auto ran_out = [&](const char* what) { return too_complex(meter->exhausted() ? meter->reason() : what); };
  SubscribeBypass bypass;
  if (question.receive_allowed.empty() || question.subscribe_allowed.empty()) return bypass;
  if (meter->exhausted()) return ran_out("");
  Alphabet alphabet;
  mention_resource_families(alphabet, question.scope);
  for (const ResourcePattern& pattern : question.intended_topics.patterns) alphabet.mention(pattern);
  for (auto statements : {question.subscribe_allowed, question.subscribe_denied, question.receive_allowed,
                          question.receive_denied})
    for (const StatementLanguage& statement : statements)
      for (const ResourcePattern& pattern : statement.patterns) alphabet.mention(pattern);

  if (question.intended_filter) alphabet.mention(*question.intended_filter);
  const std::string arn = "arn:" + question.scope.partition + ":iot:" + question.scope.region + ":" +
                          question.scope.account + ":";
  // The topics of D that the device may receive.
  std::optional<Dfa> topics;
  if (question.intended_filter) {
    if (auto matched = topics_received_by(alphabet, symbols_of(alphabet, *question.intended_filter), budget.max_states))
      topics = prefixed(alphabet, arn + "topic/", *matched);
  } else {
    const StatementLanguage intended[] = {question.intended_topics};
    topics = statements_dfa(alphabet, intended, budget.max_states, meter);
  }
  if (meter->exhausted()) return ran_out("");
  auto receivable = statements_dfa(alphabet, question.receive_allowed, budget.max_states, meter);
  auto unreceivable = receivable ? statements_dfa(alphabet, question.receive_denied, budget.max_states, meter)
                                 : std::nullopt;
  if (!topics || !receivable || !unreceivable) return ran_out("the topic automata exceed the state budget");
  topics = Dfa::intersect(*topics, *receivable, budget.max_states, meter);
  if (topics) topics = Dfa::subtract(*topics, *unreceivable, budget.max_states, meter);
  if (!topics) return ran_out("the topic automata exceed the state budget");
  const Dfa topic_names = topics->restarted(topics->run(symbols_of(alphabet, arn + "topic/")));
  // The filters that receive one of them, and whether the device may subscribe with one.
  auto filters = filters_receiving(alphabet, topic_names, budget.max_states, meter);
  if (!filters) return ran_out("the filter automaton exceeds the state budget");
  const Dfa filter_arns = prefixed(alphabet, arn + "topicfilter/", *filters);
  const WitnessResult found = find_allowed_not_denied(alphabet, question.subscribe_allowed, question.subscribe_denied,
                                                      filter_arns, budget, meter);
  bypass.answer = found.answer;
  bypass.reason = found.reason;
  if (found.answer != LanguageAnswer::found) return bypass;
  bypass.allowed_by = found.allowed_by;
  bypass.filter = alphabet.render(found.witness, device_name);
  const size_t prefix = arn.size() + std::string_view("topicfilter/").size();
  const std::span<const Symbol> filter = std::span<const Symbol>(found.witness).subspan(prefix);
  if (auto received = topics_received_by(alphabet, filter, budget.max_states)) {
    if (auto both = Dfa::intersect(*received, topic_names, budget.max_states, meter))
      if (auto topic = both->shortest(alphabet.search_order()))
        bypass.topic = arn + "topic/" + alphabet.render(*topic, device_name);
  }
  return bypass;
}

}  // namespace fleetaudit::policy
