#include "analyzer/x509/certificate_facts.h"

#include <cstring>

#include "analyzer/util/ascii.h"
#include "analyzer/x509/der.h"
#include "analyzer/x509/fast_digest.h"
#include "analyzer/x509/roca.h"
#include "analyzer/x509/weak_key_blocklist.h"

namespace fleetaudit::x509 {

namespace {

using namespace der_tag;
using namespace std::string_view_literals;

// OIDs as their DER content bytes.
constexpr std::string_view kRsaEncryption = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"sv;
constexpr std::string_view kRsaSignaturePrefix = "\x2a\x86\x48\x86\xf7\x0d\x01\x01"sv;  // + one byte
constexpr std::string_view kEcPublicKey = "\x2a\x86\x48\xce\x3d\x02\x01"sv;
constexpr std::string_view kP256 = "\x2a\x86\x48\xce\x3d\x03\x01\x07"sv;
constexpr std::string_view kP384 = "\x2b\x81\x04\x00\x22"sv;
constexpr std::string_view kP521 = "\x2b\x81\x04\x00\x23"sv;
constexpr std::string_view kSecp256k1 = "\x2b\x81\x04\x00\x0a"sv;
constexpr std::string_view kEd25519 = "\x2b\x65\x70"sv;
constexpr std::string_view kEd448 = "\x2b\x65\x71"sv;
constexpr std::string_view kDsa = "\x2a\x86\x48\xce\x38\x04\x01"sv;
constexpr std::string_view kEcdsaSha1 = "\x2a\x86\x48\xce\x3d\x04\x01"sv;
constexpr std::string_view kEcdsaSha2Prefix = "\x2a\x86\x48\xce\x3d\x04\x03"sv;  // + 1..4
constexpr std::string_view kDsaSha1 = "\x2a\x86\x48\xce\x38\x04\x03"sv;
constexpr std::string_view kNistSignaturePrefix = "\x60\x86\x48\x01\x65\x03\x04\x03"sv;  // dsa/ecdsa with SHA-2
constexpr std::string_view kAuthorityKeyId = "\x55\x1d\x23"sv;
constexpr std::string_view kSubjectKeyId = "\x55\x1d\x0e"sv;

SignatureHash signature_hash_of(std::string_view oid) {
  if (oid.size() == kRsaSignaturePrefix.size() + 1 && oid.substr(0, kRsaSignaturePrefix.size()) == kRsaSignaturePrefix) {
    switch (oid.back()) {
      case 2: return SignatureHash::md2;
      case 4: return SignatureHash::md5;
      case 5: return SignatureHash::sha1;
      case 11: return SignatureHash::sha256;
      case 12: return SignatureHash::sha384;
      case 13: return SignatureHash::sha512;
      case 14: return SignatureHash::sha224;
      default: return SignatureHash::unknown;  // RSASSA-PSS names its hash in parameters
    }
  }
  if (oid == kEcdsaSha1 || oid == kDsaSha1) return SignatureHash::sha1;
  if (oid.size() == kEcdsaSha2Prefix.size() + 1 && oid.substr(0, kEcdsaSha2Prefix.size()) == kEcdsaSha2Prefix) {
    switch (oid.back()) {
      case 1: return SignatureHash::sha224;
      case 2: return SignatureHash::sha256;
      case 3: return SignatureHash::sha384;
      case 4: return SignatureHash::sha512;
      default: return SignatureHash::unknown;
    }
  }
  if (oid.size() == kNistSignaturePrefix.size() + 1 &&
      oid.substr(0, kNistSignaturePrefix.size()) == kNistSignaturePrefix) {
    switch (oid.back()) {
      case 1: case 9: return SignatureHash::sha224;
      case 2: case 10: return SignatureHash::sha256;
      case 11: return SignatureHash::sha384;
      case 12: return SignatureHash::sha512;
      default: return SignatureHash::unknown;
    }
  }
  if (oid == kEd25519 || oid == kEd448) return SignatureHash::intrinsic;
  return SignatureHash::unknown;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool digits(std::string_view text, size_t at, size_t count, int& value) {
  value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 allows only these forms).
bool read_time(const DerValue& value, EpochMillis& out) {
  std::string_view text = value.content;
  int year = 0;
  size_t at = 0;
  if (value.tag == kUtcTime) {
    if (text.size() != 13 || !digits(text, 0, 2, year)) return false;
    year += year < 50 ? 2000 : 1900;
    at = 2;
  } else if (value.tag == kGeneralizedTime) {
    if (text.size() != 15 || !digits(text, 0, 4, year)) return false;
    at = 4;
  } else {
    return false;
  }
  int month, day, hour, minute, second;
  if (!digits(text, at, 2, month) || !digits(text, at + 2, 2, day) || !digits(text, at + 4, 2, hour) ||
      !digits(text, at + 6, 2, minute) || !digits(text, at + 8, 2, second) || text.back() != 'Z')
    return false;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  out = ((days * 24 + hour) * 60 + minute) * 60'000 + static_cast<int64_t>(second) * 1000;
  return true;
}

// An INTEGER's magnitude without leading zero octets.
std::string_view unsigned_integer(std::string_view content) {
  while (content.size() > 1 && content[0] == 0) content.remove_prefix(1);
  return content;
}

unsigned bit_length(std::string_view magnitude) {
  if (magnitude.empty()) return 0;
  unsigned bits = static_cast<unsigned>(magnitude.size() - 1) * 8;
  for (uint8_t top = static_cast<uint8_t>(magnitude[0]); top; top >>= 1) ++bits;
  return bits;
}

bool hex_equals(std::string_view hex, const unsigned char* digest, size_t size) {
  if (hex.size() != size * 2) return false;
  for (size_t i = 0; i < size; ++i) {
    const char high = hex[2 * i], low = hex[2 * i + 1];
    if (hex_value(high) != digest[i] >> 4 || hex_value(low) != (digest[i] & 15)) return false;
  }
  return true;
}

// The key facts from SubjectPublicKeyInfo.
std::string read_public_key(std::string_view spki, CertificateFacts& facts) {
  DerReader reader(spki);
  DerReader algorithm(reader.read(kSequence).content);
  DerValue oid = algorithm.read(kOid);
  DerValue key = reader.read(kBitString);
  if (!reader.ok() || !algorithm.ok() || key.content.empty()) return "malformed subjectPublicKeyInfo";
  std::string_view bits = key.content.substr(1);  // the unused-bits octet
  facts.public_key_digest = digest16(bits);
  if (oid.content == kRsaEncryption) {
    facts.key_algorithm = KeyAlgorithm::rsa;
    DerReader rsa(DerReader(bits).read(kSequence).content);
    std::string_view modulus = unsigned_integer(rsa.read(kInteger).content);
    rsa.read(kInteger);
    if (!rsa.ok() || modulus.empty()) return "malformed RSA public key";
    facts.key_bits = static_cast<uint16_t>(std::min(bit_length(modulus), 65535u));
    facts.roca_vulnerable = is_roca_modulus(modulus);
    facts.debian_fingerprint = debian_fingerprint(modulus);
  } else if (oid.content == kEcPublicKey) {
    facts.key_algorithm = KeyAlgorithm::ec;
    DerValue curve;
    if (algorithm.read_optional(kOid, curve)) {
      if (curve.content == kP256) facts.curve = Curve::p256, facts.key_bits = 256;
      else if (curve.content == kP384) facts.curve = Curve::p384, facts.key_bits = 384;
      else if (curve.content == kP521) facts.curve = Curve::p521, facts.key_bits = 521;
      else if (curve.content == kSecp256k1) facts.curve = Curve::secp256k1, facts.key_bits = 256;
      else facts.curve = Curve::other;
    } else {
      facts.curve = Curve::other;  // explicit curve parameters
    }
  } else if (oid.content == kEd25519) {
    facts.key_algorithm = KeyAlgorithm::ed25519;
    facts.key_bits = 256;
  } else if (oid.content == kEd448) {
    facts.key_algorithm = KeyAlgorithm::ed448;
    facts.key_bits = 448;
  } else if (oid.content == kDsa) {
    facts.key_algorithm = KeyAlgorithm::dsa;
    DerReader parameters(algorithm.read(kSequence).content);
    facts.key_bits = static_cast<uint16_t>(std::min(bit_length(unsigned_integer(parameters.read(kInteger).content)), 65535u));
  } else {
    facts.key_algorithm = KeyAlgorithm::other;
  }
  return {};
}

void read_extensions(std::string_view content, CertificateFacts& facts) {
  DerReader list(DerReader(content).read(kSequence).content);
  while (list.ok() && !list.at_end()) {
    DerReader extension(list.read(kSequence).content);
    DerValue oid = extension.read(kOid);
    DerValue critical;
    extension.read_optional(kBoolean, critical);
    DerValue value = extension.read(kOctetString);
    if (!extension.ok()) return;
    if (oid.content == kSubjectKeyId) {
      DerReader inner(value.content);
      DerValue id = inner.read(kOctetString);
      if (inner.ok()) facts.subject_key_id = ShortBytes::of(id.content);
    } else if (oid.content == kAuthorityKeyId) {
      DerReader inner(DerReader(value.content).read(kSequence).content);
      DerValue id;
      if (inner.read_optional(context(0, false), id)) facts.authority_key_id = ShortBytes::of(id.content);
    }
  }
}

}  // namespace

const char* to_string(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::rsa: return "RSA";
    case KeyAlgorithm::ec: return "EC";
    case KeyAlgorithm::ed25519: return "Ed25519";
    case KeyAlgorithm::ed448: return "Ed448";
    case KeyAlgorithm::dsa: return "DSA";
    case KeyAlgorithm::other: return "other";
    case KeyAlgorithm::unknown: break;
  }
  return "unknown";
}

const char* to_string(Curve curve) {
  switch (curve) {
    case Curve::p256: return "P-256";
    case Curve::p384: return "P-384";
    case Curve::p521: return "P-521";
    case Curve::secp256k1: return "secp256k1";
    case Curve::other: return "a non-NIST or explicit curve";
    case Curve::none: break;
  }
  return "none";
}

const char* to_string(SignatureHash hash) {
  switch (hash) {
    case SignatureHash::md2: return "MD2";
    case SignatureHash::md5: return "MD5";
    case SignatureHash::sha1: return "SHA-1";
    case SignatureHash::sha224: return "SHA-224";
    case SignatureHash::sha256: return "SHA-256";
    case SignatureHash::sha384: return "SHA-384";
    case SignatureHash::sha512: return "SHA-512";
    case SignatureHash::intrinsic: return "EdDSA";
    case SignatureHash::unknown: break;
  }
  return "unknown";
}

ShortBytes ShortBytes::of(std::string_view value) {
  ShortBytes out;
  out.truncated = value.size() > out.bytes.size();
  out.size = static_cast<uint8_t>(std::min(value.size(), out.bytes.size()));
  std::memcpy(out.bytes.data(), value.data(), out.size);
  return out;
}

Digest16 digest16(std::string_view bytes) {
  unsigned char digest[32];
  sha256(bytes, digest);
  Digest16 out;
  std::memcpy(out.data(), digest, out.size());
  return out;
}

bool read_names(std::string_view der, CertificateNames& names) {
  DerReader certificate(DerReader(der).read(kSequence).content);
  DerReader tbs(certificate.read(kSequence).content);
  DerValue skipped;
  tbs.read_optional(context(0), skipped);
  tbs.read(kInteger);
  tbs.read(kSequence);
  names.issuer = tbs.read(kSequence).whole;
  tbs.read(kSequence);
  names.subject = tbs.read(kSequence).whole;
  names.public_key_info = tbs.read(kSequence).whole;
  return tbs.ok() && certificate.ok();
}

std::string extract_facts(std::string_view der, std::string_view certificate_id, CertificateFacts& facts) {
  facts = {};
  DerReader outer(der);
  DerValue certificate = outer.read(kSequence);
  if (!outer.ok()) return "not a DER certificate";
  if (!outer.at_end()) return "bytes after the certificate";
  DerReader parts(certificate.content);
  DerValue tbs_value = parts.read(kSequence);
  DerReader signature_algorithm(parts.read(kSequence).content);
  DerValue signature_oid = signature_algorithm.read(kOid);
  parts.read(kBitString);
  if (!parts.ok() || !signature_algorithm.ok() || !parts.at_end()) return "malformed certificate structure";
  facts.signature_hash = signature_hash_of(signature_oid.content);

  DerReader tbs(tbs_value.content);
  DerValue version;
  tbs.read_optional(context(0), version);
  DerValue serial = tbs.read(kInteger);
  tbs.read(kSequence);  // the signature algorithm again
  DerValue issuer = tbs.read(kSequence);
  DerReader validity(tbs.read(kSequence).content);
  DerValue not_before = validity.read(), not_after = validity.read();
  DerValue subject = tbs.read(kSequence);
  DerValue spki = tbs.read(kSequence);
  if (!tbs.ok() || !validity.ok()) return "malformed tbsCertificate";
  if (!read_time(not_before, facts.not_before) || !read_time(not_after, facts.not_after))
    return "malformed validity time";
  facts.serial = ShortBytes::of(serial.content);
  // A fleet's certificates share a handful of issuers: the last issuer's digest is kept per thread.
  thread_local std::string last_issuer;
  thread_local Digest16 last_issuer_digest{};
  if (issuer.whole != last_issuer) {
    last_issuer.assign(issuer.whole);
    last_issuer_digest = digest16(issuer.whole);
  }
  facts.issuer_digest = last_issuer_digest;
  facts.subject_digest = digest16(subject.whole);
  facts.self_signed_name = issuer.whole == subject.whole;
  if (std::string problem = read_public_key(spki.content, facts); !problem.empty()) return problem;
  DerValue optional;
  tbs.read_optional(context(1, false), optional);
  tbs.read_optional(context(2, false), optional);
  if (tbs.read_optional(context(3), optional)) read_extensions(optional.content, facts);

  unsigned char digest[32];
  sha256(der, digest);
  std::memcpy(facts.der_sha256_prefix.data(), digest, facts.der_sha256_prefix.size());
  facts.id_matches_der = certificate_id.empty() || hex_equals(certificate_id, digest, sizeof digest);
  facts.parsed = true;
  return {};
}

}  // namespace fleetaudit::x509
