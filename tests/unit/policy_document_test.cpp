#include "analyzer/policy/policy_document.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fleetaudit::policy {
namespace {

std::vector<std::string> patterns(const PolicyStatementTable& table, std::span<const StringId> ids) {
  std::vector<std::string> result;
  for (StringId id : ids) result.emplace_back(table.pattern(id));
  return result;
}

PolicyParseError parse_error(std::string_view document) {
  PolicyStatementTable table;
  auto error = append_policy_document(document, 0, table);
  EXPECT_TRUE(error.has_value()) << document;
  EXPECT_EQ(table.size(), 0u) << "nothing may be appended on error";
  return error.value_or(PolicyParseError{});
}

TEST(PolicyDocument, ParsesStatementArray) {
  PolicyStatementTable table;
  const std::string document = R"({
    "Version": "2012-10-17",
    "Id": "example",
    "Statement": [
      {"Sid": "connect", "Effect": "Allow", "Action": "iot:Connect",
       "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"},
      {"Effect": "Deny", "Action": ["iot:Publish", "iot:Subscribe"], "Resource": ["*", "arn:x"]}
    ]})";
  ASSERT_FALSE(append_policy_document(document, 7, table));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.version_row(0), 7u);
  EXPECT_EQ(table.version_row(1), 7u);
  EXPECT_EQ(table.flags(0), kStatementVariables);
  EXPECT_EQ(table.flags(1), kStatementDeny | kStatementVariables);
  EXPECT_EQ(table.sid(0), "connect");
  EXPECT_EQ(table.sid(1), "");
  EXPECT_EQ(patterns(table, table.actions(0)), std::vector<std::string>{"iot:Connect"});
  EXPECT_EQ(patterns(table, table.resources(0)),
            std::vector<std::string>{"arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"});
  EXPECT_EQ(patterns(table, table.actions(1)), (std::vector<std::string>{"iot:Publish", "iot:Subscribe"}));
  EXPECT_EQ(patterns(table, table.resources(1)), (std::vector<std::string>{"*", "arn:x"}));
}

TEST(PolicyDocument, StatementMayBeASingleObject) {
  PolicyStatementTable table;
  ASSERT_FALSE(append_policy_document(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})", 0, table));
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(patterns(table, table.actions(0)), std::vector<std::string>{"*"});
}

TEST(PolicyDocument, EmptyStatementListIsValid) {
  PolicyStatementTable table;
  EXPECT_FALSE(append_policy_document(R"({"Statement":[]})", 0, table));
  EXPECT_EQ(table.size(), 0u);
}

TEST(PolicyDocument, DistinctPatternsAreStoredOnce) {
  PolicyStatementTable table;
  const std::string document =
      R"({"Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
                       {"Effect":"Allow","Action":["iot:Connect","*"],"Resource":"*"}]})";
  ASSERT_FALSE(append_policy_document(document, 0, table));
  EXPECT_EQ(table.pattern_count(), 2u);  // "iot:Connect" and "*"
  EXPECT_EQ(table.actions(0)[0], table.actions(1)[0]);
  EXPECT_EQ(table.resources(0)[0], table.actions(1)[1]);
}

TEST(PolicyDocument, EmptyPatternsAreKept) {
  PolicyStatementTable table;
  const std::string document = R"({"Statement":{"Effect":"Allow","Action":["iot:Connect",""],"Resource":[]}})";
  ASSERT_FALSE(append_policy_document(document, 0, table));
  EXPECT_EQ(patterns(table, table.actions(0)), (std::vector<std::string>{"iot:Connect", ""}));
  EXPECT_TRUE(table.resources(0).empty());
}

TEST(PolicyDocument, StringEscapesAreDecoded) {
  PolicyStatementTable table;
  const std::string document = R"({"Statement":{"Effect":"Allow","Action":"iot:\u0043onnect","Resource":"a\/b"}})";
  ASSERT_FALSE(append_policy_document(document, 0, table));
  EXPECT_EQ(table.pattern(table.actions(0)[0]), "iot:Connect");
  EXPECT_EQ(table.pattern(table.resources(0)[0]), "a/b");
}

