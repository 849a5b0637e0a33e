#include "analyzer/report/sarif_limits.h"

#include <zlib.h>

#include <algorithm>
#include <numeric>

namespace fleetaudit {

SarifSelection select_sarif_results(const AuditReport& report, bool omit_suppressed,
                                    std::optional<size_t> max_results) {
  const size_t runs = report.runs.size();
  std::vector<size_t> wanted(runs, 0);
  for (size_t i = 0; i < runs; ++i)
    wanted[i] = omit_suppressed ? report.runs[i].findings.unsuppressed() : report.runs[i].findings.size();

  // Runs by importance: severity (critical first), then name (the registry's order).
  std::vector<size_t> by_importance(runs);
  std::iota(by_importance.begin(), by_importance.end(), size_t{0});
  std::stable_sort(by_importance.begin(), by_importance.end(), [&](size_t a, size_t b) {
    return report.runs[a].check->severity < report.runs[b].check->severity;
  });
  std::vector<size_t> kept(wanted);
  size_t budget = max_results.value_or(SIZE_MAX);
  for (size_t run : by_importance) {
    kept[run] = std::min(wanted[run], budget);
    budget -= kept[run];
  }

  SarifSelection selection;
  selection.kept = kept;
  selection.left_out.assign(runs, 0);
  for (size_t i = 0; i < runs; ++i) {
    selection.left_out[i] = wanted[i] - kept[i];
    selection.left_out_total += selection.left_out[i];
    size_t taken = 0;
    // Findings are sorted by resource, so the first ones kept are the first resources.
    const Findings& findings = report.runs[i].findings;
    for (size_t f = 0; f < findings.size() && taken < kept[i]; ++f) {
      if (findings.suppressed(f) && omit_suppressed) continue;
      selection.results.push_back({i, f});
      ++taken;
    }
  }
  return selection;
}

uint64_t gzip_size(std::string_view bytes) {
  z_stream stream{};
  // 15 + 16: a gzip header and trailer, as gzip writes; 8: zlib's default memory level.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
  unsigned char out[1 << 16];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  uint64_t total = 0;
  size_t remaining = bytes.size();
  int status = Z_OK;
  do {
    const uInt chunk = static_cast<uInt>(std::min<size_t>(remaining, 1u << 30));
    stream.avail_in = chunk;
    remaining -= chunk;
    const int flush = remaining == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      stream.next_out = out;
      stream.avail_out = sizeof out;
      status = deflate(&stream, flush);
      total += sizeof out - stream.avail_out;
    } while (stream.avail_out == 0);
  } while (remaining > 0);
  deflateEnd(&stream);
  return status == Z_STREAM_END ? total : 0;
}

}  // namespace fleetaudit
