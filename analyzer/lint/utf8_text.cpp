#include "analyzer/lint/utf8_text.h"

namespace fleetaudit::lint {

namespace {

// The length of the well-formed character at `i`, or 0.
size_t character_length(std::string_view text, size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  const size_t length = byte < 0x80 ? 1 : (byte >> 5) == 6 ? 2 : (byte >> 4) == 14 ? 3 : (byte >> 3) == 30 ? 4 : 0;
  if (length == 0 || (length == 2 && byte < 0xC2) || byte > 0xF4 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  const auto second = static_cast<unsigned char>(text[i + 1 < text.size() ? i + 1 : i]);
  if (length == 3 && ((byte == 0xE0 && second < 0xA0) || (byte == 0xED && second >= 0xA0))) return 0;  // overlong, surrogate
  if (length == 4 && ((byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second >= 0x90))) return 0;
  return length;
}

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
  if (invalid_utf8_at(text) == std::string_view::npos) return runs;
  const std::vector<bool> comment = comment_bytes(text, syntax);
  for (size_t i = 0; i < text.size();) {
    const size_t length = character_length(text, i);
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

size_t invalid_utf8_at(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = character_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string well_formed_utf8(std::string_view text) {
  if (invalid_utf8_at(text) == std::string_view::npos) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t length = character_length(text, i);
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
