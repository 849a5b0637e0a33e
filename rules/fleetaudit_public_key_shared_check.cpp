// FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK (fleetaudit's own): one public key in several device certificates.
#include <algorithm>
#include <bit>
#include <cstring>

#include "rules/certificate_rules.h"

namespace fleetaudit {
namespace {

constexpr size_t kNamesInMessage = 10;

uint64_t prefix_of(const x509::Digest16& digest) {
  uint64_t prefix;
  std::memcpy(&prefix, digest.data(), sizeof prefix);
  return prefix;
}

using KeyedRow = std::pair<uint64_t, uint32_t>;

// The certificates in use with a readable key, as (key prefix, row), sorted as std::sort would sort
// them: the keys are SHA-256 bits, evenly spread, so a counting pass on their top bits leaves buckets
// of a few rows each to sort. Two sweeps of the columns where std::sort took log n sweeps of a copy;
// equal keys (a hostile snapshot) fall in one bucket, still n log n.
std::vector<KeyedRow> rows_sorted_by_key(const CertificateTable& table) {
  auto keyed = [&](uint32_t row) { return is_in_use(table.status[row]) && table.facts[row].parsed; };
  auto key_of = [&](uint32_t row) { return prefix_of(table.facts[row].public_key_digest); };
  // About four rows a bucket, and at most 2^18 buckets (1 MiB of counts).
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(table.size())) - 2, 1, 18);
  auto bucket_of = [&](uint64_t key) { return static_cast<size_t>(key >> (64 - bucket_bits)); };
  // bounds[b] counts bucket b's rows, then marks where the bucket ends, and once each row has
  // stepped it back a place, where the bucket starts.
  std::vector<uint32_t> bounds(size_t{1} << bucket_bits, 0);
  for (uint32_t row = 0; row < table.size(); ++row)
    if (keyed(row)) ++bounds[bucket_of(key_of(row))];
  uint32_t total = 0;
  for (uint32_t& bound : bounds) total = bound += total;
  std::vector<KeyedRow> sorted(total);
  for (uint32_t row = 0; row < table.size(); ++row)
    if (keyed(row)) sorted[--bounds[bucket_of(key_of(row))]] = {key_of(row), row};
  for (size_t b = 0; b < bounds.size(); ++b) {
    const uint32_t end = b + 1 < bounds.size() ? bounds[b + 1] : total;
    if (end - bounds[b] > 1) std::sort(sorted.begin() + bounds[b], sorted.begin() + end);
  }
  return sorted;
}

// Texts of the snapshot's string arena, sorted, each with the row it names. A key baked into a
// factory's firmware puts ~15,000 certificates in one finding (64 findings on 1M things), and
// sorting their ids and thing names as strings took most of the check's time. So the texts are
// copied side by side, and sorted by the 8 bytes after their common prefix as one big-endian
// integer, whole strings compared only where those are equal: the same order.
class SortedTexts {
public:
  void assign(const Snapshot& snapshot, const std::vector<std::pair<StringId, uint32_t>>& items) {
    buffer_.clear();
    for (const auto& [text, row] : items) buffer_ += snapshot.text(text);
    entries_.clear();
    size_t at = 0, common = SIZE_MAX;
    for (const auto& [text, row] : items) {
      const std::string_view view = std::string_view(buffer_).substr(at, snapshot.text(text).size());
      at += view.size();
      if (!entries_.empty()) common = std::min(common, common_prefix(entries_.front().text, view));
      entries_.push_back({0, view, row});
    }
    if (common == SIZE_MAX) common = 0;
    for (Entry& entry : entries_) entry.key = big_endian_key(entry.text, common);
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      if (a.key != b.key) return a.key < b.key;
      if (int c = a.text.compare(b.text); c != 0) return c < 0;
      return a.row < b.row;
    });
  }
  std::vector<std::string_view> texts() const {
    std::vector<std::string_view> texts;
    texts.reserve(entries_.size());
    for (const Entry& entry : entries_) texts.push_back(entry.text);
    return texts;
  }
  uint32_t first_row() const { return entries_.front().row; }

private:
  struct Entry {
    uint64_t key;
    std::string_view text;
    uint32_t row;
  };
  static size_t common_prefix(std::string_view a, std::string_view b) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
  }
  // Bytes [from, from + 8) as an unsigned big-endian number, zeros past the end: a smaller key
  // means a smaller string; equal keys decide nothing.
  static uint64_t big_endian_key(std::string_view text, size_t from) {
    uint64_t key = 0;
    for (size_t i = 0; i < 8; ++i)
      key = key << 8 | (from + i < text.size() ? static_cast<unsigned char>(text[from + i]) : 0u);
    return key;
  }

  std::string buffer_;
  std::vector<Entry> entries_;
};

constexpr std::string_view kReasonCodes[] = {"FLEETAUDIT_PUBLIC_KEY_IN_SEVERAL_CERTIFICATES"};