TEST(PolicyDocument, NotActionAndNotResourceSetFlags) {
  PolicyStatementTable table;
  ASSERT_FALSE(append_policy_document(
      R"({"Statement":[{"Effect":"Allow","NotAction":"iot:Connect","NotResource":["arn:a","arn:b"]}]})", 0, table));
  EXPECT_EQ(table.flags(0), kStatementNotAction | kStatementNotResource);
  EXPECT_TRUE(table.has(0, kStatementNotAction));
  EXPECT_FALSE(table.has(0, kStatementDeny));
  EXPECT_EQ(patterns(table, table.resources(0)), (std::vector<std::string>{"arn:a", "arn:b"}));
}

TEST(PolicyDocument, StatementsOfSuccessiveCallsAreContiguous) {
  PolicyStatementTable table;
  const std::string two = R"({"Statement":[{"Effect":"Allow","Action":"a","Resource":"r"},
                                           {"Effect":"Deny","Action":"b","Resource":"r"}]})";
  ASSERT_FALSE(append_policy_document(two, 0, table));
  ASSERT_TRUE(append_policy_document(R"({"Statement":[{"Effect":"Allow","Action":"c","Resource":"r"}, 5]})", 1, table));
  ASSERT_FALSE(append_policy_document(two, 2, table));
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table.version_row(1), 0u);
  EXPECT_EQ(table.version_row(2), 2u);
  EXPECT_EQ(table.version_row(3), 2u);
  EXPECT_EQ(table.pattern_count(), 3u);  // the failed document's "c" was never interned
}

// Condition flags ---------------------------------------------------------------------------------

uint8_t condition_flags(std::string_view condition) {
  PolicyStatementTable table;
  const std::string document =
      R"({"Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*","Condition":)" + std::string(condition) +
      "}}";
  auto error = append_policy_document(document, 0, table);
  EXPECT_FALSE(error) << condition << ": " << (error ? error->message : "");
  return table.size() == 1 ? table.flags(0) : 0xFF;
}

constexpr uint8_t kIsAttached = kStatementHasCondition | kStatementIsAttachedCondition;

TEST(PolicyDocument, IsAttachedTrueUnderBoolOrStringEquals) {
  EXPECT_EQ(condition_flags(R"({"Bool":{"iot:Connection.Thing.IsAttached":"true"}})"), kIsAttached);
  EXPECT_EQ(condition_flags(R"({"Bool":{"iot:Connection.Thing.IsAttached":true}})"), kIsAttached);
  EXPECT_EQ(condition_flags(R"({"StringEquals":{"iot:Connection.Thing.IsAttached":"true"}})"), kIsAttached);
  EXPECT_EQ(condition_flags(R"({"Bool":{"IOT:connection.thing.isattached":"true"}})"), kIsAttached);
  EXPECT_EQ(condition_flags(R"({"Bool":{"iot:Connection.Thing.IsAttached":["true"]}})"), kIsAttached);
  EXPECT_EQ(condition_flags(R"({"StringEquals":{"iot:ClientId":"x"},"Bool":{"iot:Connection.Thing.IsAttached":true}})"),
            kIsAttached);
}

TEST(PolicyDocument, OtherConditionsOnlyCountAsConditions) {
  EXPECT_EQ(condition_flags(R"({"Bool":{"iot:Connection.Thing.IsAttached":"false"}})"), kStatementHasCondition);
  EXPECT_EQ(condition_flags(R"({"Bool":{"iot:Connection.Thing.IsAttached":false}})"), kStatementHasCondition);
  EXPECT_EQ(condition_flags(R"({"Bool":{"iot:Connection.Thing.IsAttached":["true","false"]}})"),
            kStatementHasCondition);
  EXPECT_EQ(condition_flags(R"({"BoolIfExists":{"iot:Connection.Thing.IsAttached":"true"}})"), kStatementHasCondition);
  EXPECT_EQ(condition_flags(R"({"StringLike":{"iot:ClientId":["a*", 1, null, {"x":[]}]}})"), kStatementHasCondition);
  // An empty block constrains nothing.
  EXPECT_EQ(condition_flags(R"({})"), 0);
  EXPECT_EQ(condition_flags(R"({"Bool":{}})"), 0);
}

// Errors -------------------------------------------------------------------------------------------

TEST(PolicyDocumentError, MissingEffect) {
  const std::string document = R"({"Statement":[{"Effect":"Allow","Action":"a","Resource":"r"},
                                                {"Action":"iot:Connect","Resource":"*"}]})";
  const PolicyParseError error = parse_error(document);
  EXPECT_EQ(error.json_path, "Statement[1].Effect");
  EXPECT_EQ(error.offset, document.find("{\"Action\""));
  EXPECT_EQ(error.message, R"(missing Effect: expected "Allow" or "Deny")");
}

