#pragma once
// Interning the strings of one window together. A loader queues each string with the cell its
// id goes to; at the end of the window (before the reader refills, and after the last record)
// they are interned as one batch, so that the cache misses of a large table overlap. The texts
// must live until then: simdjson's strings do, until its parser reads the next window.
#include <string_view>
#include <vector>

#include "analyzer/tables/snapshot.h"

namespace fleetaudit::load {

class WindowInterner {
 public:
  explicit WindowInterner(StringInterner& strings) : strings_(strings) {}
  WindowInterner(const WindowInterner&) = delete;
  WindowInterner& operator=(const WindowInterner&) = delete;
  ~WindowInterner() { flush(); }

  // column[row] receives the id of `text`.
  void add(std::string_view text, std::vector<StringId>& column, size_t row) {
    texts_.push_back(text);
    cells_.push_back({&column, nullptr, row});
  }
  // column[row] receives the split ARN `text`: its prefix now (a handful of distinct prefixes
  // stay in cache), its name with the batch.
  void add_split_arn(std::string_view text, std::vector<SplitArn>& column, size_t row);

  void flush();

 private:
  struct Cell {
    std::vector<StringId>* ids;
    std::vector<SplitArn>* arns;  // the name of column[row] when set
    size_t row;
  };
  StringInterner& strings_;
  std::vector<std::string_view> texts_;
  std::vector<Cell> cells_;
  std::vector<StringId> resolved_;
};

}  // namespace fleetaudit::load
