#include "analyzer/lint/hcl_reader.h"

#include <fmt/format.h>

#include <cctype>

#include "analyzer/lint/cfn_intrinsics.h"
#include "analyzer/lint/hcl_strings.h"

namespace fleetaudit::lint {

namespace {

constexpr int kMaxHclDepth = 256;

bool identifier_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

Node unknown(std::string text, Span where) {
  Node node = stand_in(std::move(text), where);
  node.tag = std::string(kHclUnknown);
  return node;
}

class HclParser {
public:
  explicit HclParser(std::string_view text) : cursor_{text, 0, std::nullopt} {}

  std::optional<ReadError> read(std::vector<HclBlock>& blocks) {
    while (true) {
      skip(true);
      if (at_ >= text_.size()) return std::nullopt;
      if (!identifier_start(peek())) return error("a block type (resource, data, …)");
      HclBlock block;
      block.where.begin = here();
      block.type = identifier();
      skip(false);
      if (peek() == '=') {  // a top-level attribute (.tfvars style): read and left out
        ++at_;
        Node ignored;
        if (!expression(ignored, 0, false)) return error_;
        continue;
      }
      if (!block_rest(block.labels, block.body, 0)) return error_;
      block.where.end = here();
      blocks.push_back(std::move(block));
    }
  }

private:
  char peek(size_t ahead = 0) const { return cursor_.peek(ahead); }
  uint32_t here() const { return static_cast<uint32_t>(at_); }

  bool fail(std::string message) { return cursor_.fail(std::move(message)); }
  bool quoted(Node& out) { return quoted_string(cursor_, out); }
  bool heredoc(Node& out) { return heredoc_string(cursor_, out); }
  std::optional<ReadError> error(std::string_view expected) {
    fail(fmt::format("expected {}", expected));
    return error_;
  }

  // Spaces, tabs, comments; newlines too when `newlines` (inside brackets they do not end anything).
  void skip(bool newlines) {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        ++at_;
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        while (at_ < text_.size() && text_[at_] != '\n') ++at_;
      } else if (c == '/' && peek(1) == '*') {
        const size_t end = text_.find("*/", at_ + 2);
        at_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  std::string identifier() { return cursor_.identifier(); }

  // Labels, then { body }.
  bool block_rest(std::vector<std::string>& labels, Node& body, int depth) {
    if (depth > kMaxHclDepth) return fail("more than 256 levels of nesting");
    while (true) {
      skip(false);
      if (peek() == '"') {
        Node label;
        if (!quoted(label)) return false;
        labels.push_back(label.text);
      } else if (identifier_start(peek())) {
        labels.push_back(identifier());
      } else {
        break;
      }
    }
    if (peek() != '{') return fail("'{' opening the block");
    ++at_;
    body.kind = Node::Kind::mapping;
    body.span.begin = here();
    while (true) {
      skip(true);
      if (at_ >= text_.size()) return fail("'}' closing the block");
      if (peek() == '}') {
        ++at_;
        body.span.end = here();
        return true;
      }
      if (!identifier_start(peek())) return fail("an attribute or a block");
      Node key;
      key.kind = Node::Kind::string;
      key.span.begin = here();
      key.text = identifier();
      key.span.end = here();
      skip(false);
      Node value;
      if (peek() == '=' && peek(1) != '=') {
        ++at_;
        if (!expression(value, depth + 1, false)) return false;
      } else {
        std::vector<std::string> nested_labels;
        if (!block_rest(nested_labels, value, depth + 1)) return false;
      }
      body.keys.push_back(std::move(key));
      body.items.push_back(std::move(value));
    }
  }

  // One expression; what follows it on its line (or up to the bracket) that is an operator makes
  // the whole an unknown.
  bool expression(Node& out, int depth, bool in_brackets) {
    if (depth > kMaxHclDepth) return fail("more than 256 levels of nesting");
    skip(in_brackets);
    const size_t start = at_;
    if (!primary(out, depth)) return false;
    skip(in_brackets);
    const char c = peek();
    const bool ends = at_ >= text_.size() || c == '\n' || c == ',' || c == ')' || c == ']' || c == '}';
    if (ends) return true;
    // An operator, a conditional, or anything else this subset does not evaluate.
    int nesting = 0;
    while (at_ < text_.size()) {
      const char d = text_[at_];
      if (d == '"') {
        Node ignored;
        if (!quoted(ignored)) return false;
        continue;
      }
      if (d == '(' || d == '[' || d == '{') ++nesting;
      if (d == ')' || d == ']' || d == '}') {
        if (nesting == 0) break;
        --nesting;
      }
      if (nesting == 0 && (d == ',' || (!in_brackets && d == '\n'))) break;
      ++at_;
    }
    out = unknown("<expression>", {static_cast<uint32_t>(start), here()});
    return true;
  }

  bool primary(Node& out, int depth) {
    const size_t start = at_;
    const char c = peek();
    if (c == '"') return quoted(out);
    if (c == '<' && peek(1) == '<') return heredoc(out);
    if (c == '[') return list(out, depth);
    if (c == '{') return object(out, depth);
    if (c == '(') {
      ++at_;
      if (!expression(out, depth + 1, true)) return false;
      skip(true);
      if (peek() != ')') return fail("')'");
      ++at_;
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && std::isdigit(static_cast<unsigned char>(peek(1))))) {
      ++at_;
      while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '.' ||
                                    ((text_[at_] == '+' || text_[at_] == '-') && (text_[at_ - 1] == 'e' || text_[at_ - 1] == 'E'))))
        ++at_;
      out.kind = Node::Kind::number;
      out.text = std::string(text_.substr(start, at_ - start));
      out.span = {static_cast<uint32_t>(start), here()};
      return true;
    }
    if (!identifier_start(c)) return fail("an expression");
    const std::string name = identifier();
    if (name == "true" || name == "false") {
      out.kind = Node::Kind::boolean;
      out.text = name;
      out.span = {static_cast<uint32_t>(start), here()};
      return true;
    }
    if (name == "null") {
      out.kind = Node::Kind::null;
      out.span = {static_cast<uint32_t>(start), here()};
      return true;
    }
    if (peek() == '(') return call(name, start, out, depth);
    // A traversal: name.attribute, name[index], name.*, name[*].
    while (true) {
      if (peek() == '.' && (identifier_start(peek(1)) || peek(1) == '*' || std::isdigit(static_cast<unsigned char>(peek(1))))) {
        ++at_;
        if (peek() == '*') ++at_;
        else while (at_ < text_.size() && identifier_char(text_[at_])) ++at_;
      } else if (peek() == '[') {
        ++at_;
        Node index;
        if (peek() == '*') ++at_;
        else if (!expression(index, depth + 1, true)) return false;
        skip(true);
        if (peek() != ']') return fail("']' closing the index");
        ++at_;
      } else {
        break;
      }
    }
    const Span where{static_cast<uint32_t>(start), here()};
    out = stand_in(std::string(text_.substr(start, at_ - start)), where);
    out.tag = std::string(kHclReference);
    return true;
  }