TEST(PolicyDocumentError, BadEffectValue) {
  const std::string document = R"({"Statement":{"Effect":"allow","Action":"a","Resource":"r"}})";
  const PolicyParseError error = parse_error(document);
  EXPECT_EQ(error.json_path, "Statement.Effect");
  EXPECT_EQ(error.offset, document.find("\"allow\""));
  EXPECT_EQ(error.message, R"(expected "Allow" or "Deny")");
  EXPECT_EQ(parse_error(R"({"Statement":{"Effect":true,"Action":"a","Resource":"r"}})").message,
            R"(expected "Allow" or "Deny")");
}

TEST(PolicyDocumentError, ActionMustBeStringOrArrayOfStrings) {
  const std::string number = R"({"Statement":[{"Effect":"Allow","Action":5,"Resource":"r"}]})";
  PolicyParseError error = parse_error(number);
  EXPECT_EQ(error.json_path, "Statement[0].Action");
  EXPECT_EQ(error.offset, number.find('5'));
  EXPECT_EQ(error.message, "expected a string or an array of strings");

  const std::string element = R"({"Statement":[{"Effect":"Allow","Action":["a",{}],"Resource":"r"}]})";
  error = parse_error(element);
  EXPECT_EQ(error.json_path, "Statement[0].Action[1]");
  EXPECT_EQ(error.offset, element.find("{}"));
  EXPECT_EQ(error.message, "expected a string");
}

TEST(PolicyDocumentError, MissingActionOrResource) {
  PolicyParseError error = parse_error(R"({"Statement":[{"Effect":"Allow","Resource":"r"}]})");
  EXPECT_EQ(error.json_path, "Statement[0].Action");
  EXPECT_EQ(error.offset, 14u);
  EXPECT_EQ(error.message, "missing Action or NotAction: expected a string or an array of strings");
  error = parse_error(R"({"Statement":[{"Effect":"Allow","Action":"a"}]})");
  EXPECT_EQ(error.json_path, "Statement[0].Resource");
  EXPECT_EQ(error.message, "missing Resource or NotResource: expected a string or an array of strings");
}

TEST(PolicyDocumentError, ActionAndNotActionTogether) {
  const std::string document = R"({"Statement":{"Effect":"Allow","Action":"a","NotAction":"b","Resource":"r"}})";
  const PolicyParseError error = parse_error(document);
  EXPECT_EQ(error.json_path, "Statement.NotAction");
  EXPECT_EQ(error.offset, document.find("\"b\""));
  EXPECT_EQ(parse_error(R"({"Statement":{"Effect":"Allow","Action":"a","NotResource":"b","Resource":"r"}})").json_path,
            "Statement.Resource");
}

TEST(PolicyDocumentError, DuplicateKey) {
  const PolicyParseError error =
      parse_error(R"({"Statement":{"Effect":"Allow","Effect":"Deny","Action":"a","Resource":"r"}})");
  EXPECT_EQ(error.json_path, "Statement.Effect");
  EXPECT_EQ(error.message, "duplicate key Effect");
}

TEST(PolicyDocumentError, BadLiteralInIgnoredField) {
  const std::string document =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Foo":{"bar":[1,tru]}}})";
  const PolicyParseError error = parse_error(document);
  EXPECT_EQ(error.json_path, "Statement.Foo.bar[1]");
  EXPECT_EQ(error.offset, document.find("tru]"));
  EXPECT_EQ(error.message, "invalid literal: expected true or false");

  const std::string top = R"({"Id":nul,"Statement":[]})";
  const PolicyParseError top_error = parse_error(top);
  EXPECT_EQ(top_error.json_path, "Id");
  EXPECT_EQ(top_error.offset, 6u);
  EXPECT_EQ(top_error.message, "invalid literal: expected null");
}

TEST(PolicyDocumentError, BadNumberInIgnoredField) {
  const std::string document = R"({"Statement":[],"Version":1x})";
  const PolicyParseError error = parse_error(document);
  EXPECT_EQ(error.json_path, "Version");
  EXPECT_EQ(error.offset, document.find("1x"));
  EXPECT_EQ(error.message, "invalid number");
}

