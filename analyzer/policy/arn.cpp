#include "analyzer/policy/arn.h"

#include <algorithm>
#include <array>

namespace fleetaudit::policy {

namespace {

// The ':' that ends the field starting at `from`, skipping those inside ${…}; npos when none.
size_t field_end(std::string_view text, size_t from) {
  size_t colon = text.find(':', from);
  for (size_t open = text.find("${", from); open != std::string_view::npos && open < colon;
       open = text.find("${", open + 2)) {
    const size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) return std::string_view::npos;
    if (close > colon) colon = text.find(':', close);
    open = close - 1;  // the next "${" is searched from after this placeholder's '}'
  }
  return colon;
}

bool all_of_chars(std::string_view text, bool (*wanted)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), wanted);
}

bool lower_or_dash(char c) { return (c >= 'a' && c <= 'z') || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5: letters and dashes, then a number.
bool region_shaped(std::string_view text) {
  const size_t last_dash = text.rfind('-');
  if (last_dash == std::string_view::npos || last_dash < 2) return false;
  return all_of_chars(text.substr(0, last_dash), lower_or_dash) && all_of_chars(text.substr(last_dash + 1), digit);
}

}  // namespace

ArnPart Arn::resource_type() const {
  const size_t slash = resource.text.find('/');
  if (slash == std::string_view::npos) return {{}, resource.at};
  return {resource.text.substr(0, slash), resource.at};
}

ArnPart Arn::resource_name() const {
  const size_t slash = resource.text.find('/');
  if (slash == std::string_view::npos) return {{}, resource.end()};
  return {resource.text.substr(slash + 1), resource.at + slash + 1};
}

std::optional<Arn> parse_arn(std::string_view text) {
  if (!text.starts_with("arn:")) return std::nullopt;
  std::array<ArnPart, 4> fields;  // partition, service, region, account
  size_t at = 4;
  for (ArnPart& field : fields) {
    const size_t colon = field_end(text, at);
    if (colon == std::string_view::npos) return std::nullopt;
    field = {text.substr(at, colon - at), at};
    at = colon + 1;
  }
  return Arn{fields[0], fields[1], fields[2], fields[3], {text.substr(at), at}};
}

std::optional<std::string_view> arn_resource_name(std::string_view text, std::string_view type) {
  const std::optional<Arn> arn = parse_arn(text);
  if (!arn || arn->resource.text.find('/') == std::string_view::npos || arn->resource_type().text != type)
    return std::nullopt;
  return arn->resource_name().text;
}

std::optional<std::string_view> arn_role_name(std::string_view text) {
  std::optional<std::string_view> path = arn_resource_name(text, "role");
  if (path) path->remove_prefix(path->rfind('/') == std::string_view::npos ? 0 : path->rfind('/') + 1);
  return path;
}

std::optional<Arn> parse_iot_arn(std::string_view text) {
  std::optional<Arn> arn = parse_arn(text);
  if (!arn || arn->service.text != "iot") return std::nullopt;
  for (const ArnPart& field : {arn->partition, arn->region, arn->account})
    if (field.text.empty() || field.text.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos)
      return std::nullopt;
  return arn;
}

std::optional<ArnScope> ArnScope::of_iot_arn(std::string_view arn) {
  const std::optional<Arn> parts = parse_iot_arn(arn);
  if (!parts) return std::nullopt;
  return ArnScope{std::string(parts->partition.text), std::string(parts->region.text),
                  std::string(parts->account.text)};
}

bool ArnScope::placeholder(Field field, std::string_view text) {
  if (text.empty()) return false;  // IAM's global ARNs leave the region empty
  if (text.find_first_of("<>{}$") != std::string_view::npos) return true;
  if (text.find_first_of("*?") != std::string_view::npos) return false;  // a pattern, judged as one
  switch (field) {
    case Field::partition: return !(text.rfind("aws", 0) == 0 && all_of_chars(text, lower_or_dash));
    case Field::region: return !region_shaped(text);
    case Field::account: return !(text.size() == 12 && all_of_chars(text, digit)) && text != "aws";
  }
  return false;
}

std::string ArnScope::with_own_fields(std::string_view arn) const {
  const auto fields = of_iot_arn(arn);
  if (!fields) return std::string(arn);
  const bool partition_own = placeholder(Field::partition, fields->partition),
             region_own = placeholder(Field::region, fields->region),
             account_own = placeholder(Field::account, fields->account);
  if (!partition_own && !region_own && !account_own) return std::string(arn);
  // arn:PARTITION:iot:REGION:ACCOUNT: is followed by the resource part, kept as written.
  const size_t prefix = 4 + fields->partition.size() + 5 + fields->region.size() + 1 + fields->account.size() + 1;
  return "arn:" + (partition_own ? partition : fields->partition) + ":iot:" + (region_own ? region : fields->region) +
         ":" + (account_own ? account : fields->account) + ":" + std::string(arn.substr(prefix));
}

}  // namespace fleetaudit::policy
