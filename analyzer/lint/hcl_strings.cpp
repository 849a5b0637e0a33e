#include "analyzer/lint/hcl_strings.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

bool Cursor::fail(std::string message) {
  if (!error) error = ReadError{static_cast<uint32_t>(at), std::move(message)};
  return false;
}

std::string Cursor::identifier() {
  const size_t start = at;
  while (at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_' || text[at] == '-')) ++at;
  return std::string(text.substr(start, at - start));
}

void Cursor::skip_blanks() {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r')) ++at;
}

namespace {

// What an interpolation stands for: the stack's account, region or partition when it reads them
// (data.aws_caller_identity.current.account_id, var.region, data.aws_partition.current.partition),
// so that the policy's ARNs stay in the stack's own account; else the expression, named.
std::string interpolation_stand_in(std::string_view expression) {
  if (expression.find("account_id") != std::string_view::npos) return std::string(kStackAccount);
  if (expression.find("partition") != std::string_view::npos) return std::string(kStackPartition);
  if (expression.find("region") != std::string_view::npos) return std::string(kStackRegion);
  return "<" + std::string(expression) + ">";
}

void append_text(Node& out, std::string_view text, uint32_t where) {
  for (char c : text) {
    out.text.push_back(c);
    out.offsets.push_back(where);
  }
}

// The end of the interpolation or directive whose `{` is at `open` (the index of its `}`).
std::optional<size_t> template_close(const Cursor& cursor, size_t open) {
  int nesting = 0;
  for (size_t p = open; p < cursor.text.size(); ++p) {
    const char c = cursor.text[p];
    if (c == '"') {  // a string inside the interpolation
      for (++p; p < cursor.text.size() && cursor.text[p] != '"'; ++p)
        if (cursor.text[p] == '\\') ++p;
      continue;
    }
    if (c == '{') ++nesting;
    if (c == '}' && --nesting == 0) return p;
    if (c == '\n' && nesting == 0) return std::nullopt;
  }
  return std::nullopt;
}

// One element of a template at `p`: `$${` and `%%{` are literal, `${…}` and `%{…}` stand-ins.
// False (and the error set) on an unterminated interpolation.
bool template_element(Cursor& cursor, size_t& p, Node& out) {
  const char c = cursor.text[p];
  const uint32_t where = static_cast<uint32_t>(p);
  if ((c == '$' || c == '%') && p + 2 < cursor.text.size() && cursor.text[p + 1] == c && cursor.text[p + 2] == '{') {
    out.text.push_back(c), out.offsets.push_back(where);
    out.text.push_back('{'), out.offsets.push_back(where + 2);
    p += 3;
    return true;
  }
  if ((c == '$' || c == '%') && p + 1 < cursor.text.size() && cursor.text[p + 1] == '{') {
    const std::optional<size_t> close = template_close(cursor, p + 1);
    if (!close) {
      cursor.at = p;
      return cursor.fail("'}' closing the interpolation");
    }
    std::string_view inner = cursor.text.substr(p + 2, *close - p - 2);
    while (!inner.empty() && (inner.front() == ' ' || inner.front() == '~')) inner.remove_prefix(1);
    while (!inner.empty() && (inner.back() == ' ' || inner.back() == '~')) inner.remove_suffix(1);
    append_text(out, c == '$' ? interpolation_stand_in(inner) : "<directive>", where);
    p = *close + 1;
    return true;
  }
  out.text.push_back(c);
  out.offsets.push_back(where);
  ++p;
  return true;
}

}  // namespace

bool quoted_string(Cursor& cursor, Node& out) {
  out = Node{};
  out.kind = Node::Kind::string;
  out.span.begin = static_cast<uint32_t>(cursor.at);
  size_t p = cursor.at + 1;
  while (true) {
    if (p >= cursor.text.size() || cursor.text[p] == '\n') {
      cursor.at = p;
      return cursor.fail("'\"' closing the string");
    }
    const char c = cursor.text[p];
    if (c == '"') break;
    if (c == '\\') {
      const uint32_t where = static_cast<uint32_t>(p);
      const char e = p + 1 < cursor.text.size() ? cursor.text[p + 1] : '\0';
      const char* simple = nullptr;
      switch (e) {
        case 'n': simple = "\n"; break;
        case 't': simple = "\t"; break;
        case 'r': simple = "\r"; break;
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        default: break;
      }
      if (simple != nullptr) {
        append_text(out, simple, where);
        p += 2;
        continue;
      }
      if (e == 'u' || e == 'U') {
        const size_t digits = e == 'u' ? 4 : 8;
        const std::string hex(cursor.text.substr(p + 2, digits));
        const unsigned long code = std::strtoul(hex.c_str(), nullptr, 16);
        std::string utf8;
        if (code < 0x80) {
          utf8.push_back(static_cast<char>(code));
        } else if (code < 0x800) {
          utf8 += {static_cast<char>(0xC0 | (code >> 6)), static_cast<char>(0x80 | (code & 0x3F))};
        } else if (code < 0x10000) {
          utf8 += {static_cast<char>(0xE0 | (code >> 12)), static_cast<char>(0x80 | ((code >> 6) & 0x3F)),
                   static_cast<char>(0x80 | (code & 0x3F))};
        } else {
          utf8 += {static_cast<char>(0xF0 | (code >> 18)), static_cast<char>(0x80 | ((code >> 12) & 0x3F)),
                   static_cast<char>(0x80 | ((code >> 6) & 0x3F)), static_cast<char>(0x80 | (code & 0x3F))};
        }
        append_text(out, utf8, where);
        p += 2 + digits;
        continue;
      }
      cursor.at = p;
      return cursor.fail("one of \\n \\t \\r \\\" \\\\ \\u \\U after '\\'");
    }
    if (!template_element(cursor, p, out)) return false;
  }
  out.offsets.push_back(static_cast<uint32_t>(p));
  cursor.at = p + 1;
  out.span.end = static_cast<uint32_t>(cursor.at);
  return true;
}

bool heredoc_string(Cursor& cursor, Node& out) {
  out = Node{};
  out.kind = Node::Kind::string;
  out.span.begin = static_cast<uint32_t>(cursor.at);
  cursor.at += 2;
  const bool indented = cursor.peek() == '-';
  if (indented) ++cursor.at;
  const std::string marker = cursor.identifier();
  if (marker.empty()) return cursor.fail("the heredoc's marker after <<");
  cursor.skip_blanks();
  if (cursor.peek() != '\n') return cursor.fail("a line break after the heredoc marker");
  ++cursor.at;
  struct Line {
    size_t begin, end;
  };
  std::vector<Line> lines;
  while (true) {
    if (cursor.at >= cursor.text.size()) return cursor.fail(fmt::format("the heredoc's closing {}", marker));
    size_t end = cursor.text.find('\n', cursor.at);
    if (end == std::string_view::npos) end = cursor.text.size();
    std::string_view line = cursor.text.substr(cursor.at, end - cursor.at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line.substr(first) == marker) {
      cursor.at = cursor.at + first + marker.size();
      break;
    }
    lines.push_back({cursor.at, cursor.at + line.size()});
    cursor.at = end < cursor.text.size() ? end + 1 : end;
  }
  size_t strip = 0;
  if (indented) {
    strip = SIZE_MAX;
    for (const Line& line : lines) {
      const std::string_view text = cursor.text.substr(line.begin, line.end - line.begin);
      const size_t first = text.find_first_not_of(" \t");
      if (first != std::string_view::npos) strip = std::min(strip, first);
    }
    if (strip == SIZE_MAX) strip = 0;
  }
  for (const Line& line : lines) {
    size_t p = std::min(line.begin + strip, line.end);
    while (p < line.end)
      if (!template_element(cursor, p, out)) return false;
    out.text.push_back('\n');
    out.offsets.push_back(static_cast<uint32_t>(line.end));
  }
  out.offsets.push_back(static_cast<uint32_t>(cursor.at));
  out.span.end = static_cast<uint32_t>(cursor.at);
  return true;
}


}  // namespace fleetaudit::lint
