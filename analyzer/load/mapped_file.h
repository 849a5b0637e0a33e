#pragma once
// A snapshot file's bytes with the padding simdjson needs after the end.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fleetaudit {

class ReadBoundary;

class MappedFile {
public:
  // nullopt with `error` set when the file cannot be opened or read.
  // With a `boundary`, a path that resolves outside it is refused (input_files.h).
  static std::optional<MappedFile> open(const std::string& path, std::string& error,
                                        const ReadBoundary* boundary = nullptr);
  // A padded copy of `bytes`: for tests and fuzzing, which have no file.
  static MappedFile copy_of(std::string_view bytes);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  // Bytes readable past size(): at least simdjson::SIMDJSON_PADDING.
  size_t capacity() const { return capacity_; }

private:
  MappedFile() = default;
  void release();

  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  void* mapping_ = nullptr;  // set when the bytes are mmapped
  size_t mapping_length_ = 0;
  std::unique_ptr<char[]> buffer_;  // set when the bytes were read instead
};

}  // namespace fleetaudit
