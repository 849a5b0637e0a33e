// The registered AWS checks `fleetaudit lint` runs on the snapshot each IaC file declares: those
// whose inputs a template can declare completely. Policies are checked whether or not the file
// attaches them (a policy unattached in a template is normal, and it can be attached tomorrow);
// certificates shared between things, and the account's logging options, as the file declares them;
// the roles that role aliases and identity pools hand out, when the template declares the role and
// all its policies; an inline CertificatePem's key, algorithms and expiry (on lint's --now clock).
// Not run: what needs the account's history (IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK
// reads the roles' last-accessed services; DEVICE_CERTIFICATE_AGE_CHECK the registration date).
#include "analyzer/lint/lint_rule.h"

namespace fleetaudit::lint {
namespace {

const RunCheckInLint overly_permissive("IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
const RunCheckInLint potential_misconfiguration("IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK");
const RunCheckInLint certificate_shared("DEVICE_CERTIFICATE_SHARED_CHECK");
const RunCheckInLint logging_disabled("LOGGING_DISABLED_CHECK");
const RunCheckInLint role_alias_overly_permissive("IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK");
const RunCheckInLint unauthenticated_cognito_role("UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK");
const RunCheckInLint authenticated_cognito_role("AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK");
const RunCheckInLint certificate_key_quality("DEVICE_CERTIFICATE_KEY_QUALITY_CHECK");
const RunCheckInLint certificate_expiring("DEVICE_CERTIFICATE_EXPIRING_CHECK");
const RunCheckInLint weak_certificate_algorithm("FLEETAUDIT_WEAK_CERTIFICATE_ALGORITHM_CHECK");

}  // namespace
}  // namespace fleetaudit::lint
