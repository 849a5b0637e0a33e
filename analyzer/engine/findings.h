#pragma once
// One check's findings, in report order. Most checks hold each finding whole. A check that fails
// a large part of one table (hundreds of thousands of aged certificates) holds rows instead: the
// resource's row, a reason and its related rows, 16 bytes each. The check words a row only when a
// report reads it, into a Finding the reader reuses; a million findings are neither built nor
// kept as strings, and the words cost what writing them costs.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/finding.h"

namespace fleetaudit {

struct FindingRow {
  uint32_t row = 0;            // the resource's row in the table the check swept
  uint32_t related_begin = 0;  // its related rows: RowFindings::related[related_begin, related_end)
  uint32_t related_end = 0;
  uint16_t suppression = 0;  // 0: not suppressed; n: by RowFindings::suppressions[n - 1]
  uint8_t reason = 0;        // index into RowFindings::reason_codes
};

// A check's findings as rows, and what its words are made from. Rows refer to the snapshot: an
// audit that outlives its snapshot holds them whole first (Findings::hold).
struct RowFindings {
  // Sets every field of `into` for `row` (reusing `into`'s strings and vectors).
  using Expand = void (*)(const RowFindings& rows, const FindingRow& row, Finding& into);
  // A row's resource identifier value; every row of one check has the same identifier kind.
  using ResourceValue = std::string_view (*)(const RowFindings& rows, uint32_t row);
  // Where a row's record is in the snapshot, without wording the finding (SARIF's regions).
  using Locate = SourceLocation (*)(const RowFindings& rows, uint32_t row);

  Expand expand = nullptr;
  ResourceValue resource_value = nullptr;
  Locate locate = nullptr;
  std::span<const std::string_view> reason_codes;  // the check's, which rows index
  const Snapshot* snapshot = nullptr;
  int64_t values[2] = {0, 0};  // the check's constants for its words (a clock, a threshold)
  int32_t table = 0;           // which of the check's tables the rows index, when it has several
  std::vector<FindingRow> rows;
  std::vector<uint32_t> related;
  std::vector<std::string> suppressions;  // the descriptions rows' `suppression` name

  std::string_view reason_code(const FindingRow& row) const { return reason_codes[row.reason]; }
};

// Findings ordered by resource key, then reason code: the order of every report.
std::vector<Finding> sorted_by_resource(std::vector<Finding> findings);

class Findings {
public:
  Findings() = default;
  Findings(std::vector<Finding> whole) : whole_(std::move(whole)) {}

  size_t size() const { return rows_.snapshot ? rows_.rows.size() : whole_.size(); }
  bool empty() const { return size() == 0; }

  // Whole findings (every check's way but the few that hold rows).
  void push_back(Finding finding) { whole_.push_back(std::move(finding)); }
  void reserve(size_t count) { whole_.reserve(count); }
  std::vector<Finding>& whole() { return whole_; }
  // Rows, in place of whole findings: `rows.snapshot` must be set.
  void set_rows(RowFindings rows) { rows_ = std::move(rows); }
  RowFindings* rows() { return rows_.snapshot ? &rows_ : nullptr; }
  const RowFindings* rows() const { return rows_.snapshot ? &rows_ : nullptr; }

  // The finding at `index`: the whole one, or its row worded into `scratch`. Valid until
  // `scratch` is used again.
  const Finding& view(size_t index, Finding& scratch) const;
  // A copy of the finding at `index` (tests and small reports; writers of many use view).
  Finding operator[](size_t index) const;
  std::vector<Finding> copied() const;  // every finding, whole
  bool suppressed(size_t index) const;
  SourceLocation location(size_t index) const;
  size_t unsuppressed() const;
  // Distinct resources: findings are in resource order, so equal resources are adjacent.
  size_t distinct_resources() const;
  // Words every row as a whole finding: before the snapshot the rows refer to is freed.
  void hold();

  // Report order: rows by resource value, then reason code; whole findings by resource key.
  void sort();

  class Iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Finding;
    using difference_type = std::ptrdiff_t;
    using pointer = const Finding*;
    using reference = const Finding&;
    Iterator(const Findings* findings, size_t index) : findings_(findings), index_(index) {}
    const Finding& operator*() const { return findings_->view(index_, scratch_); }
    const Finding* operator->() const { return &**this; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

  private:
    const Findings* findings_;
    size_t index_;
    mutable Finding scratch_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

private:
  std::vector<Finding> whole_;
  RowFindings rows_;
};

}  // namespace fleetaudit
