#pragma once
// JSON into a value tree that keeps every value's span: for templates, plans and policy documents,
// also for a document held in a string (a PolicyDocument written as JSON text), whose positions
// are mapped through the outer string's escapes back to the file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

struct ReadError {
  uint32_t offset = 0;  // in the file
  std::string message;  // what was expected
};

// `text` is the document; `file_offsets`, when given, holds the file offset of each byte of it
// plus one for the end (a string node's offsets); otherwise byte i of `text` is file offset i.
// Nesting deeper than 512 is an error (the reader recurses).
std::optional<ReadError> read_json(std::string_view text, const std::vector<uint32_t>* file_offsets, Node& out);

}  // namespace fleetaudit::lint
