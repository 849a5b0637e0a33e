#include "analyzer/x509/roca.h"

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

namespace fleetaudit::x509 {

namespace {

constexpr std::array<uint32_t, 39> kPrimes = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41,
                                              43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101,
                                              103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
constexpr uint32_t kGenerator = 65537;

struct Tables {
  std::array<uint32_t, kPrimes.size()> order{};
  std::array<std::vector<int32_t>, kPrimes.size()> log;  // log[i][r]: d with 65537^d == r mod p, or -1
  std::array<std::array<uint32_t, kPrimes.size()>, kPrimes.size()> gcd{};
};

const Tables& tables() {
  static const Tables built = [] {
    Tables t;
    for (size_t i = 0; i < kPrimes.size(); ++i) {
      const uint32_t p = kPrimes[i];
      t.log[i].assign(p, -1);
      uint32_t x = 1 % p;
      for (uint32_t d = 0;; ++d) {
        if (t.log[i][x] != -1) {
          t.order[i] = d;
          break;
        }
        t.log[i][x] = static_cast<int32_t>(d);
        x = x * (kGenerator % p) % p;
      }
    }
    for (size_t i = 0; i < kPrimes.size(); ++i)
      for (size_t j = 0; j < kPrimes.size(); ++j) t.gcd[i][j] = std::gcd(t.order[i], t.order[j]);
    return t;
  }();
  return built;
}

}  // namespace

bool is_roca_modulus(std::string_view modulus) {
  while (!modulus.empty() && modulus[0] == 0) modulus.remove_prefix(1);
  if (modulus.size() < 32) return false;
  const Tables& t = tables();
  std::array<int32_t, kPrimes.size()> exponent{};
  for (size_t i = 0; i < kPrimes.size(); ++i) {
    uint32_t remainder = 0;
    for (char byte : modulus) remainder = (remainder * 256 + static_cast<uint8_t>(byte)) % kPrimes[i];
    exponent[i] = t.log[i][remainder];
    if (exponent[i] < 0) return false;  // also r == 0: 0 is no power of 65537
  }
  for (size_t i = 0; i < kPrimes.size(); ++i)
    for (size_t j = i + 1; j < kPrimes.size(); ++j)
      if ((exponent[i] - exponent[j]) % static_cast<int32_t>(t.gcd[i][j]) != 0) return false;
  return true;
}

}  // namespace fleetaudit::x509
