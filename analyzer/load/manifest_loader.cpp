#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

// "skipped", "missingFiles" or "partialFiles": [{"file": "certificates.json", "reason": "…"}, …]
// (other members of an entry, such as partialFiles' recordsKept, are read and ignored).
void read_file_list(RecordReader& record, std::string_view member, ondemand::value value,
                    std::vector<Manifest::Skipped>& list) {
  auto array = record.array(value, record.path(member));
  if (!array) return;
  for_each_element(record, *array, record.path(member), [&](int64_t index, ondemand::value element) {
    auto entry = record.object(element, record.path(member, index));
    if (!entry) return;
    Manifest::Skipped named;
    for_each_field(record, *entry, record.path(member, index), [&](std::string_view key, ondemand::value field) {
      if (key == "file") {
        if (auto text = record.string(field, record.path(member, index, "file"))) named.file = std::string(*text);
      } else if (key == "reason") {
        if (auto text = record.string(field, record.path(member, index, "reason"))) named.reason = std::string(*text);
      } else {
        record.consume(field, record.path(member, index, key));
      }
    });
    if (named.file.empty()) {
      if (!record.broken()) record.fail(record.path(member, index, "file"), "missing required field file");
      return;
    }
    if (!snapshot_file_named(named.file))
      record.warn_at(nullptr, record.path(member, index, "file"),
                     "not a file of the snapshot format; this entry is ignored");
    list.push_back(std::move(named));
  });
}

}  // namespace

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
      } else if (key == "complete") {
        manifest.complete = record.boolean(value, record.path("complete"));
      } else if (key == "error") {
        if (auto text = record.string(value, record.path("error"))) manifest.export_error = std::string(*text);
      } else if (key == "skipped") {
        read_file_list(record, key, value, manifest.skipped);
      } else if (key == "missingFiles") {
        read_file_list(record, key, value, manifest.missing);
      } else if (key == "partialFiles") {
        read_file_list(record, key, value, manifest.partial);
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (!record.broken() && !has_version && record.ok())
      record.fail(record.path("formatVersion"), "missing required field formatVersion");
    if (manifest.complete == false)
      record.warn_at(nullptr, record.path("complete"),
                     "the exporter did not finish (" +
                         (manifest.export_error.empty() ? std::string("no error given") : manifest.export_error) +
                         "): every check that ran is incomplete; export again (fleetaudit-export --resume)");
  });
}

}  // namespace fleetaudit::load
