#include "analyzer/policy/policy_document.h"

#include <simdjson.h>

#include <charconv>
#include <cstring>
#include <vector>

#include "analyzer/util/ascii.h"
#include "analyzer/util/utf8.h"

namespace fleetaudit::policy {

namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

constexpr std::string_view kEffectExpected = R"(expected "Allow" or "Deny")";
constexpr std::string_view kPatternsExpected = "expected a string or an array of strings";
constexpr std::string_view kIsAttachedKey = "iot:Connection.Thing.IsAttached";
// Policy documents are flat; the limit only keeps a hostile document from exhausting the stack.
constexpr int kMaxIgnoredDepth = 64;

struct PendingStatement {
  uint8_t flags = 0;
  std::string_view sid;  // into the parser's string buffer
  uint32_t first_action = 0, end_action = 0, first_resource = 0, end_resource = 0;
};

// What one thread reuses from document to document, so that parsing allocates only to grow.
struct Workspace {
  ondemand::parser parser;
  std::vector<char> buffer;  // the document followed by simdjson's padding
  std::string path;
  std::vector<PendingStatement> statements;
  // Views into the parser's string buffer: valid until the next document.
  std::vector<std::string_view> actions, resources;
};

std::string describe(error_code code) {
  switch (code) {
    case simdjson::TAPE_ERROR:
      return "malformed JSON: a value, comma, colon or bracket is missing or misplaced here";
    case simdjson::NUMBER_ERROR:
      return "invalid number";
    case simdjson::STRING_ERROR:
      return "invalid string escape";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::UNCLOSED_STRING:
      return "unterminated string";
    case simdjson::DEPTH_ERROR:
      return "nesting too deep";
    case simdjson::EMPTY:
      return "expected a JSON object, found an empty document";
    case simdjson::INCORRECT_TYPE:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "invalid literal: expected true, false or null";
    default:
      return simdjson::error_message(code);
  }
}

// simdjson refuses some valid JSON numbers (out of double range, huge integers); the grammar
// decides whether the text is a number at all.
bool is_json_number(std::string_view token) {
  // The raw token runs up to the next structural character, whitespace included.
  while (!token.empty() && std::strchr(" \t\r\n", token.back()) != nullptr) token.remove_suffix(1);
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i;
    return i > start;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (i < token.size() && token[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < token.size() && token[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

// Extends the JSON path for as long as it lives.
class PathPart {
public:
  PathPart(std::string& path, std::string_view key) : path_(path), saved_(path.size()) {
    if (!path.empty()) path.push_back('.');
    path.append(key);
  }
  PathPart(std::string& path, size_t index) : path_(path), saved_(path.size()) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
    path.push_back('[');
    path.append(digits, end);
    path.push_back(']');
  }
  ~PathPart() { path_.resize(saved_); }
  PathPart(const PathPart&) = delete;
  PathPart& operator=(const PathPart&) = delete;

private:
  std::string& path_;
  size_t saved_;
};

class DocumentReader {
public:
  DocumentReader(Workspace& work, std::string_view text, ondemand::document& document)
      : work_(work), text_(text), base_(work.buffer.data()), document_(document) {}

  bool read_document();
  PolicyParseError& error() { return error_; }
  // Policy variables are read only under "Version": "2012-10-17"; elsewhere ${…} is literal text.
  bool variables() const { return variables_; }

private:
  size_t offset_of(const char* at) const { return static_cast<size_t>(at - base_); }
  size_t offset_of(ondemand::value& value) const { return offset_of(value.raw_json_token().data()); }
  // Where the parser stands: after an iteration error, the offending token.
  size_t here() {
    const char* at = nullptr;
    return document_.current_location().get(at) == simdjson::SUCCESS ? offset_of(at) : text_.size();
  }
  bool fail_at(size_t offset, std::string_view message) {
    error_ = {offset, work_.path, std::string(message)};
    return false;
  }

  template <class Visit>
  bool for_each_field(ondemand::object& object, Visit&& visit);
  template <class Visit>
  bool for_each_element(ondemand::array& array, Visit&& visit);
  bool get_object(ondemand::value& value, ondemand::object& object, std::string_view expected);
  bool read_string(ondemand::value& value, std::string_view& text, std::string_view expected);
  bool read_statements(ondemand::value& value);
  bool read_statement(ondemand::value& value);
  bool read_patterns(ondemand::value& value, std::vector<std::string_view>& patterns);
  bool read_condition(ondemand::value& value, uint8_t& flags);
  bool read_is_attached(ondemand::value& value, bool& is_true, bool allow_array);
  bool consume(ondemand::value& value, int depth);

  Workspace& work_;
  std::string_view text_;
  const char* base_;
  ondemand::document& document_;
  PolicyParseError error_;
  bool variables_ = false;  // "Version": "2012-10-17"
};

template <class Visit>
bool DocumentReader::for_each_field(ondemand::object& object, Visit&& visit) {
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    error_code code = std::move(field_result).get(field);
    if (!code) code = field.unescaped_key().get(key);
    if (code) return fail_at(here(), describe(code));
    PathPart part(work_.path, key);
    if (!visit(key, field.value())) return false;
  }
  return true;
}

template <class Visit>
bool DocumentReader::for_each_element(ondemand::array& array, Visit&& visit) {
  size_t index = 0;
  for (auto element_result : array) {
    ondemand::value element;
    if (error_code code = std::move(element_result).get(element)) return fail_at(here(), describe(code));
    PathPart part(work_.path, index++);
    if (!visit(element)) return false;
  }
  return true;
}

bool DocumentReader::get_object(ondemand::value& value, ondemand::object& object, std::string_view expected) {
  const size_t at = offset_of(value);
  error_code code = value.get_object().get(object);
  if (code == simdjson::INCORRECT_TYPE) return fail_at(at, expected);
  if (code) return fail_at(at, describe(code));
  return true;
}

bool DocumentReader::read_string(ondemand::value& value, std::string_view& text, std::string_view expected) {
  const size_t at = offset_of(value);
  error_code code = value.get_string().get(text);
  if (code == simdjson::INCORRECT_TYPE) return fail_at(at, expected);
  if (code) return fail_at(at, describe(code));
  return true;
}

bool DocumentReader::read_document() {
  size_t start = 0;
  while (start < text_.size() && std::strchr(" \t\r\n", text_[start]) != nullptr) ++start;
  ondemand::json_type type;
  if (error_code code = document_.type().get(type)) return fail_at(start, describe(code));
  if (type != ondemand::json_type::object) return fail_at(start, "expected a JSON object (the policy document)");
  // Through a value: document::get_object() rejects trailing content with a vaguer error.
  ondemand::value root_value;
  ondemand::object root;
  error_code code = document_.get_value().get(root_value);
  if (!code) code = root_value.get_object().get(root);
  if (code) return fail_at(start, describe(code));
  bool has_statement = false;
  const bool read = for_each_field(root, [&](std::string_view key, ondemand::value& value) {
    if (key == "Version") {
      ondemand::json_type version_type;
      std::string_view version;
      if (value.type().get(version_type) || version_type != ondemand::json_type::string) return consume(value, 0);
      if (!read_string(value, version, "expected a string")) return false;
      variables_ = version == "2012-10-17";
      return true;
    }
    if (key != "Statement") return consume(value, 0);
    if (has_statement) return fail_at(offset_of(value), "duplicate key Statement");
    has_statement = true;
    return read_statements(value);
  });
  if (!read) return false;
  if (!has_statement) {
    PathPart part(work_.path, "Statement");
    return fail_at(start, "missing Statement: expected a statement object or an array of statements");
  }
  const char* trailing = nullptr;
  if (document_.current_location().get(trailing) == simdjson::SUCCESS)
    return fail_at(offset_of(trailing), "unexpected content after the policy document");
  return true;
}

bool DocumentReader::read_statements(ondemand::value& value) {
  const size_t at = offset_of(value);
  ondemand::json_type type;
  if (error_code code = value.type().get(type)) return fail_at(at, describe(code));
  if (type == ondemand::json_type::object) return read_statement(value);
  if (type != ondemand::json_type::array)
    return fail_at(at, "expected a statement object or an array of statements");
  ondemand::array statements;
  if (error_code code = value.get_array().get(statements)) return fail_at(at, describe(code));
  return for_each_element(statements, [&](ondemand::value& element) { return read_statement(element); });
}

bool DocumentReader::read_statement(ondemand::value& value) {
  enum Seen : unsigned {
    kEffect = 1,
    kAction = 2,
    kNotAction = 4,
    kResource = 8,
    kNotResource = 16,
    kCondition = 32,
    kSid = 64,
  };
  const size_t at = offset_of(value);
  ondemand::object object;
  if (!get_object(value, object, "expected a statement object")) return false;
  PendingStatement statement;
  statement.first_action = static_cast<uint32_t>(work_.actions.size());
  statement.first_resource = static_cast<uint32_t>(work_.resources.size());
  unsigned seen = 0;
  const bool read = for_each_field(object, [&](std::string_view key, ondemand::value& field) {
    const unsigned bit = key == "Effect"        ? kEffect
                         : key == "Action"      ? kAction
                         : key == "NotAction"   ? kNotAction
                         : key == "Resource"    ? kResource
                         : key == "NotResource" ? kNotResource
                         : key == "Condition"   ? kCondition
                         : key == "Sid"         ? kSid
                                                : 0u;
    if (bit == 0) return consume(field, 0);
    if (seen & bit) return fail_at(offset_of(field), "duplicate key " + std::string(key));
    seen |= bit;
    if ((seen & (kAction | kNotAction)) == (kAction | kNotAction))
      return fail_at(offset_of(field), "a statement has Action or NotAction, not both");
    if ((seen & (kResource | kNotResource)) == (kResource | kNotResource))
      return fail_at(offset_of(field), "a statement has Resource or NotResource, not both");
    std::string_view text;
    switch (bit) {
      case kEffect: {
        const size_t effect_at = offset_of(field);
        if (!read_string(field, text, kEffectExpected)) return false;
        if (text != "Allow" && text != "Deny") return fail_at(effect_at, kEffectExpected);
        if (text == "Deny") statement.flags |= kStatementDeny;
        return true;
      }
      case kNotAction:
        statement.flags |= kStatementNotAction;
        [[fallthrough]];
      case kAction:
        return read_patterns(field, work_.actions);
      case kNotResource:
        statement.flags |= kStatementNotResource;
        [[fallthrough]];
      case kResource:
        return read_patterns(field, work_.resources);
      case kCondition:
        return read_condition(field, statement.flags);
      default:
        if (!read_string(field, text, "expected a string")) return false;
        statement.sid = text;
        return true;
    }
  });
  if (!read) return false;
  if (!(seen & kEffect)) {
    PathPart part(work_.path, "Effect");
    return fail_at(at, "missing Effect: " + std::string(kEffectExpected));
  }
  if (!(seen & (kAction | kNotAction))) {
    PathPart part(work_.path, "Action");
    return fail_at(at, "missing Action or NotAction: " + std::string(kPatternsExpected));
  }
  if (!(seen & (kResource | kNotResource))) {
    PathPart part(work_.path, "Resource");
    return fail_at(at, "missing Resource or NotResource: " + std::string(kPatternsExpected));
  }
  statement.end_action = static_cast<uint32_t>(work_.actions.size());
  statement.end_resource = static_cast<uint32_t>(work_.resources.size());
  work_.statements.push_back(statement);
  return true;
}

bool DocumentReader::read_patterns(ondemand::value& value, std::vector<std::string_view>& patterns) {
  const size_t at = offset_of(value);
  ondemand::json_type type;
  if (error_code code = value.type().get(type)) return fail_at(at, describe(code));
  std::string_view text;
  if (type == ondemand::json_type::string) {
    if (!read_string(value, text, kPatternsExpected)) return false;
    patterns.push_back(text);
    return true;
  }
  if (type != ondemand::json_type::array) return fail_at(at, kPatternsExpected);
  ondemand::array array;
  if (error_code code = value.get_array().get(array)) return fail_at(at, describe(code));
  return for_each_element(array, [&](ondemand::value& element) {
    if (!read_string(element, text, "expected a string")) return false;
    patterns.push_back(text);
    return true;
  });
}

// Condition: {operator: {key: value}}. Only IsAttached = true under Bool or StringEquals matters;
// the rest is validated and counted.
bool DocumentReader::read_condition(ondemand::value& value, uint8_t& flags) {
  ondemand::object operators;
  if (!get_object(value, operators, "expected an object of condition operators")) return false;
  size_t keys = 0;
  const bool read = for_each_field(operators, [&](std::string_view op, ondemand::value& block) {
    ondemand::object conditions;
    if (!get_object(block, conditions, "expected an object of condition keys")) return false;
    const bool equality = op == "Bool" || op == "StringEquals";
    return for_each_field(conditions, [&](std::string_view key, ondemand::value& expected) {
      ++keys;
      if (!equality || !iequals(key, kIsAttachedKey)) return consume(expected, 2);
      bool is_true = false;
      if (!read_is_attached(expected, is_true, true)) return false;
      if (is_true) flags |= kStatementIsAttachedCondition;
      return true;
    });
  });
  if (!read) return false;
  if (keys > 0) flags |= kStatementHasCondition;
  return true;
}

// true or "true", or a non-empty array of only those (IAM ORs a value list).
bool DocumentReader::read_is_attached(ondemand::value& value, bool& is_true, bool allow_array) {
  const size_t at = offset_of(value);
  is_true = false;
  ondemand::json_type type;
  if (error_code code = value.type().get(type)) return fail_at(at, describe(code));
  if (type == ondemand::json_type::boolean) {
    if (error_code code = value.get_bool().get(is_true))
      return fail_at(at, code == simdjson::INCORRECT_TYPE ? "invalid literal: expected true or false" : describe(code));
    return true;
  }
  if (type == ondemand::json_type::string) {
    std::string_view text;
    if (!read_string(value, text, "expected a string")) return false;
    is_true = text == "true";
    return true;
  }
  if (type != ondemand::json_type::array || !allow_array) return consume(value, 3);
  ondemand::array array;
  if (error_code code = value.get_array().get(array)) return fail_at(at, describe(code));
  size_t count = 0;
  bool all_true = true;
  const bool read = for_each_element(array, [&](ondemand::value& element) {
    bool element_true = false;
    if (!read_is_attached(element, element_true, false)) return false;
    ++count;
    all_true = all_true && element_true;
    return true;
  });
  is_true = read && count > 0 && all_true;
  return read;
}

// Reads a value nobody uses, in full, so that malformed JSON inside it is still an error.
bool DocumentReader::consume(ondemand::value& value, int depth) {
  const size_t at = offset_of(value);
  if (depth > kMaxIgnoredDepth) return fail_at(at, "nesting too deep");
  ondemand::json_type type;
  if (error_code code = value.type().get(type)) return fail_at(at, describe(code));
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (error_code code = value.get_object().get(object)) return fail_at(at, describe(code));
      return for_each_field(object,
                            [&](std::string_view, ondemand::value& field) { return consume(field, depth + 1); });
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (error_code code = value.get_array().get(array)) return fail_at(at, describe(code));
      return for_each_element(array, [&](ondemand::value& element) { return consume(element, depth + 1); });
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (error_code code = value.get_string().get(text)) return fail_at(at, describe(code));
      return true;
    }
    case ondemand::json_type::number: {
      const std::string_view token = value.raw_json_token();
      ondemand::number number;
      if (value.get_number().get(number) && !is_json_number(token)) return fail_at(at, "invalid number");
      return true;
    }
    case ondemand::json_type::boolean: {
      bool flag;
      if (value.get_bool().get(flag)) return fail_at(at, "invalid literal: expected true or false");
      return true;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return fail_at(at, "invalid literal: expected null");
      return true;
    }
  }
  return true;
}

PolicyParseError iterate_error(error_code code, std::string_view text) {
  switch (code) {
    case simdjson::UTF8_ERROR: return {std::min(first_invalid_utf8(text), text.size()), {}, describe(code)};
    case simdjson::UNCLOSED_STRING:
      return {text.size(), {}, "unterminated string: the document ends inside a string"};
    default:
      return {0, {}, describe(code)};
  }
}

}  // namespace

