#pragma once
// The resources of other devices, as languages over a question's alphabet.
//
// A device owns client/<its client id>, thing/<its thing name> (and its named shadows), and the
// topics $aws/things/<its thing name>/…. A name belongs to another device when a wildcard or a
// device-chosen value made it: it holds OTHER (a character no pattern pins), or it holds SELF and
// more ("${iot:Connection.Thing.ThingName}x" is a longer name). A name spelled out in full
// (thing/MyThing1) may be the device's own, as in policies written per device, so it is not foreign.
//   client       client/<foreign name>
//   thing        thing/<foreign name>[/<shadow>]
//   topic        $aws/things/<foreign name>/…, or a custom topic whose first level is a foreign name
//                not starting with $
//   account wide "*" itself: such an action (iot:ListRetainedMessages) covers every device at once
//   topic filter a valid MQTT filter that receives some foreign topic: + is one level, a trailing #
//                the rest (also the parent level), and a filter starting with + or # receives no
//                topic starting with $
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzer/policy/arn.h"
#include "analyzer/policy/pattern_automaton.h"

namespace fleetaudit::policy {

// account_wide: an action without a resource type, which AWS authorizes on the resource "*" only.
// thing_record: thing/<foreign name> alone, as control-plane thing actions name things.
// any_resource: every string, for "is the action allowed on anything at all".
enum class ResourceFamily : uint8_t { client, thing, topic, topic_filter, account_wide, thing_record, any_resource };

// Mentions every character the families' languages spell out: call before building any of them.
void mention_resource_families(Alphabet& alphabet, const ArnScope& scope);

// Full ARNs of the family that are not the device's own. nullopt past `max_states`.
std::optional<Dfa> foreign_resources(const Alphabet& alphabet, ResourceFamily family, const ArnScope& scope,
                                     size_t max_states = 200'000);

// The pieces, without the ARN prefix and the "client/" style type prefix (for tests).
std::optional<Dfa> foreign_client_ids(const Alphabet& alphabet);
std::optional<Dfa> foreign_thing_names(const Alphabet& alphabet);
std::optional<Dfa> foreign_topics(const Alphabet& alphabet);
std::optional<Dfa> foreign_topic_filters(const Alphabet& alphabet);

// A shortest foreign topic that `filter` (a concrete filter string, no prefix) receives under MQTT
// matching; nullopt when it receives none.
std::optional<std::vector<Symbol>> foreign_topic_received(const Alphabet& alphabet, std::span<const Symbol> filter);

}  // namespace fleetaudit::policy
