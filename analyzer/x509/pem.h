#pragma once
// PEM to DER, straight from the bytes of a JSON string: the certificatePem field is decoded where it
// lies in the mapped file, escapes and all, so no unescaped copy of the PEM is ever made.
#include <string>
#include <string_view>

namespace fleetaudit::x509 {

// Decodes the one PEM block in `text` into `der`. `text` may be raw JSON string content (with \n,
// \r, \t and \/ escapes) or plain text. `expected_label` is e.g. "CERTIFICATE" or "X509 CRL".
// Returns an empty string on success, else what is wrong, for a person.
std::string decode_pem(std::string_view text, std::string_view expected_label, std::string& der);

// Only the -----BEGIN line of decode_pem's checks: a private key where a certificate belongs is
// still caught when the body is not decoded.
std::string check_pem_label(std::string_view text, std::string_view expected_label);

// True when `bytes` starts like PEM ("-----BEGIN"), after leading whitespace.
bool looks_like_pem(std::string_view bytes);

}  // namespace fleetaudit::x509
