#include "analyzer/policy/data_plane_breadth.h"

#include <algorithm>
#include <bit>

namespace fleetaudit::policy {

namespace {

constexpr std::array<std::string_view, kDataPlaneActionCount> kActionNames = {
    "iot:Connect",
    "iot:Publish",
    "iot:Subscribe",
    "iot:GetRetainedMessage",
    "iot:GetThingShadow",
    "iot:UpdateThingShadow",
    "iot:DeleteThingShadow",
    "iot:DescribeJobExecution",
    "iot:GetPendingJobExecutions",
    "iot:StartNextPendingJobExecution",
    "iot:UpdateJobExecution",
    "iotjobsdata:DescribeJobExecution",
    "iotjobsdata:GetPendingJobExecutions",
    "iotjobsdata:StartNextPendingJobExecution",
    "iotjobsdata:UpdateJobExecution",
};

constexpr DataPlaneActionSet kUnknownActions = UINT32_MAX;
constexpr std::string_view kClientIdVariable = "iot:ClientId";
constexpr unsigned kConnect = static_cast<unsigned>(DataPlaneAction::connect);

// Foreign probes, one bit each, built in the policy's own account. OTHER is a fresh name no
// pattern mentions (kFreshName), so a pattern only reaches it through a wildcard: client/* does,
// client/MyThing* does not.
//   bit 0      client/OTHER
//   bits 1-2   thing/OTHER, thing/OTHER/OTHER (a named shadow)
//   bits 3-5   topic/T for the three topics T below
//   bits 6-8   topicfilter/T, decided by the topic-filter matcher (Allow Resource patterns)
//   bits 9-24  topicfilter/F for the concrete filters F below, by plain matching: only a
//              NotResource list needs them, since its patterns exclude filters one by one
constexpr std::array<std::string_view, 3> kForeignTopics = {
    "$aws/things/OTHER/shadow/update",
    "$aws/things/OTHER/jobs/notify",
    "OTHER/data",
};
// Filters that receive one of those topics: the topic itself, OTHER's level as '+', and each
// level prefix followed by '#'. The full set is infinite; these are the ones a device would use.
constexpr std::array<std::string_view, 16> kFilterCandidates = {
    "$aws/things/OTHER/shadow/update", "$aws/things/+/shadow/update", "#", "$aws/#", "$aws/things/#",
    "$aws/things/OTHER/#", "$aws/things/OTHER/shadow/#", "$aws/things/OTHER/shadow/update/#",
    "$aws/things/OTHER/jobs/notify", "$aws/things/+/jobs/notify", "$aws/things/OTHER/jobs/#",
    "$aws/things/OTHER/jobs/notify/#", "OTHER/data", "+/data", "OTHER/#", "OTHER/data/#",
};

constexpr uint64_t kClientProbes = 0x1;
constexpr uint64_t kThingProbes = 0x6;
constexpr uint64_t kTopicProbes = 0x38;
constexpr uint64_t kFilterReachProbes = 0x1C0;
constexpr uint64_t kFilterCandidateProbes = ((uint64_t{1} << kFilterCandidates.size()) - 1) << 9;
// The probes tested by plain matching; a NotResource list grants the complement within them.
constexpr uint64_t kPlainProbes = kClientProbes | kThingProbes | kTopicProbes | kFilterCandidateProbes;

// "OTHER" written as the fresh name the matchers understand.
std::string with_fresh_names(std::string_view text) {
  std::string result;
  for (size_t at = text.find("OTHER"); at != std::string_view::npos; at = text.find("OTHER")) {
    result.append(text.substr(0, at)).append(kFreshName);
    text.remove_prefix(at + 5);
  }
  return result.append(text);
}

// The probes that decide an action through plain matching.
uint64_t probes_of(unsigned action) {
  switch (static_cast<DataPlaneAction>(action)) {
    case DataPlaneAction::connect:
      return kClientProbes;
    case DataPlaneAction::publish:
    case DataPlaneAction::get_retained_message:
      return kTopicProbes;
    case DataPlaneAction::subscribe:
      return kFilterCandidateProbes;
    default:
      return kThingProbes;
  }
}

template <class Visit>
void for_each_action(DataPlaneActionSet actions, Visit&& visit) {
  for (; actions != 0; actions &= actions - 1) visit(static_cast<unsigned>(std::countr_zero(actions)));
}

}  // namespace

std::string_view action_name(DataPlaneAction action) { return kActionNames[static_cast<size_t>(action)]; }

DataPlaneActionSet actions_matching(std::string_view action_pattern) {
  const Glob glob = Glob::compile(action_pattern, /*case_insensitive=*/true);
  DataPlaneActionSet actions = 0;
  for (size_t i = 0; i < kDataPlaneActionCount; ++i)
    if (glob.matches(kActionNames[i])) actions |= DataPlaneActionSet{1} << i;
  return actions;
}

std::string BreadthEvaluator::describe(DataPlaneActionSet actions) {
  std::string text = "[";
  for_each_action(actions & kAllDataPlaneActions, [&](unsigned action) {
    if (text.size() > 1) text += ", ";
    text += kActionNames[action];
  });
  text += ']';
  return text;
}

std::optional<ArnContext> ArnContext::from_arn(std::string_view policy_arn) {
  std::array<std::string_view, 5> fields;  // arn, partition, service, region, account
  for (std::string_view& field : fields) {
    const size_t colon = policy_arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    field = policy_arn.substr(0, colon);
    policy_arn.remove_prefix(colon + 1);
  }
  if (fields[0] != "arn" || fields[2] != "iot") return std::nullopt;
  // These become part of the probe ARNs: '/' would shift MQTT levels, '\0' marks fresh names.
  for (size_t i : {1, 3, 4})
    if (fields[i].empty() || fields[i].find_first_of(std::string_view("/\0", 2)) != std::string_view::npos)
      return std::nullopt;
  return ArnContext{std::string(fields[1]), std::string(fields[3]), std::string(fields[4])};
}

struct BreadthEvaluator::Context {
  explicit Context(const ArnContext& where) : arn(where) {
    const std::string prefix = "arn:" + arn.partition + ":iot:" + arn.region + ":" + arn.account + ":";
    for (std::string_view resource : {"client/OTHER", "thing/OTHER", "thing/OTHER/OTHER"})
      subjects.push_back(prefix + with_fresh_names(resource));
    for (std::string_view topic : kForeignTopics) subjects.push_back(prefix + "topic/" + with_fresh_names(topic));
    for (std::string_view topic : kForeignTopics) subjects.push_back(prefix + "topicfilter/" + with_fresh_names(topic));
    for (std::string_view filter : kFilterCandidates)
      subjects.push_back(prefix + "topicfilter/" + with_fresh_names(filter));
    filter_start = prefix.size() + std::string_view("topicfilter/").size();
  }

