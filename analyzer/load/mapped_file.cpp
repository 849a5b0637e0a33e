#include "analyzer/load/mapped_file.h"

#include "analyzer/load/byte_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <simdjson.h>

namespace fleetaudit {

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    mapping_ = other.mapping_;
    mapping_length_ = other.mapping_length_;
    buffer_ = std::move(other.buffer_);
    other.data_ = nullptr;
    other.mapping_ = nullptr;
    other.size_ = other.capacity_ = other.mapping_length_ = 0;
  }
  return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_length_);
  mapping_ = nullptr;
  buffer_.reset();
  data_ = nullptr;
}

MappedFile MappedFile::copy_of(std::string_view bytes) {
  MappedFile file;
  file.size_ = bytes.size();
  file.buffer_ = std::make_unique<char[]>(bytes.size() + simdjson::SIMDJSON_PADDING);
  if (!bytes.empty()) std::memcpy(file.buffer_.get(), bytes.data(), bytes.size());
  std::memset(file.buffer_.get() + bytes.size(), 0, simdjson::SIMDJSON_PADDING);
  file.data_ = file.buffer_.get();
  file.capacity_ = bytes.size() + simdjson::SIMDJSON_PADDING;
  return file;
}

std::optional<MappedFile> MappedFile::open(const std::string& path, std::string& error,
                                           const ReadBoundary* boundary) {
  uint64_t size = 0;
  const int fd = open_regular_file(path, size, error, boundary);
  if (fd < 0) return std::nullopt;
  MappedFile file;
  file.size_ = static_cast<size_t>(size);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t slack = file.size_ % page == 0 ? 0 : page - file.size_ % page;
  if (file.size_ > 0 && slack >= simdjson::SIMDJSON_PADDING) {
    // The zero-filled tail of the last page is the padding: parse in place.
    void* mapping = mmap(nullptr, file.size_ + slack, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping != MAP_FAILED) {
      madvise(mapping, file.size_ + slack, MADV_SEQUENTIAL);
      file.mapping_ = mapping;
      file.mapping_length_ = file.size_ + slack;
      file.data_ = static_cast<const char*>(mapping);
      file.capacity_ = file.size_ + slack;
      ::close(fd);
      return file;
    }
  }
  file.buffer_ = std::make_unique<char[]>(file.size_ + simdjson::SIMDJSON_PADDING);
  size_t done = 0;
  while (done < file.size_) {
    ssize_t got = ::read(fd, file.buffer_.get() + done, file.size_ - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      error = got < 0 ? std::strerror(errno) : "file shrank while being read";
      ::close(fd);
      return std::nullopt;
    }
    done += static_cast<size_t>(got);
  }
  std::memset(file.buffer_.get() + file.size_, 0, simdjson::SIMDJSON_PADDING);
  file.data_ = file.buffer_.get();
  file.capacity_ = file.size_ + simdjson::SIMDJSON_PADDING;
  ::close(fd);
  return file;
}

}  // namespace fleetaudit
