#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

// resourceIdentifier: exactly one member; policyVersionIdentifier is itself an object.
void read_resource_identifier(RecordReader& record, ondemand::object object, AuditSuppression& suppression) {
  for_each_field(record, object, record.path("resourceIdentifier"), [&](std::string_view key, ondemand::value value) {
    auto path = record.path("resourceIdentifier", -1, key);
    if (!suppression.identifier_member.empty()) {
      record.fail_at(location_of(value), path, "a resourceIdentifier names exactly one resource");
      return;
    }
    suppression.identifier_member = std::string(key);
    if (key != "policyVersionIdentifier" && key != "issuerCertificateIdentifier") {
      if (auto text = record.string(value, path)) suppression.identifier_value = std::string(*text);
      return;
    }
    auto inner = record.object(value, path);
    if (!inner) return;
    for_each_field(record, *inner, path, [&](std::string_view field, ondemand::value v) {
      auto text = record.string(v, path);
      if (!text) return;
      if (field == "policyName") suppression.identifier_value = std::string(*text);
      else if (field == "policyVersionId") suppression.policy_version_id = std::string(*text);
      else suppression.identifier_value += std::string(field) + "=" + std::string(*text) + ";";
    });
  });
}

}  // namespace

// audit-suppressions.json: `aws iot list-audit-suppressions`, verbatim; also --suppressions FILE.
bool load_audit_suppressions(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  return for_each_record(file, parser, "suppressions", [&](RecordReader& record, ondemand::object object) {
    AuditSuppression suppression;
    bool has_identifier = false;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "checkName") {
        if (auto text = record.string(value, record.path("checkName"))) suppression.check_name = std::string(*text);
      } else if (key == "resourceIdentifier") {
        auto inner = record.object(value, record.path("resourceIdentifier"));
        if (!inner) return;
        has_identifier = true;
        read_resource_identifier(record, *inner, suppression);
      } else if (key == "expirationDate") {
        suppression.expiration = record.time(value, record.path("expirationDate"));
      } else if (key == "suppressIndefinitely") {
        if (auto flag = record.boolean(value, record.path("suppressIndefinitely"))) suppression.indefinitely = *flag;
      } else if (key == "description") {
        if (auto text = record.string(value, record.path("description"))) suppression.description = std::string(*text);
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && suppression.check_name.empty())
      record.fail(record.path("checkName"), "missing required field checkName");
    if (record.ok() && (!has_identifier || suppression.identifier_member.empty()))
      record.fail(record.path("resourceIdentifier"), "missing required field resourceIdentifier");
    if (!record.ok()) return;
    suppression.source_file = file.file_name();
    const TextPosition position = file.position_at(file.offset_of(record.start()));
    suppression.source_line = position.line;
    suppression.source_column = position.column;
    snapshot.suppressions.push_back(std::move(suppression));
  });
}

}  // namespace fleetaudit::load
