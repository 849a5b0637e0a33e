#include <fmt/format.h>

#include <algorithm>

#include "analyzer/load/input_files.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/mapped_file.h"

namespace fleetaudit::load {

namespace {

// Reports role ARNs the IAM details lack, at their place in `file`. The file is mapped again only
// when there is something to report.
class MissingRoleReporter {
public:
  MissingRoleReporter(const Snapshot& snapshot, SnapshotFile file, Diagnostics& diagnostics)
      : snapshot_(snapshot), file_(file), diagnostics_(diagnostics) {}

  void report(uint64_t offset, StringId json_path, StringId role_arn, std::string_view what) {
    if (!opened_) {
      opened_ = true;
      std::string error;
      const ReadBoundary boundary = ReadBoundary::around(snapshot_.directory, "the snapshot directory");
      bytes_ = MappedFile::open(snapshot_.directory + "/" + file_name(file_), error, &boundary);
    }
    TextPosition position{0, 0};
    if (bytes_ && offset < bytes_->size()) position = position_of(bytes_->data(), offset);
    const bool unreadable = std::binary_search(snapshot_.iam.unreadable_role_arns.begin(),
                                               snapshot_.iam.unreadable_role_arns.end(), role_arn);
    diagnostics_.add({DiagnosticSeverity::error, file_name(file_), position.line, position.column,
                      std::string(snapshot_.text(json_path)),
                      fmt::format("{} {} {}; it is not evaluated", what, snapshot_.text(role_arn),
                                  unreadable ? "could not be read from iam-authorization-details.json (see the error there)"
                                             : "is not in iam-authorization-details.json"),
                      {}});
  }

private:
  const Snapshot& snapshot_;
  SnapshotFile file_;
  Diagnostics& diagnostics_;
  bool opened_ = false;
  std::optional<MappedFile> bytes_;
};

}  // namespace

void link_iam_roles(Snapshot& snapshot, Diagnostics& diagnostics) {
  IamTables& iam = snapshot.iam;
  std::sort(iam.unreadable_role_arns.begin(), iam.unreadable_role_arns.end());
  iam.role_row_by_arn.assign(snapshot.strings.size(), UINT32_MAX);
  for (uint32_t row = 0; row < iam.roles.size(); ++row) {
    uint32_t& slot = iam.role_row_by_arn[iam.roles.arn[row]];
    if (slot == UINT32_MAX) slot = row;  // pages merged twice: the first description wins
  }
  const bool have_iam = snapshot.has(SnapshotFile::iam_authorization_details);

  IdentityPoolRoleTable& pools = iam.pool_roles;
  MissingRoleReporter pool_reporter(snapshot, SnapshotFile::cognito_identity_pool_roles, diagnostics);
  for (size_t i = 0; i < pools.size(); ++i) {
    pools.role_row[i] = iam.role_row(pools.role_arn[i]);
    if (pools.role_row[i] != UINT32_MAX || !have_iam) continue;
    const char* kind = pools.kind[i] == IdentityPoolRoleTable::Kind::authenticated     ? "authenticated role"
                       : pools.kind[i] == IdentityPoolRoleTable::Kind::unauthenticated ? "unauthenticated role"
                                                                                       : "role-mapping role";
    pool_reporter.report(pools.source[i], pools.json_path[i], pools.role_arn[i],
                         fmt::format("identity pool {}: its {}", snapshot.text(pools.pool_id[i]), kind));
  }

  RoleAliasTable& aliases = iam.role_aliases;
  MissingRoleReporter alias_reporter(snapshot, SnapshotFile::role_aliases, diagnostics);
  for (size_t i = 0; i < aliases.size(); ++i) {
    aliases.role_row[i] = iam.role_row(aliases.role_arn[i]);
    if (aliases.role_row[i] != UINT32_MAX || !have_iam) continue;
    alias_reporter.report(aliases.source[i], aliases.json_path[i], aliases.role_arn[i],
                          fmt::format("role alias {}: its role", snapshot.text(aliases.alias[i])));
  }
}

}  // namespace fleetaudit::load
