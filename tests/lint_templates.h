#pragma once
// CloudFormation YAML templates of one IoT policy for lint's unit tests: one spelling of the
// template's frame, so that a test shows only the part it is about.
#include <string>
#include <string_view>

namespace fleetaudit::testing {

// A template whose one resource, P, is an AWS::IoT::Policy with `document` after "PolicyDocument:"
// (a block of its own starting with a newline, or a tag and block scalar such as " !Sub |\n…").
inline std::string yaml_policy_template(std::string_view document) {
  return "Resources:\n"
         "  P:\n"
         "    Type: AWS::IoT::Policy\n"
         "    Properties:\n"
         "      PolicyDocument:" +
         std::string(document);
}

// A policy document of Version 2012-10-17 whose Statement is `statements`: a flow mapping on the
// same line ("{Effect: Allow, …}"), or a block starting with a newline ("\n          - {…}").
inline std::string yaml_policy_document(std::string_view statements) {
  return "\n        Version: '2012-10-17'\n        Statement:" +
         (statements.starts_with('\n') ? std::string(statements) : " " + std::string(statements)) + "\n";
}

}  // namespace fleetaudit::testing
