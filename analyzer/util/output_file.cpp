#include "analyzer/util/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "analyzer/util/input_identities.h"

namespace fleetaudit {

namespace {

namespace fs = std::filesystem;

// A descriptor written through stdio that keeps the errno of its first failed write.
struct Sink {
  int fd = -1;
  bool owns_fd = true;
  int error = 0;
};

ssize_t sink_write(void* cookie, const char* data, size_t size) {
  Sink& sink = *static_cast<Sink*>(cookie);
  size_t done = 0;
  while (done < size) {
    const ssize_t put = ::write(sink.fd, data + done, size - done);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      if (sink.error == 0) sink.error = put < 0 ? errno : EIO;
      return done > 0 ? static_cast<ssize_t>(done) : -1;
    }
    done += static_cast<size_t>(put);
  }
  return static_cast<ssize_t>(done);
}

int sink_close(void* cookie) {
  Sink* sink = static_cast<Sink*>(cookie);
  const int closed = sink->owns_fd ? ::close(sink->fd) : 0;
  delete sink;
  return closed;
}

// A stream over `fd` (closed with it when `owns_fd`); `write_error` points at its first write's errno.
std::FILE* sink_stream(int fd, bool owns_fd, const int*& write_error) {
  Sink* sink = new Sink{fd, owns_fd, 0};
  std::FILE* stream = fopencookie(sink, "w", cookie_io_functions_t{nullptr, sink_write, nullptr, sink_close});
  if (stream == nullptr) {
    delete sink;
    return nullptr;
  }
  write_error = &sink->error;
  return stream;
}

const int* standard_output_error = nullptr;
std::FILE* standard_output_stream = nullptr;

bool is_dev_null(const struct stat& info) {
  struct stat null {};
  return S_ISCHR(info.st_mode) && stat("/dev/null", &null) == 0 && info.st_rdev == null.st_rdev;
}

// An existing file that is no regular file, opened for writing as it is, or the reason it is refused.
std::FILE* open_special(const std::string& path, const struct stat& info, std::string& error,
                        const int*& write_error) {
  if (S_ISDIR(info.st_mode)) {
    error = "is a directory";
    return nullptr;
  }
  if (!S_ISCHR(info.st_mode) && !S_ISFIFO(info.st_mode)) {
    error = S_ISSOCK(info.st_mode) ? "is a socket; write to a regular file, a pipe, a terminal or /dev/null"
                                   : "is a block device; write to a regular file, a pipe, a terminal or /dev/null";
    return nullptr;
  }
  // O_NONBLOCK: a FIFO that nobody reads fails at once (ENXIO) instead of hanging.
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = errno == ENXIO ? "is a FIFO (named pipe) that nothing reads" : std::strerror(errno);
    return nullptr;
  }
  if (S_ISCHR(info.st_mode) && !is_dev_null(info) && !isatty(fd)) {
    ::close(fd);
    error = "is a character device other than a terminal or /dev/null; write to a regular file instead";
    return nullptr;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::FILE* stream = sink_stream(fd, true, write_error);
  if (stream == nullptr) {
    error = std::strerror(errno);
    ::close(fd);
  }
  return stream;
}

mode_t new_file_mode() {
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

}  // namespace

std::optional<OutputFile> OutputFile::open(const std::string& path, std::string& error, bool executable) {
  OutputFile output;
  struct stat info {};
  mode_t mode = new_file_mode();
  if (stat(path.c_str(), &info) == 0) {
    if (is_input(info.st_dev, info.st_ino)) {
      error = "is an input of this run (the same file, perhaps through a link); fleetaudit never writes over its input";
      return std::nullopt;
    }
    if (!S_ISREG(info.st_mode)) {
      output.stream_ = open_special(path, info, error, output.write_error_);
      if (output.stream_ == nullptr) return std::nullopt;
      return output;
    }
    mode = info.st_mode & 07777;
  } else if (errno != ENOENT) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  // The path itself is replaced, a symbolic link there included: never written through.
  output.target_ = path;
  const fs::path directory = fs::path(output.target_).parent_path();
  std::string pattern =
      ((directory.empty() ? fs::path(".") : directory) / ("." + fs::path(output.target_).filename().string() + ".XXXXXX"))
          .string();
  const int fd = mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) {
    error = std::string("cannot create a file in its directory: ") + std::strerror(errno);
    return std::nullopt;
  }
  output.temporary_ = pattern;
  output.fd_ = fd;
  if (executable) mode |= (mode & 0444) >> 2;
  if (fchmod(fd, mode) != 0 || (output.stream_ = sink_stream(fd, true, output.write_error_)) == nullptr) {
    error = std::strerror(errno);
    ::close(fd);
    unlink(output.temporary_.c_str());
    output.temporary_.clear();
    return std::nullopt;
  }
  return output;
}

