// iot-logs/: AWS IoT v2 log entries, streamed. Only Connect and Disconnect entries are kept.
//
//   *.jsonl  one log entry (the JSON of one message) per line, read line by line: memory stays
//            bounded however large the file.
//   *.json   `aws logs filter-log-events` output, {"events": [{"timestamp", "message"}…]}, whose
//            message is the entry's JSON text. The mapped file is scanned and each event parsed on
//            its own, so memory is bounded by the largest event, not the file.
// A bad line or event is reported with file and line and skipped; a truncated file keeps the
// entries before the cut.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "analyzer/load/loaders.h"
#include "analyzer/load/mapped_file.h"

namespace fleetaudit::load {

namespace {

// IoT log timestamps: "2017-08-10 15:37:23.476" (UTC, no offset), ISO 8601, or epoch milliseconds.
std::optional<EpochMillis> log_time(std::string_view text) {
  if (auto millis = parse_iso8601(text)) return millis;
  return parse_iso8601(std::string(text) + "Z");
}

class LogReader {
public:
  LogReader(Snapshot& snapshot, Diagnostics& diagnostics) : snapshot_(snapshot), diagnostics_(diagnostics) {}

  void problem(const std::string& file, uint32_t line, std::string message) {
    diagnostics_.add({DiagnosticSeverity::error, file, line, 1, {}, std::move(message)});
  }

  // One log entry's JSON text. `fallback_time`: the CloudWatch event's timestamp, if any.
  void read_entry(const std::string& file, uint32_t line, std::string_view text, std::optional<EpochMillis> fallback_time) {
    buffer_.assign(text);
    buffer_.resize(text.size() + simdjson::SIMDJSON_PADDING);
    ondemand::document document;
    if (entry_parser_.iterate(buffer_.data(), text.size(), buffer_.size()).get(document)) {
      problem(file, line, "not a log entry: malformed or cut-off JSON");
      return;
    }
    ondemand::object object;
    if (auto code = document.get_object().get(object); code) {
      problem(file, line, code == simdjson::INCORRECT_TYPE ? "expected a JSON object (one IoT log entry)"
                                                           : "not a log entry: malformed or cut-off JSON");
      return;
    }
    std::string_view event_type, client_id, principal, status, reason;
    std::optional<EpochMillis> time;
    for (auto field_result : object) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        problem(file, line, "not a log entry: malformed or cut-off JSON");
        return;
      }
      ondemand::value value = field.value();
      std::string_view* target = key == "eventType"          ? &event_type
                                 : key == "clientId"         ? &client_id
                                 : key == "principalId"      ? &principal
                                 : key == "status"           ? &status
                                 : key == "disconnectReason" ? &reason
                                                             : nullptr;
      if (target != nullptr) {
        if (value.get_string().get(*target)) {
          problem(file, line, fmt::format("{}: expected a string", key));
          return;
        }
      } else if (key == "timestamp") {
        ondemand::json_type type;
        if (value.type().get(type)) {
          problem(file, line, "not a log entry: malformed or cut-off JSON");
          return;
        }
        if (type == ondemand::json_type::number) {
          int64_t millis = 0;
          if (value.get_int64().get(millis) == simdjson::SUCCESS) time = millis;
        } else {
          std::string_view stamp;
          if (value.get_string().get(stamp) == simdjson::SUCCESS) time = log_time(stamp);
        }
        if (!time) {
          problem(file, line, "timestamp: expected epoch milliseconds or \"YYYY-MM-DD HH:MM:SS.mmm\"");
          return;
        }
      }
      // Other fields are skipped by the iteration, which still stops at broken structure.
    }
    const char* end = nullptr;
    if (document.current_location().get(end) != simdjson::OUT_OF_BOUNDS) {
      problem(file, line, "text after the log entry");
      return;
    }
    if (event_type != "Connect" && event_type != "Disconnect") return;
    if (!time) time = fallback_time;
    if (!time || client_id.empty()) {
      problem(file, line, fmt::format("{} entry without {}", event_type, time ? "clientId" : "timestamp"));
      return;
    }
    ConnectionEventTable& table = snapshot_.connection_events;
    table.kind.push_back(event_type == "Connect" ? ConnectionEventTable::Kind::connect
                                                 : ConnectionEventTable::Kind::disconnect);
    table.time.push_back(*time);
    table.client_id.push_back(snapshot_.strings.intern(client_id));
    table.principal.push_back(principal.empty() ? kNoString : snapshot_.strings.intern(principal));
    table.succeeded.push_back(status.empty() || status == "Success");
    table.duplicate_client_id.push_back(reason == "DUPLICATE_CLIENTID");
  }

