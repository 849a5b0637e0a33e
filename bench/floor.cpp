// snapshot_floor: the reference floor for reading a fleet snapshot.
//
// Walks every *.json file at the top of a snapshot directory with simdjson On Demand, the
// plain way: one reused parser, each file loaded whole with padded_string::load, every key
// unescaped and every value consumed (strings unescaped, numbers parsed), on one thread,
// building nothing. An audit has to read all of that too, so bench/run reports fleetaudit's
// time as a multiple of this floor.
//
// usage: snapshot_floor SNAPSHOT_DIR
// Prints one line: files, bytes walked, values, elapsed seconds (load + walk) and GB/s.

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace ondemand = simdjson::ondemand;

struct WalkTotals {
  uint64_t values = 0;        // objects, arrays and scalars, the document roots included
  uint64_t string_bytes = 0;  // unescaped string values; summed so the walk cannot be optimised away
  double number_sum = 0;      // likewise for numbers
};

// Visits a value and everything inside it. ondemand::document and ondemand::value share these
// accessors, so the root and the members go through the same code. Recursion depth is bounded
// by the parser's own depth limit (1024 by default).
template <typename Json>
simdjson::error_code walk(Json& json, WalkTotals& totals) {
  ondemand::json_type type;
  if (auto error = json.type().get(type)) return error;
  ++totals.values;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto error = json.get_object().get(object)) return error;
      for (auto field : object) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        ondemand::value member;
        if (auto error = field.value().get(member)) return error;
        if (auto error = walk(member, totals)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto error = json.get_array().get(array)) return error;
      for (auto element_result : array) {
        ondemand::value element;
        if (auto error = element_result.get(element)) return error;
        if (auto error = walk(element, totals)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (auto error = json.get_string().get(text)) return error;
      totals.string_bytes += text.size();
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number: {
      ondemand::number number;
      if (auto error = json.get_number().get(number)) return error;
      totals.number_sum += number.as_double();
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::boolean: {
      bool flag = false;
      return json.get_bool().get(flag);
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (auto error = json.is_null().get(is_null)) return error;
      return is_null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

// Sorted, so that runs visit files in the same order.
std::vector<std::filesystem::path> json_files_in(const std::filesystem::path& directory, std::error_code& error) {
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::directory_iterator(directory, error); !error && it != std::filesystem::directory_iterator();
       it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int fail(const std::string& where, std::string_view what) {
  std::fprintf(stderr, "snapshot_floor: error: %s: %.*s\n", where.c_str(), static_cast<int>(what.size()), what.data());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::fprintf(stderr, "usage: snapshot_floor SNAPSHOT_DIR\n");
    return argc == 2 ? 0 : 2;
  }
  const std::filesystem::path directory = argv[1];
  std::error_code listing_error;
  const std::vector<std::filesystem::path> files = json_files_in(directory, listing_error);
  if (listing_error) return fail(directory.string(), listing_error.message());
  if (files.empty()) return fail(directory.string(), "no *.json files");

  const auto start = std::chrono::steady_clock::now();
  ondemand::parser parser;  // reused: its buffers grow to the largest file and stay
  WalkTotals totals;
  uint64_t bytes = 0;
  for (const std::filesystem::path& file : files) {
    simdjson::padded_string text;
    if (auto error = simdjson::padded_string::load(file.string()).get(text)) return fail(file.string(), simdjson::error_message(error));
    bytes += text.size();
    ondemand::document document;
    if (auto error = parser.iterate(text).get(document)) return fail(file.string(), simdjson::error_message(error));
    if (auto error = walk(document, totals)) return fail(file.string(), simdjson::error_message(error));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("snapshot_floor: files=%zu bytes=%llu values=%llu seconds=%.6f GB/s=%.3f\n", files.size(),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(totals.values), seconds,
              seconds > 0 ? static_cast<double>(bytes) / seconds / 1e9 : 0.0);
  // Keeps the string and number work observable; also a cheap fingerprint of the content.
  std::fprintf(stderr, "snapshot_floor: string bytes %llu, number sum %.17g\n",
               static_cast<unsigned long long>(totals.string_bytes), totals.number_sum);
  return 0;
}
