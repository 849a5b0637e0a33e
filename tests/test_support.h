#pragma once
// Helpers shared by the tests: temporary snapshot directories and running the CLI.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fleetaudit::testing {

// Defined in tests/test_paths.cpp, the one file compiled with the build's paths (so that the other
// test objects do not depend on where the tree is checked out).
std::string source_dir();
std::string fleetaudit_binary();

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fleetaudit-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(file(name), std::ios::binary) << content;
  }

private:
  std::string path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CommandResult {
  int exit_status = -1;
  std::string output;  // standard output
};

// Runs a shell command line; standard error goes to `stderr_path` when given.
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[65536];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, got);
  int status = pclose(pipe);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs fleetaudit from the source directory so that snapshot paths are relative, as in CI.
inline CommandResult run_fleetaudit(const std::string& arguments, const std::string& stderr_file = "/dev/null") {
  return run_command("cd '" + source_dir() + "' && '" + fleetaudit_binary() + "' " + arguments + " 2>" + stderr_file);
}

// Validates a SARIF file against the OASIS schema (tests/data/validate_sarif.py).
inline CommandResult validate_sarif(const std::string& path) {
  return run_command("/usr/bin/python3 '" + source_dir() + "/tests/data/validate_sarif.py' '" + path + "' 2>&1");
}

}  // namespace fleetaudit::testing
