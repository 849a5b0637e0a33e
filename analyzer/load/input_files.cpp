#include "analyzer/load/input_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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
  struct stat link {};
  if (error == ENOENT && lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    return "is a dangling symbolic link (its target does not exist)";
  return std::strerror(error);
}

}  // namespace

int open_regular_file(const std::string& path, uint64_t& size, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
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
  // Back to blocking reads: a regular file never blocks, but no caller expects EAGAIN.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  size = static_cast<uint64_t>(info.st_size);
  return fd;
}

bool read_regular_file(const std::string& path, std::string& contents, std::string& error) {
  uint64_t size = 0;
  const int fd = open_regular_file(path, size, error);
  if (fd < 0) return false;
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
