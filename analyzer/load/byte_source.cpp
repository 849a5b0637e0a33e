#include "analyzer/load/byte_source.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fleetaudit {

namespace {
extern "C" void on_bus_error(int signal, siginfo_t* info, void*) {
  if (info == nullptr || info->si_code != BUS_ADRERR) {
    ::signal(signal, SIG_DFL);  // some other bus error: die of it as before
    raise(signal);
    return;
  }
  static const char kMessage[] =
      "fleetaudit: error: a snapshot file shrank while it was being read; audit a copy that nothing writes to\n";
  [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  _exit(2);
}
}  // namespace

void exit_cleanly_when_a_mapped_file_shrinks() {
  struct sigaction action {};
  action.sa_sigaction = on_bus_error;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGBUS, &action, nullptr) != 0) return;  // then the signal keeps its default
}

std::optional<ByteSource> ByteSource::open_file(const std::string& path, std::string& error,
                                               const ReadBoundary* boundary) {
  uint64_t size = 0;
  const int fd = open_regular_file(path, size, error, boundary);
  if (fd < 0) return std::nullopt;
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  ByteSource source;
  source.fd_ = fd;
  source.size_ = size;
  source.path_ = path;
  source.map_file();
  return source;
}

void ByteSource::map_file() {
  if (size_ == 0) return;
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t file_pages = (size_ + page - 1) / page * page;
  const size_t length = (size_ + kWindowSlack + page - 1) / page * page;
  // Reserve the whole range as zero pages, then lay the file over its start: the slack past
  // the file's last page is anonymous memory, never a page beyond the end of the file.
  // MAP_NORESERVE: only the few pages written to ever need memory of their own.
  void* reserved = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (reserved == MAP_FAILED) return;
  void* file = mmap(reserved, file_pages, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, fd_, 0);
  if (file == MAP_FAILED) {
    munmap(reserved, length);
    return;  // windows are then copied with pread
  }
  window_memory_ = static_cast<char*>(reserved);
  mapping_length_ = length;
}

void ByteSource::unmap_file() {
  if (mapping_length_ != 0) munmap(window_memory_, mapping_length_);
  window_memory_ = nullptr;
  mapping_length_ = 0;
  window_copy_.reset();
}

uint64_t ByteSource::release_window_memory(uint64_t begin, uint64_t end) const {
  if (mapping_length_ == 0) return begin;
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  begin = begin / page * page;  // a partial first page was left behind by the last call
  end = std::min<uint64_t>(end / page * page, mapping_length_);
  if (end <= begin) return begin;
  madvise(window_memory_ + begin, static_cast<size_t>(end - begin), MADV_DONTNEED);
  return end;
}

ByteSource ByteSource::from_bytes(std::string bytes, Windows windows) {
  ByteSource source;
  source.size_ = bytes.size();
  source.memory_ = std::move(bytes);
  if (source.size_ > 0 && windows == Windows::in_place) {
    source.window_copy_ = std::make_unique<char[]>(source.size_ + kWindowSlack);
    std::memcpy(source.window_copy_.get(), source.memory_.data(), source.size_);
    std::memset(source.window_copy_.get() + source.size_, 0, kWindowSlack);
    source.window_memory_ = source.window_copy_.get();
  }
  return source;
}

ByteSource::ByteSource(ByteSource&& other) noexcept { *this = std::move(other); }

ByteSource& ByteSource::operator=(ByteSource&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    unmap_file();
    fd_ = other.fd_;
    size_ = other.size_;
    path_ = std::move(other.path_);
    memory_ = std::move(other.memory_);
    window_memory_ = other.window_memory_;
    mapping_length_ = other.mapping_length_;
    window_copy_ = std::move(other.window_copy_);
    other.fd_ = -1;
    other.size_ = 0;
    other.window_memory_ = nullptr;
    other.mapping_length_ = 0;
  }
  return *this;
}

ByteSource::~ByteSource() {
  unmap_file();
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