  void read_lines(const std::filesystem::path& path, const std::string& file) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      problem(file, 0, "cannot read");
      return;
    }
    std::string line;
    uint32_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      read_entry(file, number, line, std::nullopt);
    }
  }

  // Streams the "events" array element by element: a scanner finds each element's extent (strings
  // and nesting aware, counting lines as it goes), and only that element is parsed. Memory stays
  // bounded by the largest event, and a cut-off file keeps every event before the cut.
  void read_events(const std::filesystem::path& path, const std::string& file) {
    std::string error;
    std::optional<MappedFile> bytes = MappedFile::open(path.string(), error);
    if (!bytes) {
      problem(file, 0, "cannot read: " + error);
      return;
    }
    const std::string_view text(bytes->data(), bytes->size());
    uint32_t line = 1;
    int depth = 0;
    bool in_string = false, escaped = false, in_events = false, found = false;
    std::string_view last_key;        // the last string seen at depth 1 (a top-level key)
    size_t string_start = 0, element_start = std::string_view::npos;
    uint32_t element_line = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n') ++line;
      if (in_string) {
        if (escaped) escaped = false;
        else if (c == '\\') escaped = true;
        else if (c == '"') {
          in_string = false;
          if (depth == 1) last_key = text.substr(string_start, i - string_start);
        }
        continue;
      }
      if (in_events && depth == 2 && element_start == std::string_view::npos && c != ' ' && c != '\n' &&
          c != '\r' && c != '\t' && c != ',' && c != ']') {
        element_start = i;
        element_line = line;
      }
      if (c == '"') {
        in_string = true;
        string_start = i + 1;
      } else if (c == '{' || c == '[') {
        ++depth;
        if (depth == 2 && c == '[' && last_key == "events") in_events = found = true;
      } else if (c == '}' || c == ']') {
        if (in_events && depth == 3 && c == '}' && element_start != std::string_view::npos) {
          read_event(file, element_line, text.substr(element_start, i + 1 - element_start));
          element_start = std::string_view::npos;
        }
        if (depth == 2 && in_events) in_events = false;
        --depth;
      } else if (c == ',' && in_events && depth == 2 && element_start != std::string_view::npos) {
        problem(file, element_line, "expected an event object");
        element_start = std::string_view::npos;
      }
    }
    if (depth != 0 || in_string)
      problem(file, element_start != std::string_view::npos ? element_line : line,
              "the file is cut off or its JSON is broken here; the events before were read");
    else if (!found)
      problem(file, 1, "expected the top-level object to hold the key \"events\" (aws logs filter-log-events)");
  }

  // One {"timestamp": ms, "message": "<entry JSON>"} element.
  void read_event(const std::string& file, uint32_t line, std::string_view element) {
    event_buffer_.assign(element);
    event_buffer_.resize(element.size() + simdjson::SIMDJSON_PADDING);
    ondemand::document document;
    ondemand::object object;
    if (events_parser_.iterate(event_buffer_.data(), element.size(), event_buffer_.size()).get(document) ||
        document.get_object().get(object)) {
      problem(file, line, "not an event: malformed JSON");
      return;
    }
    std::optional<EpochMillis> time;
    std::optional<std::string> message;
    for (auto field_result : object) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        problem(file, line, "not an event: malformed JSON");
        return;
      }
      if (key == "timestamp") {
        int64_t millis = 0;
        if (field.value().get_int64().get(millis)) {
          problem(file, line, "timestamp: expected epoch milliseconds");
          return;
        }
        time = millis;
      } else if (key == "message") {
        std::string_view text;
        if (field.value().get_string().get(text)) {
          problem(file, line, "message: expected a string holding the log entry's JSON");
          return;
        }
        message = std::string(text);
      }
    }
    if (!message) {
      problem(file, line, "event without message");
      return;
    }
    read_entry(file, line, *message, time);
  }

private:
  Snapshot& snapshot_;
  Diagnostics& diagnostics_;
  ondemand::parser entry_parser_;
  ondemand::parser events_parser_;
  std::string buffer_, event_buffer_;
};

}  // namespace

void load_iot_logs(const std::string& folder, Snapshot& snapshot, Diagnostics& diagnostics) {
  const std::string folder_name = file_name(SnapshotFile::iot_logs);
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".json" || extension == ".jsonl")) files.push_back(entry.path());
  }
  if (error) {
    diagnostics.error(folder_name, "cannot read the folder: " + error.message());
    return;
  }
  std::sort(files.begin(), files.end());
  LogReader reader(snapshot, diagnostics);
  for (const auto& path : files) {
    const std::string file = folder_name + "/" + path.filename().string();
    if (path.extension() == ".jsonl") reader.read_lines(path, file);
    else reader.read_events(path, file);
  }
}

}  // namespace fleetaudit::load
