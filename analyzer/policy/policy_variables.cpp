#include "analyzer/policy/policy_variables.h"

#include "analyzer/policy/glob.h"

namespace fleetaudit::policy {

namespace {

constexpr VariableHome kIot = VariableHome::iot_policy, kRole = VariableHome::role_policy, kBoth = VariableHome::both;

// Sources: the AWS IoT Core developer guide's policy variable pages (basic, thing and X.509
// certificate policy variables: iot-policy-variables.html and the pages under it), and for
// credentials-iot: "Authorizing direct calls to AWS services using AWS IoT Core credential
// provider" (https://docs.aws.amazon.com/iot/latest/developerguide/authorizing-direct-aws.html):
// "The credentials provider supports the following policy variables: credentials-iot:ThingName,
// credentials-iot:ThingTypeName, credentials-iot:AwsCertificateId", in the access policy of the
// role a role alias names. So credentials-iot: is decided once: known in role policies, not in IoT
// policies (AWS IoT never substitutes it there, so lint flags it), and bound to the device: the
// thing name is the x-amzn-iot-thingname header, which AWS checks is attached to the certificate
// presented, and the certificate id is that certificate's.
constexpr PolicyVariable kVariables[] = {
    {"*", false, kBoth, false, "a literal '*' (an escape)"},
    {"?", false, kBoth, false, "a literal '?' (an escape)"},
    {"$", false, kBoth, false, "a literal '$' (an escape)"},
    {"iot:ClientId", false, kIot, false, "the MQTT client id the device connects with, which it chooses"},
    {"iot:CertificateId", false, kIot, true, "the id of the certificate presented"},
    {"iot:Connection.Thing.ThingName", false, kIot, true, "the thing the presented certificate is attached to"},
    {"iot:Connection.Thing.ThingTypeName", false, kIot, true, "that thing's type"},
    {"iot:Connection.Thing.IsAttached", false, kIot, true, "whether that thing is attached to the certificate"},
    {"iot:DomainName", false, kIot, false, "the domain name of the endpoint the device connected to"},
    {"iot:LastWillTopic", false, kIot, false, "the topic of the connection's last will message"},
    {"iot:Connection.Thing.Attributes[", true, kIot, true, "an attribute of that thing"},
    {"iot:Certificate.", true, kIot, true, "a field of that certificate (Subject.CommonName, Issuer.…, …)"},
    {"aws:SourceIp", false, kBoth, false, "the client's IP address"},
    {"aws:CurrentTime", false, kBoth, false, "the time of the request"},
    {"aws:EpochTime", false, kBoth, false, "the time of the request in seconds since 1970"},
    {"aws:SecureTransport", false, kBoth, false, "whether the request came over TLS"},
    {"aws:UserAgent", false, kBoth, false, "the client's user agent"},
    {"aws:username", false, kBoth, false, "the IAM user's name"},
    {"aws:userid", false, kBoth, false, "the caller's unique id"},
    {"aws:PrincipalTag/", true, kBoth, false, "a tag of the calling principal"},
    {"cognito-identity.amazonaws.com:sub", false, kBoth, true, "the Cognito identity id"},
    {"cognito-identity.amazonaws.com:aud", false, kBoth, true, "the Cognito identity pool id"},
    {"cognito-identity.amazonaws.com:amr", false, kBoth, true, "how the Cognito identity signed in"},
    {"credentials-iot:ThingName", false, kRole, true, "the thing the credentials were requested for"},
    {"credentials-iot:ThingTypeName", false, kRole, true, "that thing's type"},
    {"credentials-iot:AwsCertificateId", false, kRole, true, "the id of the certificate that requested them"},
};

bool names(const PolicyVariable& variable, std::string_view name) {
  if (!variable.prefix) return iequals(name, variable.name);
  return name.size() > variable.name.size() && iequals(name.substr(0, variable.name.size()), variable.name);
}

}  // namespace

std::span<const PolicyVariable> policy_variables() { return kVariables; }

const PolicyVariable* find_variable(std::string_view name) {
  for (const PolicyVariable& variable : kVariables)
    if (names(variable, name)) return &variable;
  return nullptr;
}

const std::vector<std::string_view>& known_variable_names() {
  static const std::vector<std::string_view> known = [] {
    std::vector<std::string_view> names;
    for (const PolicyVariable& variable : kVariables)
      if (!variable.prefix && variable.home != kRole) names.push_back(variable.name);
    return names;
  }();
  return known;
}

bool is_known_variable(std::string_view name) {
  const PolicyVariable* variable = find_variable(name);
  return variable != nullptr && variable->home != kRole;
}

bool bound_to_the_device(std::string_view name) {
  const PolicyVariable* variable = find_variable(name);
  return variable != nullptr && variable->bound_to_device;
}

}  // namespace fleetaudit::policy
