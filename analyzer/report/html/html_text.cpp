#include "analyzer/report/html/html_text.h"

#include <fmt/format.h>

#include <cstdlib>

#include "analyzer/util/terminal_text.h"

namespace fleetaudit::html {

std::string escape(std::string_view raw) {
  const std::string text = escape_control(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string breakable_name(std::string_view name) {
  std::string out;
  for (char c : escape(name)) out += c == '_' ? std::string("_<wbr>") : std::string(1, c);
  return out;
}

std::string thousands(uint64_t number) {
  std::string digits = std::to_string(number);
  for (size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ',');
  return digits;
}

std::string id_element(std::string_view id) {
  constexpr size_t kHead = 8, kTail = 5;
  // Cut only between ASCII characters, so that no UTF-8 sequence is split.
  auto ascii = [](std::string_view part) {
    for (char c : part)
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
  };
  if (id.size() <= kHead + kTail + 3 || !ascii(id)) return fmt::format("<code class=\"id\">{}</code>", escape(id));
  return fmt::format("<code class=\"id\" title=\"{}\">{}…{}</code>", escape(id), escape(id.substr(0, kHead)),
                     escape(id.substr(id.size() - kTail)));
}

std::string day_of(EpochMillis instant) {
  const std::string iso = format_iso8601(instant);
  const size_t date_end = iso.find('T');
  return date_end == std::string::npos ? iso : iso.substr(0, date_end);
}

std::string day_with_distance(EpochMillis instant, EpochMillis clock) {
  // Whole days between the two days' starts, so that "in 1 day" means tomorrow's date.
  auto day_number = [](EpochMillis t) { return t >= 0 ? t / kMillisPerDay : -((-t + kMillisPerDay - 1) / kMillisPerDay); };
  const int64_t days = day_number(instant) - day_number(clock);
  if (days == 0) return day_of(instant) + " (the audit's day)";
  const uint64_t magnitude = static_cast<uint64_t>(days < 0 ? -days : days);
  return fmt::format("{} ({}{} day{}{})", day_of(instant), days > 0 ? "in " : "", thousands(magnitude),
                     magnitude == 1 ? "" : "s", days < 0 ? " ago" : "");
}

std::string capped_text(std::string_view value, size_t limit) {
  if (value.size() <= limit) return escape(value);
  for (std::string_view separator : {std::string_view("; "), std::string_view(", ")}) {
    const size_t cut = value.rfind(separator, limit);
    if (cut == std::string_view::npos || cut == 0) continue;
    size_t rest = 1;
    for (size_t at = value.find(separator, cut + separator.size()); at != std::string_view::npos;
         at = value.find(separator, at + separator.size()))
      ++rest;
    return fmt::format("{} … and {} more", escape(value.substr(0, cut)), thousands(rest));
  }
  // Not a list: never cut inside a UTF-8 character.
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  size_t rest = 0;  // characters, not bytes: UTF-8 continuation bytes are not counted
  for (size_t at = cut; at < value.size(); ++at) rest += (static_cast<unsigned char>(value[at]) & 0xC0) == 0x80 ? 0 : 1;
  return fmt::format("{} … ({} more characters)", escape(value.substr(0, cut)), thousands(rest));
}

}  // namespace fleetaudit::html
