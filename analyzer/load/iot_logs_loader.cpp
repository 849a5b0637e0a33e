// iot-logs/: AWS IoT v2 log entries, streamed. Only Connect and Disconnect entries are kept.
//
//   *.jsonl  one log entry (the JSON of one message) per line, read line by line: memory stays
//            bounded however large the file.
//   *.json   `aws logs filter-log-events` output, {"events": [{"timestamp", "message"}…]}, whose
//            message is the entry's JSON text. Parsed as one document (simdjson On Demand over
//            the mapped file), so these files are limited to kMaxEventsFileBytes; export bigger
//            logs as .jsonl (`jq -c '.events[].message | fromjson'`).
// A bad line or event is reported with file and line and skipped; a truncated file keeps the
// entries before the cut.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

constexpr uint64_t kMaxEventsFileBytes = uint64_t{1} << 30;

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

  void read_events(const std::filesystem::path& path, const std::string& file) {
    std::error_code size_error;
    if (std::filesystem::file_size(path, size_error) > kMaxEventsFileBytes) {
      problem(file, 0, fmt::format("larger than {} MiB; export the log as .jsonl, one entry per line",
                                   kMaxEventsFileBytes >> 20));
      return;
    }
    std::string error;
    std::optional<MappedFile> bytes = MappedFile::open(path.string(), error);
    if (!bytes) {
      problem(file, 0, "cannot read: " + error);
      return;
    }
    FileReader reader(file, *bytes, diagnostics_);
    for_each_record(reader, events_parser_, "events", [&](RecordReader& record, ondemand::object object) {
      const uint32_t line = position_of(bytes->data(), reader.offset_of(record.start())).line;
      std::optional<EpochMillis> time;
      std::string message;
      bool has_message = false;
      for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
        if (key == "timestamp") {
          if (auto millis = record.integer(value, record.path("timestamp"))) time = *millis;
        } else if (key == "message") {
          if (auto text = record.string(value, record.path("message"))) {
            message = std::string(*text);
            has_message = true;
          }
        } else {
          record.consume(value, record.path(key));
        }
      });
      if (!record.ok()) return;
      if (!has_message) {
        record.fail(record.path("message"), "missing required field message");
        return;
      }
      read_entry(file, line, message, time);
    });
  }

private:
  Snapshot& snapshot_;
  Diagnostics& diagnostics_;
  ondemand::parser entry_parser_;
  ondemand::parser events_parser_;
  std::string buffer_;
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
