#pragma once
// YAML (yaml-cpp) into the value tree, every node with its span, every scalar with the file offset
// of each decoded byte (scalar_offsets.h), so a JSON document inside a `|` block scalar is located
// to the character.
#include <optional>
#include <vector>

#include "analyzer/lint/json_reader.h"
#include "analyzer/lint/source_file.h"
#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

// Every document of the stream, in order. The tree is built from the parser's events with a budget
// checked as each node is made: at most 100,000 nodes in all, aliases expanded, and aliases adding
// at most 8 MiB of scalar text to the file's own, so a "billion laughs" file or one big scalar
// aliased many times is an error at the node that passed the budget, not a hang or gigabytes.
// On error `documents` is left empty.
// yaml-cpp does not apply merge keys (<<): they stay ordinary keys.
std::optional<ReadError> read_yaml(const SourceFile& file, std::vector<Node>& documents);

}  // namespace fleetaudit::lint
