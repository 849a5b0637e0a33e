#include "analyzer/organization/snapshot_set.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

#include "analyzer/load/input_files.h"

namespace fleetaudit {

namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "manifest.json";
constexpr const char* kOrganization = kOrganizationFile;
constexpr uint64_t kMaxManifestBytes = 1 << 20;
constexpr uint64_t kMaxOrganizationBytes = 64 << 20;

bool is_real_directory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(fs::symlink_status(path, error)) && !error;  // links are not followed
}

bool is_regular_path(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(fs::status(path, error)) && !error;
}

// Folders below `root` holding a manifest.json, their paths relative to root; hidden folders and
// symbolic links are passed over. Stops at `limit` (the caller then refuses).
void collect(const fs::path& root, const fs::path& relative, int depth, size_t limit, std::vector<std::string>& found) {
  if (depth > kSnapshotSearchDepth || found.size() > limit) return;
  std::error_code error;
  std::vector<fs::path> children;
  for (fs::directory_iterator it(root / relative, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(".") && is_real_directory(it->path())) children.push_back(relative / name);
  }
  std::sort(children.begin(), children.end());
  for (const fs::path& child : children) {
    if (is_regular_path(root / child / kManifest))
      found.push_back(child.generic_string());  // a snapshot's own folders are not searched
    else collect(root, child, depth + 1, limit, found);
  }
}

// The manifest's accountId and region, when it can be read: the audit reports a bad manifest itself.
void read_identity(SnapshotEntry& entry) {
  std::string text, error;
  if (!read_regular_file(entry.directory + "/" + kManifest, text, error, kMaxManifestBytes)) return;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(text)).get(root)) return;
  std::string_view value;
  if (!root["accountId"].get_string().get(value)) entry.account_id = std::string(value);
  if (!root["region"].get_string().get(value)) entry.region = std::string(value);
}

std::string text_of(simdjson::dom::element holder, const char* key) {
  std::string_view value;
  return holder[key].get_string().get(value) ? std::string() : std::string(value);
}

}  // namespace

std::optional<std::string> read_organization_failures(const std::string& path, std::vector<AccountFailure>& failures) {
  std::string text, error;
  if (!read_regular_file(path, text, error, kMaxOrganizationBytes)) return fmt::format("{}: {}", path, error);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto failure = parser.parse(simdjson::padded_string(text)).get(root))
    return fmt::format("{}: not valid JSON ({})", path, simdjson::error_message(failure));
  simdjson::dom::array accounts;
  if (root["accounts"].get_array().get(accounts)) return fmt::format("{}: accounts: expected an array", path);
  size_t index = 0;
  for (simdjson::dom::element account : accounts) {
    const std::string at = fmt::format("{}: accounts[{}]", path, index++);
    const std::string account_id = text_of(account, "accountId");
    if (account_id.empty()) return at + ".accountId: expected an account id";
    if (text_of(account, "result") != "failed") continue;
    bool named_region = false;
    simdjson::dom::array regions;
    if (!account["regions"].get_array().get(regions))
      for (simdjson::dom::element region : regions) {
        const std::string result = text_of(region, "result");
        if (result != "failed") continue;  // complete, incomplete (audited as such), no-iot, not-enabled
        failures.push_back({account_id, text_of(region, "region"), text_of(region, "reason")});
        named_region = true;
      }
    if (!named_region) failures.push_back({account_id, "", text_of(account, "reason")});
  }
  return std::nullopt;
}

bool holds_several_snapshots(const std::string& directory) {
  const fs::path root(directory);
  if (is_regular_path(root / kManifest)) return false;
  if (is_regular_path(root / kOrganization)) return true;
  std::vector<std::string> found;
  collect(root, {}, 1, 1, found);
  return !found.empty();
}

std::optional<SnapshotSet> find_snapshots(const std::string& directory, std::string& error) {
  std::string base = directory;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::vector<std::string> found;
  collect(fs::path(base), {}, 1, kMaxSnapshots, found);
  if (found.size() > kMaxSnapshots) {
    error =
        fmt::format("{} holds more than {} snapshots; audit them as jobs (fleetaudit merge)", directory, kMaxSnapshots);
    return std::nullopt;
  }
  SnapshotSet set;
  for (const std::string& relative : found) {
    SnapshotEntry entry{base + "/" + relative, relative, {}, {}};
    read_identity(entry);
    set.snapshots.push_back(std::move(entry));
  }
  std::sort(set.snapshots.begin(), set.snapshots.end(), [](const SnapshotEntry& a, const SnapshotEntry& b) {
    return std::tie(a.account_id, a.region, a.relative) < std::tie(b.account_id, b.region, b.relative);
  });
  std::map<std::string, const SnapshotEntry*> seen;
  for (const SnapshotEntry& entry : set.snapshots) {
    auto [it, added] = seen.emplace(snapshot_identity(entry.account_id, entry.region, entry.directory), &entry);
    if (!added) {
      error = fmt::format("{} and {} are both snapshots of account {} in {}: audit one of them", it->second->directory,
                          entry.directory, entry.account_id, entry.region);
      return std::nullopt;
    }
  }
  if (is_regular_path(fs::path(base) / kOrganization))
    if (auto problem = read_organization_failures(base + "/" + kOrganization, set.failures)) {
      error = *problem;
      return std::nullopt;
    }
  std::sort(set.failures.begin(), set.failures.end(), [](const AccountFailure& a, const AccountFailure& b) {
    return std::tie(a.account_id, a.region) < std::tie(b.account_id, b.region);
  });
  return set;
}

}  // namespace fleetaudit
