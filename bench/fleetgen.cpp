// fleetgen: writes a deterministic synthetic AWS IoT fleet snapshot (the format of
// fleetaudit's loader) for benchmarks and scale tests, with real X.509 certificates and
// a file of the findings that were planted on purpose.
//
// Everything is derived from --seed: the same seed and sizes give byte-identical files
// whatever the thread count. OpenSSL's key generation and ECDSA signing draw from its
// RNG, so private keys are hashed from the seed and ECDSA nonces are hashed from the seed,
// the certificate index and the digest (in the spirit of RFC 6979); the certificates
// themselves are DER-encoded here so that nothing else in them is random.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// The account and region the snapshot belongs to (--account-id, --region): set once by main,
// before any file is written, and read by the writers on every thread after.
struct FleetIdentity {
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
  std::string iot_arn_prefix() const { return "arn:aws:iot:" + region + ":" + account_id + ":"; }
  std::string logging_role_arn() const { return "arn:aws:iam::" + account_id + ":role/IoTLoggingRole"; }
};
FleetIdentity g_identity;
std::string g_iot_arn_prefix = g_identity.iot_arn_prefix();
constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kExpiryThresholdDays = 30;  // DEVICE_/CA_CERTIFICATE_EXPIRING_CHECK default

[[noreturn]] void fail(std::string_view message) {
  std::fprintf(stderr, "fleetgen: error: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::_Exit(1);  // may be called from a worker thread: skip static destructors
}

// ---------------------------------------------------------------------------------------
// Options

enum class LoggingMode { Disabled, Enabled, FromSeed };
// rotated: certificates renewed yearly, 1 % planted past the age or expiry thresholds.
// aged: factory certificates kept for years, as real fleets do: most past the age threshold,
// a quarter expiring within 30 days, a few expired (bench fleets that fail a lot).
enum class Profile { Rotated, Aged, KeyReuse };

struct Options {
  uint64_t thing_count = 0;
  uint64_t seed = 0;
  std::filesystem::path output_directory;
  double shared_percent = 1.0;
  uint32_t policy_count = 300;
  LoggingMode logging = LoggingMode::Disabled;
  unsigned thread_count = 2;
  Profile profile = Profile::Rotated;
  // --shared-keys K:N: certificates [0, K*N) carry only K public keys (certificate c the key
  // c % K), as when a key is baked into firmware: K shared-key findings of N certificates each.
  uint64_t shared_key_count = 0, certificates_per_shared_key = 0;
  std::string account_id = "123456789012";  // --account-id: an organization's member accounts differ
  std::string region = "us-east-1";
  // key-reuse: the shared keys go to whole batches instead (certificate c the key c / N).
  bool shared_keys_in_batches = false;
};

constexpr std::string_view kUsage =
    "usage: fleetgen --things N --seed S --out DIR [options]\n"
    "\n"
    "Writes a deterministic synthetic AWS IoT fleet snapshot into DIR.\n"
    "\n"
    "  --things N            number of things (each gets a certificate or shares one)\n"
    "  --seed S              seed; the same seed and sizes give byte-identical output\n"
    "  --out DIR             output directory (created if missing)\n"
    "  --shared-percent P    percent of certificates shared by 2-4 things (default 1)\n"
    "  --policies N          number of IoT policies (default 300)\n"
    "  --logging MODE        disabled | enabled | from-seed (default disabled)\n"
    "  --profile P           rotated: certificates renewed yearly, 1 % past the age or expiry\n"
    "                        thresholds (default); aged: 60 % registered over a year ago, 25 %\n"
    "                        expiring within 30 days, 1 % expired; key-reuse: as rotated, but a\n"
    "                        factory reused 64 keys across whole batches: 15/16 of the certificates\n"
    "                        in 64 consecutive batches of one key each (~15,000 at 1M things)\n"
    "  --threads N           certificate worker threads (default 2)\n"
    "  --shared-keys K:N     the first K*N certificates carry only K public keys, N certificates\n"
    "                        each (cloned devices; default: every certificate its own key)\n"
    "  --account-id ID       the 12-digit account in the manifest and every ARN (default 123456789012)\n"
    "  --region R            the region in the manifest and every ARN (default us-east-1)\n";

template <typename Number>
Number parse_number(std::string_view flag, std::string_view text) {
  Number value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    fail(fmt::format("{} expects a number, got '{}'", flag, text));
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  bool have_things = false, have_seed = false, have_out = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) fail(fmt::format("{} needs a value\n{}", flag, kUsage));
    std::string_view value = argv[++i];
    if (flag == "--things") {
      options.thing_count = parse_number<uint64_t>(flag, value);
      have_things = true;
    } else if (flag == "--seed") {
      options.seed = parse_number<uint64_t>(flag, value);
      have_seed = true;
    } else if (flag == "--out") {
      options.output_directory = std::string(value);
      have_out = true;
    } else if (flag == "--shared-percent") {
      options.shared_percent = parse_number<double>(flag, value);
    } else if (flag == "--policies") {
      options.policy_count = parse_number<uint32_t>(flag, value);
    } else if (flag == "--threads") {
      options.thread_count = parse_number<unsigned>(flag, value);
    } else if (flag == "--logging") {
      if (value == "disabled") options.logging = LoggingMode::Disabled;
      else if (value == "enabled") options.logging = LoggingMode::Enabled;
      else if (value == "from-seed") options.logging = LoggingMode::FromSeed;
      else fail(fmt::format("--logging expects disabled, enabled or from-seed, got '{}'", value));
    } else if (flag == "--profile") {
      if (value == "rotated") options.profile = Profile::Rotated;
      else if (value == "aged") options.profile = Profile::Aged;
      else if (value == "key-reuse") options.profile = Profile::KeyReuse;
      else fail(fmt::format("--profile expects rotated, aged or key-reuse, got '{}'", value));
    } else if (flag == "--account-id") {
      options.account_id = std::string(value);
      if (value.size() != 12 || value.find_first_not_of("0123456789") != std::string_view::npos)
        fail(fmt::format("--account-id expects 12 digits, got '{}'", value));
    } else if (flag == "--region") {
      options.region = std::string(value);
      if (value.empty() || value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos)
        fail(fmt::format("--region expects a Region name such as eu-west-1, got '{}'", value));
    } else if (flag == "--shared-keys") {
      const size_t colon = value.find(':');
      if (colon == std::string_view::npos) fail(fmt::format("--shared-keys expects K:N, got '{}'", value));
      options.shared_key_count = parse_number<uint64_t>(flag, value.substr(0, colon));
      options.certificates_per_shared_key = parse_number<uint64_t>(flag, value.substr(colon + 1));
      if (options.shared_key_count < 1 || options.certificates_per_shared_key < 2)
        fail("--shared-keys expects K >= 1 keys of N >= 2 certificates each");
    } else {
      fail(fmt::format("unknown option '{}'\n{}", flag, kUsage));
    }
  }
  if (!have_things || !have_seed || !have_out) fail(fmt::format("--things, --seed and --out are required\n{}", kUsage));
  if (options.thing_count < 1 || options.thing_count > 50'000'000) fail("--things must be between 1 and 50000000");
  if (!(options.shared_percent >= 0.0 && options.shared_percent <= 100.0)) fail("--shared-percent must be between 0 and 100");
  if (options.policy_count < 1) fail("--policies must be at least 1");
  if (options.thread_count < 1 || options.thread_count > 64) fail("--threads must be between 1 and 64");
  if (options.profile == Profile::KeyReuse) {
    if (options.shared_key_count != 0) fail("--profile key-reuse chooses its own shared keys: leave out --shared-keys");
    options.shared_key_count = 64;
    options.certificates_per_shared_key = std::max<uint64_t>(2, options.thing_count * 15 / 16 / 64);
    options.shared_keys_in_batches = true;
  }
  return options;
}

// ---------------------------------------------------------------------------------------
// Seeded choices. Every decision about record i is drawn from a stream keyed by
// (seed, purpose, i), so records can be generated in any order on any thread.

enum class Purpose : uint64_t {
  Sharing = 1,
  CertificateStatus,
  CertificateDetails,
  CaDetails,
  Thing,
  PrincipalForm,
  Policy,
  Logging,
};

constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Draw {
 public:
  Draw(uint64_t seed, Purpose purpose, uint64_t index)
      : state_(splitmix64(splitmix64(seed ^ (static_cast<uint64_t>(purpose) << 56)) ^ index)) {}

  uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return splitmix64(state_);
  }
  // Uniform enough for our bounds (all far below 2^32).
  uint64_t below(uint64_t bound) { return next() % bound; }
  int64_t between(int64_t low, int64_t high) { return low + static_cast<int64_t>(below(static_cast<uint64_t>(high - low + 1))); }
  bool per_ten_thousand(uint64_t threshold) { return below(10000) < threshold; }
  template <typename T, size_t N>
  const T& pick(const std::array<T, N>& choices) { return choices[below(N)]; }

 private:
  uint64_t state_;
};

