#include "text_checks.hpp"

#include "balai/core/text.hpp"
#include "balai/model/nik.hpp"

namespace balai::detail {

bool is_external_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (c <= ' ' || c > '~' || c == ';' || c == ',' || c == '"') return false;
  }
  return true;
}

void check_id(std::vector<Problem>& problems, const std::string& where, std::string_view field,
              std::string_view id) {
  if (!is_external_id(id)) {
    problems.push_back(
        {where, std::string(field), hide_niks(printable(id)),
         "must be 1-64 printable ASCII characters without spaces, ',', ';' or '\"'"});
  } else if (holds_nik(id)) {
    problems.push_back({where, std::string(field), hide_niks(id),
                        "holds a NIK: an id must not carry personal data (a NIK goes in its "
                        "own column, where it is protected)"});
  }
}

void check_text(std::vector<Problem>& problems, const std::string& where, std::string_view field,
                std::string_view text, std::size_t max_size) {
  if (text.empty()) {
    problems.push_back({where, std::string(field), "", "must not be empty"});
  } else if (text.size() > max_size) {
    problems.push_back({where, std::string(field), printable(text, 40),
                        "longer than " + std::to_string(max_size) + " bytes"});
  } else if (!is_clean_text(text)) {
    problems.push_back({where, std::string(field), hide_niks(printable(text)),
                        "must be valid UTF-8 without control characters"});
  } else if (holds_nik(text)) {
    problems.push_back({where, std::string(field), hide_niks(text),
                        "holds a NIK: a text must not carry personal data"});
  }
}

void locate(std::vector<Problem>& problems, std::string_view kind, std::string_view id) {
  if (problems.empty()) return;
  const std::string where = std::string(kind) + " " + hide_niks(printable(id, 64));
  for (auto& problem : problems) problem.where = where;
}

std::string describe(std::string_view kind, std::string_view id, std::size_t position) {
  if (is_external_id(id) && !holds_nik(id)) return std::string(kind) + " " + std::string(id);
  return std::string(kind) + " #" + std::to_string(position);
}

}  // namespace balai::detail
