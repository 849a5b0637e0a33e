#pragma once
// Every snapshot file, folder and command-line input is opened through these: a FIFO, a device,
// a folder where a file belongs, a dangling link or a link loop is refused with a message that
// names what it is, instead of hanging on open or being taken for a missing file.
#include <sys/types.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace fleetaudit {

// The directories a command may read from: the snapshot directory for audit, the PATHs for lint.
// A path is inside when its canonical form (every symbolic link and ".." resolved) lies under the
// canonical form of a root, so a link or a "../" that leads elsewhere is refused before it is opened.
class ReadBoundary {
public:
  // `description` names the roots in messages ("the snapshot directory", "the paths given to lint").
  explicit ReadBoundary(std::string description = {}) : description_(std::move(description)) {}
  // Adds `directory` (resolved) as a root; false with `error` set when it cannot be resolved.
  bool add_root(const std::string& directory, std::string& error);
  // Why `path` may not be read (it resolves outside every root); nullopt when it may, or when it
  // cannot be resolved at all (then opening it reports what it is: missing, a dangling link, a loop).
  // The message never names where the path leads: only that it leaves the boundary.
  std::optional<std::string> refusal(const std::string& path) const;
  // A boundary of the one directory `directory` ("" when it cannot be resolved: then every path is refused).
  static ReadBoundary around(const std::string& directory, std::string description);
  bool empty() const { return roots_.empty(); }
  const std::vector<std::string>& roots() const { return roots_; }

private:
  std::string description_;
  std::vector<std::string> roots_;  // canonical, without a trailing '/' (but "/" itself)
};

// Opens a regular file for reading without ever blocking (O_NONBLOCK: a FIFO opens at once and
// is then refused). Returns the descriptor and size, or -1 with `error` set to what the path is
// ("is a FIFO (named pipe) …", "is a directory …", "is a dangling symbolic link …"). With a
// `boundary`, a path that resolves outside it is refused before it is opened, and the resolved
// path is opened with O_NOFOLLOW. Every file opened is remembered as an input (input_identities.h),
// so that no output can be written over it.
int open_regular_file(const std::string& path, uint64_t& size, std::string& error,
                      const ReadBoundary* boundary = nullptr);

// Reads a whole regular file of at most `max_bytes` (a larger one is refused, and no more than
// max_bytes + 1 bytes are ever read, whatever the file does meanwhile); false with `error` set as
// open_regular_file does.
bool read_regular_file(const std::string& path, std::string& contents, std::string& error,
                       uint64_t max_bytes = std::numeric_limits<uint64_t>::max(),
                       const ReadBoundary* boundary = nullptr);

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
