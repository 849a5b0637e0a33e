#include "analyzer/tables/string_interner.h"

#include <algorithm>
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

StringInterner::StringInterner(Deduplication deduplication)
    : slots_(deduplication == Deduplication::on ? 1024 : 0, 0), deduplicate_(deduplication == Deduplication::on) {}

const char* StringInterner::store(std::string_view text) {
  if (text.empty()) return "";  // nothing to copy, and the arena may have no block yet
  if (text.size() > block_capacity_ - block_used_) {
    size_t capacity = text.size() > kBlockSize ? text.size() : kBlockSize;
    // Not zeroed: every byte is written before it is read, and an untouched page costs nothing
    // (lint builds a small snapshot per file: zeroing 1 MiB blocks was most of its time).
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(capacity));
    block_used_ = 0;
    block_capacity_ = capacity;
  }
  char* destination = blocks_.back().get() + block_used_;
  if (!text.empty()) std::memcpy(destination, text.data(), text.size());
  block_used_ += text.size();
  return destination;
}

namespace {
constexpr uint64_t kIdMask = 0xffffffffULL;
uint64_t slot_entry(uint32_t hash, StringId id) { return (uint64_t{hash} << 32) | (uint64_t{id} + 1); }
}  // namespace

void StringInterner::grow() {
  std::vector<uint64_t> bigger(slots_.size() * 2, 0);
  const size_t mask = bigger.size() - 1;
  for (uint64_t entry : slots_) {
    if (entry == 0) continue;
    size_t slot = (entry >> 32) & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = entry;
  }
  slots_.swap(bigger);
}

StringId StringInterner::find(std::string_view text) const {
  if (!deduplicate_) {
    auto found = std::find(strings_.begin(), strings_.end(), text);
    return found == strings_.end() ? kNoString : static_cast<StringId>(found - strings_.begin());
  }
  const uint32_t h = hash_string(text);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = h & mask;; slot = (slot + 1) & mask) {
    const uint64_t entry = slots_[slot];
    if (entry == 0) return kNoString;
    if (static_cast<uint32_t>(entry >> 32) != h) continue;
    const StringId id = static_cast<StringId>((entry & kIdMask) - 1);
    if (strings_[id] == text) return id;
  }
}

StringId StringInterner::intern(std::string_view text) {
  if (!deduplicate_) {
    strings_.emplace_back(store(text), text.size());
    return static_cast<StringId>(strings_.size() - 1);
  }
  return intern_hashed(text, hash_string(text));
}

StringId StringInterner::intern_hashed(std::string_view text, uint32_t h) {
  const size_t mask = slots_.size() - 1;
  size_t slot = h & mask;
  for (;; slot = (slot + 1) & mask) {
    const uint64_t entry = slots_[slot];
    if (entry == 0) break;
    if (static_cast<uint32_t>(entry >> 32) != h) continue;
    const StringId id = static_cast<StringId>((entry & kIdMask) - 1);
    if (strings_[id] == text) return id;
  }
  const StringId id = static_cast<StringId>(strings_.size());
  strings_.emplace_back(store(text), text.size());
  slots_[slot] = slot_entry(h, id);
  // Keep the load factor under one half so probes stay short.
  if (strings_.size() * 2 > slots_.size()) grow();
  return id;
}

void StringInterner::intern_batch(const std::string_view* texts, size_t count, StringId* ids) {
  if (!deduplicate_) {
    for (size_t i = 0; i < count; ++i) ids[i] = intern(texts[i]);
    return;
  }
  constexpr size_t kAhead = 32;  // lookups in flight: enough to cover a memory latency
  uint32_t hashes[kAhead];
  for (size_t begin = 0; begin < count; begin += kAhead) {
    const size_t end = std::min(count, begin + kAhead);
    const size_t mask = slots_.size() - 1;
    // Stage 1: hash, and fetch each first slot.
    for (size_t i = begin; i < end; ++i) {
      hashes[i - begin] = hash_string(texts[i]);
      __builtin_prefetch(&slots_[hashes[i - begin] & mask]);
    }
    // Stage 2: the entry a matching slot names, and its bytes.
    for (size_t i = begin; i < end; ++i) {
      const uint64_t entry = slots_[hashes[i - begin] & mask];
      if (entry != 0 && static_cast<uint32_t>(entry >> 32) == hashes[i - begin]) {
        const std::string_view& candidate = strings_[static_cast<StringId>((entry & kIdMask) - 1)];
        __builtin_prefetch(&candidate);
      }
    }
    for (size_t i = begin; i < end; ++i) {
      const uint64_t entry = slots_[hashes[i - begin] & mask];
      if (entry != 0 && static_cast<uint32_t>(entry >> 32) == hashes[i - begin])
        __builtin_prefetch(strings_[static_cast<StringId>((entry & kIdMask) - 1)].data());
    }
    // Stage 3: the lookups themselves, now mostly in cache, in order.
    for (size_t i = begin; i < end; ++i) ids[i] = intern_hashed(texts[i], hashes[i - begin]);
  }
}

size_t StringInterner::bytes_used() const {
  size_t total = slots_.capacity() * sizeof(uint64_t) + strings_.capacity() * sizeof(std::string_view);
  for (size_t i = 0; i < blocks_.size(); ++i) total += (i + 1 == blocks_.size()) ? block_capacity_ : kBlockSize;
  return total;
}

}  // namespace fleetaudit
