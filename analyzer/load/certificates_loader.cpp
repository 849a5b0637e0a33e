#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

// Both files hold `describe-certificate` / `describe-ca-certificate` outputs; only the status
// enum differs (a CA is ACTIVE or INACTIVE).
bool load_certificate_descriptions(FileReader& file, ondemand::parser& parser, Snapshot& snapshot,
                                   CertificateTable& table, bool is_ca) {
  return for_each_record(file, parser, "certificateDescriptions", [&](RecordReader& record, ondemand::object object) {
    StringId certificate_id = kNoString;
    StringId ca_certificate_id = kNoString;
    // A plain value and a flag, not std::optional: GCC 12 warns on optional<enum> here.
    CertificateStatus status = CertificateStatus::inactive;
    bool has_status = false;
    EpochMillis creation = kMissingTime, not_before = kMissingTime, not_after = kMissingTime;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "certificateId") {
        if (auto text = record.string(value, record.path("certificateId")))
          certificate_id = snapshot.strings.intern(*text);
      } else if (key == "caCertificateId" && !is_ca) {
        if (auto text = record.string(value, record.path("caCertificateId")))
          ca_certificate_id = snapshot.strings.intern(*text);
      } else if (key == "status") {
        const char* at = location_of(value);
        auto text = record.string(value, record.path("status"));
        if (!text) return;
        auto parsed = certificate_status_from(*text);
        has_status = parsed && (!is_ca || *parsed == CertificateStatus::active || *parsed == CertificateStatus::inactive);
        if (has_status) status = *parsed;
        if (!has_status)
          record.fail_at(at, record.path("status"),
                         is_ca ? "expected one of ACTIVE, INACTIVE"
                               : "expected one of ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, "
                                 "PENDING_ACTIVATION");
      } else if (key == "creationDate") {
        if (auto time = record.time(value, record.path("creationDate"))) creation = *time;
      } else if (key == "validity") {
        auto validity = record.object(value, record.path("validity"));
        if (!validity) return;
        for_each_field(record, *validity, record.path("validity"), [&](std::string_view inner, ondemand::value v) {
          if (inner == "notBefore") {
            if (auto time = record.time(v, record.path("validity.notBefore"))) not_before = *time;
          } else if (inner == "notAfter") {
            if (auto time = record.time(v, record.path("validity.notAfter"))) not_after = *time;
          } else {
            record.consume(v, record.path("validity"));
          }
        });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && certificate_id == kNoString)
      record.fail(record.path("certificateId"), "missing required field certificateId");
    if (record.ok() && !has_status) record.fail(record.path("status"), "missing required field status");
    if (!record.ok()) return;
    table.certificate_id.push_back(certificate_id);
    table.ca_certificate_id.push_back(ca_certificate_id);
    table.status.push_back(status);
    table.creation_date.push_back(creation);
    table.not_before.push_back(not_before);
    table.not_after.push_back(not_after);
    table.source.push_back(file.offset_of(record.start()));
  });
}

}  // namespace

// certificates.json: `aws iot describe-certificate`, once per certificate.
bool load_certificates(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  return load_certificate_descriptions(file, parser, snapshot, snapshot.certificates, false);
}

// ca-certificates.json: `aws iot describe-ca-certificate`, once per CA.
bool load_ca_certificates(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  return load_certificate_descriptions(file, parser, snapshot, snapshot.ca_certificates, true);
}

}  // namespace fleetaudit::load
