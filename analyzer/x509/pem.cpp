#include "analyzer/x509/pem.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

namespace fleetaudit::x509 {

namespace {

constexpr uint8_t kSkip = 64;   // whitespace (or an escaped one): ignored between base64 characters
constexpr uint8_t kBad = 255;   // anything else

constexpr std::array<uint8_t, 256> make_table() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kBad;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = i;
  table[' '] = table['\n'] = table['\r'] = table['\t'] = kSkip;
  return table;
}
constexpr std::array<uint8_t, 256> kBase64 = make_table();

// Two base64 characters at once: the 12 bits they stand for, or kBadPair when either is not a
// plain base64 character. Indexed by the first byte plus 256 times the second.
constexpr uint16_t kBadPair = 0xffff;
const std::array<uint16_t, 65536>& pair_table() {
  static const auto table = [] {
    auto pairs = std::make_unique<std::array<uint16_t, 65536>>();
    for (uint32_t first = 0; first < 256; ++first)
      for (uint32_t second = 0; second < 256; ++second) {
        const uint8_t a = kBase64[first], b = kBase64[second];
        (*pairs)[first | second << 8] = a < 64 && b < 64 ? static_cast<uint16_t>(a << 6 | b) : kBadPair;
      }
    return pairs;
  }();
  return *table;
}

uint16_t load_pair(const char* at) {  // one 16-bit load on a little-endian machine
  return static_cast<uint16_t>(static_cast<uint8_t>(at[0]) | static_cast<uint8_t>(at[1]) << 8);
}

// Skips plain and JSON-escaped whitespace.
size_t skip_space(std::string_view text, size_t at) {
  while (at < text.size()) {
    char c = text[at];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++at;
    } else if (c == '\\' && at + 1 < text.size() &&
               (text[at + 1] == 'n' || text[at + 1] == 'r' || text[at + 1] == 't')) {
      at += 2;
    } else {
      break;
    }
  }
  return at;
}

}  // namespace

bool looks_like_pem(std::string_view bytes) {
  size_t at = skip_space(bytes, 0);
  return bytes.substr(at, 10) == "-----BEGIN";
}

namespace {
// Reads the -----BEGIN LABEL----- line; sets `at` after it, or returns what is wrong.
std::string read_begin_line(std::string_view text, std::string_view expected_label, size_t& at) {
  at = skip_space(text, 0);
  constexpr std::string_view kBegin = "-----BEGIN ";
  if (text.substr(at, kBegin.size()) != kBegin) {
    if (text.find(kBegin) != std::string_view::npos) return "text before the -----BEGIN line";
    return "no -----BEGIN line: not PEM";
  }
  at += kBegin.size();
  size_t label_end = text.find("-----", at);
  if (label_end == std::string_view::npos) return "the -----BEGIN line is not closed";
  std::string_view label = text.substr(at, label_end - at);
  if (label.find("PRIVATE KEY") != std::string_view::npos)
    return "holds a private key (" + std::string(label) +
           "), not a certificate; a private key in an export is compromised: replace it";
  if (label != expected_label)
    return "holds a " + std::string(label) + ", expected a " + std::string(expected_label);
  at = label_end + 5;
  return {};
}
}  // namespace

std::string check_pem_label(std::string_view text, std::string_view expected_label) {
  size_t at = 0;
  return read_begin_line(text, expected_label, at);
}

std::string decode_pem(std::string_view text, std::string_view expected_label, std::string& der) {
  der.clear();
  size_t at = 0;
  if (std::string problem = read_begin_line(text, expected_label, at); !problem.empty()) return problem;

  // Base64 body up to the END line; four characters make three bytes. Written through a pointer into a
  // buffer sized for the worst case (and one byte more: the fast path stores four bytes to keep
  // three): this loop runs over every byte of every certificate.
  der.resize(text.size() / 4 * 3 + 4);
  char* out = der.data();
  uint32_t quad = 0;
  int count = 0, padding = 0;
  const size_t size = text.size();
  const std::array<uint16_t, 65536>& pairs = pair_table();
  while (at < size) {
    // Fast path: four plain base64 characters at a quad boundary, looked up two at a time.
    if (count == 0 && padding == 0) {
      while (at + 4 <= size) {
        const uint16_t high = pairs[load_pair(text.data() + at)], low = pairs[load_pair(text.data() + at + 2)];
        if ((high | low) > 0xfff) break;  // kBadPair in either, or a character the slow path reads
        const uint32_t value = __builtin_bswap32((uint32_t{high} << 12 | low) << 8);  // big-endian, 3 bytes used
        std::memcpy(out, &value, 4);
        out += 3;
        at += 4;
      }
      if (at >= size) break;
    }
    uint8_t c = static_cast<uint8_t>(text[at]);
    if (c == '-') break;
    uint8_t value = kBase64[c];
    if (c == '\\' && at + 1 < size) {  // a JSON escape
      char next = text[at + 1];
      if (next == 'n' || next == 'r' || next == 't') {
        at += 2;
        continue;
      }
      if (next != '/') return "unexpected escape in the base64 body";
      ++at;
      value = 63;
    }
    ++at;
    if (value == kSkip) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (value == kBad || padding > 0) return "invalid character in the base64 body";
    quad = quad << 6 | value;
    if (++count == 4) {
      *out++ = static_cast<char>(quad >> 16);
      *out++ = static_cast<char>(quad >> 8);
      *out++ = static_cast<char>(quad);
      quad = 0;
      count = 0;
    }
  }
  if (count == 1 || count + padding > 4 || (count == 0 && padding > 0)) return "truncated base64 body";
  if (count == 2) {
    *out++ = static_cast<char>(quad >> 4);
  } else if (count == 3) {
    *out++ = static_cast<char>(quad >> 10);
    *out++ = static_cast<char>(quad >> 2);
  }
  der.resize(static_cast<size_t>(out - der.data()));
  std::string end_line = "-----END " + std::string(expected_label) + "-----";
  if (text.substr(at, end_line.size()) != end_line) return "no matching -----END line";
  at = skip_space(text, at + end_line.size());
  if (at != text.size()) return "text after the -----END line";
  if (der.empty()) return "empty base64 body";
  return {};
}

}  // namespace fleetaudit::x509
