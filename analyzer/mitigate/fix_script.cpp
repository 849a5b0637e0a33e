// The plan as a bash script of AWS CLI calls: one function per action type, and for each
// (check, action) one loop over a block of rows, so that 100,000 findings stay readable.
#include <fmt/format.h>

#include <algorithm>

#include "analyzer/mitigate/mitigation_outputs.h"

namespace fleetaudit {

namespace {

// Single quotes make every byte literal; a quote inside closes, escapes and reopens.
std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  out += '\'';
  return out;
}

// A row of a quoted here-document is read back by `IFS=$'\t' read -r`: values must be non-empty
// and hold no tab, newline or carriage return. Others are passed as quoted arguments instead.
bool fits_in_row(std::string_view text) {
  return !text.empty() && text.find_first_of("\t\n\r") == std::string_view::npos;
}

// The comment-safe form of a name: a comment ends at a newline.
std::string comment_text(std::string_view text) {
  std::string out(text);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

constexpr std::string_view kPrologue = R"SCRIPT(set -euo pipefail

usage() { echo "usage: $0 [--execute]   (without --execute: print every step, call nothing)" >&2; }
EXECUTE=0
case "${1-}" in
  --execute) EXECUTE=1 ;;
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac
if [[ $EXECUTE == 1 ]] && ! command -v aws >/dev/null; then
  echo "the AWS CLI (aws) is not installed" >&2
  exit 2
fi

step() { printf '\n==> %s\n' "$1"; }

# Prints a command, quoted as the shell would read it, and runs it only with --execute. Every value
# is passed as --option=value: a value that starts with "-" (a thing named --debug) stays a value.
run() {
  printf '   '
  printf ' %q' "$@"
  printf '\n'
  if [[ $EXECUTE == 1 ]]; then
    "$@"
  fi
}

# UPDATE_DEVICE_CERTIFICATE: EXECUTION CERTIFICATE_ID. Setting INACTIVE twice is harmless.
update_device_certificate() {
  printf '  [%s] deactivate device certificate %s\n' "$1" "$2"
  run aws iot update-certificate --certificate-id="$2" --new-status=INACTIVE
}

# UPDATE_CA_CERTIFICATE: EXECUTION CA_CERTIFICATE_ID.
update_ca_certificate() {
  printf '  [%s] deactivate CA certificate %s\n' "$1" "$2"
  run aws iot update-ca-certificate --certificate-id="$2" --new-status=INACTIVE
}

# ADD_THINGS_TO_THING_GROUP: EXECUTION THING GROUP OVERRIDE_DYNAMIC_GROUPS(true|false).
# Adding a thing to a group it is already in changes nothing.
add_things_to_thing_group() {
  printf '  [%s] add thing %s to thing group %s\n' "$1" "$2" "$3"
  local override=()
  if [[ $4 == true ]]; then
    override=(--override-dynamic-groups)
  fi
  run aws iot add-thing-to-thing-group --thing-name="$2" --thing-group-name="$3" "${override[@]}"
}

# REPLACE_DEFAULT_POLICY_VERSION: EXECUTION POLICY OPERATION VERSION, where OPERATION is
# create-default (a deny-all version becomes the default; VERSION is the id the plan expects) or
# delete-version. With --execute, steps already done are recognised and not repeated.
replace_default_policy_version() {
  case $3 in
    create-default)
      printf '  [%s] policy %s: make a deny-all version the default (expected version %s)\n' "$1" "$2" "$4"
      if [[ $EXECUTE == 1 ]]; then
        local current
        current=$(aws iot get-policy --policy-name="$2" --query=policyDocument --output=text | tr -d ' \n\t')
        if [[ $current == "$DENY_ALL_POLICY" ]]; then
          echo "    already the default: nothing to do"
          return 0
        fi
      fi
      run aws iot create-policy-version --policy-name="$2" --policy-document="$DENY_ALL_POLICY" --set-as-default
      ;;
    delete-version)
      printf '  [%s] policy %s: delete version %s\n' "$1" "$2" "$4"
      if [[ $EXECUTE == 1 ]] && ! aws iot get-policy-version --policy-name="$2" --policy-version-id="$4" >/dev/null 2>&1; then
        echo "    already deleted: nothing to do"
        return 0
      fi
      run aws iot delete-policy-version --policy-name="$2" --policy-version-id="$4"
      ;;
    *)
      echo "unknown policy operation $3" >&2
      return 2
      ;;
  esac
}

# ENABLE_IOT_LOGGING: EXECUTION LOGGING_ROLE_ARN LOG_LEVEL. Setting the same options twice is harmless.
enable_iot_logging() {
  printf '  [%s] enable AWS IoT v2 logging at %s\n' "$1" "$3"
  run aws iot set-v2-logging-options --role-arn="$2" --default-log-level="$3" --no-disable-all-logs
}

# PUBLISH_FINDING_TO_SNS: EXECUTION TOPIC_ARN MESSAGE (the finding, as AWS publishes it).
# Publishing is not idempotent: a second run sends the message again.
publish_finding_to_sns() {
  printf '  [%s] publish the finding to %s\n' "$1" "$2"
  run aws sns publish --topic-arn="$2" --message="$3"
}
)SCRIPT";

const char* function_for(MitigationActionType type) {
  switch (type) {
    case MitigationActionType::update_device_certificate: return "update_device_certificate";
    case MitigationActionType::update_ca_certificate: return "update_ca_certificate";
    case MitigationActionType::add_things_to_thing_group: return "add_things_to_thing_group";
    case MitigationActionType::replace_default_policy_version: return "replace_default_policy_version";
    case MitigationActionType::enable_iot_logging: return "enable_iot_logging";
    case MitigationActionType::publish_finding_to_sns: return "publish_finding_to_sns";
  }
  return "";
}

