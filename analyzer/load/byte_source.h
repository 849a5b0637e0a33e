#pragma once
// The bytes of one snapshot file, read by offset: a file on disk or bytes in memory (tests,
// fuzzing). A file is also mapped copy-on-write, so that loaders parse windows of it in place
// instead of copying them; pages behind the loader are released, so a multi-GB file never
// needs to be resident.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/load/input_files.h"

namespace fleetaudit {

// Snapshot files are read through memory mappings: if another process truncates one meanwhile,
// touching the pages it lost raises SIGBUS. After this call that signal ends the process with a
// message and exit status 2 (input that could not be read) instead of a crash.
void exit_cleanly_when_a_mapped_file_shrinks();

class ByteSource {
public:
  // nullopt with `error` set when the file cannot be opened.
  // With a `boundary`, a path that resolves outside it is refused (input_files.h).
  static std::optional<ByteSource> open_file(const std::string& path, std::string& error,
                                             const ReadBoundary* boundary = nullptr);
  // `copied`: no window_memory(), so that readers copy each window, as they do for a file that
  // cannot be mapped (tests compare the two ways).
  enum class Windows { in_place, copied };
  static ByteSource from_bytes(std::string bytes, Windows windows = Windows::in_place);

  ByteSource(ByteSource&& other) noexcept;
  ByteSource& operator=(ByteSource&& other) noexcept;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource();

  uint64_t size() const { return size_; }
  // Copies up to `length` bytes at `offset` into `out`; returns how many were copied.
  size_t read(uint64_t offset, char* out, size_t length) const;
  const std::string& path() const { return path_; }  // empty for bytes in memory
  // The bytes in memory, or empty for a file.
  std::string_view memory() const { return memory_; }

  // Bytes readable (and writable: the mapping is private) past the end of window_memory().
  static constexpr size_t kWindowSlack = 128;
  // The file mapped copy-on-write (for bytes in memory, a copy of them), followed by
  // kWindowSlack zero bytes; nullptr for an empty file or when mapping failed. Writes change
  // this copy only: a loader closes a window by writing brackets into it. read() and memory()
  // still return the original bytes.
  char* window_memory() const { return window_memory_; }
  // Drops the whole mapped pages within [begin, end) from memory (reading them later reads the
  // file again); returns where the last of them ends, where the next release should begin.
  uint64_t release_window_memory(uint64_t begin, uint64_t end) const;

private:
  ByteSource() = default;

  int fd_ = -1;
  uint64_t size_ = 0;
  std::string path_;
  std::string memory_;
  char* window_memory_ = nullptr;  // the mapping, or window_copy_
  size_t mapping_length_ = 0;     // of the mapping; 0 for bytes in memory
  std::unique_ptr<char[]> window_copy_;
  void map_file();
  void unmap_file();
};

}  // namespace fleetaudit
