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
// How a failure organization.json records reads in reports: "…: not run, " and this, then its reason.
const std::string kNotExported = "the account could not be exported: ";

bool is_real_directory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(fs::symlink_status(path, error)) && !error;  // links are not followed
}

bool is_regular_path(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(fs::status(path, error)) && !error;
}

// What a search below a directory met: the snapshots, and the symbolic links it did not follow.
struct Search {
  std::vector<std::string> found;  // paths relative to the root
  std::vector<std::string> links;
};

// Folders below `root` holding a manifest.json, their paths relative to root. Hidden folders are
// passed over; symbolic links are not followed (one may lead out of the directory) but listed, so
// that the caller names them. Stops at `limit` (the caller then refuses).
void collect(const fs::path& root, const fs::path& relative, int depth, size_t limit, Search& search) {
  if (depth > kSnapshotSearchDepth || search.found.size() > limit) return;
  std::error_code error;
  std::vector<fs::path> children;
  for (fs::directory_iterator it(root / relative, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) continue;
    std::error_code link_error;
    if (it->is_symlink(link_error) && !link_error) search.links.push_back((relative / name).generic_string());
    else if (is_real_directory(it->path())) children.push_back(relative / name);
  }
  std::sort(children.begin(), children.end());
  for (const fs::path& child : children) {
    if (is_regular_path(root / child / kManifest))
      search.found.push_back(child.generic_string());  // a snapshot's own folders are not searched
    else collect(root, child, depth + 1, limit, search);
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

std::optional<std::string> read_organization_failures(const std::string& path, std::vector<AccountFailure>& failures,
                                                      std::vector<AccountFailure>* exported) {
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
    const bool account_failed = text_of(account, "result") == "failed";
    bool named_region = false;
    simdjson::dom::array regions;
    if (!account["regions"].get_array().get(regions))
      for (simdjson::dom::element region : regions) {
        const std::string result = text_of(region, "result");
        if (exported != nullptr && (result == "complete" || result == "incomplete"))
          exported->push_back({account_id, text_of(region, "region"), {}});
        if (!account_failed || result != "failed") continue;  // incomplete is audited as such; no-iot, not-enabled
        failures.push_back({account_id, text_of(region, "region"), kNotExported + text_of(region, "reason")});
        named_region = true;
      }
    if (account_failed && !named_region)
      failures.push_back({account_id, "", kNotExported + text_of(account, "reason")});
  }
  return std::nullopt;
}

bool holds_several_snapshots(const std::string& directory) {
  const fs::path root(directory);
  if (is_regular_path(root / kManifest)) return false;
  if (is_regular_path(root / kOrganization)) return true;
  Search search;
  collect(root, {}, 1, 1, search);
  return !search.found.empty();
}

std::optional<SnapshotSet> find_snapshots(const std::string& directory, std::string& error) {
  std::string base = directory;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  Search search;
  collect(fs::path(base), {}, 1, kMaxSnapshots, search);
  const std::vector<std::string>& found = search.found;
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
  // Never a silent gap: a link not followed, and a region the export wrote that is not here, are
  // failures of the report (not audited, exit status 2), named.
  for (const std::string& link : search.links)
    set.failures.push_back(
        {base + "/" + link, "",
         "a symbolic link, not followed (it may lead out of the directory): audit its target on its own"});
  std::vector<AccountFailure> exported;
  if (is_regular_path(fs::path(base) / kOrganization))
    if (auto problem = read_organization_failures(base + "/" + kOrganization, set.failures, &exported)) {
      error = *problem;
      return std::nullopt;
    }
  for (const AccountFailure& listed : exported)
    if (!seen.contains(snapshot_identity(listed.account_id, listed.region, {})))
      set.failures.push_back({listed.account_id, listed.region,
                              "organization.json says it was exported, but no snapshot of it is below " + directory});
  std::sort(set.failures.begin(), set.failures.end(), [](const AccountFailure& a, const AccountFailure& b) {
    return std::tie(a.account_id, a.region) < std::tie(b.account_id, b.region);
  });
  return set;
}

}  // namespace fleetaudit
