#pragma once
// Decoding a certificates file's PEMs on other threads while its reader goes on. Certificates
// dominate a snapshot, and their PEMs cost more than the JSON around them: each window's PEMs
// become a job, and the facts come back to the reading thread, the only one that writes the table.
#include <cstdint>
#include <deque>
#include <future>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/load/record_reader.h"
#include "analyzer/tables/snapshot.h"

namespace fleetaudit::load {

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
  std::string_view certificate_id;  // in the interner's arena
  std::string message;
};

// What one window's PEMs gave: the facts (and DER) of their rows, and what could not be read.
struct ExtractedFacts {
  std::vector<x509::CertificateFacts> facts;  // one per pending PEM, in order
  std::vector<std::string> der;               // kept for CA certificates only
  std::vector<PemProblem> problems;
};

// The reader keeps its last FileReader::kBuffers windows, so up to kBuffers - 1 jobs run at once.
class PemPipeline {
 public:
  PemPipeline(FileReader& file, CertificateTable& table, bool keep_der)
      : file_(file), table_(table), keep_der_(keep_der) {}
  ~PemPipeline() { finish(); }
  PemPipeline(const PemPipeline&) = delete;
  PemPipeline& operator=(const PemPipeline&) = delete;

  void add(PendingPem pem) { pending_.push_back(pem); }
  // The ids of the pending rows, once interned (their text then lives in the interner's arena).
  void name_certificates(const Snapshot& snapshot);
  // Before the reader refills: the jobs of windows whose buffers are reused next are collected,
  // then this window's PEMs go to a new job.
  void hand_over();
  // After the last window: everything extracted and reported.
  void finish();

 private:
  struct Job {
    uint64_t window;  // the reader's fill its PEMs point into
    std::vector<uint32_t> rows;
    std::future<ExtractedFacts> result;
  };
  void collect_oldest();

  FileReader& file_;
  CertificateTable& table_;
  bool keep_der_;
  std::vector<PendingPem> pending_;
  std::deque<Job> running_;
};

}  // namespace fleetaudit::load
