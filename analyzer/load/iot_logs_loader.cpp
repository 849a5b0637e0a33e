// iot-logs/: AWS IoT v2 log entries, streamed. Only Connect and Disconnect entries are kept.
//
//   *.jsonl  one log entry (the JSON of one message) per line, read line by line: memory stays
//            bounded however large the file. A line may start with a timestamp and a space, as
//            in a CloudWatch Logs export to S3.
//   *.json   `aws logs filter-log-events` output, {"events": [{"timestamp", "message"}…]}, whose
//            message is the entry's JSON text. The mapped file is scanned and each event parsed on
//            its own, so memory is bounded by the largest event, not the file.
//   *.gz     either of the above gzip-compressed (NAME.jsonl.gz, NAME.json.gz), or a CloudWatch
//            Logs export to S3 (000000.gz: lines of "timestamp entry-JSON"). Lines are
//            decompressed as they are read; a .json.gz is decompressed whole, up to a limit.
// Extensions are matched without regard to case. A bad line or event is reported with file and
// line and skipped; a truncated file keeps the entries before the cut; every entry of the folder
// that is not read is reported with the reason.
#include <fmt/format.h>

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <cctype>
#include <memory>

#include "analyzer/load/input_files.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/mapped_file.h"
#include "analyzer/load/text_encoding.h"

namespace fleetaudit::load {

namespace {

enum class LogFormat { events, lines };

// IoT log timestamps: "2017-08-10 15:37:23.476" (UTC, no offset), ISO 8601, or epoch milliseconds.
std::optional<EpochMillis> log_time(std::string_view text) {
  if (auto millis = parse_iso8601(text)) return millis;
  return parse_iso8601(std::string(text) + "Z");
}

class LogReader {
public:
  LogReader(Snapshot& snapshot, Diagnostics& diagnostics, const ReadBoundary& boundary)
      : snapshot_(snapshot), diagnostics_(diagnostics), boundary_(boundary) {}

