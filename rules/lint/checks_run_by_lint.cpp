// The registered AWS checks `fleetaudit lint` runs on the snapshot each IaC file declares: those
// whose inputs a template can declare completely. Policies are checked whether or not the file
// attaches them (a policy unattached in a template is normal, and it can be attached tomorrow);
// certificates shared between things, and the account's logging options, as the file declares them.
#include "analyzer/lint/lint_rule.h"

namespace fleetaudit::lint {
namespace {

const RunCheckInLint overly_permissive("IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
const RunCheckInLint potential_misconfiguration("IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK");
const RunCheckInLint certificate_shared("DEVICE_CERTIFICATE_SHARED_CHECK");
const RunCheckInLint logging_disabled("LOGGING_DISABLED_CHECK");

}  // namespace
}  // namespace fleetaudit::lint
