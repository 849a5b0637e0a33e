#include "analyzer/policy/policy_variables.h"

#include "analyzer/policy/glob.h"

namespace fleetaudit::policy {

const std::vector<std::string_view>& known_variable_names() {
  static const std::vector<std::string_view> names{
      "*", "?", "$", "iot:ClientId", "iot:CertificateId", "iot:Connection.Thing.ThingName",
      "iot:Connection.Thing.ThingTypeName", "iot:Connection.Thing.IsAttached", "iot:DomainName", "iot:LastWillTopic",
      "aws:SourceIp", "aws:CurrentTime", "aws:EpochTime", "aws:SecureTransport", "aws:UserAgent", "aws:username",
      "aws:userid", "cognito-identity.amazonaws.com:sub", "cognito-identity.amazonaws.com:aud",
      "cognito-identity.amazonaws.com:amr",
  };
  return names;
}

bool is_known_variable(std::string_view name) {
  static constexpr std::string_view kPrefixes[] = {"iot:Connection.Thing.Attributes[", "iot:Certificate.",
                                                   "aws:PrincipalTag/"};
  for (std::string_view exact : known_variable_names())
    if (iequals(name, exact)) return true;
  for (std::string_view prefix : kPrefixes)
    if (name.size() > prefix.size() && iequals(name.substr(0, prefix.size()), prefix)) return true;
  return false;
}

}  // namespace fleetaudit::policy
