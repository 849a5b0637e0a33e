#pragma once
// SHA-256 and SHA-1 for per-certificate work. OpenSSL 3's one-shot SHA256() looks the algorithm up
// (under a lock) on every call; this fetches it once and reuses one context per thread.
#include <string_view>

namespace fleetaudit::x509 {

void sha256(std::string_view bytes, unsigned char out[32]);
void sha1(std::string_view bytes, unsigned char out[20]);

}  // namespace fleetaudit::x509
