#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

std::optional<LogLevel> read_log_level(RecordReader& record, ondemand::value value, const JsonPath& path) {
  const char* at = location_of(value);
  auto text = record.string(value, path);
  if (!text) return std::nullopt;
  auto level = log_level_from(*text);
  if (!level) record.fail_at(at, path, "expected one of DEBUG, INFO, ERROR, WARN, DISABLED");
  return level;
}

}  // namespace

// logging-v1.json: `aws iot get-logging-options`, verbatim.
bool load_logging_v1(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  LoggingV1 options;
  bool ok = with_top_object(file, parser, [&](RecordReader& record, ondemand::object object) {
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "roleArn") {
        if (auto text = record.string(value, record.path("roleArn"))) options.role_arn = snapshot.strings.intern(*text);
      } else if (key == "logLevel") {
        options.level = read_log_level(record, value, record.path("logLevel"));
      } else {
        record.consume(value, record.path(key));
      }
    });
  });
  // A file whose content could not be read proves nothing about logging: leave it unknown.
  if (ok) snapshot.logging_v1 = options;
  return ok;
}

// logging-v2.json: `aws iot get-v2-logging-options`, verbatim; {} when v2 was never configured.
bool load_logging_v2(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  LoggingV2 options;
  bool ok = with_top_object(file, parser, [&](RecordReader& record, ondemand::object object) {
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      options.configured = true;
      if (key == "roleArn") {
        if (auto text = record.string(value, record.path("roleArn"))) options.role_arn = snapshot.strings.intern(*text);
      } else if (key == "defaultLogLevel") {
        options.default_level = read_log_level(record, value, record.path("defaultLogLevel"));
      } else if (key == "disableAllLogs") {
        if (auto flag = record.boolean(value, record.path("disableAllLogs"))) options.disable_all_logs = *flag;
      } else {
        record.consume(value, record.path(key));
      }
    });
  });
  if (ok) snapshot.logging_v2 = options;
  return ok;
}

}  // namespace fleetaudit::load
