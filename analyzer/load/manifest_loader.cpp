#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

// manifest.json: written by the exporter; gives the account, the region and the audit clock.
bool load_manifest(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  Manifest& manifest = snapshot.manifest;
  return with_top_object(file, parser, [&](RecordReader& record, ondemand::object object) {
    bool has_version = false;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "formatVersion") {
        if (auto version = record.integer(value, record.path("formatVersion"))) {
          has_version = true;
          manifest.format_version = *version;
          if (*version != 1)
            record.fail(record.path("formatVersion"), "unsupported formatVersion, this fleetaudit reads version 1");
        }
      } else if (key == "exportedAt") {
        manifest.exported_at = record.time(value, record.path("exportedAt"));
      } else if (key == "accountId") {
        if (auto text = record.string(value, record.path("accountId"))) manifest.account_id = snapshot.strings.intern(*text);
      } else if (key == "region") {
        if (auto text = record.string(value, record.path("region"))) manifest.region = snapshot.strings.intern(*text);
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (!record.broken() && !has_version && record.ok())
      record.fail(record.path("formatVersion"), "missing required field formatVersion");
  });
}

}  // namespace fleetaudit::load
