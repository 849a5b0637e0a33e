#pragma once
// MQTT subscription matching as languages: which topics a filter receives, and which filters
// receive some topic of a language. A filter's level "+" receives one topic level, a last level
// "#" that level's parent and everything below; a filter starting with "+" or "#" receives no
// topic starting with "$"; a filter with "+" or "#" anywhere else is invalid and receives nothing.
// Topics hold neither "+" nor "#". Strings here have no ARN prefix.
#include <optional>
#include <span>

#include "analyzer/policy/pattern_automaton.h"

namespace fleetaudit::policy {

// The topics the concrete filter receives; nullopt past `max_states`.
std::optional<Dfa> topics_received_by(const Alphabet& alphabet, std::span<const Symbol> filter, size_t max_states);

// The valid filters that receive at least one topic of `topics`; nullopt past `max_states`.
std::optional<Dfa> filters_receiving(const Alphabet& alphabet, const Dfa& topics, size_t max_states,
                                     WorkMeter* meter = nullptr);

}  // namespace fleetaudit::policy
