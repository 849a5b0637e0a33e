#include "analyzer/x509/fast_digest.h"

#include <openssl/evp.h>

#include <memory>

namespace fleetaudit::x509 {

namespace {

struct ContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

void digest(const EVP_MD* algorithm, std::string_view bytes, unsigned char* out) {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
  unsigned int size = 0;
  EVP_DigestInit_ex(context.get(), algorithm, nullptr);
  EVP_DigestUpdate(context.get(), bytes.data(), bytes.size());
  EVP_DigestFinal_ex(context.get(), out, &size);
}

}  // namespace

void sha256(std::string_view bytes, unsigned char out[32]) {
  static const EVP_MD* algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  digest(algorithm, bytes, out);
}

void sha1(std::string_view bytes, unsigned char out[20]) {
  static const EVP_MD* algorithm = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  digest(algorithm, bytes, out);
}

}  // namespace fleetaudit::x509
