#include "analyzer/lint/lint_inputs.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace fleetaudit::lint {

namespace {

namespace fs = std::filesystem;

struct IgnorePattern {
  std::string glob;
  bool directory_only = false;
  bool anchored = false;  // has a '/' before its end: matched against the path from the root
};

std::vector<IgnorePattern> read_gitignore(const fs::path& root) {
  std::vector<IgnorePattern> patterns;
  std::ifstream in(root / ".gitignore");
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

void walk(const std::string& root, const std::string& relative, const std::vector<IgnorePattern>& patterns,
          std::vector<std::string>& out, Diagnostics& problems) {
  const fs::path here = relative.empty() ? fs::path(root) : fs::path(root) / relative;
  std::error_code error;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(here, error), end; !error && it != end; it.increment(error)) entries.push_back(*it);
  if (error) {
    problems.error(relative.empty() ? root : joined(root, relative), "cannot list the directory: " + error.message());
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().filename() < b.path().filename(); });
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::string child = relative.empty() ? name : relative + "/" + name;
    std::error_code status_error;
    const bool directory = entry.is_directory(status_error) && !entry.is_symlink(status_error);
    if (ignored(patterns, child, directory)) continue;
    if (directory) {
      if (!skipped_directory(entry.path(), here)) walk(root, child, patterns, out, problems);
    } else if (lintable_name(name) && entry.is_regular_file(status_error)) {
      out.push_back(joined(root, child));
    }
  }
}

}  // namespace

std::vector<std::string> lint_inputs(const std::vector<std::string>& paths, Diagnostics& problems) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      problems.error(path, "no such file or directory");
    } else if (fs::is_directory(status)) {
      walk(path, "", read_gitignore(path), files, problems);
    } else {
      files.push_back(path);
    }
  }
  // A file named twice (or named and under a directory named) is linted once.
  std::vector<std::string> unique;
  std::unordered_set<std::string> seen;
  for (std::string& file : files) {
    std::error_code error;
    std::string key = fs::weakly_canonical(file, error).string();
    if (error) key = fs::path(file).lexically_normal().string();
    if (!seen.insert(std::move(key)).second) continue;
    unique.push_back(std::move(file));
  }
  return unique;
}

}  // namespace fleetaudit::lint
