#pragma once
// IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK's bypass question, decided exactly. A Deny of
// iot:Subscribe on topic filters D is meant to keep the device from receiving D's topics. Policies
// match filters as plain strings, so the Deny fails when the device may subscribe with another
// filter (allowed and not denied) that, under MQTT matching, receives a topic of D which iot:Receive
// allows and no Deny of iot:Receive covers: Allow topicfilter/building/* lets it subscribe to
// "building/#" and receive building/control_room/data1 past a Deny on topicfilter/building/control_room/*.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "analyzer/policy/foreign_access.h"

namespace fleetaudit::policy {

struct SubscribeQuestion {
  ArnScope scope;  // concrete partition, region and account
  StatementLanguage intended_topics;  // D's patterns read as topics (topicfilter/ becomes topic/)
  // Or, when D names one concrete filter with MQTT wildcards ("building/control_room/#"), the
  // filter itself: its intended topics are those MQTT matching gives it.
  std::optional<std::string> intended_filter;
  std::span<const StatementLanguage> subscribe_allowed, subscribe_denied, receive_allowed, receive_denied;
};

struct SubscribeBypass {
  LanguageAnswer answer = LanguageAnswer::empty;
  std::string filter;       // found: a topicfilter ARN the device may subscribe with
  std::string topic;        // found: a topic ARN of D it then receives
  uint32_t allowed_by = 0;  // found: index into subscribe_allowed of a statement admitting the filter
  std::string reason;       // too_complex: what ran out
};

// The work is charged to `meter` (the policy's) as it is done; without one the question has
// `budget.max_steps` of its own.
SubscribeBypass find_subscribe_bypass(const SubscribeQuestion& question, const WorkBudget& budget = {},
                                      std::string_view device_name = kDeviceNamePlaceholder,
                                      WorkMeter* meter = nullptr);

}  // namespace fleetaudit::policy
