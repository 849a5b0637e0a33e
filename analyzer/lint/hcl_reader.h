#pragma once
// A subset of HCL (Terraform .tf source) into the value tree, every string with the file offset of
// each decoded byte: blocks with labels, attributes, strings (escapes, `$${` for a literal `${`),
// heredocs (`<<EOF`, `<<-EOF`), numbers, booleans, null, lists, objects, references
// (`aws_iot_policy.door.name`) and jsonencode(…), whose argument is the value itself. What this
// subset does not evaluate (other function calls, operators, conditionals, for expressions,
// interpolations) becomes a named stand-in located at the expression.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/lint/json_reader.h"
#include "analyzer/lint/source_file.h"
#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

// Tags the reader puts on values it could not evaluate to a literal.
inline constexpr std::string_view kHclReference = "!hcl-reference";  // text: the traversal as written
inline constexpr std::string_view kHclUnknown = "!hcl-unknown";      // text: "<what it is>"
// A call the subset does not evaluate (file(…), templatefile(…)) is an unknown "<name(…)>" whose
// items are its arguments, for the reader that can decide it.

struct HclBlock {
  std::string type;                 // "resource", "data", "provider", …
  std::vector<std::string> labels;  // resource "aws_iot_policy" "door": {"aws_iot_policy", "door"}
  Node body;                        // a mapping: attributes, and nested blocks under their type
  Span where;                       // the block's first line
};

// The top-level blocks of one file, or the first syntax error.
std::optional<ReadError> read_hcl(const SourceFile& file, std::vector<HclBlock>& blocks);

}  // namespace fleetaudit::lint
