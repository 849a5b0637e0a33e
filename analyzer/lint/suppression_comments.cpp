// `# fleetaudit:ignore CHECK reason` in YAML and HCL: at the end of a line it covers that line; on
// a line of its own it covers the next line and the block indented under it.
#include <fmt/format.h>

#include "analyzer/lint/iac_reader.h"

namespace fleetaudit::lint {

namespace {

constexpr std::string_view kMarker = "fleetaudit:ignore";

size_t indentation(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first == std::string_view::npos ? line.size() : first;
}

bool blank_or_comment(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos || line[first] == '#';
}

}  // namespace

void read_suppression_comments(IacFile& file) {
  const SourceFile& source = *file.source;
  const std::string_view text = source.text();
  auto line_text = [&](size_t line0) {
    const uint32_t start = source.line_start(line0);
    const size_t end = line0 + 1 < source.line_count() ? source.line_start(line0 + 1) - 1 : text.size();
    return text.substr(start, end - start);
  };
  for (size_t line0 = 0; line0 < source.line_count(); ++line0) {
    const std::string_view line = line_text(line0);
    const size_t marker = line.find(kMarker);
    if (marker == std::string_view::npos) continue;
    // The marker must open a comment: '#', then only spaces before it, and '#' at the line start or after a space.
    size_t hash = marker;
    while (hash > 0 && line[hash - 1] == ' ') --hash;
    if (hash == 0 || line[hash - 1] != '#' || (hash > 1 && line[hash - 2] != ' ' && line[hash - 2] != '\t')) continue;
    --hash;
    std::string_view rest = line.substr(marker + kMarker.size());
    const size_t check_start = rest.find_first_not_of(" \t");
    Suppression suppression;
    const uint32_t at = source.line_start(line0) + static_cast<uint32_t>(hash);
    suppression.where = {at, source.line_start(line0) + static_cast<uint32_t>(line.size())};
    if (check_start == std::string_view::npos) {
      file.problem(DiagnosticSeverity::error, suppression.where, "a fleetaudit:ignore comment names no check");
      continue;
    }
    rest = rest.substr(check_start);
    const size_t check_end = rest.find_first_of(" \t\r");
    suppression.check = std::string(rest.substr(0, check_end));
    if (check_end != std::string_view::npos) {
      std::string_view reason = rest.substr(check_end);
      const size_t first = reason.find_first_not_of(" \t");
      const size_t last = reason.find_last_not_of(" \t\r");
      if (first != std::string_view::npos) suppression.reason = std::string(reason.substr(first, last - first + 1));
    }
    if (suppression.reason.empty())
      file.problem(DiagnosticSeverity::warning, suppression.where,
                   fmt::format("the suppression of {} gives no reason", suppression.check));
    const bool own_line = line.substr(0, hash).find_first_not_of(" \t") == std::string_view::npos;
    suppression.first_line = suppression.last_line = static_cast<uint32_t>(line0 + 1);
    if (own_line) {
      size_t target = line0 + 1;
      while (target < source.line_count() && blank_or_comment(line_text(target))) ++target;
      if (target < source.line_count()) {
        const size_t indent = indentation(line_text(target));
        size_t last = target;
        for (size_t next = target + 1; next < source.line_count(); ++next) {
          const std::string_view candidate = line_text(next);
          if (blank_or_comment(candidate)) continue;
          if (indentation(candidate) <= indent) break;
          last = next;
        }
        suppression.first_line = static_cast<uint32_t>(target + 1);
        suppression.last_line = static_cast<uint32_t>(last + 1);
      }
    }
    file.suppressions.push_back(std::move(suppression));
  }
}

}  // namespace fleetaudit::lint
