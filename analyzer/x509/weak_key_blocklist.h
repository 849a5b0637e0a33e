#pragma once
// Debian weak keys (CVE-2008-0166): blocklists in the openssl-blacklist format, one file per RSA modulus
// size named blacklist.RSA-<bits>, each line the last 20 hex digits of SHA-1("Modulus=" + N in uppercase
// hex + "\n"), '#' lines are comments.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit::x509 {

using DebianFingerprint = std::array<uint8_t, 10>;

// The fingerprint of a modulus (big-endian magnitude).
DebianFingerprint debian_fingerprint(std::string_view modulus);

class WeakKeyBlocklist {
public:
  // Loads every blacklist.RSA-<bits> file in `directory`. Returns the problems (unreadable files,
  // malformed lines); an empty directory is a problem too.
  std::vector<std::string> load(const std::string& directory);
  bool contains(unsigned bits, const DebianFingerprint& fingerprint) const;
  size_t entries() const { return entries_; }
  const std::string& directory() const { return directory_; }
  // "RSA-1024: 613, RSA-2048: 613"
  std::string summary() const;

private:
  std::map<unsigned, std::vector<DebianFingerprint>> by_bits_;
  size_t entries_ = 0;
  std::string directory_;
};

// Where the shipped sample lives: <prefix>/share/fleetaudit/weak-keys beside an installed binary, else
// data/weak-keys in the source tree this binary was built from.
std::string default_blocklist_directory();

}  // namespace fleetaudit::x509