TEST(PolicyDocument, NumbersOutsideDoubleRangeAreStillJson) {
  PolicyStatementTable table;
  EXPECT_FALSE(append_policy_document(R"({"Statement":[],"A":1e999,"B":123456789012345678901234567890,"C":-0.5E-3})",
                                      0, table));
}

TEST(PolicyDocumentError, ConditionMustBeObjects) {
  PolicyParseError error =
      parse_error(R"({"Statement":{"Effect":"Allow","Action":"a","Resource":"r","Condition":[]}})");
  EXPECT_EQ(error.json_path, "Statement.Condition");
  EXPECT_EQ(error.message, "expected an object of condition operators");
  error = parse_error(R"({"Statement":{"Effect":"Allow","Action":"a","Resource":"r","Condition":{"Bool":"x"}}})");
  EXPECT_EQ(error.json_path, "Statement.Condition.Bool");
  EXPECT_EQ(error.message, "expected an object of condition keys");
}

TEST(PolicyDocumentError, TrailingContent) {
  const std::string document = R"({"Statement":[]}  x)";
  const PolicyParseError error = parse_error(document);
  EXPECT_EQ(error.json_path, "");
  EXPECT_EQ(error.offset, document.size() - 1);
  EXPECT_EQ(error.message, "unexpected content after the policy document");
  EXPECT_EQ(parse_error(R"({"Statement":[]}})").offset, 16u);
}

TEST(PolicyDocumentError, NotAnObject) {
  PolicyParseError error = parse_error(R"(  ["Statement"])");
  EXPECT_EQ(error.offset, 2u);
  EXPECT_EQ(error.json_path, "");
  EXPECT_EQ(error.message, "expected a JSON object (the policy document)");
  EXPECT_EQ(parse_error(R"("text")").message, "expected a JSON object (the policy document)");
  EXPECT_EQ(parse_error("tru").offset, 0u);
}

TEST(PolicyDocumentError, MissingStatement) {
  const PolicyParseError error = parse_error(R"( {"Version":"2012-10-17"})");
  EXPECT_EQ(error.json_path, "Statement");
  EXPECT_EQ(error.offset, 1u);
}

TEST(PolicyDocumentError, StatementNotAnObject) {
  PolicyParseError error = parse_error(R"({"Statement":[{"Effect":"Allow","Action":"a","Resource":"r"},"x"]})");
  EXPECT_EQ(error.json_path, "Statement[1]");
  EXPECT_EQ(error.message, "expected a statement object");
  error = parse_error(R"({"Statement":"x"})");
  EXPECT_EQ(error.json_path, "Statement");
  EXPECT_EQ(error.message, "expected a statement object or an array of statements");
}

TEST(PolicyDocumentError, SyntaxErrors) {
  const std::string missing_comma = R"({"Statement":[] "Version":"1"})";
  PolicyParseError error = parse_error(missing_comma);
  EXPECT_EQ(error.offset, missing_comma.find("\"Version\""));
  EXPECT_NE(error.message.find("malformed JSON"), std::string::npos);

  const std::string unterminated = R"({"Statement":[],"Version":"1)";
  error = parse_error(unterminated);
  EXPECT_EQ(error.offset, unterminated.size());
  EXPECT_NE(error.message.find("unterminated string"), std::string::npos);

  EXPECT_EQ(parse_error("").message, "expected a JSON object, found an empty document");
  EXPECT_EQ(parse_error("  \n").message, "expected a JSON object, found an empty document");

  const std::string bad_utf8 = "{\"Statement\":[],\"Id\":\"ab\xff\"}";
  error = parse_error(bad_utf8);
  EXPECT_EQ(error.offset, bad_utf8.find('\xff'));
  EXPECT_EQ(error.message, "invalid UTF-8");

  const std::string bad_escape = R"({"Statement":[],"Id":"a\qb"})";
  error = parse_error(bad_escape);
  EXPECT_EQ(error.json_path, "Id");
  EXPECT_EQ(error.message, "invalid string escape");
}

TEST(PolicyDocumentError, DeeplyNestedIgnoredValue) {
  const std::string document = R"({"Statement":[],"X":)" + std::string(200, '[') + std::string(200, ']') + "}";
  EXPECT_EQ(parse_error(document).message, "nesting too deep");
}

}  // namespace
}  // namespace fleetaudit::policy
