#pragma once
// Every snapshot file, folder and command-line input is opened through these: a FIFO, a device,
// a folder where a file belongs, a dangling link or a link loop is refused with a message that
// names what it is, instead of hanging on open or being taken for a missing file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleetaudit {

// Opens a regular file for reading without ever blocking (O_NONBLOCK: a FIFO opens at once and
// is then refused). Returns the descriptor and size, or -1 with `error` set to what the path is
// ("is a FIFO (named pipe) …", "is a directory …", "is a dangling symbolic link …").
int open_regular_file(const std::string& path, uint64_t& size, std::string& error);

// Reads a whole regular file; false with `error` set as open_regular_file does.
bool read_regular_file(const std::string& path, std::string& contents, std::string& error);

// What is at `path`, following symbolic links.
enum class PathKind { missing, regular, directory, other };
struct PathInfo {
  PathKind kind = PathKind::missing;
  // For `other`, and for a link that leads nowhere (then kind is `other` too): what it is.
  std::string problem;
};
PathInfo inspect_path(const std::string& path);

// One entry of a folder, its kind found by following links.
struct FolderEntry {
  std::string name;
  PathInfo info;
};
// The entries of a folder sorted by name, without "." and ".."; nullopt with `error` set when
// the folder cannot be listed. Never throws.
std::optional<std::vector<FolderEntry>> list_folder(const std::string& path, std::string& error);

}  // namespace fleetaudit
