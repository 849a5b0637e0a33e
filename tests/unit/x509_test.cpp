#include <gtest/gtest.h>

#include <fmt/format.h>

#include <openssl/evp.h>

#include <random>
#include <sstream>

#include "analyzer/x509/certificate_facts.h"
#include "analyzer/x509/der.h"
#include "analyzer/x509/pem.h"
#include "analyzer/x509/roca.h"
#include "analyzer/x509/weak_key_blocklist.h"
#include "tests/test_support.h"

namespace fleetaudit::x509 {
namespace {

std::string vector_file(const std::string& name) { return testing::read_file(testing::source_dir() + "/tests/data/x509/" + name); }

std::string from_hex(std::string_view hex) {
  if (hex.substr(0, 2) == "0x") hex.remove_prefix(2);
  std::string out;
  if (hex.size() % 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(0, 1)), nullptr, 16))), hex.remove_prefix(1);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

// Decimal to big-endian bytes, by repeated multiply-add on a byte vector.
std::string from_decimal(std::string_view decimal) {
  std::string bytes;
  for (char digit : decimal) {
    int carry = digit - '0';
    for (size_t i = bytes.size(); i-- > 0;) {
      int value = static_cast<uint8_t>(bytes[i]) * 10 + carry;
      bytes[i] = static_cast<char>(value & 0xff);
      carry = value >> 8;
    }
    while (carry) {
      bytes.insert(bytes.begin(), static_cast<char>(carry & 0xff));
      carry >>= 8;
    }
  }
  return bytes;
}

std::string first_line(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') return line;
  return {};
}

// The modulus of a PKCS#1 RSA PUBLIC KEY file (comment text may precede the PEM).
std::string pkcs1_modulus(const std::string& file) {
  std::string text = vector_file(file);
  std::string der;
  EXPECT_EQ(decode_pem(text.substr(text.find("-----BEGIN")), "RSA PUBLIC KEY", der), "") << file;
  DerReader key(DerReader(der).read(der_tag::kSequence).content);
  return std::string(key.read(der_tag::kInteger).content);
}

CertificateFacts certificate(const std::string& file) {
  std::string der;
  EXPECT_EQ(decode_pem(vector_file(file), "CERTIFICATE", der), "") << file;
  CertificateFacts facts;
  EXPECT_EQ(extract_facts(der, "", facts), "") << file;
  return facts;
}

TEST(Roca, ClassifiesEveryVector) {
  EXPECT_TRUE(is_roca_modulus(from_hex(first_line(vector_file("roca-vulnerable-mod03-2048bit.hex.txt")))));
  EXPECT_TRUE(is_roca_modulus(from_hex(first_line(vector_file("roca-vulnerable-mod09-4096bit.hex.txt")))));
  EXPECT_FALSE(is_roca_modulus(from_hex(first_line(vector_file("roca-safe-mod04-2048bit.hex.txt")))));
  EXPECT_TRUE(is_roca_modulus(pkcs1_modulus("roca-vulnerable-rsa2048-pkcs1-pub.pem")));
  EXPECT_FALSE(is_roca_modulus(pkcs1_modulus("roca-safe-rsa2048-pkcs1-pub.pem")));
  CertificateFacts cert04 = certificate("roca-vulnerable-cert04-2050bit.pem");
  EXPECT_TRUE(cert04.roca_vulnerable);
  EXPECT_EQ(cert04.key_bits, 2050);
  EXPECT_TRUE(certificate("roca-vulnerable-rsa2048-cert.pem").roca_vulnerable);
  EXPECT_FALSE(certificate("roca-safe-cert06-2048bit.pem").roca_vulnerable);
}

TEST(Roca, FakeModuliThatPassTheOldMarkerTestAreNotFlagged) {
  std::istringstream in(vector_file("fake_moduli_marker_positive_dlog_negative.txt"));
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_FALSE(is_roca_modulus(from_decimal(line))) << line;
    ++count;
  }
  EXPECT_EQ(count, 10);
}

std::string hex(const DebianFingerprint& fingerprint) {
  std::string out;
  for (uint8_t byte : fingerprint) out += fmt::format("{:02x}", byte);
  return out;
}

TEST(DebianWeakKeys, FingerprintsFollowTheOpensslBlacklistRecipe) {
  EXPECT_EQ(hex(debian_fingerprint(pkcs1_modulus("weak-2048-badkeys-rsa-debianweak-pub.pem"))), "b7ead9492dfd921fc4f9");
  EXPECT_EQ(hex(debian_fingerprint(pkcs1_modulus("ok-2048-badkeys-rsa-ok-pub.pem"))), "cb2086eab3b0716f759f");
  EXPECT_EQ(hex(certificate("weak-2048-hoefling-0.9.8c-x86-selfsigned.pem").debian_fingerprint), "042dcb33f1f6f3ce9eee");
  EXPECT_EQ(hex(certificate("weak-2048-pid32767-rnd-le64-selfsigned.pem").debian_fingerprint), "3eef3b60eab5a1ce3782");
}

