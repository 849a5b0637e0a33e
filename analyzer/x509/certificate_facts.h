#pragma once
// What the certificate checks need from a certificate's DER, extracted once while loading so the
// PEM itself need not stay in memory.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/util/time.h"

namespace fleetaudit::x509 {

enum class KeyAlgorithm : uint8_t { unknown, rsa, ec, ed25519, ed448, dsa, other };
enum class Curve : uint8_t { none, p256, p384, p521, secp256k1, other };
enum class SignatureHash : uint8_t { unknown, md2, md5, sha1, sha224, sha256, sha384, sha512, intrinsic };

const char* to_string(KeyAlgorithm algorithm);
const char* to_string(Curve curve);
const char* to_string(SignatureHash hash);

using Digest16 = std::array<uint8_t, 16>;
using Bytes20 = std::array<uint8_t, 20>;

// Up to 20 bytes (serial numbers, key identifiers), with their length; longer values keep a prefix
// and are marked truncated, which matching treats as "cannot say".
struct ShortBytes {
  Bytes20 bytes{};
  uint8_t size = 0;
  bool truncated = false;
  static ShortBytes of(std::string_view value);
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes.data()), size}; }
  bool operator==(const ShortBytes&) const = default;
  bool operator<(const ShortBytes& other) const { return view() < other.view(); }
};

struct CertificateFacts {
  bool parsed = false;  // false: no PEM, or it could not be read (reported when loading)
  KeyAlgorithm key_algorithm = KeyAlgorithm::unknown;
  Curve curve = Curve::none;
  SignatureHash signature_hash = SignatureHash::unknown;
  bool self_signed_name = false;  // issuer name == subject name
  bool roca_vulnerable = false;   // CVE-2017-15361
  uint16_t key_bits = 0;          // RSA/DSA modulus bits; EC field bits
  std::array<uint8_t, 10> debian_fingerprint{};  // RSA: low 80 bits of SHA-1("Modulus=HEX\n")
  Digest16 public_key_digest{};  // SHA-256 of the subjectPublicKey bits, first 16 bytes
  Digest16 der_sha256_prefix{};  // SHA-256 of the DER, first 16 bytes (the rest is compared at load)
  bool id_matches_der = true;    // certificateId == hex SHA-256 of the DER
  EpochMillis not_before = 0;    // as the certificate says
  EpochMillis not_after = 0;
  Digest16 issuer_digest{};      // SHA-256 of the issuer Name DER, first 16 bytes
  Digest16 subject_digest{};
  ShortBytes serial;
  ShortBytes authority_key_id;   // empty when the extension is absent
  ShortBytes subject_key_id;
};

// Parses one DER certificate. Returns an empty string on success, else what is wrong. `der` must
// hold exactly one certificate. `certificate_id` (may be empty) is compared with the DER's SHA-256.
std::string extract_facts(std::string_view der, std::string_view certificate_id, CertificateFacts& facts);

// The issuer and subject Name DER and the SubjectPublicKeyInfo of a certificate, for CRL matching.
struct CertificateNames {
  std::string_view issuer, subject, public_key_info;
};
bool read_names(std::string_view der, CertificateNames& names);

Digest16 digest16(std::string_view bytes);

}  // namespace fleetaudit::x509
