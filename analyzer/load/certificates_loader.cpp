#include <atomic>
#include <cstring>
#include <thread>

#include "analyzer/load/loaders.h"
#include "analyzer/x509/pem.h"

namespace fleetaudit::load {

namespace {

// A certificatePem still in the reader's buffer, as raw JSON string content (escapes included).
struct PendingPem {
  uint32_t row;
  int64_t record_index;
  const char* at;  // the value's opening quote, for pointing problems at it
  std::string_view raw;
};

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

// Decodes and parses the pending PEMs on all cores: the work is independent per certificate, and
// certificates dominate a snapshot. Runs before the reader refills its buffer (the PEMs point into
// it), so once per window. Problems are reported afterwards, in file order.
void extract_certificate_facts(FileReader& file, Snapshot& snapshot, CertificateTable& table, bool keep_der,
                               const std::vector<PendingPem>& pending) {
  table.facts.resize(table.size());
  if (keep_der) table.der.resize(table.size());
  if (pending.empty()) return;
  std::vector<std::string> problems(pending.size());
  std::atomic<size_t> next{0};
  constexpr size_t kBatch = 256;
  auto work = [&] {
    std::string der;
    for (;;) {
      size_t begin = next.fetch_add(kBatch);
      if (begin >= pending.size()) return;
      size_t end = std::min(begin + kBatch, pending.size());
      for (size_t i = begin; i < end; ++i) {
        const PendingPem& pem = pending[i];
        std::string problem = x509::decode_pem(pem.raw, "CERTIFICATE", der);
        if (problem.empty())
          problem = x509::extract_facts(der, snapshot.text(table.certificate_id[pem.row]), table.facts[pem.row]);
        if (!problem.empty()) {
          table.facts[pem.row] = {};
          problems[i] = std::move(problem);
        } else if (keep_der) {
          table.der[pem.row] = der;
        }
      }
    }
  };
  unsigned threads = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()),
                                        static_cast<unsigned>(pending.size() / kBatch + 1));
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < threads; ++i) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  for (size_t i = 0; i < pending.size(); ++i)
    if (!problems[i].empty())
      file.report(pending[i].at, JsonPath("certificateDescriptions", pending[i].record_index, "certificatePem"),
                  "cannot read the certificate: " + problems[i]);
}

// Both files hold `describe-certificate` / `describe-ca-certificate` outputs; only the status
// enum differs (a CA is ACTIVE or INACTIVE).
bool load_certificate_descriptions(FileReader& file, ondemand::parser& parser, Snapshot& snapshot,
                                   CertificateTable& table, bool is_ca) {
  std::vector<PendingPem> pending;
  file.set_before_refill([&] {
    extract_certificate_facts(file, snapshot, table, is_ca, pending);
    pending.clear();
  });
  bool complete = for_each_record(file, parser, "certificateDescriptions", [&](RecordReader& record, ondemand::object object) {
    const int64_t record_index = record.index();
    std::string_view pem;
    const char* pem_at = nullptr;
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
      } else if (key == "certificatePem") {
        // Not unescaped: the raw JSON string is decoded later, in place, escapes and all.
        const char* at = location_of(value);
        ondemand::raw_json_string raw;
        if (value.get_raw_json_string().get(raw) == simdjson::SUCCESS && at != nullptr && *at == '"')
          pem = raw_string_at(at, file.buffer_end()), pem_at = at;
        else
          record.string(value, record.path("certificatePem"));
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
    if (!pem.empty())
      pending.push_back({static_cast<uint32_t>(table.size() - 1), record_index, pem_at, pem});
    table.source.push_back(file.offset_of(record.start()));
  });
  extract_certificate_facts(file, snapshot, table, is_ca, pending);
  file.set_before_refill(nullptr);
  return complete;
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
