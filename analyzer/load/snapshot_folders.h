#pragma once
// The snapshots under a directory: every folder holding a manifest.json (an organization export's
// OUT_DIR/ACCOUNT/REGION/, or any layout), found without leaving the directory.
#include <string>
#include <vector>

namespace fleetaudit {

struct SnapshotFolders {
  // Paths relative to the root, '/'-separated, sorted; "." when the root is itself a snapshot.
  std::vector<std::string> folders;
  // Why something could not be searched: a link leading out, a folder that cannot be listed, the
  // limits below. Each names the path relative to the root.
  std::vector<std::string> problems;
};

struct SnapshotSearchLimits {
  int max_depth = 4;             // OUT_DIR/ACCOUNT/REGION is depth 2
  size_t max_folders = 200000;   // folders visited, at most
};

// Searches `root` breadth-first. A snapshot folder is not searched further; hidden folders (the
// exporter's .fleetaudit-export state) are skipped; a folder reached through a symbolic link that
// resolves outside `root` is refused and named. Never throws.
SnapshotFolders find_snapshot_folders(const std::string& root, const SnapshotSearchLimits& limits = {});

}  // namespace fleetaudit
