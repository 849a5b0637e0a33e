#include "analyzer/load/snapshot_folders.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <utility>

#include "analyzer/load/input_files.h"
#include "analyzer/util/terminal_text.h"

namespace fleetaudit {

namespace {

std::string joined(const std::string& parent, const std::string& name) {
  return parent == "." ? name : parent + "/" + name;
}

}  // namespace

SnapshotFolders find_snapshot_folders(const std::string& root, const SnapshotSearchLimits& limits) {
  SnapshotFolders found;
  const ReadBoundary boundary = ReadBoundary::around(root, "the directory given to plan-jobs");
  std::deque<std::pair<std::string, int>> pending{{".", 0}};  // relative path, depth
  size_t visited = 0;
  while (!pending.empty()) {
    auto [relative, depth] = std::move(pending.front());
    pending.pop_front();
    const std::string path = relative == "." ? root : root + "/" + relative;
    if (++visited > limits.max_folders) {
      found.problems.push_back(fmt::format("more than {} folders: the search stopped; give a directory that holds "
                                           "only snapshots",
                                           limits.max_folders));
      break;
    }
    if (auto refused = boundary.refusal(path)) {
      found.problems.push_back(fmt::format("{}: {}", escape_control(relative), *refused));
      continue;
    }
    std::string error;
    const auto entries = list_folder(path, error);
    if (!entries) {
      found.problems.push_back(fmt::format("{}: cannot be listed: {}", escape_control(relative), error));
      continue;
    }
    const bool is_snapshot = std::any_of(entries->begin(), entries->end(),
                                         [](const FolderEntry& entry) { return entry.name == "manifest.json"; });
    if (is_snapshot) {
      found.folders.push_back(relative);
      continue;
    }
    for (const FolderEntry& entry : *entries) {
      if (entry.info.kind != PathKind::directory || entry.name.front() == '.') continue;
      if (depth + 1 > limits.max_depth) {
        found.problems.push_back(fmt::format("{}: deeper than {} folders below the directory; not searched",
                                             escape_control(joined(relative, entry.name)), limits.max_depth));
        continue;
      }
      pending.emplace_back(joined(relative, entry.name), depth + 1);
    }
  }
  std::sort(found.folders.begin(), found.folders.end());
  return found;
}

}  // namespace fleetaudit
