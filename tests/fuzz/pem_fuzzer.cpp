// libFuzzer entry for the certificate path: the first byte picks how the rest is read (plain PEM,
// JSON-escaped PEM, or bare DER); decoding and fact extraction must report problems, never crash,
// hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/x509/certificate_facts.h"
#include "analyzer/x509/pem.h"
#include "analyzer/x509/roca.h"

using namespace fleetaudit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string der;
  switch (data[0] % 3) {
    case 0:
      if (!x509::decode_pem(input, "CERTIFICATE", der).empty()) return 0;
      break;
    case 1: {
      // As the loader sees certificatePem: raw JSON string content, escapes included.
      std::string escaped;
      for (char c : input) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
      if (!x509::decode_pem(escaped, "CERTIFICATE", der).empty()) return 0;
      break;
    }
    default:
      der.assign(input);
      break;
  }
  x509::CertificateFacts facts;
  (void)x509::extract_facts(der, "0000", facts);
  x509::CertificateNames names;
  (void)x509::read_names(der, names);
  (void)x509::is_roca_modulus(der);
  return 0;
}
