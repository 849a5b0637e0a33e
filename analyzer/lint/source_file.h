#pragma once
// One input file's text and where its lines start, for turning byte offsets into SARIF regions.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

// 1-based; columns count Unicode code points (SARIF columnKind unicodeCodePoints), end exclusive.
struct Region {
  uint32_t start_line = 1, start_column = 1, end_line = 1, end_column = 1;
};

class SourceFile {
public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }  // as reported: relative to the current directory
  std::string_view text() const { return text_; }
  // Line and column of a byte offset.
  void position(uint32_t offset, uint32_t& line, uint32_t& column) const;
  Region region(Span span) const;
  size_t line_count() const { return line_starts_.size(); }
  uint32_t line_start(size_t line0) const { return line_starts_[line0]; }

private:
  // Code points in text_[0, offset): from the checkpoint every kCodePointStride bytes, so that a
  // column costs the same on a 2 MB line (terraform show -json writes one) as on a short one.
  static constexpr uint32_t kCodePointStride = 1024;
  uint32_t code_points_before(uint32_t offset) const;

  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
  std::vector<uint32_t> code_points_before_;  // at every multiple of kCodePointStride
};

}  // namespace fleetaudit::lint
