#include "analyzer/util/digest.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

#include "analyzer/util/ascii.h"

namespace fleetaudit {
namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up in its provider tables on every call,
// which costs more than hashing a finding's identity; reports hash one per finding. The
// algorithm is fetched once, and each thread keeps one context.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

bool sha256(std::string_view bytes, unsigned char (&digest)[SHA256_DIGEST_LENGTH]) {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> context(EVP_MD_CTX_new());
  const EVP_MD* algorithm = sha256_algorithm();
  unsigned int length = 0;
  return algorithm != nullptr && context != nullptr && EVP_DigestInit_ex2(context.get(), algorithm, nullptr) == 1 &&
         EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) == 1 &&
         EVP_DigestFinal_ex(context.get(), digest, &length) == 1 && length == SHA256_DIGEST_LENGTH;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (!sha256(bytes, digest))  // not expected: then the slower one-shot call, which has its own lookup
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  std::string out(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kLowerHexDigits[digest[i] >> 4];
    out[2 * i + 1] = kLowerHexDigits[digest[i] & 15];
  }
  return out;
}

}  // namespace fleetaudit