  bool call(const std::string& name, size_t start, Node& out, int depth) {
    ++at_;  // (
    std::vector<Node> arguments;
    while (true) {
      skip(true);
      if (peek() == ')') break;
      Node argument;
      if (!expression(argument, depth + 1, true)) return false;
      arguments.push_back(std::move(argument));
      skip(true);
      if (peek() == '.' && peek(1) == '.' && peek(2) == '.') at_ += 3, skip(true);
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() != ')') return fail(fmt::format("',' or ')' in the arguments of {}", name));
    }
    ++at_;
    if (name == "jsonencode" && arguments.size() == 1) {
      out = std::move(arguments[0]);
      return true;
    }
    out = unknown("<" + name + "(…)>", {static_cast<uint32_t>(start), here()});
    out.items = std::move(arguments);  // for the reader that decides the call (file("policy.json"))
    return true;
  }

  // Skips a balanced [ … ] or { … } (a for expression) from the opening bracket.
  bool skip_balanced(char open, char close) {
    int nesting = 0;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '"') {
        Node ignored;
        if (!quoted(ignored)) return false;
        continue;
      }
      if (c == open) ++nesting;
      if (c == close && --nesting == 0) {
        ++at_;
        return true;
      }
      ++at_;
    }
    return fail(fmt::format("'{}'", close));
  }

  bool for_expression(char open, char close, Node& out) {
    const size_t start = at_;
    size_t probe = at_ + 1;
    while (probe < text_.size() && std::isspace(static_cast<unsigned char>(text_[probe]))) ++probe;
    if (text_.substr(probe, 4) != "for " && text_.substr(probe, 4) != "for\t") return false;
    if (!skip_balanced(open, close)) return true;  // the error is set
    out = unknown("<for expression>", {static_cast<uint32_t>(start), here()});
    return true;
  }

  bool list(Node& out, int depth) {
    if (for_expression('[', ']', out)) return !error_;
    out.kind = Node::Kind::sequence;
    out.span.begin = here();
    ++at_;
    while (true) {
      skip(true);
      if (peek() == ']') break;
      Node item;
      if (!expression(item, depth + 1, true)) return false;
      out.items.push_back(std::move(item));
      skip(true);
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() != ']') return fail("',' or ']' in the list");
    }
    ++at_;
    out.span.end = here();
    return true;
  }

  bool object(Node& out, int depth) {
    if (for_expression('{', '}', out)) return !error_;
    out.kind = Node::Kind::mapping;
    out.span.begin = here();
    ++at_;
    while (true) {
      skip(true);
      if (peek() == '}') break;
      Node key;
      if (peek() == '"') {
        if (!quoted(key)) return false;
      } else if (identifier_start(peek())) {
        key.kind = Node::Kind::string;
        key.span.begin = here();
        key.text = identifier();
        key.span.end = here();
      } else if (peek() == '(') {
        if (!primary(key, depth + 1)) return false;
      } else {
        return fail("an object key");
      }
      skip(false);
      if (peek() != '=' && peek() != ':') return fail("'=' or ':' after the object key");
      ++at_;
      Node value;
      if (!expression(value, depth + 1, false)) return false;
      out.keys.push_back(std::move(key));
      out.items.push_back(std::move(value));
      skip(false);
      if (peek() == ',') ++at_;
    }
    ++at_;
    out.span.end = here();
    return true;
  }

  Cursor cursor_;
  std::string_view& text_ = cursor_.text;
  size_t& at_ = cursor_.at;
  std::optional<ReadError>& error_ = cursor_.error;
};

}  // namespace

std::optional<ReadError> read_hcl(const SourceFile& file, std::vector<HclBlock>& blocks) {
  blocks.clear();
  std::optional<ReadError> error = HclParser(file.text()).read(blocks);
  if (error) blocks.clear();
  return error;
}

}  // namespace fleetaudit::lint
