#include "analyzer/load/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fleetaudit {

int open_regular_file(const std::string& path, uint64_t& size, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    error = S_ISDIR(info.st_mode) ? "is a directory, expected a JSON file" : "not a regular file";
    ::close(fd);
    return -1;
  }
  size = static_cast<uint64_t>(info.st_size);
  return fd;
}

std::optional<ByteSource> ByteSource::open_file(const std::string& path, std::string& error) {
  uint64_t size = 0;
  const int fd = open_regular_file(path, size, error);
  if (fd < 0) return std::nullopt;
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  ByteSource source;
  source.fd_ = fd;
  source.size_ = size;
  source.path_ = path;
  return source;
}

ByteSource ByteSource::from_bytes(std::string bytes) {
  ByteSource source;
  source.size_ = bytes.size();
  source.memory_ = std::move(bytes);
  return source;
}

ByteSource::ByteSource(ByteSource&& other) noexcept { *this = std::move(other); }

ByteSource& ByteSource::operator=(ByteSource&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    size_ = other.size_;
    path_ = std::move(other.path_);
    memory_ = std::move(other.memory_);
    other.fd_ = -1;
    other.size_ = 0;
  }
  return *this;
}

ByteSource::~ByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t ByteSource::read(uint64_t offset, char* out, size_t length) const {
  if (offset >= size_) return 0;
  if (length > size_ - offset) length = static_cast<size_t>(size_ - offset);
  if (fd_ < 0) {
    std::memcpy(out, memory_.data() + offset, length);
    return length;
  }
  size_t done = 0;
  while (done < length) {
    ssize_t got = ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // the file shrank or failed; the caller sees a short read
    done += static_cast<size_t>(got);
  }
  return done;
}

}  // namespace fleetaudit
