#include "analyzer/mitigate/script_values.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// A value AWS documents a pattern for (botocore's iot model), with the pattern as said to a person.
struct NamePattern {
  std::string_view noun;
  std::string_view pattern;
  size_t max_length;
  bool (*allowed)(char);
  bool hex_prefix = false;  // may start with 0x
};

// ThingName and ThingGroupName: [a-zA-Z0-9:_-]+, 1 to 128 characters.
constexpr NamePattern kThingName{"thing name", "[a-zA-Z0-9:_-]+", 128,
                                 [](char c) { return is_alnum(c) || c == ':' || c == '_' || c == '-'; }};
constexpr NamePattern kThingGroupName{"thing group name", "[a-zA-Z0-9:_-]+", 128,
                                      [](char c) { return is_alnum(c) || c == ':' || c == '_' || c == '-'; }};
// PolicyName: [\w+=,.@-]+, 1 to 128 characters.
constexpr NamePattern kPolicyName{"policy name", "[\\w+=,.@-]+", 128, [](char c) {
  return is_alnum(c) || c == '_' || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
}};
// PolicyVersionId: [0-9]+.
constexpr NamePattern kPolicyVersionId{"policy version id", "[0-9]+", 64, [](char c) { return c >= '0' && c <= '9'; }};
// CertificateId: (0x)?[a-fA-F0-9]+ (64 characters in AWS; any length up to that is let through).
constexpr NamePattern kCertificateId{"certificate id", "(0x)?[a-fA-F0-9]+", 66, is_hex, true};

bool matches(const NamePattern& pattern, std::string_view text) {
  if (text.empty() || text.size() > pattern.max_length) return false;
  if (pattern.hex_prefix && text.substr(0, 2) == "0x") text.remove_prefix(2);
  return !text.empty() && std::all_of(text.begin(), text.end(), pattern.allowed);
}

// ARNs have no pattern in the model: they must hold no control character (nor a NUL).
bool printable(std::string_view text) {
  return !text.empty() && escape_control(text) == text;
}

}  // namespace

bool is_thing_group_name(std::string_view text) { return matches(kThingGroupName, text); }

std::vector<std::string> refused_script_values(const MitigationPlan& plan) {
  std::vector<std::string> refused;
  if (!plan.region.empty() && !std::all_of(plan.region.begin(), plan.region.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      }))
    refused.push_back(fmt::format("manifest.json: region \"{}\" is not an AWS region name (expected [a-z0-9-]+, "
                                  "such as eu-west-1); the script would run it as shell code",
                                  escape_control(plan.region)));
  for (size_t number = 0; number < plan.executions.size(); ++number) {
    const PlannedExecution& execution = plan.executions[number];
    if (execution.status != ExecutionStatus::pending) continue;
    const std::string& action = plan.definition->actions[execution.action].name;
    auto refuse = [&](const std::string& value, std::string_view what, std::string_view expected) {
      refused.push_back(fmt::format("execution {} ({} on {} {}): {} \"{}\" {}; AWS refuses it, and the script "
                                    "cannot pass it intact",
                                    number + 1, action, escape_control(plan.findings[execution.finding].check_name),
                                    escape_control(plan.findings[execution.finding].resource.key()), what,
                                    escape_control(value), expected));
    };
    auto check_name = [&](const std::string& value, const NamePattern& pattern, std::string_view source) {
      if (!matches(pattern, value))
        refuse(value, fmt::format("{} (from {})", pattern.noun, source),
               fmt::format("does not match {}, 1 to {} characters", pattern.pattern, pattern.max_length));
    };
    auto check_arn = [&](const std::string& value, std::string_view noun) {
      if (!printable(value)) refuse(value, noun, "holds a control character or is empty");
    };
    for (const PlannedChange& change : execution.changes) {
      switch (change.kind) {
        case PlannedChange::Kind::deactivate_certificate:
        case PlannedChange::Kind::deactivate_ca_certificate:
          check_name(change.resource, kCertificateId, "the finding");
          break;
        case PlannedChange::Kind::add_thing_to_thing_group:
          check_name(change.resource, kThingName, "thing-principals.json");
          check_name(change.target, kThingGroupName, "the action's thingGroupNames");
          break;
        case PlannedChange::Kind::delete_policy_version:
        case PlannedChange::Kind::create_default_policy_version:
          check_name(change.resource, kPolicyName, "the finding");
          check_name(change.target, kPolicyVersionId, "policies.json");
          break;
        case PlannedChange::Kind::set_v2_logging_options:
          check_arn(change.resource, "logging role ARN (from the action's roleArnForLogging)");
          break;
        case PlannedChange::Kind::publish_finding:
          check_arn(change.resource, "SNS topic ARN (from the action's topicArn)");
          // The message is JSON: control characters in it are escaped, but bash cannot hold a NUL.
          if (change.target.find('\0') != std::string::npos) refuse("(the finding)", "SNS message", "holds a NUL");
          break;
      }
    }
  }
  return refused;
}

}  // namespace fleetaudit
