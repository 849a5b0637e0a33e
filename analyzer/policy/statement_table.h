#pragma once
// Parsed IoT policy statements, stored by column. Action and resource patterns are interned in
// the table's own StringInterner, so each distinct pattern text is stored, and later compiled,
// once however many statements use it.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "analyzer/tables/adjacency.h"
#include "analyzer/tables/string_interner.h"

namespace fleetaudit::policy {

// Bits of PolicyStatementTable::flags.
enum StatementFlag : uint8_t {
  kStatementDeny = 1u << 0,                 // clear: Effect Allow
  kStatementNotAction = 1u << 1,            // the action list is NotAction
  kStatementNotResource = 1u << 2,          // the resource list is NotResource
  kStatementHasCondition = 1u << 3,         // the Condition block states at least one key
  kStatementIsAttachedCondition = 1u << 4,  // iot:Connection.Thing.IsAttached = true is among them
  kStatementVariables = 1u << 5,            // the document's Version is 2012-10-17: ${…} are variables
};

class PolicyStatementTable {
public:
  size_t size() const { return version_row_.size(); }

  uint32_t version_row(uint32_t statement) const { return version_row_[statement]; }
  uint8_t flags(uint32_t statement) const { return flags_[statement]; }
  bool has(uint32_t statement, StatementFlag flag) const { return (flags_[statement] & flag) != 0; }
  std::span<const StringId> actions(uint32_t statement) const { return actions_.of(statement); }
  std::span<const StringId> resources(uint32_t statement) const { return resources_.of(statement); }
  // The statement's Sid; empty when it has none.
  std::string_view sid(uint32_t statement) const {
    return sid_[statement] == kNoString ? std::string_view{} : patterns_.view(sid_[statement]);
  }

  std::string_view pattern(StringId id) const { return patterns_.view(id); }
  // Pattern ids are dense: 0 .. pattern_count().
  size_t pattern_count() const { return patterns_.size(); }

  void append(uint32_t version_row, uint8_t flags, std::span<const std::string_view> actions,
              std::span<const std::string_view> resources, std::string_view sid = {});

private:
  std::vector<uint32_t> version_row_;
  std::vector<uint8_t> flags_;
  std::vector<StringId> sid_;  // kNoString: none
  Adjacency actions_;    // statement -> action pattern ids
  Adjacency resources_;  // statement -> resource pattern ids
  StringInterner patterns_;
};

}  // namespace fleetaudit::policy