using Digest = std::array<uint8_t, SHA256_DIGEST_LENGTH>;

// SHA-256 over a domain label, the seed, an index and optional extra bytes: the source of
// private keys and ECDSA nonces.
Digest labelled_hash(std::string_view label, uint64_t seed, uint64_t index, std::string_view extra = {}) {
  std::string input(label);
  for (uint64_t word : {seed, index}) {
    for (int shift = 0; shift < 64; shift += 8) input.push_back(static_cast<char>(word >> shift));
  }
  input.append(extra);
  Digest digest;
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  return digest;
}

std::string lowercase_hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    text[2 * i] = kDigits[bytes[i] >> 4];
    text[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return text;
}

std::string uuid_from(Draw& draw) {
  uint64_t high = draw.next(), low = draw.next();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff, high & 0xfff,
                     0x8000 | ((low >> 48) & 0x3fff), low & 0xffffffffffffULL);
}

// ---------------------------------------------------------------------------------------
// Time. The CLI v2 prints IoT timestamps in the exporting machine's local offset, with
// microseconds only when the value had a fraction; we mix offsets to exercise the parser.

struct CivilTime {
  int year;
  unsigned month, day;
  int64_t second_of_day;
};

CivilTime civil_from_epoch(int64_t epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds instant{seconds{epoch_seconds}};
  const sys_days day = floor<days>(instant);
  const year_month_day date{day};
  return {static_cast<int>(date.year()), static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
          (instant - day).count()};
}

int64_t epoch_from_civil(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return sys_seconds{sys_days{std::chrono::year{year} / month / day}}.time_since_epoch().count();
}

enum class TimeStyle { Pacific, CentralEurope, India, PlusZero, Zulu };

TimeStyle pick_time_style(Draw& draw) {
  uint64_t roll = draw.below(100);
  if (roll < 55) return TimeStyle::Pacific;
  if (roll < 65) return TimeStyle::CentralEurope;
  if (roll < 72) return TimeStyle::India;
  if (roll < 88) return TimeStyle::PlusZero;
  return TimeStyle::Zulu;
}

// Any offset names the same instant; the summer/winter split only makes them look local.
std::string format_cli_time(int64_t epoch_milliseconds, TimeStyle style) {
  const int64_t epoch_seconds = epoch_milliseconds / 1000;
  const int64_t milliseconds = epoch_milliseconds % 1000;
  const bool summer = [&] {
    unsigned month = civil_from_epoch(epoch_seconds).month;
    return month >= 4 && month <= 10;
  }();
  int offset_minutes = 0;
  switch (style) {
    case TimeStyle::Pacific: offset_minutes = summer ? -7 * 60 : -8 * 60; break;
    case TimeStyle::CentralEurope: offset_minutes = summer ? 2 * 60 : 60; break;
    case TimeStyle::India: offset_minutes = 5 * 60 + 30; break;
    case TimeStyle::PlusZero:
    case TimeStyle::Zulu: offset_minutes = 0; break;
  }
  const CivilTime local = civil_from_epoch(epoch_seconds + offset_minutes * 60);
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", local.year, local.month, local.day,
                                 local.second_of_day / 3600, local.second_of_day / 60 % 60, local.second_of_day % 60);
  if (milliseconds != 0) fmt::format_to(std::back_inserter(text), ".{:03}000", milliseconds);
  if (style == TimeStyle::Zulu) {
    text += 'Z';
  } else {
    const int magnitude = std::abs(offset_minutes);
    fmt::format_to(std::back_inserter(text), "{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  }
  return text;
}

// API timestamps carry milliseconds; about a fifth are whole seconds.
int64_t with_api_milliseconds(int64_t epoch_seconds, Draw& draw) {
  return epoch_seconds * 1000 + (draw.below(5) == 0 ? 0 : draw.between(1, 999));
}

// ---------------------------------------------------------------------------------------
// JSON output, pretty-printed like the AWS CLI (one member per line), 2-space indent.

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  size_t plain_start = 0;  // runs that need no escaping are appended at once
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(text, plain_start, i - plain_start);
    plain_start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    }
  }
  out.append(text, plain_start);
  out += '"';
}

class JsonWriter {
 public:
  enum class Layout { Pretty, Compact };

  explicit JsonWriter(std::string& out, Layout layout = Layout::Pretty) : out_(out), layout_(layout) {}

  // A writer that continues the elements of the array in {"key": [ ... ]}: lets worker
  // threads format chunks of a big top-level array independently.
  static JsonWriter inside_top_level_array(std::string& out, bool first_element) {
    JsonWriter writer(out);
    writer.levels_ = {{true, false}, {false, first_element}};
    return writer;
  }
  // Tells the writer that elements were appended behind its back (chunks written raw).
  void mark_current_container_nonempty() { levels_.back().empty = false; }

  void begin_object() { open('{', true); }
  void end_object() { close('}'); }
  void begin_array() { open('[', false); }
  void end_array() { close(']'); }

  void key(std::string_view name) {
    Level& level = levels_.back();
    if (!level.empty) out_ += ',';
    level.empty = false;
    new_line();
    append_json_string(out_, name);
    out_ += layout_ == Layout::Pretty ? ": " : ":";
    after_key_ = true;
  }
  void string(std::string_view text) {
    before_value();
    append_json_string(out_, text);
  }
  void number(int64_t value) {
    before_value();
    fmt::format_to(std::back_inserter(out_), "{}", value);
  }
  void boolean(bool value) {
    before_value();
    out_ += value ? "true" : "false";
  }
  void member(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  void member(std::string_view name, const char* text) { member(name, std::string_view(text)); }
  void member(std::string_view name, int64_t value) {
    key(name);
    number(value);
  }
  void member_bool(std::string_view name, bool value) {
    key(name);
    boolean(value);
  }

 private:
  struct Level {
    bool is_object;
    bool empty;
  };

  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (levels_.empty()) return;
    Level& level = levels_.back();
    if (!level.empty) out_ += ',';
    level.empty = false;
    new_line();
  }
  void open(char bracket, bool is_object) {
    before_value();
    out_ += bracket;
    levels_.push_back({is_object, true});
  }
  void close(char bracket) {
    const bool was_empty = levels_.back().empty;
    levels_.pop_back();
    if (!was_empty) new_line();
    out_ += bracket;
  }
  void new_line() {
    if (layout_ == Layout::Compact) return;
    out_ += '\n';
    out_.append(2 * levels_.size(), ' ');
  }

