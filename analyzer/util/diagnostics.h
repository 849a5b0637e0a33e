#pragma once
// Problems found in the input. Lower layers collect them here; only the CLI prints them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit {

enum class DiagnosticSeverity : uint8_t { error, warning };

struct Diagnostic {
  DiagnosticSeverity severity = DiagnosticSeverity::error;
  std::string file;       // relative to the snapshot directory; empty for whole-run problems
  uint32_t line = 0;      // 1-based; 0 when the problem has no position
  uint32_t column = 0;    // 1-based, in bytes
  std::string json_path;  // e.g. certificateDescriptions[204].status
  std::string message;
  // The record's identifying field when it could be read, e.g. certificateId "3f2a…"; empty
  // otherwise. Rendered escaped: it is untrusted snapshot text.
  std::string record = {};

  // "file:line:col: path (record): message", the form every input problem is printed in.
  std::string render() const;
};

class Diagnostics {
public:
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  void error(std::string file, std::string message) {
    items_.push_back({DiagnosticSeverity::error, std::move(file), 0, 0, {}, std::move(message), {}});
  }
  void warning(std::string file, std::string message) {
    items_.push_back({DiagnosticSeverity::warning, std::move(file), 0, 0, {}, std::move(message), {}});
  }
  void append(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }
  bool has_errors() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  // Stable order (file, line, column) so reports do not depend on loader scheduling.
  void sort();

private:
  std::vector<Diagnostic> items_;
};

// 1-based line and column of a byte offset, counting newlines only when a problem is reported.
struct TextPosition {
  uint32_t line = 1;
  uint32_t column = 1;
};
TextPosition position_of(const char* begin, size_t offset);

// `field "value"`, the value escaped (control bytes, quotes and backslashes as \xNN) and cut to a readable length.
std::string record_label(std::string_view field, std::string_view value);

}  // namespace fleetaudit
