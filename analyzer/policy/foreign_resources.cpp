#include "analyzer/policy/foreign_resources.h"

#include <algorithm>

#include "analyzer/policy/mqtt_filters.h"

namespace fleetaudit::policy {

namespace {

using Fragment = Nfa::Fragment;

constexpr size_t kPieceStates = 10'000;  // the fixed languages are a few dozen states

// Builds the families' languages in one NFA, one fresh fragment per call.
class Families {
public:
  explicit Families(const Alphabet& alphabet) : nfa_(alphabet), alphabet_(alphabet) {}

  Nfa& nfa() { return nfa_; }

  // A character of a topic level or filter level: anything but '/', '+' and '#'.
  SymbolSet level_characters() const { return alphabet_.all_but("/+#"); }

  Fragment any_string() { return nfa_.any_number(nfa_.one_of(alphabet_.all())); }

  // A name of `characters` that some other device may have: it starts with OTHER (a character no
  // pattern pins, so a wildcard or a device-chosen value chose the whole name) or is SELF and more.
  // A name spelled out in full may be the device's own, as in a policy written per device, and a
  // wildcard after a literal prefix (client/MyThing*) is the fleet owner's scoping, which AWS
  // calls compliant.
  Fragment foreign_name(SymbolSet characters) {
    auto any = [&] { return nfa_.any_number(nfa_.one_of(characters)); };
    const Symbol other = alphabet_.other(), self = alphabet_.self();
    return nfa_.either({nfa_.sequence({nfa_.symbol(other), any()}),
                        nfa_.sequence({nfa_.symbol(self), nfa_.at_least_one(nfa_.one_of(characters))})});
  }

  Fragment client_id() { return foreign_name(alphabet_.all()); }
  Fragment thing_name() { return foreign_name(level_characters()); }
  // A custom topic's first level. One starting with '$' is reserved, not a device's: OTHER never
  // stands for '$', which the reserved topics' text makes a symbol of its own.
  Fragment device_chosen_level() { return foreign_name(level_characters()); }

  Fragment topic() {
    const SymbolSet topic_characters = alphabet_.all_but("+#");
    Fragment reserved = nfa_.sequence({nfa_.text("$aws/things/"), thing_name(), nfa_.text("/"),
                                       nfa_.any_number(nfa_.one_of(topic_characters))});
    Fragment custom = nfa_.sequence(
        {device_chosen_level(), nfa_.optional(nfa_.sequence({nfa_.text("/"),
                                                             nfa_.any_number(nfa_.one_of(topic_characters))}))});
    return nfa_.either({reserved, custom});
  }

  // Filter levels after the first: "/level" any number of times, then maybe "/#".
  Fragment filter_tail() {
    Fragment level = nfa_.either({nfa_.any_number(nfa_.one_of(level_characters())), nfa_.text("+")});
    return nfa_.sequence(
        {nfa_.any_number(nfa_.sequence({nfa_.text("/"), level})), nfa_.optional(nfa_.text("/#"))});
  }

  Fragment topic_filter() {
    // $aws/#, $aws/{things,+}/#, $aws/{things,+}/{name,+} then "/#" or at least one more level.
    auto things_level = [&] { return nfa_.either({nfa_.text("things"), nfa_.text("+")}); };
    Fragment more = nfa_.either(
        {nfa_.text("/#"),
         nfa_.sequence({nfa_.text("/"),
                        nfa_.either({nfa_.any_number(nfa_.one_of(level_characters())), nfa_.text("+")}),
                        filter_tail()})});
    Fragment reserved = nfa_.either(
        {nfa_.text("$aws/#"), nfa_.sequence({nfa_.text("$aws/"), things_level(), nfa_.text("/#")}),
         nfa_.sequence({nfa_.text("$aws/"), things_level(), nfa_.text("/"),
                        nfa_.either({thing_name(), nfa_.text("+")}), more})});
    Fragment custom = nfa_.either({nfa_.text("#"), nfa_.sequence({nfa_.text("+"), filter_tail()}),
                                   nfa_.sequence({device_chosen_level(), filter_tail()})});
    return nfa_.either({reserved, custom});
  }

