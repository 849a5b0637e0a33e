// snapshot_floor: the reference floor for reading a fleet snapshot.
//
// Walks every *.json file at the top of a snapshot directory with simdjson On Demand, the
// fastest honest way: one reused parser, each file mapped (not copied: padded_string::load
// spends most of its time in the kernel copying, which would make every ratio against the
// floor look twice as good as it is), every key unescaped and every value consumed (strings
// unescaped, numbers parsed), on one thread, building nothing. An audit has to read all of
// that too, so bench/run reports fleetaudit's time as a multiple of this floor.
//
// usage: snapshot_floor SNAPSHOT_DIR
// Prints one line: files, bytes walked, values, elapsed seconds (map + walk) and GB/s.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

// A file's bytes mapped read-only, followed by at least SIMDJSON_PADDING zero bytes: the whole
// range is reserved as anonymous zero pages and the file laid over its start, so the padding
// never reads past the end of the file.
class MappedJson {
public:
  explicit MappedJson(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat status {};
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
      ::close(fd);
      return;
    }
    size_ = static_cast<size_t>(status.st_size);
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t file_pages = (size_ + page - 1) / page * page;
    length_ = (size_ + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* reserved = mmap(nullptr, length_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved != MAP_FAILED && size_ > 0 &&
        mmap(reserved, file_pages, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
      munmap(reserved, length_);
      reserved = MAP_FAILED;
    }
    ::close(fd);
    if (reserved == MAP_FAILED) return;
    madvise(reserved, length_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(reserved);
  }
  MappedJson(const MappedJson&) = delete;
  MappedJson& operator=(const MappedJson&) = delete;
  ~MappedJson() {
    if (data_ != nullptr) munmap(const_cast<char*>(data_), length_);
  }
  bool ok() const { return data_ != nullptr; }
  simdjson::padded_string_view view() const { return simdjson::padded_string_view(data_, size_, length_); }
  size_t size() const { return size_; }

private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t length_ = 0;
};

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
    const MappedJson text(file.string());
    if (!text.ok()) return fail(file.string(), "cannot open and map it");
    bytes += text.size();
    ondemand::document document;
    if (auto error = parser.iterate(text.view()).get(document)) return fail(file.string(), simdjson::error_message(error));
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
