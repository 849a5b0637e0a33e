#pragma once
// A small streaming JSON writer: reports are written straight to their sink, never held twice.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit {

class JsonWriter {
public:
  // Writes to `sink` (flushing every ~1 MiB); with a null sink, collects into text().
  explicit JsonWriter(std::FILE* sink = nullptr, int indent = 2) : sink_(sink), indent_(indent) {}
  ~JsonWriter() { flush(); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(int64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(uint32_t number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(size_t number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  // A number written exactly as given (e.g. "9.5").
  JsonWriter& raw_number(std::string_view digits);

  void flush();
  const std::string& text() const { return buffer_; }
  // Spaces per level from here on; 0 writes what follows on one line (a SARIF result, say).
  int indent() const { return indent_; }
  void set_indent(int indent) { indent_ = indent; }

  // Part of a document written elsewhere (on another thread): continue_from() readies this
  // writer, which keeps its buffer's capacity, to collect text as if it went on where `whole`
  // stands, in its innermost container; whole.append() then takes that text in (straight to its
  // sink, when it has one), and `whole` goes on after it.
  void continue_from(const JsonWriter& whole, bool container_has_elements);
  void append(const JsonWriter& part);

private:
  void before_value();
  void newline();

  std::FILE* sink_;
  int indent_;
  std::string buffer_;
  // One entry per open container: true once it holds an element.
  std::vector<bool> has_elements_;
  bool after_key_ = false;
};

void append_json_escaped(std::string& out, std::string_view text);

}  // namespace fleetaudit
