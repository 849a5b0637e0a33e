#include "analyzer/lint/utf8_text.h"

#include "analyzer/util/utf8.h"

namespace fleetaudit::lint {

namespace {

// Which bytes are in comments: a scan that knows quoted strings (so a `#` in "a#b" starts nothing).
// Heredocs and YAML block scalars are read as plain lines, which can only widen what counts as a
// comment to text nobody parses as a policy's JSON string either way.
std::vector<bool> comment_bytes(std::string_view text, CommentSyntax syntax) {
  std::vector<bool> comment(text.size(), false);
  if (syntax == CommentSyntax::none) return comment;
  enum class State : uint8_t { code, double_quoted, single_quoted, line_comment, block_comment } state = State::code;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (state) {
      case State::code:
        if (c == '"') state = State::double_quoted;
        else if (c == '\'' && syntax == CommentSyntax::hash) state = State::single_quoted;
        else if (c == '#' && (syntax == CommentSyntax::hcl || i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
                              text[i - 1] == '\n'))
          state = State::line_comment;
        else if (syntax == CommentSyntax::hcl && c == '/' && i + 1 < text.size() && text[i + 1] == '/')
          state = State::line_comment;
        else if (syntax == CommentSyntax::hcl && c == '/' && i + 1 < text.size() && text[i + 1] == '*')
          state = State::block_comment;
        break;
      case State::double_quoted:
        if (c == '\\') ++i;
        else if (c == '"' || c == '\n') state = State::code;
        break;
      case State::single_quoted:
        if (c == '\'' || c == '\n') state = State::code;
        break;
      case State::line_comment:
        if (c == '\n') state = State::code;
        break;
      case State::block_comment:
        if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') {
          comment[i] = comment[i + 1] = true;
          ++i;
          state = State::code;
        }
        break;
    }
    if (state == State::line_comment || state == State::block_comment) comment[i] = true;
  }
  return comment;
}

}  // namespace

std::vector<InvalidUtf8Run> invalid_utf8_runs(std::string_view text, CommentSyntax syntax) {
  std::vector<InvalidUtf8Run> runs;
  if (first_invalid_utf8(text) == std::string_view::npos) return runs;
  const std::vector<bool> comment = comment_bytes(text, syntax);
  for (size_t i = 0; i < text.size();) {
    const size_t length = utf8_sequence(text, i);
    if (length != 0) {
      i += length;
      continue;
    }
    if (!runs.empty() && runs.back().end == i && runs.back().in_comment == comment[i]) runs.back().end = i + 1;
    else runs.push_back({i, i + 1, comment[i]});
    ++i;
  }
  return runs;
}

std::string well_formed_utf8(std::string_view text) {
  if (first_invalid_utf8(text) == std::string_view::npos) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t length = utf8_sequence(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace fleetaudit::lint
