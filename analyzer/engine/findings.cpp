#include "analyzer/engine/findings.h"

#include <algorithm>
#include <cstring>

namespace fleetaudit {
namespace {

// Sorting by resource key, then reason code, compares heads first: the first eight bytes of what follows "member=" in a
// key, big-endian, zero-padded: for keys with the same member, a difference here orders them as the key strings would
// (a shorter text's zero padding sorts before any character), so most comparisons never touch the strings.
uint64_t value_head(std::string_view value) {
  char bytes[8] = {};
  std::memcpy(bytes, value.data(), std::min<size_t>(8, value.size()));
  uint64_t head = 0;
  for (char byte : bytes) head = head << 8 | static_cast<unsigned char>(byte);
  return head;
}

// The same for a whole finding's identifier: a policy version's key goes on with "@version".
uint64_t key_head(const ResourceIdentifier& id) {
  if (id.kind != ResourceIdentifier::Kind::policy_version || id.value.size() >= 8) return value_head(id.value);
  char bytes[8] = {};
  size_t n = id.value.size();
  std::memcpy(bytes, id.value.data(), n);
  bytes[n++] = '@';
  std::memcpy(bytes + n, id.version_id.data(), std::min<size_t>(8 - n, id.version_id.size()));
  return value_head(std::string_view(bytes, 8));
}

// Rows in report order: by resource value (one identifier kind, so as their keys order), then
// reason code, as sorted_by_resource orders whole findings.
void sort_rows(RowFindings& rows) {
  struct Entry {
    uint64_t head;
    uint32_t index;
  };
  std::vector<Entry> order(rows.rows.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = {value_head(rows.resource_value(rows, rows.rows[i].row)), i};
  std::sort(order.begin(), order.end(), [&](const Entry& a, const Entry& b) {
    if (a.head != b.head) return a.head < b.head;
    const FindingRow& left = rows.rows[a.index];
    const FindingRow& right = rows.rows[b.index];
    const int c = rows.resource_value(rows, left.row).compare(rows.resource_value(rows, right.row));
    return c != 0 ? c < 0 : rows.reason_code(left) < rows.reason_code(right);
  });
  std::vector<FindingRow> sorted(order.size());
  for (size_t i = 0; i < order.size(); ++i) sorted[i] = rows.rows[order[i].index];
  rows.rows = std::move(sorted);
}

}  // namespace

std::vector<Finding> sorted_by_resource(std::vector<Finding> findings) {
  // The kind is kept beside the head: a comparison that reads only the entries stays in cache,
  // where reading the findings themselves was a cache miss per comparison (seconds at 500k).
  struct Entry {
    uint64_t head;
    uint32_t index;
    ResourceIdentifier::Kind kind;
  };
  std::vector<Entry> order(findings.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = {key_head(findings[i].resource), i, findings[i].resource.kind};
  std::sort(order.begin(), order.end(), [&](const Entry& a, const Entry& b) {
    if (a.kind == b.kind && a.head != b.head) return a.head < b.head;
    const ResourceIdentifier& left = findings[a.index].resource;
    const ResourceIdentifier& right = findings[b.index].resource;
    const int c = compare_keys(left, right);
    return c != 0 ? c < 0 : findings[a.index].reason_code < findings[b.index].reason_code;
  });
  // Moved into place cycle by cycle, not copied into a second vector: that one was fresh memory,
  // a page fault every fifteen findings.
  for (uint32_t start = 0; start < order.size(); ++start) {
    if (order[start].index == start) continue;
    Finding held = std::move(findings[start]);
    uint32_t at = start;
    while (order[at].index != start) {
      const uint32_t from = order[at].index;
      findings[at] = std::move(findings[from]);
      order[at].index = at;  // placed
      at = from;
    }
    findings[at] = std::move(held);
    order[at].index = at;
  }
  return findings;
}

const Finding& Findings::view(size_t index, Finding& scratch) const {
  if (rows_.snapshot == nullptr) return whole_[index];
  const FindingRow& row = rows_.rows[index];
  rows_.expand(rows_, row, scratch);
  scratch.suppressed = row.suppression != 0;
  scratch.suppression_description.clear();
  if (row.suppression != 0) scratch.suppression_description = rows_.suppressions[row.suppression - 1];
  apply_wording_rewrite(scratch);  // a test's rewording of every message (finding.h)
  return scratch;
}

Finding Findings::operator[](size_t index) const {
  Finding scratch;
  return view(index, scratch);
}

std::vector<Finding> Findings::copied() const {
  std::vector<Finding> all(size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = (*this)[i];
  return all;
}

SourceLocation Findings::location(size_t index) const {
  return rows_.snapshot ? rows_.locate(rows_, rows_.rows[index].row) : whole_[index].location;
}

bool Findings::suppressed(size_t index) const {
  return rows_.snapshot ? rows_.rows[index].suppression != 0 : whole_[index].suppressed;
}

size_t Findings::unsuppressed() const {
  size_t count = 0;
  for (size_t i = 0; i < size(); ++i) count += suppressed(i) ? 0 : 1;
  return count;
}

size_t Findings::distinct_resources() const {
  size_t distinct = 0;
  for (size_t i = 0; i < size(); ++i) {
    const bool same = i > 0 && (rows_.snapshot ? rows_.resource_value(rows_, rows_.rows[i].row) ==
                                                     rows_.resource_value(rows_, rows_.rows[i - 1].row)
                                               : compare_keys(whole_[i].resource, whole_[i - 1].resource) == 0);
    distinct += same ? 0 : 1;
  }
  return distinct;
}

void Findings::hold() {
  if (rows_.snapshot == nullptr) return;
  std::vector<Finding> whole(rows_.rows.size());
  for (size_t i = 0; i < whole.size(); ++i) view(i, whole[i]);
  whole_ = std::move(whole);
  rows_ = RowFindings();
}

void Findings::sort() {
  if (rows_.snapshot) {
    sort_rows(rows_);
    return;
  }
  whole_ = sorted_by_resource(std::move(whole_));
}

}  // namespace fleetaudit
