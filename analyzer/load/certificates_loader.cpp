#include <cstring>
#include <optional>

#include "analyzer/load/loaders.h"
#include "analyzer/load/pem_pipeline.h"
#include "analyzer/load/window_interner.h"
#include "analyzer/x509/pem.h"

namespace fleetaudit::load {

namespace {

// The raw content of the JSON string whose opening quote is at `quote`, when `next` is where the
// token after it starts: simdjson has found the string's end already, so only the whitespace
// between them is skipped rather than the (kilobyte-long) string searched.
std::string_view raw_string_before(const char* quote, const char* next) {
  const char* close = next - 1;
  while (close > quote && (*close == ' ' || *close == '\n' || *close == '\r' || *close == '\t')) --close;
  if (close <= quote || *close != '"') return {};
  return {quote + 1, static_cast<size_t>(close - quote - 1)};
}

// The raw content of the JSON string whose opening quote is at `quote`: up to the closing quote.
std::string_view raw_string_at(const char* quote, const char* end) {
  const char* at = quote + 1;
  while (at < end) {
    const char* close = static_cast<const char*>(std::memchr(at, '"', static_cast<size_t>(end - at)));
    if (close == nullptr) return {};
    size_t backslashes = 0;
    for (const char* p = close; p > quote + 1 && p[-1] == '\\'; --p) ++backslashes;
    if (backslashes % 2 == 0) return {quote + 1, static_cast<size_t>(close - quote - 1)};
    at = close + 1;
  }
  return {};
}

// The status, which a CA certificate has fewer of; false after reporting one it cannot have.
bool read_status(RecordReader& record, ondemand::value value, bool is_ca, CertificateStatus& status) {
  const char* at = location_of(value);
  auto text = record.string(value, record.path("status"));
  if (!text) return false;
  auto parsed = certificate_status_from(*text);
  const bool valid =
      parsed && (!is_ca || *parsed == CertificateStatus::active || *parsed == CertificateStatus::inactive);
  if (valid) status = *parsed;
  if (!valid)
    record.fail_at(at, record.path("status"),
                   is_ca ? "expected one of ACTIVE, INACTIVE"
                         : "expected one of ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, "
                           "PENDING_ACTIVATION");
  return valid;
}

// certificatePem, not unescaped: the raw JSON string is decoded later, in place, escapes and all.
void read_raw_pem(FileReader& file, RecordReader& record, ondemand::value value, std::string_view& pem,
                  const char*& pem_at) {
  const char* at = location_of(value);
  ondemand::raw_json_string raw;
  if (value.get_raw_json_string().get(raw) == simdjson::SUCCESS && at != nullptr && *at == '"') {
    const char* next = record.next_token();
    pem = next != nullptr && next > at ? raw_string_before(at, next) : std::string_view{};
    if (pem.empty()) pem = raw_string_at(at, file.buffer_end());
    pem_at = at;
  } else record.string(value, record.path("certificatePem"));
}

void read_validity(RecordReader& record, ondemand::value value, EpochMillis& not_before, EpochMillis& not_after) {
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
}

// The PEM of table row `row` goes to the pipeline that decodes it; without one (no enabled check
// reads the facts) only its label is checked.
void hand_over_pem(FileReader& file, std::optional<PemPipeline>& pipeline, uint32_t row, int64_t record_index,
                   std::string_view pem, const char* pem_at, std::string_view certificate_id) {
  if (pipeline) {
    pipeline->add({row, record_index, file.offset_of(pem_at), {}, pem});
    return;
  }
  if (std::string problem = x509::check_pem_label(pem, "CERTIFICATE"); !problem.empty())
    file.report_rendered(file.offset_of(pem_at),
                         JsonPath("certificateDescriptions", record_index, "certificatePem").render(),
                         "cannot read the certificate: " + problem, DiagnosticSeverity::error,
                         record_label("certificateId", certificate_id));
}

// Both files hold `describe-certificate` / `describe-ca-certificate` outputs; only the status
// enum differs (a CA is ACTIVE or INACTIVE).
bool load_certificate_descriptions(FileReader& file, ondemand::parser& parser, Snapshot& snapshot,
                                   CertificateTable& table, bool is_ca, bool decode_pems = true) {
  // Without decoding, no pipeline: the facts column stays empty (no enabled check reads it).
  std::optional<PemPipeline> pipeline;
  if (decode_pems) pipeline.emplace(file, table, is_ca);
  WindowInterner interner(snapshot.strings);
  std::string_view last_ca_text;  // in the interner's arena, so it outlives the window
  StringId last_ca_id = kNoString;
  file.set_before_refill([&] {
    interner.flush();
    if (!pipeline) return;
    pipeline->name_certificates(snapshot);
    pipeline->hand_over();
  });
  bool complete = for_each_record(file, parser, "certificateDescriptions", [&](RecordReader& record, ondemand::object object) {
    const int64_t record_index = record.index();
    std::string_view pem;
    const char* pem_at = nullptr;
    std::optional<std::string_view> certificate_id;
    StringId ca_certificate_id = kNoString;
    // A plain value and a flag, not std::optional: GCC 12 warns on optional<enum> here.
    CertificateStatus status = CertificateStatus::inactive;
    bool has_status = false;
    EpochMillis creation = kMissingTime, not_before = kMissingTime, not_after = kMissingTime;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "certificateId") {
        certificate_id = record.string(value, record.path("certificateId"));
      } else if (key == "caCertificateId" && !is_ca) {
        if (auto text = record.string(value, record.path("caCertificateId"))) {
          // Runs of certificates share their CA: intern its id once per run.
          if (last_ca_id == kNoString || *text != last_ca_text) {
            last_ca_id = snapshot.strings.intern(*text);
            last_ca_text = snapshot.text(last_ca_id);
          }
          ca_certificate_id = last_ca_id;
        }
      } else if (key == "status") {
        has_status = read_status(record, value, is_ca, status);
      } else if (key == "certificatePem") {
        read_raw_pem(file, record, value, pem, pem_at);
      } else if (key == "creationDate") {
        if (auto time = record.time(value, record.path("creationDate"))) creation = *time;
      } else if (key == "validity") {
        read_validity(record, value, not_before, not_after);
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && !certificate_id)
      record.fail(record.path("certificateId"), "missing required field certificateId");
    if (record.ok() && !has_status) record.fail(record.path("status"), "missing required field status");
    if (!record.ok()) return;
    interner.add(*certificate_id, table.certificate_id, table.size());
    table.certificate_id.push_back(kNoString);
    table.ca_certificate_id.push_back(ca_certificate_id);
    table.status.push_back(status);
    table.creation_date.push_back(creation);
    table.not_before.push_back(not_before);
    table.not_after.push_back(not_after);
    if (!pem.empty())
      hand_over_pem(file, pipeline, static_cast<uint32_t>(table.size() - 1), record_index, pem, pem_at,
                    *certificate_id);
    table.source.push_back(file.offset_of(record.start()));
  });
  interner.flush();
  if (pipeline) {
    pipeline->name_certificates(snapshot);
    pipeline->finish();
  }
  file.set_before_refill(nullptr);
  return complete;
}

}  // namespace

// certificates.json: `aws iot describe-certificate`, once per certificate.
bool load_certificates(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  return load_certificate_descriptions(file, parser, snapshot, snapshot.certificates, false);
}

bool load_certificates_without_pems(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  return load_certificate_descriptions(file, parser, snapshot, snapshot.certificates, false, false);
}

// ca-certificates.json: `aws iot describe-ca-certificate`, once per CA.
bool load_ca_certificates(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  return load_certificate_descriptions(file, parser, snapshot, snapshot.ca_certificates, true);
}

}  // namespace fleetaudit::load