  void problem(const std::string& file, uint32_t line, std::string message) {
    diagnostics_.add({DiagnosticSeverity::error, file, line, 1, {}, std::move(message), {}});
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

  // One line of a .jsonl file (or of a CloudWatch export: "2026-01-01T00:00:00.000Z {…}").
  void read_line(const std::string& file, uint32_t number, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;
    std::optional<EpochMillis> prefix_time;
    if (line.front() != '{') {
      const size_t space = line.find(' ');
      if (space != std::string_view::npos && space + 1 < line.size() && line[space + 1] == '{') {
        prefix_time = log_time(line.substr(0, space));
        if (prefix_time) line.remove_prefix(space + 1);
      }
    }
    read_entry(file, number, line, prefix_time);
  }

  void read_lines(std::string_view text, const std::string& file) {
    uint32_t number = 0;
    while (!text.empty()) {
      const size_t end = text.find('\n');
      read_line(file, ++number, text.substr(0, end));
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
  }

  // Streams the "events" array element by element: a scanner finds each element's extent (strings
  // and nesting aware, counting lines as it goes), and only that element is parsed. Memory stays
  // bounded by the largest event, and a cut-off file keeps every event before the cut.
  void read_events(std::string_view text, const std::string& file) {
    uint32_t line = 1;
    int depth = 0;
    bool in_string = false, escaped = false, in_events = false, found = false;
    // Inside the events array: what may come next, so that a missing or doubled comma is seen.
    enum class Next { first_event, event, separator } next = Next::first_event;
    std::string_view last_key;        // the last string seen at depth 1 (a top-level key)
    size_t string_start = 0, element_start = std::string_view::npos;
    uint32_t element_line = 0;
    auto not_an_event = [&] {
      problem(file, element_line, "expected an event object ({\"timestamp\": …, \"message\": …}); skipped");
      element_start = std::string_view::npos;
    };
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
        if (next == Next::separator) problem(file, line, "expected ',' between two events");
        next = Next::separator;
        element_start = i;
        element_line = line;
      }
      if (c == '"') {
        in_string = true;
        string_start = i + 1;
      } else if (c == '{' || c == '[') {
        ++depth;
        if (depth == 2 && c == '[' && last_key == "events") {
          in_events = found = true;
          next = Next::first_event;
        }
      } else if (c == '}' || c == ']') {
        if (in_events && depth == 3 && c == '}' && element_start != std::string_view::npos) {
          read_event(file, element_line, text.substr(element_start, i + 1 - element_start));
          element_start = std::string_view::npos;
        }
        if (depth == 2 && in_events) {
          // The events array ends: a last element that was no object, or a trailing comma.
          if (element_start != std::string_view::npos) not_an_event();
          else if (next == Next::event) problem(file, line, "expected an event after ',' (a trailing comma)");
          in_events = false;
        }
        --depth;
      } else if (c == ',' && in_events && depth == 2) {
        if (element_start != std::string_view::npos) not_an_event();
        else if (next != Next::separator) problem(file, line, "expected an event before ','");
        next = Next::event;
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

  // Checks the encoding at the start of `text`; false (reported) for UTF-16, else skips a BOM.
  bool skip_byte_order_mark(std::string_view& text, const std::string& file) {
    TextEncoding encoding = detect_text_encoding(text.substr(0, 4));
    if (!encoding.problem.empty()) {
      problem(file, 1, encoding.problem);
      return false;
    }
    text.remove_prefix(encoding.bom_length);
    return true;
  }

  void read_file(const std::string& path, const std::string& file, LogFormat format) {
    std::string error;
    std::optional<MappedFile> bytes = MappedFile::open(path, error, &boundary_);
    if (!bytes) {
      problem(file, 0, "cannot read: " + error);
      return;
    }
    std::string_view text(bytes->data(), bytes->size());
    if (!skip_byte_order_mark(text, file)) return;
    if (format == LogFormat::lines) read_lines(text, file);
    else read_events(text, file);
  }

  void read_gzip_file(const std::string& path, const std::string& file, LogFormat format);

private:
  Snapshot& snapshot_;
  Diagnostics& diagnostics_;
  const ReadBoundary& boundary_;
  ondemand::parser entry_parser_;
  ondemand::parser events_parser_;
  std::string buffer_, event_buffer_;
};

}  // namespace

namespace {

struct LogFileKind {
  bool gzip = false;
  std::optional<LogFormat> format;  // nullopt: not a log file
};

// From the name, ignoring case: NAME.json, NAME.jsonl, either with .gz, or a CloudWatch Logs
// export's NAME.gz (lines of "timestamp entry").
LogFileKind kind_of(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  auto strip = [&](std::string_view suffix) {
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
    name.resize(name.size() - suffix.size());
    return true;
  };
  LogFileKind kind;
  kind.gzip = strip(".gz");
  if (strip(".jsonl")) kind.format = LogFormat::lines;
  else if (strip(".json")) kind.format = LogFormat::events;
  else if (kind.gzip) kind.format = LogFormat::lines;
  return kind;
}

// Decompressed .json.gz files are parsed whole: past this they are refused, not read into memory.
constexpr size_t kMaxDecompressedEvents = size_t{1} << 30;
// A line of a compressed file is held whole: a longer one is a broken file, not a log entry.
constexpr size_t kMaxLine = size_t{16} << 20;

struct GzipCloser {
  void operator()(gzFile file) const { gzclose(file); }
};

// Reads a gzip file in blocks, calling consume(block) until it returns false; the problem, if any.
template <class Consume>
std::optional<std::string> read_gzip(const std::string& path, const ReadBoundary& boundary, Consume&& consume) {
  uint64_t size = 0;
  std::string error;
  const int fd = open_regular_file(path, size, error, &boundary);
  if (fd < 0) return error;
  std::unique_ptr<gzFile_s, GzipCloser> gz(gzdopen(fd, "rb"));
  if (!gz) {
    ::close(fd);
    return std::string("cannot open for decompression");
  }
  std::string block(1 << 16, '\0');
  bool first = true;
  for (;;) {
    const int got = gzread(gz.get(), block.data(), static_cast<unsigned>(block.size()));
    if (got < 0) {
      int code = 0;
      return fmt::format("cannot decompress: {}; the entries before were read", gzerror(gz.get(), &code));
    }
    if (first && gzdirect(gz.get())) return std::string("is not gzip-compressed (a .gz file must be)");
    first = false;
    if (got == 0) return std::nullopt;
    if (!consume(std::string_view(block.data(), static_cast<size_t>(got)))) return std::nullopt;
  }
}

}  // namespace

void LogReader::read_gzip_file(const std::string& path, const std::string& file, LogFormat format) {
  std::string text;  // .json.gz: all of it; lines: what is left of the last block's last line
  uint32_t line = 0;
  bool started = false, refused = false;
  std::optional<std::string> failure = read_gzip(path, boundary_, [&](std::string_view block) {
    text.append(block);
    if (!started && text.size() >= 4) {
      started = true;
      std::string_view head = text;
      if (!skip_byte_order_mark(head, file)) return !(refused = true);
      text.erase(0, text.size() - head.size());
    }
    if (format == LogFormat::events) {
      if (text.size() <= kMaxDecompressedEvents) return true;
      problem(file, 0, fmt::format("decompresses to more than {} MiB; not read (decompress it, or export it as lines)",
                                   kMaxDecompressedEvents >> 20));
      return !(refused = true);
    }
    size_t begin = 0;
    for (size_t end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1)
      read_line(file, ++line, std::string_view(text).substr(begin, end - begin));
    text.erase(0, begin);
    if (text.size() <= kMaxLine) return true;
    problem(file, line + 1, fmt::format("a line longer than {} MiB: not a log entry; the rest of the file is not read",
                                        kMaxLine >> 20));
    return !(refused = true);
  });
  if (failure) {
    problem(file, 0, *failure);
    if (format == LogFormat::events || refused) return;
  }
  if (refused) return;
  std::string_view rest = text;
  if (!started && !skip_byte_order_mark(rest, file)) return;
  if (format == LogFormat::events) read_events(rest, file);
  else if (!rest.empty()) read_line(file, ++line, rest);
}


bool load_iot_logs(const std::string& folder, Snapshot& snapshot, Diagnostics& diagnostics) {
  const std::string folder_name = file_name(SnapshotFile::iot_logs);
  const PathInfo info = inspect_path(folder);
  if (info.kind != PathKind::directory) {
    diagnostics.error(folder_name, fmt::format("{}; expected a folder of log files, so no log was read",
                                               info.kind == PathKind::regular ? "is a regular file" : info.problem));
    return false;
  }
  std::string error;
  std::optional<std::vector<FolderEntry>> entries = list_folder(folder, error);
  if (!entries) {
    diagnostics.error(folder_name, "cannot read the folder: " + error);
    return false;
  }
  // A log file linked to one outside the snapshot is refused, as every snapshot file is.
  const ReadBoundary boundary =
      ReadBoundary::around(std::filesystem::path(folder).parent_path().string(), "the snapshot directory");
  LogReader reader(snapshot, diagnostics, boundary);
  for (const FolderEntry& entry : *entries) {
    const std::string file = folder_name + "/" + entry.name;
    const std::string path = folder + "/" + entry.name;
    if (entry.info.kind == PathKind::directory) {
      diagnostics.warning(file, "is a folder: not read (log files must lie directly in iot-logs/)");
      continue;
    }
    if (entry.info.kind != PathKind::regular) {
      diagnostics.error(file, entry.info.problem + "; not read");
      continue;
    }
    const LogFileKind kind = kind_of(entry.name);
    if (!kind.format) {
      diagnostics.warning(file, "not read: not a log file (expected NAME.json, NAME.jsonl, or either with .gz, or a "
                                "CloudWatch Logs export NAME.gz)");
      continue;
    }
    if (kind.gzip) reader.read_gzip_file(path, file, *kind.format);
    else reader.read_file(path, file, *kind.format);
  }
  return true;
}

}  // namespace fleetaudit::load