  uint64_t probe(const Glob& glob) const {
    uint64_t reached = 0;
    for (size_t bit = 0; bit < subjects.size(); ++bit) {
      const bool extended = (kFilterReachProbes >> bit) & 1;
      if (extended ? filter_glob_reaches_topic(glob, subjects[bit], filter_start) : glob_reaches(glob, subjects[bit]))
        reached |= uint64_t{1} << bit;
    }
    return reached;
  }

  ArnContext arn;
  std::vector<std::string> subjects;  // by probe bit
  size_t filter_start = 0;            // where the filter starts in a topicfilter subject
  std::vector<ProbeReach> reach;      // by pattern id
  std::vector<uint8_t> known;         // by pattern id
};

BreadthEvaluator::BreadthEvaluator(const PolicyStatementTable& statements) : statements_(statements) {}

BreadthEvaluator::~BreadthEvaluator() = default;

BreadthEvaluator::Context& BreadthEvaluator::context_for(const ArnContext& arn) {
  if (last_context_ != nullptr && last_context_->arn == arn) return *last_context_;
  for (const auto& context : contexts_)
    if (context->arn == arn) return *(last_context_ = context.get());
  contexts_.push_back(std::make_unique<Context>(arn));
  return *(last_context_ = contexts_.back().get());
}

const BreadthEvaluator::ProbeReach& BreadthEvaluator::pattern_reach(Context& context, StringId pattern) {
  if (pattern >= context.known.size()) {
    context.known.resize(statements_.pattern_count(), 0);
    context.reach.resize(statements_.pattern_count());
  }
  ProbeReach& reach = context.reach[pattern];
  if (!context.known[pattern]) {
    const Glob pinned = Glob::compile(statements_.pattern(pattern));
    reach.pinned = context.probe(pinned);
    reach.free = pinned.mentions_variable(kClientIdVariable)
                     ? context.probe(pinned.with_variable_as_any_run(kClientIdVariable))
                     : reach.pinned;
    context.known[pattern] = 1;
  }
  return reach;
}

BreadthEvaluator::ProbeReach BreadthEvaluator::statement_reach(Context& context, uint32_t statement) {
  ProbeReach total;
  for (StringId pattern : statements_.resources(statement)) {
    const ProbeReach& reach = pattern_reach(context, pattern);
    total.free |= reach.free;
    total.pinned |= reach.pinned;
  }
  if (statements_.has(statement, kStatementNotResource)) {
    total.free = ~total.free & kPlainProbes;
    total.pinned = ~total.pinned & kPlainProbes;
  }
  return total;
}

DataPlaneActionSet BreadthEvaluator::statement_actions(uint32_t statement) {
  if (action_sets_.size() < statements_.pattern_count())
    action_sets_.resize(statements_.pattern_count(), kUnknownActions);
  DataPlaneActionSet actions = 0;
  for (StringId pattern : statements_.actions(statement)) {
    DataPlaneActionSet& named = action_sets_[pattern];
    if (named == kUnknownActions) named = actions_matching(statements_.pattern(pattern));
    actions |= named;
  }
  return statements_.has(statement, kStatementNotAction) ? kAllDataPlaneActions & ~actions : actions;
}

const Glob& BreadthEvaluator::glob(StringId pattern) {
  auto found = globs_.find(pattern);
  if (found == globs_.end()) found = globs_.emplace(pattern, Glob::compile(statements_.pattern(pattern))).first;
  return found->second;
}

// A Deny takes a Subscribe grant back only when it matches every filter the Allow pattern
// matches: Deny compares filter strings literally, so reaching the same topics is not enough.
bool BreadthEvaluator::deny_covers(uint32_t deny_statement, StringId allow_pattern) {
  auto cached = [&](std::unordered_map<uint64_t, bool>& cache, StringId deny_pattern, auto&& decide) {
    const uint64_t key = (uint64_t{deny_pattern} << 32) | allow_pattern;
    auto found = cache.find(key);
    if (found == cache.end()) found = cache.emplace(key, decide(glob(deny_pattern), glob(allow_pattern))).first;
    return found->second;
  };
  const auto patterns = statements_.resources(deny_statement);
  if (statements_.has(deny_statement, kStatementNotResource)) {
    // It denies all it does not exclude: every filter of the Allow, unless an exclusion meets one.
    return std::none_of(patterns.begin(), patterns.end(), [&](StringId excluded) {
      return cached(overlaps_, excluded, [](const Glob& a, const Glob& b) { return globs_overlap(a, b); });
    });
  }
  return std::any_of(patterns.begin(), patterns.end(), [&](StringId denied) {
    return cached(covers_, denied, [](const Glob& d, const Glob& a) { return glob_covers(d, a); });
  });
}

DataPlaneActionSet BreadthEvaluator::broad_actions(uint32_t first_statement, uint32_t end_statement,
                                                   const ArnContext& arn) {
  Context& context = context_for(arn);
  // Per action, the probes allowed (under both client-id readings) and the probes denied.
  std::array<uint64_t, kDataPlaneActionCount> allowed_free{}, allowed_pinned{}, denied{};
  uint64_t connect_allowed = 0;
  subscribe_grants_.clear();
  subscribe_denies_.clear();

  for (uint32_t statement = first_statement; statement < end_statement; ++statement) {
    const DataPlaneActionSet actions = statement_actions(statement);
    if (actions == 0) continue;
    const uint8_t flags = statements_.flags(statement);
    const bool not_resource = flags & kStatementNotResource;
    // A conditional Deny may not apply, so it takes nothing back.
    if ((flags & kStatementDeny) && (flags & kStatementHasCondition)) continue;
    const ProbeReach reach = statement_reach(context, statement);

    if (flags & kStatementDeny) {
      // In a Deny, ${iot:ClientId} is the connecting client's id: for Connect that is the very
      // client probed, for anything else an id the device picks so as to dodge the Deny.
      for_each_action(actions, [&](unsigned action) {
        denied[action] |= action == kConnect ? reach.free : reach.pinned;
      });
      if (actions & action_bit(DataPlaneAction::subscribe)) subscribe_denies_.push_back(statement);
      continue;
    }

    // Concrete filter probes only stand in for a NotResource grant; a Resource grant of Subscribe
    // is judged by the topic-filter matcher below.
    const uint64_t usable = not_resource ? ~uint64_t{0} : ~kFilterCandidateProbes;
    for_each_action(actions, [&](unsigned action) {
      allowed_free[action] |= reach.free & usable;
      allowed_pinned[action] |= reach.pinned & usable;
    });
    if (actions & action_bit(DataPlaneAction::connect))
      connect_allowed |= (flags & kStatementIsAttachedCondition) ? reach.pinned : reach.free;
    if ((actions & action_bit(DataPlaneAction::subscribe)) && !not_resource) {
      for (StringId pattern : statements_.resources(statement)) {
        const ProbeReach& pattern_probes = pattern_reach(context, pattern);
        if ((pattern_probes.free | pattern_probes.pinned) & kFilterReachProbes)
          subscribe_grants_.push_back({pattern, (pattern_probes.free & kFilterReachProbes) != 0,
                                       (pattern_probes.pinned & kFilterReachProbes) != 0});
      }
    }
  }

  DataPlaneActionSet broad = 0;
  if (connect_allowed & ~denied[kConnect] & kClientProbes) broad |= action_bit(DataPlaneAction::connect);
  // Everywhere but Connect, ${iot:ClientId} is the device's own id only if it cannot connect under
  // another device's client id.
  const bool client_id_pinned = !(broad & action_bit(DataPlaneAction::connect));
  for (unsigned action = 0; action < kDataPlaneActionCount; ++action) {
    if (action == kConnect) continue;
    const uint64_t allowed = client_id_pinned ? allowed_pinned[action] : allowed_free[action];
    if (allowed & ~denied[action] & probes_of(action)) broad |= DataPlaneActionSet{1} << action;
  }
  if (!(broad & action_bit(DataPlaneAction::subscribe))) {
    for (const SubscribeGrant& grant : subscribe_grants_) {
      if (!(client_id_pinned ? grant.broad_pinned : grant.broad_free)) continue;
      const bool taken_back = std::any_of(subscribe_denies_.begin(), subscribe_denies_.end(),
                                          [&](uint32_t deny) { return deny_covers(deny, grant.pattern); });
      if (!taken_back) {
        broad |= action_bit(DataPlaneAction::subscribe);
        break;
      }
    }
  }
  return broad;
}

}  // namespace fleetaudit::policy
