#include "analyzer/load/pem_pipeline.h"

#include <iterator>
#include <thread>

#include "analyzer/x509/pem.h"

namespace fleetaudit::load {

namespace {

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
      problems.push_back({pem.offset, pem.record_index, pem.certificate_id, std::move(problem)});
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

}  // namespace

void PemPipeline::name_certificates(const Snapshot& snapshot) {
  for (PendingPem& pem : pending_) pem.certificate_id = snapshot.text(table_.certificate_id[pem.row]);
}

void PemPipeline::hand_over() {
  const uint64_t fills = file_.fills();
  const uint64_t overwritten = fills + 1 >= FileReader::kBuffers ? fills + 1 - FileReader::kBuffers : 0;
  while (!running_.empty() && running_.front().window <= overwritten) collect_oldest();
  if (pending_.empty()) return;
  Job job;
  job.window = fills;
  job.rows.reserve(pending_.size());
  for (const PendingPem& pem : pending_) job.rows.push_back(pem.row);
  job.result = std::async(std::launch::async, [keep_der = keep_der_, pending = std::move(pending_)] {
    return extract_window(pending, keep_der);
  });
  running_.push_back(std::move(job));
  pending_.clear();
}

void PemPipeline::finish() {
  hand_over();
  while (!running_.empty()) collect_oldest();
  table_.facts.resize(table_.size());
  if (keep_der_) table_.der.resize(table_.size());
}

void PemPipeline::collect_oldest() {
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
    file_.report_rendered(problem.offset,
                          JsonPath("certificateDescriptions", problem.record_index, "certificatePem").render(),
                          "cannot read the certificate: " + problem.message, DiagnosticSeverity::error,
                          problem.certificate_id.empty() ? std::string() : record_label("certificateId", problem.certificate_id));
}

}  // namespace fleetaudit::load