  // arn:PARTITION:iot:REGION:ACCOUNT: with an empty region or account read as any one field.
  Fragment arn_prefix(const ArnScope& scope) {
    auto field = [&](const std::string& value) {
      return value.empty() ? nfa_.at_least_one(nfa_.one_of(alphabet_.all_but(":"))) : nfa_.text(value);
    };
    return nfa_.sequence({nfa_.text("arn:" + scope.partition + ":iot:"), field(scope.region), nfa_.text(":"),
                          field(scope.account), nfa_.text(":")});
  }

private:
  Nfa nfa_;
  const Alphabet& alphabet_;
};

template <class Build>
std::optional<Dfa> build(const Alphabet& alphabet, size_t max_states, Build&& language) {
  Families families(alphabet);
  const Fragment whole = language(families);
  return families.nfa().determinize(whole, max_states);
}

}  // namespace

void mention_resource_families(Alphabet& alphabet, const ArnScope& scope) {
  alphabet.mention("arn:" + scope.partition + ":iot:" + scope.region + ":" + scope.account + ":");
  alphabet.mention("client/thing/topic/topicfilter/$aws/things/+#*");
}

std::optional<Dfa> foreign_resources(const Alphabet& alphabet, ResourceFamily family, const ArnScope& scope,
                                     size_t max_states) {
  return build(alphabet, max_states, [&](Families& f) {
    Nfa& nfa = f.nfa();
    switch (family) {
      case ResourceFamily::client:
        return nfa.sequence({f.arn_prefix(scope), nfa.text("client/"), f.client_id()});
      case ResourceFamily::thing: {
        Fragment shadow = nfa.sequence({nfa.text("/"), nfa.at_least_one(nfa.one_of(f.level_characters()))});
        return nfa.sequence({f.arn_prefix(scope), nfa.text("thing/"), f.thing_name(), nfa.optional(shadow)});
      }
      case ResourceFamily::topic:
        return nfa.sequence({f.arn_prefix(scope), nfa.text("topic/"), f.topic()});
      case ResourceFamily::account_wide:
        return nfa.text("*");
      case ResourceFamily::thing_record:
        return nfa.sequence({f.arn_prefix(scope), nfa.text("thing/"), f.thing_name()});
      case ResourceFamily::any_resource:
        return f.any_string();
      case ResourceFamily::topic_filter:
        break;
    }
    return nfa.sequence({f.arn_prefix(scope), nfa.text("topicfilter/"), f.topic_filter()});
  });
}

std::optional<Dfa> foreign_client_ids(const Alphabet& alphabet) {
  return build(alphabet, kPieceStates, [](Families& f) { return f.client_id(); });
}
std::optional<Dfa> foreign_thing_names(const Alphabet& alphabet) {
  return build(alphabet, kPieceStates, [](Families& f) { return f.thing_name(); });
}
std::optional<Dfa> foreign_topics(const Alphabet& alphabet) {
  return build(alphabet, kPieceStates, [](Families& f) { return f.topic(); });
}
std::optional<Dfa> foreign_topic_filters(const Alphabet& alphabet) {
  return build(alphabet, kPieceStates, [](Families& f) { return f.topic_filter(); });
}

std::optional<std::vector<Symbol>> foreign_topic_received(const Alphabet& alphabet, std::span<const Symbol> filter) {
  auto matched = topics_received_by(alphabet, filter, kPieceStates);
  if (!matched) return std::nullopt;
  auto foreign = foreign_topics(alphabet);
  if (!foreign) return std::nullopt;
  auto received = Dfa::intersect(*matched, *foreign, kPieceStates);
  if (!received) return std::nullopt;
  return received->shortest(alphabet.search_order());
}

}  // namespace fleetaudit::policy