// The function's arguments after the execution number.
std::vector<std::string> arguments_of(const PlannedChange& change) {
  switch (change.kind) {
    case PlannedChange::Kind::deactivate_certificate:
    case PlannedChange::Kind::deactivate_ca_certificate: return {change.resource};
    case PlannedChange::Kind::add_thing_to_thing_group:
      return {change.resource, change.target, change.override_dynamic_groups ? "true" : "false"};
    case PlannedChange::Kind::delete_policy_version: return {change.resource, "delete-version", change.target};
    case PlannedChange::Kind::create_default_policy_version: return {change.resource, "create-default", change.target};
    case PlannedChange::Kind::set_v2_logging_options:
    case PlannedChange::Kind::publish_finding: return {change.resource, change.target};
  }
  return {};
}

const char* kRowVariables[] = {"first", "second", "third"};

std::string calls_text(size_t count) { return fmt::format("{} call{}", count, count == 1 ? "" : "s"); }

}  // namespace

void write_plan_script(const MitigationPlan& plan, const std::string& snapshot_directory, std::FILE* out) {
  const MitigationDefinition& definition = *plan.definition;
  std::string text = "#!/usr/bin/env bash\n";
  text += fmt::format("# Mitigation task {}, written by fleetaudit mitigate from the snapshot {}\n",
                      comment_text(definition.task.task_id), comment_text(snapshot_directory));
  text += fmt::format("# (findings from {}).\n", comment_text(plan.findings_source));
  text += "# Review the plan first. Without --execute this script only prints each step; with --execute it\n"
          "# calls AWS with the credentials of whoever runs it (the actions' roleArn is what Device Defender\n"
          "# would assume; this script does not assume it). It stops at the first failed call.\n";
  text += kPrologue;
  // The region was checked against [a-z0-9-]+ (script_values); quoted all the same, like every value.
  if (!plan.region.empty())
    text += fmt::format("\n# The snapshot's region, unless the caller chose one.\nSNAPSHOT_REGION={}\n"
                        "export AWS_DEFAULT_REGION=\"${{AWS_DEFAULT_REGION:-$SNAPSHOT_REGION}}\"\n",
                        shell_quote(plan.region));
  text += fmt::format("\nDENY_ALL_POLICY={}\n", shell_quote(kDenyAllPolicyDocument));

  // One section per (check, action), in plan order: a finding's actions keep their order.
  std::vector<std::pair<std::string, uint32_t>> sections;
  for (const PlannedExecution& execution : plan.executions) {
    std::pair<std::string, uint32_t> key{plan.findings[execution.finding].check_name, execution.action};
    if (std::find(sections.begin(), sections.end(), key) == sections.end()) sections.push_back(key);
  }
  size_t total_calls = 0;
  for (const auto& [check_name, action_index] : sections) {
    const MitigationAction& action = definition.actions[action_index];
    std::string rows, inline_calls;
    size_t calls = 0, skipped = 0;
    size_t field_count = 0;
    for (size_t number = 0; number < plan.executions.size(); ++number) {
      const PlannedExecution& execution = plan.executions[number];
      if (execution.action != action_index || plan.findings[execution.finding].check_name != check_name) continue;
      if (execution.status == ExecutionStatus::skipped) {
        ++skipped;
        continue;
      }
      for (const PlannedChange& change : execution.changes) {
        std::vector<std::string> arguments = arguments_of(change);
        field_count = arguments.size();
        ++calls;
        if (std::all_of(arguments.begin(), arguments.end(), [](const std::string& a) { return fits_in_row(a); })) {
          rows += std::to_string(number + 1);
          for (const std::string& argument : arguments) rows += '\t' + argument;
          rows += '\n';
        } else {
          inline_calls += fmt::format("{} {}", function_for(action.type), number + 1);
          for (const std::string& argument : arguments) inline_calls += ' ' + shell_quote(argument);
          inline_calls += " </dev/null\n";
        }
      }
    }
    total_calls += calls;
    text += fmt::format("\n# {} findings: {} ({}), {}", comment_text(check_name), comment_text(action.name),
                        to_string(action.type), calls_text(calls));
    if (skipped > 0) text += fmt::format("; {} executions skipped (see the plan)", skipped);
    text += '\n';
    text += fmt::format("step {}\n", shell_quote(fmt::format("{} ({}) on {} findings: {}", action.name,
                                                             to_string(action.type), check_name, calls_text(calls))));
    if (!rows.empty()) {
      // Rows are: execution number (as in the plan, from 1), then the function's arguments.
      std::string variables = "execution";
      std::string arguments = "\"$execution\"";
      for (size_t field = 0; field < field_count; ++field) {
        variables += fmt::format(" {}", kRowVariables[field]);
        arguments += fmt::format(" \"${}\"", kRowVariables[field]);
      }
      text += fmt::format("while IFS=$'\\t' read -r {}; do\n  {} {} </dev/null\ndone <<'FLEETAUDIT_ROWS'\n{}FLEETAUDIT_ROWS\n",
                          variables, function_for(action.type), arguments, rows);
    }
    text += inline_calls;
  }
  text += fmt::format("\nstep {}\n", shell_quote(fmt::format("done: {}", calls_text(total_calls))));
  text += "if [[ $EXECUTE == 0 ]]; then\n  echo \"dry run: nothing was changed; run again with --execute to apply\"\nfi\n";
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace fleetaudit
