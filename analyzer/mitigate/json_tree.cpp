#include "analyzer/mitigate/json_tree.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "analyzer/load/mapped_file.h"
#include "analyzer/util/json_writer.h"
#include "analyzer/util/output_file.h"

namespace fleetaudit {

namespace ondemand = simdjson::ondemand;

JsonNode* JsonNode::find(std::string_view key) {
  for (auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

std::string_view JsonNode::string_at(std::string_view key) {
  JsonNode* value = find(key);
  return value != nullptr && value->kind == Kind::string ? std::string_view(value->text) : std::string_view();
}

void JsonNode::set(std::string_view key, JsonNode value) {
  if (JsonNode* existing = find(key)) *existing = std::move(value);
  else members.emplace_back(std::string(key), std::move(value));
}

void JsonNode::erase(std::string_view key) {
  std::erase_if(members, [&](const auto& member) { return member.first == key; });
}

namespace {

void indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 2, ' '); }

simdjson::error_code parse_value(ondemand::value value, JsonNode& out, int depth) {
  if (depth > 256) return simdjson::DEPTH_ERROR;
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::object: {
      out.kind = JsonNode::Kind::object;
      ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      for (auto field : object) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        JsonNode child;
        std::string name(key);
        if (auto error = parse_value(field.value(), child, depth + 1)) return error;
        out.members.emplace_back(std::move(name), std::move(child));
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      out.kind = JsonNode::Kind::array;
      ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value item;
        if (auto error = element.get(item)) return error;
        JsonNode child;
        if (auto error = parse_value(item, child, depth + 1)) return error;
        out.items.push_back(std::move(child));
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: {
      out.kind = JsonNode::Kind::string;
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      out.text.assign(text);
      return simdjson::SUCCESS;
    }
    default: {
      out.kind = JsonNode::Kind::literal;
      std::string_view raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
      if (raw.empty()) return simdjson::TAPE_ERROR;
      out.text.assign(raw);
      return simdjson::SUCCESS;
    }
  }
}

// Writes to an output file (output_file.h) in large pieces; says why when it could not.
class FileSink {
public:
  explicit FileSink(const std::string& path) : file_(OutputFile::open(path, error_)) {}
  bool is_open() const { return file_.has_value(); }
  const std::string& error() const { return error_; }
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() > (1u << 20)) flush();
  }
  bool close() {
    flush();
    return file_->commit(error_);
  }

private:
  void flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_->stream());
    buffer_.clear();
  }
  std::string error_;
  std::optional<OutputFile> file_;
  std::string buffer_;
};

std::string describe(simdjson::error_code error) { return simdjson::error_message(error); }

}  // namespace

