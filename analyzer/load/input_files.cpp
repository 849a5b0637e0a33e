#include "analyzer/load/input_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "analyzer/util/input_identities.h"

namespace fleetaudit {

namespace {

std::string describe_mode(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory, expected a regular file";
  if (S_ISFIFO(mode)) return "is a FIFO (named pipe), not a regular file; fleetaudit reads only regular files";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file; fleetaudit reads only regular files";
  if (S_ISCHR(mode)) return "is a character device, not a regular file; fleetaudit reads only regular files";
  if (S_ISBLK(mode)) return "is a block device, not a regular file; fleetaudit reads only regular files";
  return "is not a regular file";
}

// Why stat or open failed: names a link that leads nowhere instead of calling it missing.
std::string describe_errno(const std::string& path, int error) {
  if (error == ELOOP) return "is a symbolic link loop (too many levels of symbolic links)";
  struct stat what {};
  if (error == ENXIO && stat(path.c_str(), &what) == 0) return describe_mode(what.st_mode);  // a socket
  struct stat link {};
  if (error == ENOENT && lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    return "is a dangling symbolic link (its target does not exist)";
  return std::strerror(error);
}

}  // namespace

bool ReadBoundary::add_root(const std::string& directory, std::string& error) {
  char* resolved = ::realpath(directory.c_str(), nullptr);
  if (resolved == nullptr) {
    error = describe_errno(directory, errno);
    return false;
  }
  std::string root(resolved);
  std::free(resolved);
  if (std::find(roots_.begin(), roots_.end(), root) == roots_.end()) roots_.push_back(std::move(root));
  return true;
}

ReadBoundary ReadBoundary::around(const std::string& directory, std::string description) {
  ReadBoundary boundary(std::move(description));
  std::string ignored;
  boundary.add_root(directory, ignored);
  return boundary;
}

std::optional<std::string> ReadBoundary::refusal(const std::string& path) const {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return std::nullopt;  // missing, dangling, a loop: open says which
  const std::string canonical(resolved);
  std::free(resolved);
  if (roots_.empty()) return "cannot be placed inside " + description_ + "; not read";
  for (const std::string& root : roots_) {
    if (root == "/" || canonical == root) return std::nullopt;
    if (canonical.size() > root.size() && canonical.compare(0, root.size(), root) == 0 && canonical[root.size()] == '/')
      return std::nullopt;
  }
  return "leads outside " + (description_.empty() ? std::string("the directories fleetaudit was given") : description_) +
         " (through a symbolic link, \"..\" or an absolute path); fleetaudit reads nothing there";
}

int open_regular_file(const std::string& path, uint64_t& size, std::string& error, const ReadBoundary* boundary) {
  std::string opened = path;
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  if (boundary != nullptr) {
    if (auto refused = boundary->refusal(path)) {
      error = *refused;
      return -1;
    }
    // The resolved path, its last component not followed: a link swapped in since is refused.
    if (char* resolved = ::realpath(path.c_str(), nullptr)) {
      opened = resolved;
      std::free(resolved);
      flags |= O_NOFOLLOW;
    }
  }
  int fd = ::open(opened.c_str(), flags);
  if (fd < 0) {
    error = describe_errno(path, errno);
    return -1;
  }
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (!S_ISREG(info.st_mode)) {
    error = describe_mode(info.st_mode);
    ::close(fd);
    return -1;
  }
  remember_input(info.st_dev, info.st_ino);
  // Back to blocking reads: a regular file never blocks, but no caller expects EAGAIN.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  size = static_cast<uint64_t>(info.st_size);
  return fd;
}

bool read_regular_file(const std::string& path, std::string& contents, std::string& error, uint64_t max_bytes,
                       const ReadBoundary* boundary) {
  uint64_t size = 0;
  const int fd = open_regular_file(path, size, error, boundary);
  if (fd < 0) return false;
  if (size > max_bytes) {
    error = "is larger than " + std::to_string(max_bytes) + " bytes, the most fleetaudit reads of one file";
    ::close(fd);
    return false;
  }
  contents.clear();
  contents.reserve(static_cast<size_t>(size));
  char block[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, block, sizeof block);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (got == 0) break;
    contents.append(block, static_cast<size_t>(got));
    if (contents.size() > max_bytes) {  // it grew while being read
      error = "is larger than " + std::to_string(max_bytes) + " bytes, the most fleetaudit reads of one file";
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

PathInfo inspect_path(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    const int error = errno;
    struct stat link {};
    if (error == ENOENT && lstat(path.c_str(), &link) != 0) return {PathKind::missing, {}};
    return {PathKind::other, describe_errno(path, error)};
  }
  if (S_ISREG(info.st_mode)) return {PathKind::regular, {}};
  if (S_ISDIR(info.st_mode)) return {PathKind::directory, {}};
  return {PathKind::other, describe_mode(info.st_mode)};
}

std::optional<std::vector<FolderEntry>> list_folder(const std::string& path, std::string& error) {
  DIR* folder = opendir(path.c_str());
  if (folder == nullptr) {
    error = describe_errno(path, errno);
    return std::nullopt;
  }
  std::vector<FolderEntry> entries;
  int read_error = 0;
  for (;;) {
    errno = 0;  // readdir leaves errno alone at the end of the folder
    const dirent* entry = readdir(folder);
    if (entry == nullptr) {
      read_error = errno;
      break;
    }
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    entries.push_back({name, inspect_path(path + "/" + name)});
  }
  closedir(folder);
  if (read_error != 0) {
    error = std::strerror(read_error);
    return std::nullopt;
  }
  std::sort(entries.begin(), entries.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; });
  return entries;
}

}  // namespace fleetaudit
