#include <cstring>
#include <deque>
#include <future>
#include <iterator>
#include <thread>

#include "analyzer/load/loaders.h"
#include "analyzer/load/window_interner.h"
#include "analyzer/x509/pem.h"

namespace fleetaudit::load {

namespace {

// A certificatePem still in the reader's buffer, as raw JSON string content (escapes included).
struct PendingPem {
  uint32_t row;
  int64_t record_index;
  uint64_t offset;                  // of the value's opening quote, for pointing problems at it
  std::string_view certificate_id;  // in the interner's arena, which never moves
  std::string_view raw;
};

// What extracting the facts of one window's PEMs found wrong, reported by the reading thread.
struct PemProblem {
  uint64_t offset;
  int64_t record_index;
  std::string message;
};

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

// What one window's PEMs gave: the facts (and DER) of their rows, and what could not be read.
struct ExtractedFacts {
  std::vector<x509::CertificateFacts> facts;  // one per pending PEM, in order
  std::vector<std::string> der;               // kept for CA certificates only
  std::vector<PemProblem> problems;
};

// Decodes and parses the PEMs pending[begin, end) into out.facts[begin, end) (and out.der).
void extract_certificate_facts(const std::vector<PendingPem>& pending, size_t begin, size_t end, bool keep_der,
                               ExtractedFacts& out, std::vector<PemProblem>& problems) {
  std::string der;
  for (size_t i = begin; i < end; ++i) {
    const PendingPem& pem = pending[i];
    std::string problem = x509::decode_pem(pem.raw, "CERTIFICATE", der);
    if (problem.empty()) problem = x509::extract_facts(der, pem.certificate_id, out.facts[i]);
    if (!problem.empty()) {
      out.facts[i] = {};
      problems.push_back({pem.offset, pem.record_index, std::move(problem)});
    } else if (keep_der) {
      out.der[i] = der;
    }
  }
}

ExtractedFacts extract_window(const std::vector<PendingPem>& pending, bool keep_der) {
  ExtractedFacts out;
  out.facts.resize(pending.size());
  if (keep_der) out.der.resize(pending.size());
  // Split over the cores: while other files load this shares them; once they are done, the
  // PEMs would otherwise be the slowest part of loading.
  const size_t half = std::thread::hardware_concurrency() > 1 ? pending.size() / 2 : 0;
  std::vector<PemProblem> first_problems;
  std::thread first_half;
  if (half > 0) first_half = std::thread([&] { extract_certificate_facts(pending, 0, half, keep_der, out, first_problems); });
  std::vector<PemProblem> problems;
  extract_certificate_facts(pending, half, pending.size(), keep_der, out, problems);
  if (first_half.joinable()) first_half.join();
  out.problems = std::move(first_problems);
  out.problems.insert(out.problems.end(), std::make_move_iterator(problems.begin()),
                      std::make_move_iterator(problems.end()));
  return out;
}

// Certificates dominate a snapshot, and their PEMs cost more than the JSON around them: each
// window's PEMs are decoded by a job of their own while this thread reads on. The reader keeps
// its last FileReader::kBuffers windows, so up to kBuffers - 1 jobs run at once; each returns its
// facts, which only this thread writes into the table.
class PemPipeline {
 public:
  PemPipeline(FileReader& file, CertificateTable& table, bool keep_der) : file_(file), table_(table), keep_der_(keep_der) {}
  ~PemPipeline() { finish(); }

  void add(PendingPem pem) { pending_.push_back(pem); }

  // The ids of the pending rows, once interned (their text then lives in the interner's arena).
  void name_certificates(const Snapshot& snapshot) {
    for (PendingPem& pem : pending_) pem.certificate_id = snapshot.text(table_.certificate_id[pem.row]);
  }

  // Before the reader refills: the jobs of windows whose buffers are reused next are collected,
  // then this window's PEMs go to a new job.
  void hand_over() {
    const uint64_t overwritten = file_.fills() + 1 >= FileReader::kBuffers ? file_.fills() + 1 - FileReader::kBuffers : 0;
    while (!running_.empty() && running_.front().window <= overwritten) collect_oldest();
    if (pending_.empty()) return;
    Job job;
    job.window = file_.fills();
    job.rows.reserve(pending_.size());
    for (const PendingPem& pem : pending_) job.rows.push_back(pem.row);
    job.result = std::async(std::launch::async, [keep_der = keep_der_, pending = std::move(pending_)] {
      return extract_window(pending, keep_der);
    });
    running_.push_back(std::move(job));
    pending_.clear();
  }

  // After the last window: everything extracted and reported.
  void finish() {
    hand_over();
    while (!running_.empty()) collect_oldest();
    table_.facts.resize(table_.size());
    if (keep_der_) table_.der.resize(table_.size());
  }

 private:
  struct Job {
    uint64_t window;  // the reader's fill its PEMs point into
    std::vector<uint32_t> rows;
    std::future<ExtractedFacts> result;
  };

  void collect_oldest() {
    Job job = std::move(running_.front());
    running_.pop_front();
    ExtractedFacts extracted = job.result.get();
    table_.facts.resize(table_.size());
    if (keep_der_) table_.der.resize(table_.size());
    for (size_t i = 0; i < job.rows.size(); ++i) {
      table_.facts[job.rows[i]] = extracted.facts[i];
      if (keep_der_) table_.der[job.rows[i]] = std::move(extracted.der[i]);
    }
    for (const PemProblem& problem : extracted.problems)
      file_.report_at(problem.offset, JsonPath("certificateDescriptions", problem.record_index, "certificatePem"),
                      "cannot read the certificate: " + problem.message);
  }

  FileReader& file_;
  CertificateTable& table_;
  bool keep_der_;
  std::vector<PendingPem> pending_;
  std::deque<Job> running_;
};

// Both files hold `describe-certificate` / `describe-ca-certificate` outputs; only the status
// enum differs (a CA is ACTIVE or INACTIVE).
bool load_certificate_descriptions(FileReader& file, ondemand::parser& parser, Snapshot& snapshot,
                                   CertificateTable& table, bool is_ca, bool decode_pems = true) {
  PemPipeline pipeline(file, table, is_ca);
  WindowInterner interner(snapshot.strings);
  file.set_before_refill([&] {
    interner.flush();
    pipeline.name_certificates(snapshot);
    pipeline.hand_over();
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
        if (value.get_raw_json_string().get(raw) == simdjson::SUCCESS && at != nullptr && *at == '"') {
          const char* next = record.next_token();
          pem = next != nullptr && next > at ? raw_string_before(at, next) : std::string_view{};
          if (pem.empty()) pem = raw_string_at(at, file.buffer_end());
          pem_at = at;
        } else
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
    if (!pem.empty() && !decode_pems) {
      if (std::string problem = x509::check_pem_label(pem, "CERTIFICATE"); !problem.empty())
        file.report(pem_at, JsonPath("certificateDescriptions", record_index, "certificatePem"),
                    "cannot read the certificate: " + problem);
    } else if (!pem.empty())
      pipeline.add({static_cast<uint32_t>(table.size() - 1), record_index, file.offset_of(pem_at), {}, pem});
    table.source.push_back(file.offset_of(record.start()));
  });
  interner.flush();
  pipeline.name_certificates(snapshot);
  pipeline.finish();
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
