#pragma once
// Formatting many items on every core while writing them in order: the reports of hundreds of
// thousands of findings spend most of their time here.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace fleetaudit {

// Items [0, count) go a chunk at a time to one Part per core: `start(part, first_item)` readies
// a part for the chunk from `first_item`, `format(part, item)` adds one item to it (on any
// thread), `take(part)` then takes each part's text in item order and returns false to stop (a
// failed write). Only one round of chunks is held, and the parts keep their buffers from round to
// round: fresh multi-megabyte buffers each round cost more in page faults than in copying.
template <class Part, class Start, class Format, class Take>
void format_chunks_in_order(size_t count, Start&& start, Format&& format, Take&& take) {
  constexpr size_t kChunk = 4096;
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<Part> parts(cores);
  for (size_t round = 0; round < count; round += kChunk * cores) {
    const size_t used = std::min(cores, (count - round + kChunk - 1) / kChunk);
    for (size_t part = 0; part < used; ++part) start(parts[part], round + part * kChunk);
    auto format_part = [&](size_t part) {
      const size_t begin = round + part * kChunk;
      for (size_t item = begin; item < std::min(count, begin + kChunk); ++item) format(parts[part], item);
    };
    std::vector<std::thread> helpers;
    for (size_t part = 1; part < used; ++part) helpers.emplace_back(format_part, part);
    format_part(0);
    for (std::thread& helper : helpers) helper.join();
    for (size_t part = 0; part < used; ++part)
      if (!take(parts[part])) return;
  }
}

}  // namespace fleetaudit