OutputFile::OutputFile(OutputFile&& other) noexcept { *this = std::move(other); }

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    discard();
    stream_ = std::exchange(other.stream_, nullptr);
    write_error_ = std::exchange(other.write_error_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
    temporary_ = std::exchange(other.temporary_, {});
    target_ = std::exchange(other.target_, {});
  }
  return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() {
  if (stream_ != nullptr) std::fclose(stream_);
  stream_ = nullptr;
  write_error_ = nullptr;
  fd_ = -1;
  if (!temporary_.empty()) unlink(temporary_.c_str());
  temporary_.clear();
}

bool OutputFile::commit(std::string& error) {
  if (stream_ == nullptr) {
    error = "already closed";
    return false;
  }
  bool ok = std::fflush(stream_) == 0 && !std::ferror(stream_);
  if (!ok) error = *write_error_ != 0 ? std::strerror(*write_error_) : "a write failed";
  if (ok && fd_ >= 0 && fsync(fd_) != 0) {
    error = std::strerror(errno);
    ok = false;
  }
  std::FILE* stream = std::exchange(stream_, nullptr);
  write_error_ = nullptr;
  fd_ = -1;
  if (std::fclose(stream) != 0 && ok) {
    error = std::strerror(errno);
    ok = false;
  }
  if (ok && !temporary_.empty() && std::rename(temporary_.c_str(), target_.c_str()) != 0) {
    error = std::string("cannot rename the written file into place: ") + std::strerror(errno);
    ok = false;
  }
  if (ok) temporary_.clear();
  else discard();
  return ok;
}

std::FILE* checked_standard_output() {
  if (standard_output_stream == nullptr) standard_output_stream = sink_stream(STDOUT_FILENO, false, standard_output_error);
  return standard_output_stream != nullptr ? standard_output_stream : stdout;
}

bool finish_stream(std::FILE* out, std::string& error) {
  errno = 0;
  const bool flushed = std::fflush(out) == 0;
  const int flush_error = errno;
  if (flushed && !std::ferror(out)) return true;
  const int write_error = out == standard_output_stream && standard_output_error != nullptr ? *standard_output_error : 0;
  error = write_error != 0 ? std::strerror(write_error) : flush_error != 0 ? std::strerror(flush_error) : "a write failed";
  return false;
}

std::optional<std::string> repeated_output(const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i)
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      const auto& [first_option, first] = outputs[i];
      const auto& [second_option, second] = outputs[j];
      if (first.empty() || second.empty()) continue;
      std::error_code ignored;
      const bool same_name = fs::weakly_canonical(first, ignored) == fs::weakly_canonical(second, ignored);
      struct stat a {}, b {};
      const bool same_file = stat(first.c_str(), &a) == 0 && stat(second.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
                             a.st_ino == b.st_ino;
      if (same_name || same_file)
        return first_option + " " + first + " and " + second_option + " " + second +
               " are one file: give each output its own";
    }
  return std::nullopt;
}

}  // namespace fleetaudit
