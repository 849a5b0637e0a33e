#pragma once
// Every file a command writes (a report, a plan, a script, a preview's files) is opened here, so that
// one set of rules holds for all of them:
// - an output is never an input: a path that is the same file (device and inode, through any link)
//   as one this process read is refused;
// - an existing file that is not a regular file is refused, but for a terminal, a pipe (a FIFO with
//   a reader) and /dev/null, which are opened and written as they are (never truncated, chmod'ed nor
//   renamed over);
// - a regular file is written to a temporary file in the same directory and renamed into place by
//   commit(), so that a crash or a concurrent writer leaves the old file or a whole new one; a
//   symbolic link at the path is replaced, never written through (a link planted in a pull
//   request cannot aim a report at another file);
// - a write, flush or rename that fails is an error with its reason.
#include <sys/types.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fleetaudit {

class OutputFile {
public:
  // `executable`: the file gets execute permission where it has read permission (a script).
  // nullopt with `error` set (what the path is, and why it is refused) when it cannot be written.
  static std::optional<OutputFile> open(const std::string& path, std::string& error, bool executable = false);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();  // an output never committed leaves no temporary file behind

  std::FILE* stream() const { return stream_; }
  // Flushes (and, for a regular file, syncs and renames into place); false with `error` set to
  // the reason when any write failed.
  bool commit(std::string& error);

private:
  OutputFile() = default;
  void discard();

  std::FILE* stream_ = nullptr;
  const int* write_error_ = nullptr;  // errno of the stream's first failed write (owned by the stream)
  int fd_ = -1;            // of a temporary file, for fsync
  std::string temporary_;  // the file written, renamed to target_ by commit(); empty for a device or pipe
  std::string target_;
};

// Standard output as a stream that remembers why a write failed (stdio keeps only that one did), for
// finish_stream's message; main passes it to every command.
std::FILE* checked_standard_output();

// Flushes `out` (standard output) and checks every write to it; false with `error` set to the
// reason (a full disk, a closed pipe) when one failed.
bool finish_stream(std::FILE* out, std::string& error);

// The message when two options name one output (the same path, or one file through a link);
// `outputs` are (option, path) pairs, empty paths ignored.
std::optional<std::string> repeated_output(const std::vector<std::pair<std::string, std::string>>& outputs);

}  // namespace fleetaudit
