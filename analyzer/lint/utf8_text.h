#pragma once
// Text from the files linted, made well-formed UTF-8 for the JSON and SARIF reports: a byte that is
// not part of a UTF-8 character (or an encoded surrogate, which JSON escapes can produce) becomes
// U+FFFD. Well-formed text is returned as it is.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit::lint {

// (Which bytes are well-formed: util/utf8.h.)
std::string well_formed_utf8(std::string_view text);

// A run of bytes that are not part of well-formed UTF-8, and whether it lies in a comment: Terraform
// accepts any byte there (a Shift-JIS `# コメント`), YAML's and HCL's parsers never read it.
struct InvalidUtf8Run {
  size_t begin = 0, end = 0;
  bool in_comment = false;
};
enum class CommentSyntax : uint8_t { none, hash, hcl };  // JSON; YAML (`#`); HCL (`#`, `//`, `/* */`)
std::vector<InvalidUtf8Run> invalid_utf8_runs(std::string_view text, CommentSyntax syntax);

}  // namespace fleetaudit::lint
