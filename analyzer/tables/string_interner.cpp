#include "analyzer/tables/string_interner.h"

#include <cstring>

namespace fleetaudit {

namespace {
constexpr size_t kBlockSize = 1 << 20;
}

uint32_t hash_string(std::string_view text) {
  // FNV-1a over 8-byte words, then a final mix: cheap and good enough for names and ids.
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    h = (h ^ word) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < text.size(); ++i) h = (h ^ static_cast<unsigned char>(text[i])) * 0x100000001b3ULL;
  h ^= h >> 32;
  h *= 0x9e3779b97f4a7c15ULL;
  return static_cast<uint32_t>(h >> 32);
}

StringInterner::StringInterner() : slots_(1024, 0) {}

const char* StringInterner::store(std::string_view text) {
  if (blocks_.empty() || text.size() > block_capacity_ - block_used_) {  // the first string may be ""
    size_t capacity = text.size() > kBlockSize ? text.size() : kBlockSize;
    blocks_.push_back(std::make_unique<char[]>(capacity));
    block_used_ = 0;
    block_capacity_ = capacity;
  }
  char* destination = blocks_.back().get() + block_used_;
  if (!text.empty()) std::memcpy(destination, text.data(), text.size());
  block_used_ += text.size();
  return destination;
}

void StringInterner::grow() {
  std::vector<uint32_t> bigger(slots_.size() * 2, 0);
  size_t mask = bigger.size() - 1;
  for (uint32_t id = 0; id < strings_.size(); ++id) {
    size_t slot = hashes_[id] & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = id + 1;
  }
  slots_.swap(bigger);
}

StringId StringInterner::find(std::string_view text) const {
  uint32_t h = hash_string(text);
  size_t mask = slots_.size() - 1;
  for (size_t slot = h & mask;; slot = (slot + 1) & mask) {
    uint32_t entry = slots_[slot];
    if (entry == 0) return kNoString;
    StringId id = entry - 1;
    if (hashes_[id] == h && strings_[id] == text) return id;
  }
}

StringId StringInterner::intern(std::string_view text) {
  uint32_t h = hash_string(text);
  size_t mask = slots_.size() - 1;
  size_t slot = h & mask;
  for (;; slot = (slot + 1) & mask) {
    uint32_t entry = slots_[slot];
    if (entry == 0) break;
    StringId id = entry - 1;
    if (hashes_[id] == h && strings_[id] == text) return id;
  }
  StringId id = static_cast<StringId>(strings_.size());
  strings_.emplace_back(store(text), text.size());
  hashes_.push_back(h);
  slots_[slot] = id + 1;
  // Keep the load factor under one half so probes stay short.
  if (strings_.size() * 2 > slots_.size()) grow();
  return id;
}

size_t StringInterner::bytes_used() const {
  size_t total = slots_.capacity() * sizeof(uint32_t) + hashes_.capacity() * sizeof(uint32_t) +
                 strings_.capacity() * sizeof(std::string_view);
  for (size_t i = 0; i < blocks_.size(); ++i) total += (i + 1 == blocks_.size()) ? block_capacity_ : kBlockSize;
  return total;
}

}  // namespace fleetaudit
