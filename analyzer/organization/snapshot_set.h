#pragma once
// The snapshots below a directory (an organization export, OUT_DIR/ACCOUNT/REGION/, or any folders
// holding a manifest.json) and the accounts organization.json says could not be exported.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/baseline/baseline.h"

namespace fleetaudit {

struct SnapshotEntry {
  std::string directory;   // the directory given, then the path below it: how reports name it
  std::string relative;    // below the directory given ("ACCOUNT/REGION")
  std::string account_id;  // the manifest's, when it could be read
  std::string region;
};

struct SnapshotSet {
  std::vector<SnapshotEntry> snapshots;  // by account, region, then path
  std::vector<AccountFailure> failures;  // by account, then region
};

// How deep snapshots are looked for below the directory (OUT_DIR/ACCOUNT/REGION is 2), and how many
// are taken: the search is bounded whatever the directory holds.
inline constexpr int kSnapshotSearchDepth = 3;
inline constexpr size_t kMaxSnapshots = 100000;

// Whether `directory` is a set of snapshots rather than one: it has no manifest.json of its own, and
// it holds organization.json or a folder (at most kSnapshotSearchDepth deep) with a manifest.json.
bool holds_several_snapshots(const std::string& directory);

// The snapshots below `directory`, in the order they are audited and reported. An error when two
// have the same account and region (naming both paths), when organization.json cannot be read, or
// when there are more than kMaxSnapshots.
std::optional<SnapshotSet> find_snapshots(const std::string& directory, std::string& error);

// The accounts (or regions) an organization export's organization.json records as failed; an error
// message when it cannot be read.
// `exported` (when given) receives each account and region it records as exported (complete or
// incomplete), for the caller to check that its snapshot is there.
std::optional<std::string> read_organization_failures(const std::string& path, std::vector<AccountFailure>& failures,
                                                      std::vector<AccountFailure>* exported = nullptr);

// The file fleetaudit-export --organization writes beside the snapshots.
inline constexpr const char* kOrganizationFile = "organization.json";

}  // namespace fleetaudit
