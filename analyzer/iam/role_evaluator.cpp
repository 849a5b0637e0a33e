#include "analyzer/iam/role_evaluator.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyzer/policy/arn.h"

namespace fleetaudit::iam {

RoleEvaluator::RoleEvaluator(const Snapshot& snapshot)
    : snapshot_(snapshot), globs_(snapshot.iam.statements), breadth_(snapshot.iam.statements, policy::kIamRoleCharacters),
      verdicts_(snapshot.iam.roles.size()) {}

// IoT resources are matched in the role's own partition and account, in any region: IAM is global,
// so a grant on arn:aws:iot:eu-west-1:… reaches devices there whatever region the snapshot is of.
// Another account's devices stay out of reach: AWS IoT has no resource policies to admit the role.
policy::ArnScope RoleEvaluator::context_for(uint32_t role_row) const {
  const std::optional<policy::Arn> arn = policy::parse_arn(snapshot_.text(snapshot_.iam.roles.arn[role_row]));
  const std::string_view partition = arn ? arn->partition.text : "", account = arn ? arn->account.text : "";
  return {partition.empty() ? "aws" : std::string(partition), "",
          account.empty() ? std::string(snapshot_.text(snapshot_.manifest.account_id)) : std::string(account)};
}

const IotRoleVerdict& RoleEvaluator::iot_verdict(uint32_t role_row) {
  std::optional<IotRoleVerdict>& slot = verdicts_[role_row];
  if (slot) return *slot;
  const IamRoleTable& roles = snapshot_.iam.roles;
  const policy::ArnScope context = context_for(role_row);
  RolePermissions role(globs_, breadth_, roles.first_statement[role_row], roles.end_statement[role_row], context);
  slot = IotRoleVerdict{role.iot_admin_access(),
                        breadth_.broad_actions(roles.first_statement[role_row], roles.end_statement[role_row], context),
                        ""};
  // The statement number counts across the role's policies, which a reader cannot look up: leave it out.
  const std::vector<policy::GrantExample> examples = breadth_.examples(slot->broad_data_plane);
  if (!examples.empty())
    slot->data_plane_example =
        fmt::format(" (for example {} on {})", examples.front().action, examples.front().witness);
  return *slot;
}

RolePermissions RoleEvaluator::permissions(uint32_t role_row) {
  const IamRoleTable& roles = snapshot_.iam.roles;
  return RolePermissions(globs_, breadth_, roles.first_statement[role_row], roles.end_statement[role_row],
                         context_for(role_row));
}

std::string bracketed(const std::vector<std::string>& items) {
  // A wildcard can grant a hundred actions: name the first few, count the rest.
  constexpr size_t kShown = 10;
  std::string text = "[";
  for (size_t i = 0; i < items.size() && i < kShown; ++i) text += (i ? ", " : "") + items[i];
  if (items.size() > kShown) text += fmt::format(", and {} more", items.size() - kShown);
  return text + "]";
}

namespace {

const IamTables::UsageReport* usage_report(const Snapshot& snapshot, StringId role_arn) {
  const std::vector<IamTables::UsageReport>& reports = snapshot.iam.usage_reports;
  auto found = std::lower_bound(reports.begin(), reports.end(), role_arn,
                                [](const IamTables::UsageReport& report, StringId arn) { return report.role_arn < arn; });
  return found != reports.end() && found->role_arn == role_arn ? &*found : nullptr;
}

std::vector<std::string> sorted_distinct(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

}  // namespace

std::optional<std::vector<std::string>> services_used(const Snapshot& snapshot, StringId role_arn, EpochMillis now,
                                                      int64_t days) {
  const IamTables::UsageReport* report = usage_report(snapshot, role_arn);
  if (report == nullptr) return std::nullopt;
  const EpochMillis since = now - days * 86'400'000;
  const ServiceLastAccessedTable& table = snapshot.iam.services_last_accessed;
  std::vector<std::string> used;
  for (uint32_t row = report->first_row; row < report->end_row; ++row)
    if (table.last_authenticated[row] != INT64_MIN && table.last_authenticated[row] >= since)
      used.emplace_back(snapshot.text(table.service_namespace[row]));
  return sorted_distinct(std::move(used));
}

std::vector<std::string> services_reported(const Snapshot& snapshot, StringId role_arn) {
  const IamTables::UsageReport* report = usage_report(snapshot, role_arn);
  if (report == nullptr) return {};
  const ServiceLastAccessedTable& table = snapshot.iam.services_last_accessed;
  std::vector<std::string> services;
  for (uint32_t row = report->first_row; row < report->end_row; ++row)
    services.emplace_back(snapshot.text(table.service_namespace[row]));
  return sorted_distinct(std::move(services));
}

}  // namespace fleetaudit::iam