TEST(DebianWeakKeys, ShippedSampleLoadsAndMatches) {
  WeakKeyBlocklist list;
  EXPECT_TRUE(list.load(testing::source_dir() + "/data/weak-keys").empty());
  EXPECT_EQ(list.entries(), 1226u);
  EXPECT_TRUE(list.contains(2048, certificate("weak-2048-hoefling-0.9.8c-x86-selfsigned.pem").debian_fingerprint));
  EXPECT_TRUE(list.contains(2048, certificate("weak-2048-pid32767-rnd-le64-selfsigned.pem").debian_fingerprint));
  // Debian-weak, but not one of the PIDs in the partial sample.
  EXPECT_FALSE(list.contains(2048, debian_fingerprint(pkcs1_modulus("weak-2048-badkeys-rsa-debianweak-pub.pem"))));
  EXPECT_FALSE(list.contains(2048, debian_fingerprint(pkcs1_modulus("ok-2048-badkeys-rsa-ok-pub.pem"))));
  // The same fingerprint under another key size is another list.
  EXPECT_FALSE(list.contains(1024, certificate("weak-2048-hoefling-0.9.8c-x86-selfsigned.pem").debian_fingerprint));
}

TEST(DebianWeakKeys, MissingDirectoryAndMalformedLinesAreProblems) {
  WeakKeyBlocklist missing;
  EXPECT_FALSE(missing.load("/nonexistent/weak-keys").empty());
  testing::TempDir dir;
  dir.write("blacklist.RSA-2048", "# header\n042dcb33f1f6f3ce9eee\nnot-hex\n");
  WeakKeyBlocklist partial;
  EXPECT_EQ(partial.load(dir.path()).size(), 1u);
  EXPECT_EQ(partial.entries(), 1u);
}

TEST(Pem, DecodesJsonEscapedText) {
  std::string pem = vector_file("roca-safe-cert06-2048bit.pem");
  std::string plain, escaped_der;
  ASSERT_EQ(decode_pem(pem, "CERTIFICATE", plain), "");
  std::string escaped;
  for (char c : pem) escaped += c == '\n' ? std::string("\\n") : c == '/' ? std::string("\\/") : std::string(1, c);
  ASSERT_EQ(decode_pem(escaped, "CERTIFICATE", escaped_der), "");
  EXPECT_EQ(plain, escaped_der);
}

// The decoder reads two characters per table lookup where it can; against OpenSSL's base64 over
// every payload length up to 200 bytes, with lines of several widths, plain or JSON-escaped.
TEST(Pem, DecodesWhatOpenSslEncodes) {
  std::mt19937 random(7);
  for (size_t length = 1; length <= 200; ++length) {
    std::string payload(length, '\0');
    for (char& c : payload) c = static_cast<char>(random());
    std::string encoded(4 * ((length + 2) / 3) + 1, '\0');
    encoded.resize(static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                                       reinterpret_cast<const unsigned char*>(payload.data()),
                                                       static_cast<int>(length))));
    for (size_t width : {64, 76, 7, 1}) {
      for (std::string_view newline : {"\n", "\\n", "\r\n"}) {
        std::string pem = "-----BEGIN CERTIFICATE-----" + std::string(newline);
        for (size_t at = 0; at < encoded.size(); at += width) pem += encoded.substr(at, width) + std::string(newline);
        pem += "-----END CERTIFICATE-----" + std::string(newline);
        std::string der;
        ASSERT_EQ(decode_pem(pem, "CERTIFICATE", der), "") << length << " " << width << "\n" << pem;
        EXPECT_EQ(der, payload) << length << " " << width;
      }
    }
  }
}

TEST(Pem, ReportsWhatIsWrong) {
  std::string pem = vector_file("roca-safe-cert06-2048bit.pem");
  std::string der;
  EXPECT_EQ(decode_pem(pem + "junk", "CERTIFICATE", der), "text after the -----END line");
  EXPECT_EQ(decode_pem("hello", "CERTIFICATE", der), "no -----BEGIN line: not PEM");
  EXPECT_NE(decode_pem("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n", "CERTIFICATE", der)
                .find("private key"),
            std::string::npos);
  EXPECT_EQ(decode_pem("-----BEGIN CERTIFICATE-----\nMI*E\n-----END CERTIFICATE-----\n", "CERTIFICATE", der),
            "invalid character in the base64 body");
  EXPECT_EQ(decode_pem("-----BEGIN CERTIFICATE-----\nMIIE\n", "CERTIFICATE", der), "no matching -----END line");
  // Cut after ten whole lines: valid base64, but the DER inside stops short.
  size_t at = 0;
  for (int line = 0; line < 10; ++line) at = pem.find('\n', at) + 1;
  std::string cut = pem.substr(0, at) + "-----END CERTIFICATE-----\n";
  ASSERT_EQ(decode_pem(cut, "CERTIFICATE", der), "");
  CertificateFacts facts;
  EXPECT_NE(extract_facts(der, "", facts), "");
  EXPECT_FALSE(facts.parsed);
}

TEST(CertificateFacts, ReadsKeyAndSignatureAndIdentity) {
  CertificateFacts facts = certificate("roca-safe-cert06-2048bit.pem");
  EXPECT_EQ(facts.key_algorithm, KeyAlgorithm::rsa);
  EXPECT_EQ(facts.key_bits, 2048);
  EXPECT_TRUE(facts.parsed);
  std::string der;
  decode_pem(vector_file("roca-safe-cert06-2048bit.pem"), "CERTIFICATE", der);
  CertificateFacts with_id;
  EXPECT_EQ(extract_facts(der, std::string(64, '0'), with_id), "");
  EXPECT_FALSE(with_id.id_matches_der);
}

}  // namespace
}  // namespace fleetaudit::x509
