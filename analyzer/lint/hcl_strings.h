#pragma once
// HCL string templates: quoted strings (escapes) and heredocs (`<<EOF`, `<<-EOF`), each decoded
// byte located in the file. `$${` and `%%{` are the literal `${` and `%{`; an interpolation is a
// stand-in (the stack's account, region or partition when it reads them, else `<expression>`).
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/lint/json_reader.h"
#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

// Where the HCL reader is in the file, and its first error.
struct Cursor {
  std::string_view text;
  size_t at = 0;
  std::optional<ReadError> error;

  char peek(size_t ahead = 0) const { return at + ahead < text.size() ? text[at + ahead] : '\0'; }
  bool fail(std::string message);  // records the first error at `at`; false
  std::string identifier();        // letters, digits, '_' and '-' from `at`
  void skip_blanks();              // spaces, tabs and carriage returns
};

// From the opening quote / the `<<`: the string, `at` after it. False with the error set.
bool quoted_string(Cursor& cursor, Node& out);
bool heredoc_string(Cursor& cursor, Node& out);

}  // namespace fleetaudit::lint
