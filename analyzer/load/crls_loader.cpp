// The snapshot's crls/ folder: certificate revocation lists in PEM or DER, one per file. A list is
// used only when its signature verifies against a CA certificate in ca-certificates.json whose
// subject is the list's issuer; any other list is an input problem, never "no revocations".
#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <memory>

#include "analyzer/load/crls_loader.h"
#include "analyzer/load/input_files.h"
#include "analyzer/x509/der.h"
#include "analyzer/x509/pem.h"

namespace fleetaudit {

namespace {

struct CrlDeleter {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
struct CertificateDeleter {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using CrlPointer = std::unique_ptr<X509_CRL, CrlDeleter>;
using CertificatePointer = std::unique_ptr<X509, CertificateDeleter>;

// DER of a Name, as the certificates' issuer_digest was computed from.
std::string name_der(const X509_NAME* name) {
  unsigned char* out = nullptr;
  int size = i2d_X509_NAME(name, &out);
  if (size <= 0) return {};
  std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(size));
  OPENSSL_free(out);
  return der;
}

// The content octets of an INTEGER, as the DER walk stores certificate serials.
x509::ShortBytes serial_of(const ASN1_INTEGER* serial) {
  unsigned char* out = nullptr;
  int size = i2d_ASN1_INTEGER(serial, &out);
  if (size <= 0) return {};
  std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(size));
  OPENSSL_free(out);
  return x509::ShortBytes::of(x509::DerReader(der).read(x509::der_tag::kInteger).content);
}

EpochMillis to_millis(const ASN1_TIME* time) {
  if (time == nullptr) return kMissingTime;
  struct tm parts {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return kMissingTime;
  return static_cast<EpochMillis>(timegm(&parts)) * 1000;
}

CrlPointer parse_crl(const std::string& bytes) {
  if (x509::looks_like_pem(bytes)) {
    std::string der;
    if (!x509::decode_pem(bytes, "X509 CRL", der).empty()) return nullptr;
    const unsigned char* at = reinterpret_cast<const unsigned char*>(der.data());
    CrlPointer crl(d2i_X509_CRL(nullptr, &at, static_cast<long>(der.size())));
    if (crl && at != reinterpret_cast<const unsigned char*>(der.data() + der.size())) return nullptr;
    return crl;
  }
  const unsigned char* at = reinterpret_cast<const unsigned char*>(bytes.data());
  CrlPointer crl(d2i_X509_CRL(nullptr, &at, static_cast<long>(bytes.size())));
  if (crl && at != reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size())) return nullptr;
  return crl;
}

}  // namespace

bool RevocationList::revokes(const x509::ShortBytes& serial) const {
  return std::binary_search(revoked_serials.begin(), revoked_serials.end(), serial);
}

bool RevocationList::covers(const x509::CertificateFacts& facts) const {
  if (facts.issuer_digest != issuer_digest) return false;
  // Two CAs may share a name; the authority key identifier tells them apart when both are known.
  return facts.authority_key_id.size == 0 || issuer_key_id.size == 0 || facts.authority_key_id == issuer_key_id;
}

namespace {

// The row of the CA certificate whose key verifies `crl` (UINT32_MAX: none), and whether some CA
// certificate has the list's issuer as its subject.
uint32_t verifying_ca(X509_CRL* crl, const std::vector<CertificatePointer>& ca_certificates, bool& issuer_known) {
  const X509_NAME* issuer = X509_CRL_get_issuer(crl);
  issuer_known = false;
  for (uint32_t row = 0; row < ca_certificates.size(); ++row) {
    X509* ca = ca_certificates[row].get();
    if (ca == nullptr || X509_NAME_cmp(X509_get_subject_name(ca), issuer) != 0) continue;
    issuer_known = true;
    EVP_PKEY* key = X509_get0_pubkey(ca);
    if (key != nullptr && X509_CRL_verify(crl, key) == 1) return row;
  }
  return UINT32_MAX;
}

// One file of crls/, added to the snapshot's lists when it is a list a known CA signed.
void read_crl_file(const std::string& path, const std::string& name, const ReadBoundary& boundary,
                   const std::vector<CertificatePointer>& ca_certificates, Snapshot& snapshot,
                   Diagnostics& diagnostics) {
  std::string bytes, error;
  if (!read_regular_file(path, bytes, error, std::numeric_limits<uint64_t>::max(), &boundary)) {
    diagnostics.error(name, "cannot read: " + error + "; not used");
    return;
  }
  CrlPointer crl = parse_crl(bytes);
  if (!crl) {
    diagnostics.error(name, "cannot read: not a certificate revocation list in PEM or DER; not used");
    return;
  }
  const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
  bool issuer_known = false;
  const uint32_t verified_by = verifying_ca(crl.get(), ca_certificates, issuer_known);
  if (verified_by == UINT32_MAX) {
    char text[256];
    X509_NAME_oneline(issuer, text, sizeof text);
    diagnostics.error(name, issuer_known
                                ? fmt::format("the signature does not verify against the CA certificate of its "
                                              "issuer {}; not used",
                                              text)
                                : fmt::format("issuer {} is no CA certificate in ca-certificates.json, so the "
                                              "signature cannot be verified; not used",
                                              text));
    return;
  }
  RevocationList list;
  list.file = name;
  list.issuer_digest = x509::digest16(name_der(issuer));
  list.issuer_key_id = snapshot.ca_certificates.facts[verified_by].subject_key_id;
  list.ca_row = verified_by;
  list.next_update = to_millis(X509_CRL_get0_nextUpdate(crl.get()));
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i)
    list.revoked_serials.push_back(serial_of(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
  std::sort(list.revoked_serials.begin(), list.revoked_serials.end());
  snapshot.crls->push_back(std::move(list));
}

}  // namespace

void load_crls(const std::string& directory, Snapshot& snapshot, Diagnostics& diagnostics) {
  const PathInfo folder = inspect_path(directory);
  if (folder.kind == PathKind::missing) return;
  // A crls that is not a readable folder is no answer either way: the CRL checks are not run.
  if (folder.kind != PathKind::directory) {
    diagnostics.error("crls", fmt::format("{}; expected a folder of certificate revocation lists, so no list was read",
                                          folder.kind == PathKind::regular ? "is a regular file" : folder.problem));
    return;
  }
  std::string error;
  std::optional<std::vector<FolderEntry>> entries = list_folder(directory, error);
  if (!entries) {
    diagnostics.error("crls", "cannot read the folder: " + error);
    return;
  }
  snapshot.crls.emplace();
  const ReadBoundary boundary =
      ReadBoundary::around(std::filesystem::path(directory).parent_path().string(), "the snapshot directory");
  std::vector<std::string> files;
  for (const FolderEntry& entry : *entries) {
    if (entry.info.kind == PathKind::regular) files.push_back(entry.name);
    else
      diagnostics.error("crls/" + entry.name,
                        entry.info.kind == PathKind::directory ? "is a directory, expected a CRL file; not read"
                                                               : entry.info.problem + "; not read");
  }

  // The CA certificates that may sign lists, parsed once.
  const CertificateTable& cas = snapshot.ca_certificates;
  std::vector<CertificatePointer> ca_certificates(cas.size());
  for (uint32_t row = 0; row < cas.size() && row < cas.der.size(); ++row) {
    const unsigned char* at = reinterpret_cast<const unsigned char*>(cas.der[row].data());
    if (!cas.der[row].empty()) ca_certificates[row].reset(d2i_X509(nullptr, &at, static_cast<long>(cas.der[row].size())));
  }
  for (const std::string& file : files)
    read_crl_file(directory + "/" + file, "crls/" + file, boundary, ca_certificates, snapshot, diagnostics);
}

}  // namespace fleetaudit