// A finding's related range (findings.h) holds, in this check's layout: the count of its
// certificates, their rows in ascending order, then its things' names (distinct string ids).
void word(const RowFindings& rows, const FindingRow& row, Finding& into) {
  certificate_rules::fill_certificate_row(rows, row, into);
  const Snapshot& snapshot = *rows.snapshot;
  const CertificateTable& table = snapshot.certificates;
  const uint32_t* related = rows.related.data() + row.related_begin;
  const uint32_t certificates = related[0];
  const uint32_t things = row.related_end - row.related_begin - 1 - certificates;
  // Sorted here, as a report reads the finding: the check itself only groups rows.
  thread_local SortedTexts certificate_ids, thing_texts;
  thread_local std::vector<std::pair<StringId, uint32_t>> items;
  items.clear();
  for (uint32_t i = 0; i < certificates; ++i) items.emplace_back(table.certificate_id[related[1 + i]], related[1 + i]);
  certificate_ids.assign(snapshot, items);
  items.clear();
  for (uint32_t i = 0; i < things; ++i) items.emplace_back(related[1 + certificates + i], 0);
  thing_texts.assign(snapshot, items);
  const std::vector<std::string_view> ids = certificate_ids.texts(), thing_names = thing_texts.texts();
  fmt::format_to(std::back_inserter(into.message), "One public key is in {} certificates in use ({}), attached to {}.",
                 ids.size(), join_names(ids, kNamesInMessage),
                 thing_names.empty()
                     ? std::string("no thing")
                     : fmt::format("{} things: {}", thing_names.size(), join_names(thing_names, kNamesInMessage)));
  into.additional_info = {{"CERTIFICATE_COUNT", std::to_string(ids.size())},
                          {"CERTIFICATE_IDS", join_names(ids, SIZE_MAX)},
                          {"THING_NAMES", join_names(thing_names, SIZE_MAX)}};
  into.related.resize(certificates - 1);
  size_t at = 0;
  for (uint32_t i = 0; i < certificates; ++i) {
    const uint32_t other = related[1 + i];
    if (other == row.row) continue;
    RelatedResource& entry = into.related[at++];
    entry.type = ResourceType::device_certificate;
    entry.identifier.kind = ResourceIdentifier::Kind::device_certificate_id;
    entry.identifier.value.assign(snapshot.text(table.certificate_id[other]));
    entry.identifier.version_id.clear();
    entry.additional_info.clear();
  }
}

// The finding's resource: its certificate whose id sorts first.
uint32_t first_by_id(const Snapshot& snapshot, const std::vector<uint32_t>& rows) {
  const CertificateTable& table = snapshot.certificates;
  return *std::min_element(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
    const int c = snapshot.text(table.certificate_id[a]).compare(snapshot.text(table.certificate_id[b]));
    return c != 0 ? c < 0 : a < b;
  });
}

CheckResult run(const CheckContext& context) {
  const Snapshot& snapshot = context.snapshot;
  const CertificateTable& table = snapshot.certificates;
  CheckResult result;
  // Equal keys end up next to each other.
  const std::vector<KeyedRow> by_key = rows_sorted_by_key(table);
  result.resources_evaluated = by_key.size();
  const bool have_things = snapshot.things_by_certificate.offsets.size() == table.size() + 1;
  RowFindings findings =
      certificate_rules::certificate_rows(context, certificate_rules::Kind::device, kReasonCodes, word);
  std::vector<uint32_t> rows;
  std::vector<StringId> things;
  for (size_t begin = 0, end; begin < by_key.size(); begin = end) {
    end = begin + 1;
    while (end < by_key.size() && by_key[end].first == by_key[begin].first) ++end;
    if (end - begin < 2) continue;
    const x509::Digest16& key = table.facts[by_key[begin].second].public_key_digest;
    rows.clear();
    for (size_t i = begin; i < end; ++i)
      if (table.facts[by_key[i].second].public_key_digest == key) rows.push_back(by_key[i].second);
    if (rows.size() < 2) continue;
    things.clear();
    if (have_things)
      for (uint32_t row : rows)
        for (StringId thing : snapshot.things_by_certificate.of(row)) things.push_back(thing);
    std::sort(things.begin(), things.end());
    things.erase(std::unique(things.begin(), things.end()), things.end());
    // One device renewing its certificate with the same key is no clone.
    if (things.size() == 1) continue;
    FindingRow finding{.row = first_by_id(snapshot, rows),
                       .related_begin = static_cast<uint32_t>(findings.related.size())};
    findings.related.push_back(static_cast<uint32_t>(rows.size()));
    findings.related.insert(findings.related.end(), rows.begin(), rows.end());
    for (StringId thing : things) findings.related.push_back(thing);
    finding.related_end = static_cast<uint32_t>(findings.related.size());
    findings.rows.push_back(finding);
  }
  result.findings.set_rows(std::move(findings));
  return result;
}

// The metadata is laid out by hand (prose, one field a line): clang-format leaves it be.
// clang-format off
const RegisterCheck registration({
    .name = "FLEETAUDIT_PUBLIC_KEY_SHARED_CHECK",
    .aliases = {},
    .severity = Severity::critical,
    .resource_type = ResourceType::device_certificate,
    .reason_codes = {std::begin(kReasonCodes), std::end(kReasonCodes)},
    .short_description = "One public key appears in several device certificates in use.",
    .full_description =
        "fleetaudit's own check, not an AWS Device Defender check. Two or more certificates in status ACTIVE or "
        "PENDING_TRANSFER carry the same public key, so one private key opens all of them: devices were cloned, "
        "or a key was baked into firmware and every unit got a certificate for it. Extracting the key from one "
        "device compromises them all, and DEVICE_CERTIFICATE_SHARED_CHECK does not see it because each "
        "certificate is attached to one thing. Not reported: certificates sharing a key that are all attached to "
        "one and the same thing (a device renewing its certificate with its own key).",
    .help =
        "Severity CRITICAL, as for a shared certificate: the effect is the same. The finding lists every "
        "certificate and thing that carries the key.\n\n"
        "Fix: have every device generate its own key pair on the device (ideally in a secure element) and "
        "register a certificate for it; then revoke the certificates of the shared key "
        "(`aws iot update-certificate --certificate-id ID --new-status REVOKED`).",
    .help_uri = "https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html",
    .parameters = {},
    .required_inputs = {{SnapshotFile::certificates}},
    .optional_inputs = {SnapshotFile::thing_principals},
    .run = run,
    .reads_device_certificate_pems = true,
    .fleetaudit_own = true,
});
// clang-format on

}  // namespace
}  // namespace fleetaudit