  std::string& out_;
  Layout layout_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

// A file written through a buffer that is flushed whenever it grows past a megabyte, so
// no file is ever held whole in memory.
class OutputFile {
 public:
  OutputFile(const std::filesystem::path& directory, std::string_view name) : path_(directory / name) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) fail(fmt::format("cannot create {}: {}", path_.string(), std::strerror(errno)));
    buffer_.reserve(2 << 20);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) close();
  }

  std::string& buffer() { return buffer_; }
  void flush_if_large() {
    if (buffer_.size() >= (1 << 20)) flush();
  }
  void write_raw(std::string_view bytes) {
    flush();
    write_bytes(bytes);
  }
  void close() {
    buffer_ += '\n';
    flush();
    if (std::fclose(file_) != 0) fail(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
    file_ = nullptr;
  }

 private:
  void flush() {
    write_bytes(buffer_);
    buffer_.clear();
  }
  void write_bytes(std::string_view bytes) {
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      fail(fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
    }
  }

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

// ---------------------------------------------------------------------------------------
// DER encoding of just what an X.509 v3 certificate with an EC P-256 key needs.

using Bytes = std::string;  // DER bytes

Bytes der(uint8_t tag, std::initializer_list<std::string_view> parts) {
  size_t length = 0;
  for (std::string_view part : parts) length += part.size();
  Bytes out;
  out.reserve(length + 4);
  out += static_cast<char>(tag);
  if (length < 0x80) {
    out += static_cast<char>(length);
  } else if (length < 0x100) {
    out += '\x81';
    out += static_cast<char>(length);
  } else {
    if (length >= 0x10000) fail("DER element too long");
    out += '\x82';
    out += static_cast<char>(length >> 8);
    out += static_cast<char>(length & 0xff);
  }
  for (std::string_view part : parts) out += part;
  return out;
}

constexpr uint8_t kTagInteger = 0x02, kTagBitString = 0x03, kTagOctetString = 0x04,
                  kTagUtf8String = 0x0c, kTagPrintableString = 0x13, kTagUtcTime = 0x17, kTagGeneralizedTime = 0x18,
                  kTagSequence = 0x30, kTagSet = 0x31;

// Complete OBJECT IDENTIFIER elements (tag, length, value).
const Bytes kOidEcdsaWithSha256("\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 10);
const Bytes kOidEcPublicKey("\x06\x07\x2a\x86\x48\xce\x3d\x02\x01", 9);
const Bytes kOidPrime256v1("\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10);
const Bytes kOidCountryName("\x06\x03\x55\x04\x06", 5);
const Bytes kOidOrganizationName("\x06\x03\x55\x04\x0a", 5);
const Bytes kOidOrganizationalUnitName("\x06\x03\x55\x04\x0b", 5);
const Bytes kOidCommonName("\x06\x03\x55\x04\x03", 5);
const Bytes kOidSubjectKeyIdentifier("\x06\x03\x55\x1d\x0e", 5);
const Bytes kOidKeyUsage("\x06\x03\x55\x1d\x0f", 5);
const Bytes kOidBasicConstraints("\x06\x03\x55\x1d\x13", 5);
const Bytes kOidAuthorityKeyIdentifier("\x06\x03\x55\x1d\x23", 5);
const Bytes kOidExtendedKeyUsage("\x06\x03\x55\x1d\x25", 5);
const Bytes kOidClientAuth("\x06\x08\x2b\x06\x01\x05\x05\x07\x03\x02", 10);

Bytes relative_distinguished_name(const Bytes& attribute_oid, uint8_t string_tag, std::string_view value) {
  return der(kTagSet, {der(kTagSequence, {attribute_oid, der(string_tag, {value})})});
}

Bytes distinguished_name(std::string_view organization, std::string_view unit, std::string_view common_name) {
  return der(kTagSequence, {relative_distinguished_name(kOidCountryName, kTagPrintableString, "US"),
                            relative_distinguished_name(kOidOrganizationName, kTagUtf8String, organization),
                            relative_distinguished_name(kOidOrganizationalUnitName, kTagUtf8String, unit),
                            relative_distinguished_name(kOidCommonName, kTagUtf8String, common_name)});
}

// RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
Bytes certificate_time(int64_t epoch_seconds) {
  const CivilTime t = civil_from_epoch(epoch_seconds);
  const auto hour = t.second_of_day / 3600, minute = t.second_of_day / 60 % 60, second = t.second_of_day % 60;
  if (t.year >= 1950 && t.year <= 2049) {
    return der(kTagUtcTime, {fmt::format("{:02}{:02}{:02}{:02}{:02}{:02}Z", t.year % 100, t.month, t.day, hour, minute, second)});
  }
  return der(kTagGeneralizedTime, {fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}Z", t.year, t.month, t.day, hour, minute, second)});
}

Bytes extension(const Bytes& oid, bool critical, const Bytes& value) {
  static const Bytes kTrue("\x01\x01\xff", 3);
  return critical ? der(kTagSequence, {oid, kTrue, der(kTagOctetString, {value})})
                  : der(kTagSequence, {oid, der(kTagOctetString, {value})});
}

using PublicPoint = std::array<uint8_t, 65>;  // uncompressed: 0x04 || X || Y
using KeyIdentifier = std::array<uint8_t, SHA_DIGEST_LENGTH>;

std::string_view as_chars(const uint8_t* bytes, size_t size) { return {reinterpret_cast<const char*>(bytes), size}; }

// RFC 5280 method 1: SHA-1 of the subjectPublicKey bits.
KeyIdentifier key_identifier_of(const PublicPoint& point) {
  KeyIdentifier identifier;
  SHA1(point.data(), point.size(), identifier.data());
  return identifier;
}

struct CertificateFields {
  std::array<uint8_t, 16> serial;  // first byte 0x01..0x7f: positive and minimal as a DER INTEGER
  Bytes issuer;
  Bytes subject;
  int64_t not_before;
  int64_t not_after;
  PublicPoint public_point;
  KeyIdentifier subject_key_identifier;
  KeyIdentifier authority_key_identifier;
  bool is_certificate_authority;
};

Bytes to_be_signed(const CertificateFields& fields) {
  static const Bytes kVersion3("\xa0\x03\x02\x01\x02", 5);
  static const Bytes kCaBasicConstraints("\x30\x03\x01\x01\xff", 5);   // cA TRUE
  static const Bytes kLeafBasicConstraints("\x30\x00", 2);             // cA FALSE (default)
  static const Bytes kCaKeyUsage("\x03\x02\x01\x06", 4);               // keyCertSign, cRLSign
  static const Bytes kLeafKeyUsage("\x03\x02\x07\x80", 4);             // digitalSignature
  const Bytes signature_algorithm = der(kTagSequence, {kOidEcdsaWithSha256});
  const Bytes public_key_info =
      der(kTagSequence, {der(kTagSequence, {kOidEcPublicKey, kOidPrime256v1}),
                         der(kTagBitString, {std::string_view("\0", 1), as_chars(fields.public_point.data(), fields.public_point.size())})});
  const std::string_view subject_key_id = as_chars(fields.subject_key_identifier.data(), fields.subject_key_identifier.size());
  const std::string_view authority_key_id = as_chars(fields.authority_key_identifier.data(), fields.authority_key_identifier.size());
  Bytes extensions;
  if (fields.is_certificate_authority) {
    extensions = der(kTagSequence, {extension(kOidBasicConstraints, true, kCaBasicConstraints),
                                    extension(kOidKeyUsage, true, kCaKeyUsage),
                                    extension(kOidSubjectKeyIdentifier, false, der(kTagOctetString, {subject_key_id}))});
  } else {
    extensions = der(kTagSequence, {extension(kOidBasicConstraints, true, kLeafBasicConstraints),
                                    extension(kOidKeyUsage, true, kLeafKeyUsage),
                                    extension(kOidExtendedKeyUsage, false, der(kTagSequence, {kOidClientAuth})),
                                    extension(kOidSubjectKeyIdentifier, false, der(kTagOctetString, {subject_key_id})),
                                    extension(kOidAuthorityKeyIdentifier, false, der(kTagSequence, {der(0x80, {authority_key_id})}))});
  }
  return der(kTagSequence, {kVersion3, der(kTagInteger, {as_chars(fields.serial.data(), fields.serial.size())}), signature_algorithm,
                            fields.issuer,
                            der(kTagSequence, {certificate_time(fields.not_before), certificate_time(fields.not_after)}),
                            fields.subject, public_key_info, der(0xa3, {extensions})});
}

std::string pem_certificate(const Bytes& der_bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string base64((der_bytes.size() + 2) / 3 * 4, '=');
  const auto* bytes = reinterpret_cast<const uint8_t*>(der_bytes.data());
  char* cursor = base64.data();
  size_t i = 0;
  for (; i + 3 <= der_bytes.size(); i += 3) {
    const uint32_t group = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    *cursor++ = kAlphabet[(group >> 18) & 63];
    *cursor++ = kAlphabet[(group >> 12) & 63];
    *cursor++ = kAlphabet[(group >> 6) & 63];
    *cursor++ = kAlphabet[group & 63];
  }
  if (const size_t rest = der_bytes.size() - i; rest > 0) {  // the padding '=' is already in place
    const uint32_t group = bytes[i] << 16 | (rest == 2 ? bytes[i + 1] << 8 : 0);
    *cursor++ = kAlphabet[(group >> 18) & 63];
    *cursor++ = kAlphabet[(group >> 12) & 63];
    if (rest == 2) *cursor = kAlphabet[(group >> 6) & 63];
  }
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----\n", kEnd = "-----END CERTIFICATE-----\n";
  std::string pem;
  pem.reserve(kBegin.size() + base64.size() + base64.size() / 64 + 1 + kEnd.size());
  pem += kBegin;
  for (size_t line = 0; line < base64.size(); line += 64) {
    pem.append(base64, line, 64);
    pem += '\n';
  }
  pem += kEnd;
  return pem;
}

// ---------------------------------------------------------------------------------------
// Deterministic P-256 keys and ECDSA-SHA256 signatures. One per thread: BN_CTX and
// EC_KEY are not shared between threads.

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* object) const { Free(object); }
};
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using BignumContextPtr = std::unique_ptr<BN_CTX, OpenSslDeleter<BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, OpenSslDeleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, OpenSslDeleter<EC_POINT_free>>;

// ECDSA_do_sign_ex is the one OpenSSL 3.0 call that signs with a caller-chosen nonce; it
// (and EC_KEY) is deprecated, so the warnings are silenced for these few lines only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
struct EcKeyDeleter {
  void operator()(EC_KEY* key) const { EC_KEY_free(key); }
};
using EcKeyPtr = std::unique_ptr<EC_KEY, EcKeyDeleter>;
using EcdsaSignaturePtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG_free>>;

EcKeyPtr new_signing_key(const EC_GROUP* group, const BIGNUM* private_scalar, const EC_POINT* public_point) {
  EcKeyPtr key(EC_KEY_new());
  if (!key || EC_KEY_set_group(key.get(), group) != 1 || EC_KEY_set_private_key(key.get(), private_scalar) != 1 ||
      EC_KEY_set_public_key(key.get(), public_point) != 1) {
    fail("cannot build the CA signing key");
  }
  return key;
}

EcdsaSignaturePtr sign_with_nonce(const Digest& digest, const BIGNUM* nonce_inverse, const BIGNUM* nonce_point_x, EC_KEY* key) {
  return EcdsaSignaturePtr(ECDSA_do_sign_ex(digest.data(), static_cast<int>(digest.size()), nonce_inverse, nonce_point_x, key));
}
#pragma GCC diagnostic pop

class DeterministicEcdsa {
 public:
  DeterministicEcdsa(uint64_t seed) : seed_(seed) {
    group_.reset(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    context_.reset(BN_CTX_new());
    if (!group_ || !context_) fail("cannot set up OpenSSL P-256");
    order_ = EC_GROUP_get0_order(group_.get());
    for (BignumPtr* number : {&scalar_, &nonce_, &nonce_inverse_, &nonce_point_x_, &ca_private_}) number->reset(BN_new());
    point_.reset(EC_POINT_new(group_.get()));
    ca_public_.reset(EC_POINT_new(group_.get()));
    // The CA key is the same in every instance: it is derived from the seed alone.
    derive_scalar("fleetgen ca key", 0, ca_private_.get());
    multiply_generator(ca_private_.get(), ca_public_.get());
    ca_key_ = new_signing_key(group_.get(), ca_private_.get(), ca_public_.get());
  }

  PublicPoint ca_public_point() { return encode(ca_public_.get()); }

  // The public key of device key number `index` (its private scalar never leaves here).
  PublicPoint device_public_point(uint64_t index) {
    derive_scalar("fleetgen device key", index, scalar_.get());
    multiply_generator(scalar_.get(), point_.get());
    return encode(point_.get());
  }

  // DER ECDSA-Sig-Value over the SHA-256 digest of `message`, signed by the CA with a
  // nonce hashed from the seed, the index and the digest.
  Bytes sign_by_ca(const Bytes& message, uint64_t index) {
    Digest digest;
    SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data());
    for (uint64_t attempt = 0; attempt < 16; ++attempt) {
      std::string nonce_input(as_chars(digest.data(), digest.size()));
      nonce_input += static_cast<char>(attempt);
      derive_scalar("fleetgen ecdsa nonce", index, nonce_.get(), nonce_input);
      multiply_generator(nonce_.get(), point_.get());
      if (EC_POINT_get_affine_coordinates(group_.get(), point_.get(), nonce_point_x_.get(), nullptr, context_.get()) != 1 ||
          BN_nnmod(nonce_point_x_.get(), nonce_point_x_.get(), order_, context_.get()) != 1 ||
          BN_mod_inverse(nonce_inverse_.get(), nonce_.get(), order_, context_.get()) == nullptr) {
        fail("ECDSA nonce setup failed");
      }
      if (BN_is_zero(nonce_point_x_.get())) continue;  // r = 0: astronomically unlikely, try the next nonce
      EcdsaSignaturePtr signature = sign_with_nonce(digest, nonce_inverse_.get(), nonce_point_x_.get(), ca_key_.get());
      if (!signature) continue;  // s = 0: likewise
      unsigned char* encoded = nullptr;
      const int length = i2d_ECDSA_SIG(signature.get(), &encoded);
      if (length <= 0) fail("cannot encode an ECDSA signature");
      Bytes result(reinterpret_cast<const char*>(encoded), static_cast<size_t>(length));
      OPENSSL_free(encoded);
      return result;
    }
    fail("no usable ECDSA nonce");
  }

 private:
  // scalar = SHA-256(label, seed, index, extra) mod n, never zero.
  void derive_scalar(std::string_view label, uint64_t index, BIGNUM* scalar, std::string_view extra = {}) {
    for (char attempt = 0;; ++attempt) {
      std::string input(extra);
      input += attempt;
      const Digest digest = labelled_hash(label, seed_, index, input);
      if (BN_bin2bn(digest.data(), static_cast<int>(digest.size()), scalar) == nullptr ||
          BN_nnmod(scalar, scalar, order_, context_.get()) != 1) {
        fail("BIGNUM arithmetic failed");
      }
      if (!BN_is_zero(scalar)) return;
    }
  }
  void multiply_generator(const BIGNUM* scalar, EC_POINT* result) {
    if (EC_POINT_mul(group_.get(), result, scalar, nullptr, nullptr, context_.get()) != 1) fail("EC point multiplication failed");
  }
  PublicPoint encode(const EC_POINT* point) {
    PublicPoint encoded;
    if (EC_POINT_point2oct(group_.get(), point, POINT_CONVERSION_UNCOMPRESSED, encoded.data(), encoded.size(), context_.get()) !=
        encoded.size()) {
      fail("cannot encode an EC point");
    }
    return encoded;
  }

  uint64_t seed_;
  EcGroupPtr group_;
  BignumContextPtr context_;
  const BIGNUM* order_ = nullptr;
  BignumPtr scalar_, nonce_, nonce_inverse_, nonce_point_x_, ca_private_;
  EcPointPtr point_, ca_public_;
  EcKeyPtr ca_key_;
};

struct IssuedCertificate {
  Bytes der;
  Digest id;  // AWS IoT's certificateId: SHA-256 of the DER
};

IssuedCertificate issue(DeterministicEcdsa& signer, const CertificateFields& fields, uint64_t signature_index) {
  const Bytes tbs = to_be_signed(fields);
  const Bytes signature = signer.sign_by_ca(tbs, signature_index);
  IssuedCertificate certificate;
  certificate.der = der(kTagSequence, {tbs, der(kTagSequence, {kOidEcdsaWithSha256}),
                                       der(kTagBitString, {std::string_view("\0", 1), signature})});
  SHA256(reinterpret_cast<const unsigned char*>(certificate.der.data()), certificate.der.size(), certificate.id.data());
  return certificate;
}

std::array<uint8_t, 16> serial_number(Draw& draw) {
  std::array<uint8_t, 16> serial;
  for (size_t i = 0; i < serial.size(); i += 8) {
    const uint64_t word = draw.next();
    for (size_t j = 0; j < 8; ++j) serial[i + j] = static_cast<uint8_t>(word >> (8 * j));
  }
  serial[0] = static_cast<uint8_t>(1 + serial[0] % 0x7f);
  return serial;
}

// ---------------------------------------------------------------------------------------
// The fleet: which things share which certificate, each certificate's status and
// validity class. All pure functions of the seed and an index.

enum class CertificateStatus : uint8_t { Active, Inactive, Revoked, PendingTransfer, PendingActivation };

std::string_view status_name(CertificateStatus status) {
  switch (status) {
    case CertificateStatus::Active: return "ACTIVE";
    case CertificateStatus::Inactive: return "INACTIVE";
    case CertificateStatus::Revoked: return "REVOKED";
    case CertificateStatus::PendingTransfer: return "PENDING_TRANSFER";
    case CertificateStatus::PendingActivation: return "PENDING_ACTIVATION";
  }
  return "ACTIVE";
}

CertificateStatus certificate_status(uint64_t seed, uint64_t certificate) {
  const uint64_t roll = Draw(seed, Purpose::CertificateStatus, certificate).below(10000);
  if (roll < 9500) return CertificateStatus::Active;
  if (roll < 9700) return CertificateStatus::Inactive;
  if (roll < 9800) return CertificateStatus::Revoked;
  if (roll < 9900) return CertificateStatus::PendingTransfer;
  return CertificateStatus::PendingActivation;
}

// The expiry checks only look at certificates AWS would still accept.
// The device key a certificate carries: its own, or one of --shared-keys' K. The others' indexes
// (K*N and up) never meet the shared ones (below K).
uint64_t key_of_certificate(const Options& options, uint64_t certificate) {
  if (certificate >= options.shared_key_count * options.certificates_per_shared_key) return certificate;
  return options.shared_keys_in_batches ? certificate / options.certificates_per_shared_key
                                        : certificate % options.shared_key_count;
}

bool counts_for_device_checks(CertificateStatus status) {
  return status == CertificateStatus::Active || status == CertificateStatus::PendingTransfer;
}

enum class Expiry { LongLived, WithinThreshold, Expired };

// When a certificate expires and whether it was registered more than a year ago (past the age
// threshold): independent in the aged profile, where an old certificate may also expire soon.
struct CertificateFate {
  Expiry expiry = Expiry::LongLived;
  bool registered_long_ago = false;
};

// Spread evenly by certificate index (not drawn) so that even small fleets carry some of each.
// rotated: the fleet renews its certificates yearly, as the age check asks; of every 200
// certificates one expires within the threshold, one has expired, two were registered more than a
// year ago. aged: of every 200, 120 were registered more than a year ago (slot of the index) and,
// independently (slot of 7 times the index, another order of the same 200), 50 expire within the
// threshold and 2 have expired.
CertificateFate certificate_fate(const Options& options, uint64_t certificate) {
  const uint64_t slot = (certificate + options.seed) % 200;
  CertificateFate fate;
  if (options.profile == Profile::Aged) {
    const uint64_t expiry_slot = (certificate * 7 + options.seed) % 200;
    fate.registered_long_ago = slot < 120;
    fate.expiry = expiry_slot < 50 ? Expiry::WithinThreshold : expiry_slot < 52 ? Expiry::Expired : Expiry::LongLived;
    return fate;
  }
  if (slot == 17) fate.expiry = Expiry::WithinThreshold;
  if (slot == 117) fate.expiry = Expiry::Expired;
  fate.registered_long_ago = slot == 57 || slot == 157;
  return fate;
}

struct FleetPlan {
  uint64_t thing_count = 0;
  uint64_t attached_certificate_count = 0;  // certificates [0, attached) belong to things
  uint64_t certificate_count = 0;           // the rest are spare, attached to nothing
  std::vector<uint32_t> certificate_of_thing;
  std::vector<uint32_t> first_thing_of_certificate;  // things sharing a certificate are consecutive
  std::vector<uint8_t> things_of_certificate;        // 0 for spares
  int thing_name_width = 6;

  uint64_t thing_count_of(uint64_t certificate) const {
    return certificate < attached_certificate_count ? things_of_certificate[certificate] : 0;
  }
};

FleetPlan plan_fleet(const Options& options) {
  FleetPlan plan;
  plan.thing_count = options.thing_count;
  plan.thing_name_width = std::max<int>(6, static_cast<int>(std::to_string(options.thing_count - 1).size()));
  plan.certificate_of_thing.resize(options.thing_count);
  const auto shared_threshold = static_cast<uint64_t>(options.shared_percent * 100.0 + 0.5);  // per ten thousand
  for (uint64_t thing = 0; thing < options.thing_count;) {
    const uint64_t certificate = plan.first_thing_of_certificate.size();
    Draw draw(options.seed, Purpose::Sharing, certificate);
    uint64_t group_size = draw.per_ten_thousand(shared_threshold) ? draw.between(2, 4) : 1;
    group_size = std::min(group_size, options.thing_count - thing);
    plan.first_thing_of_certificate.push_back(static_cast<uint32_t>(thing));
    plan.things_of_certificate.push_back(static_cast<uint8_t>(group_size));
    for (uint64_t i = 0; i < group_size; ++i) plan.certificate_of_thing[thing + i] = static_cast<uint32_t>(certificate);
    thing += group_size;
  }
  plan.attached_certificate_count = plan.first_thing_of_certificate.size();
  plan.certificate_count = plan.attached_certificate_count + std::max<uint64_t>(1, plan.attached_certificate_count * 3 / 100);
  return plan;
}

std::string thing_name(uint64_t thing, const FleetPlan& plan) { return fmt::format("sensor-{:0{}}", thing, plan.thing_name_width); }

// The instant the snapshot was taken: the audit's "now".
int64_t exported_at_seconds() { return epoch_from_civil(2026, 6, 1); }

std::string certificate_arn(const Digest& id) {
  return fmt::format("{}cert/{}", g_iot_arn_prefix, lowercase_hex(id.data(), id.size()));
}

// ---------------------------------------------------------------------------------------
// The CA.

constexpr std::string_view kOrganization = "Example Fleet Corp";

struct CertificateAuthority {
  IssuedCertificate certificate;
  std::string id_hex;
  Bytes subject;
  KeyIdentifier key_identifier;
  int64_t not_before, not_after;
};

CertificateAuthority make_certificate_authority(DeterministicEcdsa& signer, uint64_t seed) {
  Draw draw(seed, Purpose::CaDetails, 0);
  CertificateFields fields;
  fields.serial = serial_number(draw);
  fields.subject = distinguished_name(kOrganization, "Device Manufacturing", fmt::format("Example Fleet Device CA {:04x}", draw.below(0x10000)));
  fields.issuer = fields.subject;
  fields.not_before = epoch_from_civil(2019, 6, 1) + draw.between(0, 365) * kSecondsPerDay;
  fields.not_after = fields.not_before + 35 * 365 * kSecondsPerDay;  // past 2049: GeneralizedTime
  fields.public_point = signer.ca_public_point();
  fields.subject_key_identifier = key_identifier_of(fields.public_point);
  fields.authority_key_identifier = fields.subject_key_identifier;
  fields.is_certificate_authority = true;
  CertificateAuthority authority{issue(signer, fields, UINT64_MAX), {}, fields.subject, fields.subject_key_identifier,
                                 fields.not_before, fields.not_after};
  authority.id_hex = lowercase_hex(authority.certificate.id.data(), authority.certificate.id.size());
  return authority;
}

// ---------------------------------------------------------------------------------------
// Device certificates, formatted as CertificateDescription JSON.

struct DeviceTimes {
  int64_t not_before, not_after;                         // seconds
  int64_t creation_milliseconds, modified_milliseconds;  // API timestamps
};

DeviceTimes device_times(CertificateFate fate, CertificateStatus status, Draw& draw) {
  const int64_t now = exported_at_seconds();
  DeviceTimes times{};
  // Registration (below) comes at most a tenth of the time since issue after it: issued 420 days
  // or more ago, a certificate was registered at least 378 days ago, well past the age threshold;
  // issued within 360 days, well inside it.
  auto issued_long_ago = [&] { return now - draw.between(420 * kSecondsPerDay, 5 * 365 * kSecondsPerDay); };
  switch (fate.expiry) {
    case Expiry::LongLived: {
      times.not_before = fate.registered_long_ago ? issued_long_ago()
                                                  : now - draw.between(2 * kSecondsPerDay, 330 * kSecondsPerDay);
      static constexpr std::array<int64_t, 4> kValidityYears = {10, 15, 20, 0};
      const int64_t years = draw.pick(kValidityYears);
      // 0: the fixed end date AWS IoT gives the certificates it issues itself.
      times.not_after = years == 0 ? epoch_from_civil(2049, 12, 31) + kSecondsPerDay - 1 : times.not_before + years * 365 * kSecondsPerDay;
      break;
    }
    case Expiry::WithinThreshold:  // well inside (now, now + 30 days]
      times.not_after = now + draw.between(kSecondsPerDay, (kExpiryThresholdDays - 1) * kSecondsPerDay);
      times.not_before = fate.registered_long_ago ? issued_long_ago()
                                                  : times.not_after - draw.between(200, 360) * kSecondsPerDay;
      break;
    case Expiry::Expired:
      times.not_after = now - draw.between(kSecondsPerDay, 60 * kSecondsPerDay);
      times.not_before = fate.registered_long_ago ? issued_long_ago()
                                                  : times.not_after - draw.between(200, 300) * kSecondsPerDay;
      break;
  }
  // Registered with AWS IoT some time after issue, always before the export.
  const int64_t creation = times.not_before + draw.between(0, (now - times.not_before) / 10);
  times.creation_milliseconds = with_api_milliseconds(creation, draw);
  const bool modified_since = status != CertificateStatus::Active || draw.below(10) < 3;
  times.modified_milliseconds =
      modified_since ? with_api_milliseconds(creation + draw.between(60, now - creation - 60), draw) : times.creation_milliseconds;
  return times;
}

class DeviceCertificateFormatter {
 public:
  DeviceCertificateFormatter(const Options& options, const FleetPlan& plan, const CertificateAuthority& authority)
      : options_(options), plan_(plan), authority_(authority), signer_(options.seed) {}

  // Appends the CertificateDescription of `certificate` and returns its id.
  Digest append(JsonWriter& writer, uint64_t certificate) {
    Draw draw(options_.seed, Purpose::CertificateDetails, certificate);
    const CertificateStatus status = certificate_status(options_.seed, certificate);
    const DeviceTimes times = device_times(certificate_fate(options_, certificate), status, draw);

    CertificateFields fields;
    fields.serial = serial_number(draw);
    const std::string common_name = certificate < plan_.attached_certificate_count
                                        ? thing_name(plan_.first_thing_of_certificate[certificate], plan_)
                                        : fmt::format("spare-{:06}", certificate - plan_.attached_certificate_count);
    static constexpr std::array<std::string_view, 3> kUnits = {"Sensors", "Line 2", "Field Service"};
    fields.subject = distinguished_name(kOrganization, draw.pick(kUnits), common_name);
    fields.issuer = authority_.subject;
    fields.not_before = times.not_before;
    fields.not_after = times.not_after;
    fields.public_point = signer_.device_public_point(key_of_certificate(options_, certificate));
    fields.subject_key_identifier = key_identifier_of(fields.public_point);
    fields.authority_key_identifier = authority_.key_identifier;
    fields.is_certificate_authority = false;
    const IssuedCertificate issued = issue(signer_, fields, certificate);

    writer.begin_object();
    writer.member("certificateArn", certificate_arn(issued.id));
    writer.member("certificateId", lowercase_hex(issued.id.data(), issued.id.size()));
    writer.member("caCertificateId", authority_.id_hex);
    writer.member("status", status_name(status));
    writer.member("certificatePem", pem_certificate(issued.der));
    writer.member("ownedBy", g_identity.account_id);
    writer.member("creationDate", format_cli_time(times.creation_milliseconds, pick_time_style(draw)));
    writer.member("lastModifiedDate", format_cli_time(times.modified_milliseconds, pick_time_style(draw)));
    writer.member("customerVersion", static_cast<int64_t>(times.modified_milliseconds == times.creation_milliseconds ? 1 : draw.between(2, 4)));
    writer.key("transferData");
    writer.begin_object();
    if (status == CertificateStatus::PendingTransfer) {
      writer.member("transferMessage", "Transfer to the field-service account");
      writer.member("transferDate", format_cli_time(times.modified_milliseconds, pick_time_style(draw)));
    }
    writer.end_object();
    writer.member("generationId", uuid_from(draw));
    writer.key("validity");
    writer.begin_object();
    writer.member("notBefore", format_cli_time(times.not_before * 1000, pick_time_style(draw)));
    writer.member("notAfter", format_cli_time(times.not_after * 1000, pick_time_style(draw)));
    writer.end_object();
    writer.member("certificateMode", "DEFAULT");
    writer.end_object();
    return issued.id;
  }

 private:
  const Options& options_;
  const FleetPlan& plan_;
  const CertificateAuthority& authority_;
  DeterministicEcdsa signer_;
};

// Generates certificates.json with worker threads. Workers claim chunks of consecutive
// certificates; the calling thread writes finished chunks strictly in index order, and
// at most `window` chunks are in flight, so memory stays bounded and the output does
// not depend on scheduling.
std::vector<Digest> write_device_certificates(const Options& options, const FleetPlan& plan, const CertificateAuthority& authority) {
  constexpr uint64_t kChunkSize = 1024;
  const uint64_t chunk_count = (plan.certificate_count + kChunkSize - 1) / kChunkSize;
  const uint64_t window = 4 * options.thread_count;
  std::vector<Digest> ids(plan.certificate_count);

  std::mutex mutex;
  std::condition_variable chunk_ready, slot_free;
  std::vector<std::optional<std::string>> slots(window);
  uint64_t next_chunk = 0, chunks_written = 0;

  auto work = [&] {
    DeviceCertificateFormatter formatter(options, plan, authority);
    for (;;) {
      uint64_t chunk;
      {
        std::unique_lock lock(mutex);
        if (next_chunk == chunk_count) return;
        chunk = next_chunk++;
        slot_free.wait(lock, [&] { return chunk < chunks_written + window; });
      }
      std::string text;
      JsonWriter writer = JsonWriter::inside_top_level_array(text, chunk == 0);
      const uint64_t end = std::min(plan.certificate_count, (chunk + 1) * kChunkSize);
      for (uint64_t certificate = chunk * kChunkSize; certificate < end; ++certificate) {
        ids[certificate] = formatter.append(writer, certificate);  // each index has one writer
      }
      {
        std::lock_guard lock(mutex);
        slots[chunk % window] = std::move(text);
      }
      chunk_ready.notify_all();
    }
  };
  std::vector<std::jthread> workers;
  for (unsigned i = 0; i < options.thread_count; ++i) workers.emplace_back(work);

  OutputFile file(options.output_directory, "certificates.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.key("certificateDescriptions");
  writer.begin_array();
  for (uint64_t chunk = 0; chunk < chunk_count; ++chunk) {
    std::string text;
    {
      std::unique_lock lock(mutex);
      chunk_ready.wait(lock, [&] { return slots[chunk % window].has_value(); });
      text = std::move(*slots[chunk % window]);
      slots[chunk % window].reset();
      chunks_written = chunk + 1;
    }
    slot_free.notify_all();
    file.write_raw(text);
  }
  writer.mark_current_container_nonempty();
  writer.end_array();
  writer.end_object();
  file.close();
  workers.clear();  // joins
  return ids;
}

// ---------------------------------------------------------------------------------------
// The other files.

void write_manifest(const Options& options) {
  OutputFile file(options.output_directory, "manifest.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.member("formatVersion", int64_t{1});
  writer.member("exportedAt", format_cli_time(exported_at_seconds() * 1000, TimeStyle::Zulu));
  writer.member("accountId", g_identity.account_id);
  writer.member("region", g_identity.region);
  writer.end_object();
  file.close();
}

void write_things(const Options& options, const FleetPlan& plan) {
  struct Model {
    std::string_view type, model;
  };
  static constexpr std::array<Model, 4> kModels = {{{"TemperatureSensor", "TS-200"},
                                                    {"TemperatureSensor", "TS-310"},
                                                    {"HumiditySensor", "HS-10"},
                                                    {"AirQualitySensor", "AQ-7"}}};
  static constexpr std::array<std::string_view, 4> kFirmware = {"1.4.2", "2.0.0", "2.1.3", "2.2.0-rc1"};
  OutputFile file(options.output_directory, "things.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.key("things");
  writer.begin_array();
  for (uint64_t thing = 0; thing < plan.thing_count; ++thing) {
    Draw draw(options.seed, Purpose::Thing, thing);
    const std::string name = thing_name(thing, plan);
    const Model& model = draw.pick(kModels);
    writer.begin_object();
    writer.member("thingName", name);
    writer.member("thingArn", fmt::format("{}thing/{}", g_iot_arn_prefix, name));
    if (draw.below(10) != 0) writer.member("thingTypeName", model.type);  // optional in ListThings
    writer.key("attributes");
    writer.begin_object();
    if (draw.below(10) != 0) {
      writer.member("firmware", draw.pick(kFirmware));
      writer.member("model", model.model);
      writer.member("site", fmt::format("site-{:03}", draw.below(120)));
    }
    writer.end_object();
    writer.member("version", static_cast<int64_t>(draw.between(1, 5)));
    writer.end_object();
    file.flush_if_large();
  }
  writer.end_array();
  writer.end_object();
  file.close();
}

void write_thing_principals(const Options& options, const FleetPlan& plan, const std::vector<Digest>& ids) {
  OutputFile file(options.output_directory, "thing-principals.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.key("thingPrincipals");
  writer.begin_array();
  for (uint64_t thing = 0; thing < plan.thing_count; ++thing) {
    Draw draw(options.seed, Purpose::PrincipalForm, thing);
    const uint32_t certificate = plan.certificate_of_thing[thing];
    const std::string arn = certificate_arn(ids[certificate]);
    writer.begin_object();
    writer.member("thingName", thing_name(thing, plan));
    if (draw.below(2) == 0) {  // list-thing-principals
      writer.key("principals");
      writer.begin_array();
      writer.string(arn);
      writer.end_array();
    } else {  // list-thing-principals-v2
      const bool exclusive = plan.thing_count_of(certificate) == 1 && draw.below(5) != 0;
      writer.key("thingPrincipalObjects");
      writer.begin_array();
      writer.begin_object();
      writer.member("principal", arn);
      writer.member("thingPrincipalType", exclusive ? "EXCLUSIVE_THING" : "NON_EXCLUSIVE_THING");
      writer.end_object();
      writer.end_array();
    }
    writer.end_object();
    file.flush_if_large();
  }
  writer.end_array();
  writer.end_object();
  file.close();
}

void write_ca_certificates(const Options& options, const CertificateAuthority& authority) {
  Draw draw(options.seed, Purpose::CaDetails, 1);
  const int64_t creation = with_api_milliseconds(authority.not_before + draw.between(kSecondsPerDay, 60 * kSecondsPerDay), draw);
  OutputFile file(options.output_directory, "ca-certificates.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.key("certificateDescriptions");
  writer.begin_array();
  writer.begin_object();
  writer.member("certificateArn", fmt::format("{}cacert/{}", g_iot_arn_prefix, authority.id_hex));
  writer.member("certificateId", authority.id_hex);
  writer.member("status", "ACTIVE");
  writer.member("certificatePem", pem_certificate(authority.certificate.der));
  writer.member("ownedBy", g_identity.account_id);
  writer.member("creationDate", format_cli_time(creation, pick_time_style(draw)));
  writer.member("autoRegistrationStatus", "DISABLE");
  writer.member("lastModifiedDate", format_cli_time(creation, pick_time_style(draw)));
  writer.member("customerVersion", int64_t{1});
  writer.member("generationId", uuid_from(draw));
  writer.key("validity");
  writer.begin_object();
  writer.member("notBefore", format_cli_time(authority.not_before * 1000, pick_time_style(draw)));
  writer.member("notAfter", format_cli_time(authority.not_after * 1000, pick_time_style(draw)));
  writer.end_object();
  writer.member("certificateMode", "DEFAULT");
  writer.end_object();
  writer.end_array();
  writer.end_object();
  file.close();
}

// Policies. Clean documents only grant a device its own client ID, topics, topic filters
// and shadow; every planted one adds exactly one grant that AWS documents as too broad.

struct Statement {
  std::vector<std::string_view> actions;
  std::vector<std::string> resources;  // ARN suffixes after "arn:aws:iot:REGION:ACCOUNT:", or "*"
  bool requires_attached_thing = false;
};

constexpr std::string_view kThingVariable = "${iot:Connection.Thing.ThingName}";

Statement connect_as_own_thing() {
  return {{"iot:Connect"}, {fmt::format("client/{}", kThingVariable)}, true};
}

std::vector<Statement> clean_policy(uint64_t template_number, uint64_t policy, const FleetPlan& plan) {
  const std::string own_things = fmt::format("$aws/things/{}", kThingVariable);
  switch (template_number % 4) {
    case 0:  // shadow only
      return {connect_as_own_thing(),
              {{"iot:Publish", "iot:Receive"}, {fmt::format("topic/{}/shadow/*", own_things)}},
              {{"iot:Subscribe"}, {fmt::format("topicfilter/{}/shadow/*", own_things)}},
              {{"iot:GetThingShadow", "iot:UpdateThingShadow", "iot:DeleteThingShadow"}, {fmt::format("thing/{}", kThingVariable)}}};
    case 1:  // reserved topics, shadow and jobs
      return {connect_as_own_thing(),
              {{"iot:Publish", "iot:Receive"}, {fmt::format("topic/{}/*", own_things)}},
              {{"iot:Subscribe"}, {fmt::format("topicfilter/{}/*", own_things)}},
              {{"iot:GetThingShadow", "iot:UpdateThingShadow"}, {fmt::format("thing/{}", kThingVariable)}}};
    case 2:  // telemetry on its own topic, jobs on reserved topics
      return {connect_as_own_thing(),
              {{"iot:Publish"}, {fmt::format("topic/dt/fleet/{}/telemetry", kThingVariable), fmt::format("topic/{}/jobs/*", own_things)}},
              {{"iot:Receive"}, {fmt::format("topic/{}/jobs/*", own_things)}},
              {{"iot:Subscribe"}, {fmt::format("topicfilter/{}/jobs/*", own_things)}}};
    default: {  // a maintenance policy naming two things explicitly
      const std::string first = thing_name(policy % plan.thing_count, plan);
      const std::string second = thing_name((policy + 1) % plan.thing_count, plan);
      return {{{"iot:Connect"}, {fmt::format("client/{}", first), fmt::format("client/{}", second)}, true},
              {{"iot:GetThingShadow", "iot:UpdateThingShadow"}, {fmt::format("thing/{}", first), fmt::format("thing/{}", second)}}};
    }
  }
}

enum class BroadGrant { EverythingEverywhere, ConnectAnyClient, ConnectClientIdUnconditioned, PublishAnyShadowUpdate, SubscribeAllThings, GetAnyShadow };
constexpr uint64_t kBroadGrantKinds = 6;

std::vector<Statement> overly_permissive_policy(BroadGrant grant, uint64_t template_number, uint64_t policy, const FleetPlan& plan) {
  if (grant == BroadGrant::EverythingEverywhere) return {Statement{{"iot:*"}, {"*"}}};
  std::vector<Statement> statements = clean_policy(template_number, policy, plan);
  switch (grant) {
    case BroadGrant::ConnectAnyClient: statements[0] = {{"iot:Connect"}, {"client/*"}}; break;
    case BroadGrant::ConnectClientIdUnconditioned: statements[0] = {{"iot:Connect"}, {"client/${iot:ClientId}"}}; break;
    case BroadGrant::PublishAnyShadowUpdate: statements.push_back({{"iot:Publish"}, {"topic/$aws/things/*/shadow/update"}}); break;
    case BroadGrant::SubscribeAllThings: statements.push_back({{"iot:Subscribe"}, {"topicfilter/$aws/things/#"}}); break;
    case BroadGrant::GetAnyShadow: statements.push_back({{"iot:GetThingShadow"}, {"thing/*"}}); break;
    case BroadGrant::EverythingEverywhere: break;
  }
  return statements;
}

std::string policy_document(const std::vector<Statement>& statements, JsonWriter::Layout layout) {
  std::string text;
  JsonWriter writer(text, layout);
  writer.begin_object();
  writer.member("Version", "2012-10-17");
  writer.key("Statement");
  writer.begin_array();
  for (const Statement& statement : statements) {
    writer.begin_object();
    writer.member("Effect", "Allow");
    writer.key("Action");
    if (statement.actions.size() == 1) {
      writer.string(statement.actions[0]);
    } else {
      writer.begin_array();
      for (std::string_view action : statement.actions) writer.string(action);
      writer.end_array();
    }
    writer.key("Resource");
    auto resource_arn = [](const std::string& resource) {
      return resource == "*" ? resource : fmt::format("{}{}", g_iot_arn_prefix, resource);
    };
    if (statement.resources.size() == 1) {
      writer.string(resource_arn(statement.resources[0]));
    } else {
      writer.begin_array();
      for (const std::string& resource : statement.resources) writer.string(resource_arn(resource));
      writer.end_array();
    }
    if (statement.requires_attached_thing) {
      writer.key("Condition");
      writer.begin_object();
      writer.key("Bool");
      writer.begin_object();
      writer.member("iot:Connection.Thing.IsAttached", "true");
      writer.end_object();
      writer.end_object();
    }
    writer.end_object();
  }
  writer.end_array();
  writer.end_object();
  return text;
}

std::string policy_name(uint64_t policy, Draw& draw) {
  static constexpr std::array<std::string_view, 4> kPrefixes = {"fleet-sensor-policy", "fleet-gateway-policy", "telemetry-device-policy",
                                                                "field-maintenance-policy"};
  return fmt::format("{}-{:04}", draw.pick(kPrefixes), policy);
}

// One policy in every twenty is planted; the six kinds of broad grant take turns.
std::optional<BroadGrant> planted_grant(uint64_t seed, uint64_t policy) {
  if (policy % 20 != 0) return std::nullopt;
  return static_cast<BroadGrant>((policy / 20 + seed) % kBroadGrantKinds);
}

// Writes policies.json and returns the sorted "policyName@versionId" of the planted ones.
std::vector<std::string> write_policies(const Options& options, const FleetPlan& plan, std::vector<std::string>& names) {
  std::vector<std::string> planted;
  const int64_t now_seconds = exported_at_seconds();
  OutputFile file(options.output_directory, "policies.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.key("policies");
  writer.begin_array();
  for (uint64_t policy = 0; policy < options.policy_count; ++policy) {
    Draw draw(options.seed, Purpose::Policy, policy);
    const std::string name = policy_name(policy, draw);
    const std::string arn = fmt::format("{}policy/{}", g_iot_arn_prefix, name);
    names.push_back(name);
    const uint64_t version_count = draw.below(5) == 0 ? draw.between(2, 4) : 1;  // at most 5 versions exist per policy
    const uint64_t default_template = draw.below(4);
    const std::optional<BroadGrant> grant = planted_grant(options.seed, policy);
    const std::vector<Statement> statements =
        grant ? overly_permissive_policy(*grant, default_template, policy, plan) : clean_policy(default_template, policy, plan);
    if (grant) planted.push_back(fmt::format("{}@{}", name, version_count));

    // Versions are created in order; the newest is the default.
    std::vector<int64_t> version_created(version_count);
    int64_t created = now_seconds - draw.between(30 * kSecondsPerDay, 4 * 365 * kSecondsPerDay);
    for (int64_t& time : version_created) {
      time = with_api_milliseconds(created, draw);
      created += draw.between(kSecondsPerDay, 20 * kSecondsPerDay);
    }
    auto layout = [&] { return draw.below(3) == 0 ? JsonWriter::Layout::Compact : JsonWriter::Layout::Pretty; };

    writer.begin_object();
    writer.member("policyName", name);
    writer.member("policyArn", arn);
    writer.member("policyDocument", policy_document(statements, layout()));
    writer.member("defaultVersionId", std::to_string(version_count));
    writer.member("creationDate", format_cli_time(version_created.front(), pick_time_style(draw)));
    writer.member("lastModifiedDate", format_cli_time(version_created.back(), pick_time_style(draw)));
    writer.member("generationId", lowercase_hex(labelled_hash("fleetgen policy generation", options.seed, policy).data(), 32));
    if (version_count > 1) {
      writer.key("versions");
      writer.begin_array();
      for (uint64_t version = 1; version < version_count; ++version) {
        // Older versions are always clean, so the finding does not depend on whether a
        // checker reads non-default versions.
        writer.begin_object();
        writer.member("policyArn", arn);
        writer.member("policyName", name);
        writer.member("policyDocument", policy_document(clean_policy(default_template + version, policy, plan), layout()));
        writer.member("policyVersionId", std::to_string(version));
        writer.member_bool("isDefaultVersion", false);
        writer.member("creationDate", format_cli_time(version_created[version - 1], pick_time_style(draw)));
        writer.member("lastModifiedDate", format_cli_time(version_created[version - 1], pick_time_style(draw)));
        writer.member("generationId", lowercase_hex(labelled_hash("fleetgen policy version generation", options.seed, policy * 8 + version).data(), 32));
        writer.end_object();
      }
      writer.end_array();
    }
    writer.end_object();
  }
  writer.end_array();
  writer.end_object();
  file.close();
  std::sort(planted.begin(), planted.end());
  return planted;
}

// Every certificate is the target of exactly one policy, dealt round robin.
void write_policy_targets(const Options& options, const FleetPlan& plan, const std::vector<Digest>& ids,
                          const std::vector<std::string>& policy_names) {
  OutputFile file(options.output_directory, "policy-targets.json");
  JsonWriter writer(file.buffer());
  writer.begin_object();
  writer.key("policyTargets");
  writer.begin_array();
  for (uint64_t policy = 0; policy < policy_names.size(); ++policy) {
    writer.begin_object();
    writer.member("policyName", policy_names[policy]);
    writer.key("targets");
    writer.begin_array();
    for (uint64_t certificate = policy; certificate < plan.certificate_count; certificate += policy_names.size()) {
      writer.string(certificate_arn(ids[certificate]));
      file.flush_if_large();
    }
    writer.end_array();
    writer.end_object();
  }
  writer.end_array();
  writer.end_object();
  file.close();
}

// Returns whether logging is disabled (the LOGGING_DISABLED_CHECK finding).
bool write_logging(const Options& options) {
  Draw draw(options.seed, Purpose::Logging, 0);
  const bool enabled = options.logging == LoggingMode::Enabled || (options.logging == LoggingMode::FromSeed && draw.below(2) == 0);
  static constexpr std::array<std::string_view, 3> kEnabledLevels = {"ERROR", "WARN", "INFO"};
  const std::string_view level = enabled ? draw.pick(kEnabledLevels) : "DISABLED";
  {
    OutputFile file(options.output_directory, "logging-v2.json");
    JsonWriter writer(file.buffer());
    writer.begin_object();
    writer.member("roleArn", g_identity.logging_role_arn());
    writer.member("defaultLogLevel", level);
    writer.member_bool("disableAllLogs", false);
    writer.end_object();
    file.close();
  }
  {
    OutputFile file(options.output_directory, "logging-v1.json");
    JsonWriter writer(file.buffer());
    writer.begin_object();
    writer.member("roleArn", g_identity.logging_role_arn());
    writer.member("logLevel", level);
    writer.end_object();
    file.close();
  }
  return !enabled;
}

struct ExpiryCounts {
  int64_t approaching = 0, past = 0;
};

void write_expected_findings(const Options& options, const FleetPlan& plan, const CertificateAuthority& authority,
                             const std::vector<std::string>& planted_policies, bool logging_disabled) {
  const int64_t now = exported_at_seconds();
  int64_t shared = 0, registered_long_ago = 0;
  ExpiryCounts device;
  for (uint64_t certificate = 0; certificate < plan.certificate_count; ++certificate) {
    if (!counts_for_device_checks(certificate_status(options.seed, certificate))) continue;
    if (plan.thing_count_of(certificate) >= 2) ++shared;
    const CertificateFate fate = certificate_fate(options, certificate);
    if (fate.expiry == Expiry::WithinThreshold) ++device.approaching;
    if (fate.expiry == Expiry::Expired) ++device.past;
    if (fate.registered_long_ago) ++registered_long_ago;
  }
  // FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK: a shared key in two or more certificates in use that
  // reach two or more things (a thing has one certificate, so their things are distinct).
  int64_t shared_keys = 0;
  std::vector<int64_t> in_use(options.shared_key_count, 0), things(options.shared_key_count, 0);
  for (uint64_t certificate = 0;
       certificate < std::min(plan.certificate_count, options.shared_key_count * options.certificates_per_shared_key);
       ++certificate) {
    if (!counts_for_device_checks(certificate_status(options.seed, certificate))) continue;
    const uint64_t key = key_of_certificate(options, certificate);
    ++in_use[key];
    things[key] += static_cast<int64_t>(plan.thing_count_of(certificate));
  }
  for (uint64_t key = 0; key < options.shared_key_count; ++key)
    if (in_use[key] >= 2 && things[key] >= 2) ++shared_keys;
  ExpiryCounts ca;  // the CA is ACTIVE
  if (authority.not_after <= now) ++ca.past;
  else if (authority.not_after <= now + kExpiryThresholdDays * kSecondsPerDay) ++ca.approaching;

  OutputFile file(options.output_directory, "expected-findings.json");
  JsonWriter writer(file.buffer());
  auto write_counts = [&](std::string_view check, const ExpiryCounts& counts) {
    writer.key(check);
    writer.begin_object();
    writer.member("approaching", counts.approaching);
    writer.member("past", counts.past);
    writer.end_object();
  };
  writer.begin_object();
  writer.member("DEVICE_CERTIFICATE_SHARED_CHECK", shared);
  writer.key("IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
  writer.begin_array();
  for (const std::string& policy : planted_policies) writer.string(policy);
  writer.end_array();
  writer.member_bool("LOGGING_DISABLED_CHECK", logging_disabled);
  write_counts("DEVICE_CERTIFICATE_EXPIRING_CHECK", device);
  write_counts("CA_CERTIFICATE_EXPIRING_CHECK", ca);
  writer.member("DEVICE_CERTIFICATE_AGE_CHECK", registered_long_ago);
  writer.member("FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK", shared_keys);
  // Every key is a fresh P-256 key signed with ECDSA-SHA256 by the ACTIVE CA, and every id and
  // validity matches its certificate: the other certificate checks must stay silent.
  for (std::string_view silent : {"DEVICE_CERTIFICATE_KEY_QUALITY_CHECK", "CA_CERTIFICATE_KEY_QUALITY_CHECK",
                                  "FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK",
                                  "FLEETAUDIT_CERTIFICATE_SNAPSHOT_INTEGRITY_CHECK",
                                  "FLEETAUDIT_DEVICE_CERTIFICATE_CA_NOT_ACTIVE_CHECK"})
    writer.member(silent, int64_t{0});
  writer.end_object();
  file.close();
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  g_identity = {options.account_id, options.region};
  g_iot_arn_prefix = g_identity.iot_arn_prefix();
  std::error_code error;
  std::filesystem::create_directories(options.output_directory, error);
  if (error) fail(fmt::format("cannot create {}: {}", options.output_directory.string(), error.message()));

  const FleetPlan plan = plan_fleet(options);
  DeterministicEcdsa signer(options.seed);
  const CertificateAuthority authority = make_certificate_authority(signer, options.seed);

  write_manifest(options);
  write_things(options, plan);
  write_ca_certificates(options, authority);
  const std::vector<Digest> ids = write_device_certificates(options, plan, authority);
  write_thing_principals(options, plan, ids);
  std::vector<std::string> policy_names;
  const std::vector<std::string> planted_policies = write_policies(options, plan, policy_names);
  write_policy_targets(options, plan, ids, policy_names);
  const bool logging_disabled = write_logging(options);
  write_expected_findings(options, plan, authority, planted_policies, logging_disabled);

  std::fprintf(stderr, "fleetgen: wrote %llu things, %llu certificates, %u policies into %s\n",
               static_cast<unsigned long long>(plan.thing_count), static_cast<unsigned long long>(plan.certificate_count),
               options.policy_count, options.output_directory.c_str());
  return 0;
}
