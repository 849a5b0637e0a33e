#pragma once
// Judging the IAM roles of a snapshot once each, however many pools or aliases hand them out.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/iam/role_permissions.h"
#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::iam {

struct IotRoleVerdict {
  IotAdminAccess admin;
  policy::DataPlaneActionSet broad_data_plane = 0;
  // One resource of another device the role allows: " (for example iot:Connect on arn:…:client/x)".
  std::string data_plane_example;
};

class RoleEvaluator {
public:
  explicit RoleEvaluator(const Snapshot& snapshot);

  // The IoT admin and data-plane verdict of an IamRoleTable row (computed once, then cached).
  const IotRoleVerdict& iot_verdict(uint32_t role_row);
  // A RolePermissions for the row, for service-level questions.
  RolePermissions permissions(uint32_t role_row);

private:
  policy::ArnScope context_for(uint32_t role_row) const;

  const Snapshot& snapshot_;
  PatternGlobs globs_;
  policy::BreadthEvaluator breadth_;
  std::vector<std::optional<IotRoleVerdict>> verdicts_;
};

// "[a, b, c]"; past ten items, "[a, …, j, and 5 more]"
std::string bracketed(const std::vector<std::string>& items);

// The services a role used within `days` days before `now`, from the last-accessed table; nullopt
// when the snapshot holds no completed access report for the role.
std::optional<std::vector<std::string>> services_used(const Snapshot& snapshot, StringId role_arn, EpochMillis now,
                                                      int64_t days);
// Every service the access report of the role lists (used or not), lower case.
std::vector<std::string> services_reported(const Snapshot& snapshot, StringId role_arn);

}  // namespace fleetaudit::iam
