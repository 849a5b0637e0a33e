#include "analyzer/lint/lint_inputs.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <unordered_set>

namespace fleetaudit::lint {

namespace {

namespace fs = std::filesystem;

struct IgnorePattern {
  std::string glob;
  bool directory_only = false;
  bool anchored = false;  // has a '/' before its end: matched against the path from the root
};

// The patterns of `root`/.gitignore: none when there is none; when it cannot be read (a FIFO, a
// link out of the boundary, a device, too large), none and an error that names it.
std::vector<IgnorePattern> read_gitignore(const fs::path& root, const ReadBoundary& boundary, Diagnostics& problems) {
  std::vector<IgnorePattern> patterns;
  const std::string path = (root / ".gitignore").string();
  std::error_code missing;
  if (!fs::exists(fs::symlink_status(path, missing))) return patterns;
  std::string text, error;
  if (!read_regular_file(path, text, error, kMaxLintFileBytes, &boundary)) {
    problems.error(path, error + "; not read, so nothing it names is ignored");
    return patterns;
  }
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    IgnorePattern pattern;
    if (line.back() == '/') {
      pattern.directory_only = true;
      line.pop_back();
    }
    pattern.anchored = line.find('/') != std::string::npos;
    if (!line.empty() && line[0] == '/') line.erase(0, 1);
    if (line.rfind("**/", 0) == 0) {
      line.erase(0, 3);
      pattern.anchored = line.find('/') != std::string::npos;
    }
    pattern.glob = line;
    if (!pattern.glob.empty()) patterns.push_back(std::move(pattern));
  }
  return patterns;
}

bool ignored(const std::vector<IgnorePattern>& patterns, const std::string& relative, bool directory) {
  const std::string name = fs::path(relative).filename().string();
  for (const IgnorePattern& pattern : patterns) {
    if (pattern.directory_only && !directory) continue;
    const std::string& subject = pattern.anchored ? relative : name;
    if (fnmatch(pattern.glob.c_str(), subject.c_str(), pattern.anchored ? FNM_PATHNAME : 0) == 0) return true;
  }
  return false;
}

bool skipped_directory(const fs::path& directory, const fs::path& parent) {
  const std::string name = directory.filename().string();
  if (name.size() > 1 && name[0] == '.' && name != "..") return true;
  if (name == "node_modules") return true;
  return parent.filename() == "cdk.out" && name.rfind("asset.", 0) == 0;
}

bool lintable_name(const std::string& name) {
  for (std::string_view extension : {".json", ".yaml", ".yml", ".template", ".tf"})
    if (name.size() > extension.size() && name.compare(name.size() - extension.size(), extension.size(), extension) == 0)
      return true;
  return false;
}

std::string joined(const std::string& directory, const std::string& relative) {
  if (directory == ".") return relative;
  return directory.back() == '/' ? directory + relative : directory + "/" + relative;
}

struct Walk {
  const std::string& root;
  const std::vector<IgnorePattern>& patterns;
  LintInputs& out;
  Diagnostics& problems;
};

// `ignored_here`: under a directory the .gitignore ignores; its IaC-named files are only noted.
void walk(const Walk& walk_state, const std::string& relative, bool ignored_here) {
  const std::string& root = walk_state.root;
  const fs::path here = relative.empty() ? fs::path(root) : fs::path(root) / relative;
  std::error_code error;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(here, error), end; !error && it != end; it.increment(error)) entries.push_back(*it);
  if (error) {
    walk_state.problems.error(relative.empty() ? root : joined(root, relative),
                              "cannot list the directory: " + error.message());
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().filename() < b.path().filename(); });
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::string child = relative.empty() ? name : relative + "/" + name;
    std::error_code status_error;
    // A link is never walked into: a directory reached through one could lie outside the PATH.
    const bool directory = entry.is_directory(status_error) && !entry.is_symlink(status_error);
    const bool ignored_entry = ignored_here || ignored(walk_state.patterns, child, directory);
    if (directory) {
      if (!skipped_directory(entry.path(), here)) walk(walk_state, child, ignored_entry);
    } else if (lintable_name(name)) {
      // Whatever it is (a link, a FIFO, a device): the reader refuses what is not a regular file
      // inside the boundary, with an error that names it, rather than skipping it unsaid.
      (ignored_entry ? walk_state.out.ignored : walk_state.out.files).push_back(joined(root, child));
    }
  }
}

// The directory a file PATH lies in: part of the boundary, as Terraform's path.module.
std::string directory_of(const std::string& file) {
  const std::string parent = fs::path(file).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

LintInputs lint_inputs(const std::vector<std::string>& paths, Diagnostics& problems) {
  LintInputs inputs;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    const bool directory = !error && fs::is_directory(status);
    std::string root_error;
    if (error || !fs::exists(status)) {
      problems.error(path, fs::exists(fs::symlink_status(path, error)) ? "is a dangling symbolic link or a link loop"
                                                                         : "no such file or directory");
    } else if (!inputs.boundary.add_root(directory ? path : directory_of(path), root_error)) {
      problems.error(path, "cannot be resolved: " + root_error);
    } else if (directory) {
      LintInputs found;
      walk(Walk{path, read_gitignore(path, inputs.boundary, problems), found, problems}, "", false);
      files.insert(files.end(), found.files.begin(), found.files.end());
      inputs.ignored.insert(inputs.ignored.end(), found.ignored.begin(), found.ignored.end());
    } else {
      files.push_back(path);
    }
  }
  // A file named twice (or named and under a directory named) is linted once.
  std::unordered_set<std::string> seen;
  for (std::string& file : files) {
    std::error_code error;
    std::string key = fs::weakly_canonical(file, error).string();
    if (error) key = fs::path(file).lexically_normal().string();
    if (!seen.insert(std::move(key)).second) continue;
    inputs.files.push_back(std::move(file));
  }
  return inputs;
}

}  // namespace fleetaudit::lint
