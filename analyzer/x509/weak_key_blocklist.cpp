#include "analyzer/x509/weak_key_blocklist.h"

#include "analyzer/util/ascii.h"
#include "analyzer/x509/fast_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "analyzer/load/input_files.h"

namespace fleetaudit::x509 {

namespace {

}  // namespace

DebianFingerprint debian_fingerprint(std::string_view modulus) {
  while (!modulus.empty() && modulus[0] == 0) modulus.remove_prefix(1);
  static const char* kDigits = "0123456789ABCDEF";
  std::string line = "Modulus=";
  line.reserve(line.size() + modulus.size() * 2 + 1);
  for (size_t i = 0; i < modulus.size(); ++i) {
    uint8_t byte = static_cast<uint8_t>(modulus[i]);
    if (i > 0 || byte >= 16) line += kDigits[byte >> 4];
    line += kDigits[byte & 15];
  }
  line += '\n';
  unsigned char digest[20];
  sha1(line, digest);
  DebianFingerprint out;
  std::memcpy(out.data(), digest + sizeof digest - out.size(), out.size());
  return out;
}

std::vector<std::string> WeakKeyBlocklist::load(const std::string& directory) {
  std::vector<std::string> problems;
  directory_ = directory;
  std::string error;
  std::optional<std::vector<FolderEntry>> entries = list_folder(directory, error);
  if (!entries) return {fmt::format("cannot read weak-key blocklist directory {}: {}", directory, error)};
  constexpr std::string_view kPrefix = "blacklist.RSA-";
  for (const FolderEntry& entry : *entries) {
    const std::string& name = entry.name;
    const std::string path = directory + "/" + name;
    if (name.rfind(kPrefix, 0) != 0) continue;
    unsigned bits = 0;
    std::string_view suffix = std::string_view(name).substr(kPrefix.size());
    if (suffix.empty() || suffix.size() > 5 ||
        !std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      problems.push_back(fmt::format("{}: expected blacklist.RSA-<bits>", path));
      continue;
    }
    bits = static_cast<unsigned>(std::stoul(std::string(suffix)));
    std::string contents;
    if (!read_regular_file(path, contents, error)) {
      problems.push_back(fmt::format("cannot read {}: {}", path, error));
      continue;
    }
    std::istringstream in(contents);
    std::vector<DebianFingerprint>& list = by_bits_[bits];
    std::string line;
    size_t line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      DebianFingerprint fingerprint{};
      bool ok = line.size() == 20;
      for (size_t i = 0; ok && i < 10; ++i) {
        int high = hex_value(line[2 * i]), low = hex_value(line[2 * i + 1]);
        ok = high >= 0 && low >= 0;
        fingerprint[i] = static_cast<uint8_t>(high << 4 | low);
      }
      if (!ok) {
        problems.push_back(
            fmt::format("{}:{}: expected 20 hex digits (openssl-blacklist format)", path, line_number));
        continue;
      }
      list.push_back(fingerprint);
    }
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  entries_ = 0;
  for (const auto& [bits, list] : by_bits_) entries_ += list.size();
  if (by_bits_.empty())
    problems.push_back(fmt::format("weak-key blocklist directory {} holds no blacklist.RSA-<bits> file", directory));
  return problems;
}

std::string default_blocklist_directory() {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path installed = executable.parent_path().parent_path() / "share" / "fleetaudit" / "weak-keys";
    if (fs::is_directory(installed, error)) return installed.string();
  }
  return FLEETAUDIT_DATA_DIR "/weak-keys";
}

bool WeakKeyBlocklist::contains(unsigned bits, const DebianFingerprint& fingerprint) const {
  auto list = by_bits_.find(bits);
  return list != by_bits_.end() && std::binary_search(list->second.begin(), list->second.end(), fingerprint);
}

std::string WeakKeyBlocklist::summary() const {
  std::string out;
  for (const auto& [bits, list] : by_bits_) out += fmt::format("{}RSA-{}: {}", out.empty() ? "" : ", ", bits, list.size());
  return out.empty() ? "none" : out;
}

}  // namespace fleetaudit::x509
