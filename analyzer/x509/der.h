#pragma once
// A minimal DER reader: enough of X.509 to pull out the facts the checks need, far cheaper than
// building a full OpenSSL X509 per certificate. Every read is bounds-checked; a failure leaves the
// reader in error and returns empty spans.
#include <cstdint>
#include <string_view>

namespace fleetaudit::x509 {

struct DerValue {
  uint8_t tag = 0;
  std::string_view content;  // the value's content octets
  std::string_view whole;    // tag, length and content
};

class DerReader {
public:
  explicit DerReader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool at_end() const { return at_ >= bytes_.size(); }
  uint8_t peek_tag() const { return at_ < bytes_.size() ? static_cast<uint8_t>(bytes_[at_]) : 0; }

  // Reads the next value; when `tag` is not 0 it must match, else the reader fails.
  DerValue read(uint8_t tag = 0) {
    DerValue value;
    if (!ok_ || at_ + 2 > bytes_.size()) return fail();
    size_t start = at_;
    value.tag = static_cast<uint8_t>(bytes_[at_++]);
    if ((value.tag & 0x1f) == 0x1f) return fail();  // multi-byte tags never occur in X.509
    if (tag != 0 && value.tag != tag) return fail();
    uint64_t length = static_cast<uint8_t>(bytes_[at_++]);
    if (length & 0x80) {
      size_t octets = length & 0x7f;
      if (octets == 0 || octets > 4 || at_ + octets > bytes_.size()) return fail();  // no indefinite form
      length = 0;
      for (size_t i = 0; i < octets; ++i) length = length << 8 | static_cast<uint8_t>(bytes_[at_++]);
    }
    if (length > bytes_.size() - at_) return fail();
    value.content = bytes_.substr(at_, length);
    at_ += length;
    value.whole = bytes_.substr(start, at_ - start);
    return value;
  }
  // Reads the next value only if it has `tag` (for OPTIONAL and DEFAULT fields).
  bool read_optional(uint8_t tag, DerValue& value) {
    if (!ok_ || peek_tag() != tag || at_end()) return false;
    value = read(tag);
    return ok_;
  }

private:
  DerValue fail() {
    ok_ = false;
    return {};
  }
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

namespace der_tag {
inline constexpr uint8_t kBoolean = 0x01, kInteger = 0x02, kBitString = 0x03, kOctetString = 0x04, kNull = 0x05,
                         kOid = 0x06, kUtcTime = 0x17, kGeneralizedTime = 0x18, kSequence = 0x30, kSet = 0x31;
inline constexpr uint8_t context(uint8_t number, bool constructed = true) {
  return static_cast<uint8_t>(0x80 | (constructed ? 0x20 : 0) | number);
}
}  // namespace der_tag

}  // namespace fleetaudit::x509
