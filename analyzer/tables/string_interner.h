#pragma once
// Every string the tables hold is stored once and named by a dense 32-bit id.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace fleetaudit {

using StringId = uint32_t;
inline constexpr StringId kNoString = UINT32_MAX;

class StringInterner {
public:
  // `off`: every intern() stores a new string, equal texts get different ids, and there is no
  // hash table to build. For scratch tables whose strings are interned again elsewhere.
  enum class Deduplication { on, off };
  explicit StringInterner(Deduplication deduplication = Deduplication::on);
  StringInterner(StringInterner&&) noexcept = default;
  StringInterner& operator=(StringInterner&&) noexcept = default;

  StringId intern(std::string_view text);
  // Interns texts[i] into ids[i], in order (the same ids as one intern() call each). In a table
  // far larger than the cache every lookup misses two or three times; here the slots, entries
  // and bytes of a whole batch are fetched ahead, so that the misses overlap.
  void intern_batch(const std::string_view* texts, size_t count, StringId* ids);
  // kNoString when the text was never interned (without deduplication: the first id of the text).
  StringId find(std::string_view text) const;
  std::string_view view(StringId id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  size_t bytes_used() const;

private:
  StringId intern_hashed(std::string_view text, uint32_t hash);
  const char* store(std::string_view text);
  void grow();

  // Arena: strings never move, so string_views into it stay valid.
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_capacity_ = 0;
  std::vector<std::string_view> strings_;
  // Open addressing, linear probing. A slot holds the string's hash in its high half and id + 1
  // in its low half (0 = empty): a probe rejects other strings without touching them.
  std::vector<uint64_t> slots_;
  bool deduplicate_ = true;
};

uint32_t hash_string(std::string_view text);

}  // namespace fleetaudit
