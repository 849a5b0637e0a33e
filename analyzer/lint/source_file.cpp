#include "analyzer/lint/source_file.h"

#include <algorithm>

namespace fleetaudit::lint {

namespace {
bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  code_points_before_.push_back(0);
  uint32_t code_points = 0;
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
    code_points += !continuation_byte(text_[i]);
    if ((i + 1) % kCodePointStride == 0) code_points_before_.push_back(code_points);
  }
}

uint32_t SourceFile::code_points_before(uint32_t offset) const {
  const uint32_t checkpoint = offset / kCodePointStride;
  uint32_t count = code_points_before_[checkpoint];
  for (uint32_t i = checkpoint * kCodePointStride; i < offset; ++i) count += !continuation_byte(text_[i]);
  return count;
}

void SourceFile::position(uint32_t offset, uint32_t& line, uint32_t& column) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  const size_t index = static_cast<size_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) -
                                           line_starts_.begin()) - 1;
  line = static_cast<uint32_t>(index + 1);
  column = 1 + code_points_before(offset) - code_points_before(line_starts_[index]);
}

Region SourceFile::region(Span span) const {
  Region region;
  position(span.begin, region.start_line, region.start_column);
  position(std::max(span.end, span.begin), region.end_line, region.end_column);
  return region;
}

}  // namespace fleetaudit::lint