void append_json(std::string& out, const JsonNode& node, int depth) {
  switch (node.kind) {
    case JsonNode::Kind::literal: out += node.text; return;
    case JsonNode::Kind::string: append_json_escaped(out, node.text); return;
    case JsonNode::Kind::object:
      if (node.members.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (size_t i = 0; i < node.members.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        indent(out, depth + 1);
        append_json_escaped(out, node.members[i].first);
        out += ": ";
        append_json(out, node.members[i].second, depth + 1);
      }
      out += '\n';
      indent(out, depth);
      out += '}';
      return;
    case JsonNode::Kind::array:
      if (node.items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < node.items.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        indent(out, depth + 1);
        append_json(out, node.items[i], depth + 1);
      }
      out += '\n';
      indent(out, depth);
      out += ']';
      return;
  }
}

std::optional<JsonNode> read_json_file(const std::string& path, std::string& error) {
  auto bytes = MappedFile::open(path, error);
  if (!bytes) return std::nullopt;
  ondemand::parser parser;
  ondemand::document document;
  ondemand::value root;
  JsonNode node;
  simdjson::padded_string_view view(bytes->data(), bytes->size(), bytes->capacity());
  if (auto failure = parser.iterate(view).get(document)) {
    error = describe(failure);
    return std::nullopt;
  }
  if (auto failure = document.get_value().get(root)) {
    error = describe(failure);
    return std::nullopt;
  }
  if (auto failure = parse_value(root, node, 0)) {
    error = describe(failure);
    return std::nullopt;
  }
  return node;
}

namespace {

// The rewritten file, written as it is read: the top-level members, one of them the records.
class RecordsFileWriter {
public:
  RecordsFileWriter(FileSink& sink, const std::function<std::vector<JsonNode>()>& extra_records)
      : sink_(sink), out_(sink.buffer()), extra_records_(extra_records) {}

  void begin_member(std::string_view key) {
    out_ += first_member_ ? "{\n" : ",\n";
    first_member_ = false;
    indent(out_, 1);
    append_json_escaped(out_, key);
    out_ += ": ";
  }
  void write_value(const JsonNode& node) { append_json(out_, node, 1); }
  void write_record(const JsonNode& record) {
    out_ += records_written_++ == 0 ? "[\n" : ",\n";
    indent(out_, 2);
    append_json(out_, record, 2);
    sink_.maybe_flush();
  }
  void end_records() {
    if (extra_records_)
      for (const JsonNode& record : extra_records_()) write_record(record);
    if (records_written_ == 0) {
      out_ += "[]";
    } else {
      out_ += '\n';
      indent(out_, 1);
      out_ += ']';
    }
  }
  void end() { out_ += "\n}\n"; }

private:
  FileSink& sink_;
  std::string& out_;
  const std::function<std::vector<JsonNode>()>& extra_records_;
  bool first_member_ = true;
  size_t records_written_ = 0;
};

// Copies the members of `input`'s top-level object, each record of `records_key` edited; sets
// `records_seen` when the file has that member. A message when the file cannot be read.
std::optional<std::string> copy_members(const std::string& input, const MappedFile& bytes, std::string_view records_key,
                                        const std::function<void(JsonNode&)>& edit_record, RecordsFileWriter& writer,
                                        bool& records_seen) {
  ondemand::parser parser;
  ondemand::document document;
  ondemand::object top;
  simdjson::padded_string_view view(bytes.data(), bytes.size(), bytes.capacity());
  if (auto failure = parser.iterate(view).get(document)) return fmt::format("{}: {}", input, describe(failure));
  if (auto failure = document.get_object().get(top)) return fmt::format("{}: {}", input, describe(failure));
  for (auto field : top) {
    std::string_view key_view;
    if (auto failure = field.unescaped_key().get(key_view)) return fmt::format("{}: {}", input, describe(failure));
    std::string key(key_view);
    ondemand::value value = field.value();
    writer.begin_member(key);
    if (key != records_key) {
      JsonNode node;
      if (auto failure = parse_value(value, node, 1)) return fmt::format("{}: {}: {}", input, key, describe(failure));
      writer.write_value(node);
      continue;
    }
    records_seen = true;
    ondemand::array records;
    if (auto failure = value.get_array().get(records)) return fmt::format("{}: {}: {}", input, key, describe(failure));
    for (auto element : records) {
      ondemand::value item;
      JsonNode record;
      if (auto failure = element.get(item)) return fmt::format("{}: {}: {}", input, key, describe(failure));
      if (auto failure = parse_value(item, record, 2)) return fmt::format("{}: {}: {}", input, key, describe(failure));
      edit_record(record);
      writer.write_record(record);
    }
    writer.end_records();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> rewrite_records_file(const std::string& input, const std::string& output,
                                                std::string_view records_key,
                                                const std::function<void(JsonNode&)>& edit_record,
                                                const std::function<std::vector<JsonNode>()>& extra_records) {
  FileSink sink(output);
  if (!sink.is_open()) return fmt::format("cannot write {}: {}", output, sink.error());
  RecordsFileWriter writer(sink, extra_records);
  bool records_seen = false;
  if (!input.empty()) {
    std::string error;
    std::optional<MappedFile> bytes = MappedFile::open(input, error);
    if (!bytes) return fmt::format("cannot read {}: {}", input, error);
    if (auto problem = copy_members(input, *bytes, records_key, edit_record, writer, records_seen)) return problem;
  }
  if (!records_seen) {
    writer.begin_member(records_key);
    writer.end_records();
  }
  writer.end();
  if (!sink.close()) return fmt::format("cannot write {}: {}", output, sink.error());
  return std::nullopt;
}

}  // namespace fleetaudit