std::optional<PolicyParseError> append_policy_document(std::string_view document_json, uint32_t version_row,
                                                       PolicyStatementTable& table) {
  thread_local Workspace work;
  work.buffer.resize(document_json.size() + simdjson::SIMDJSON_PADDING);
  if (!document_json.empty()) std::memcpy(work.buffer.data(), document_json.data(), document_json.size());
  std::memset(work.buffer.data() + document_json.size(), 0, simdjson::SIMDJSON_PADDING);
  work.path.clear();
  work.statements.clear();
  work.actions.clear();
  work.resources.clear();

  ondemand::document document;
  if (error_code code = work.parser.iterate(work.buffer.data(), document_json.size(), work.buffer.size()).get(document))
    return iterate_error(code, document_json);
  DocumentReader reader(work, document_json, document);
  if (!reader.read_document()) return std::move(reader.error());

  for (const PendingStatement& statement : work.statements) {
    table.append(version_row, static_cast<uint8_t>(statement.flags | (reader.variables() ? kStatementVariables : 0)),
                 std::span(work.actions.data() + statement.first_action, statement.end_action - statement.first_action),
                 std::span(work.resources.data() + statement.first_resource,
                           statement.end_resource - statement.first_resource),
                 statement.sid);
  }
  return std::nullopt;
}

}  // namespace fleetaudit::policy
