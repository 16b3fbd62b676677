#include "balai/model/trainee.hpp"

#include <cstdint>

#include "balai/core/text.hpp"
#include "balai/model/places.hpp"
#include "text_checks.hpp"

namespace balai {
namespace {

constexpr Rupiah kBillion = 1'000'000'000;

void check_amount(Rupiah amount, const char* field) {
  if (amount < 0) {
    throw ValidationError(Problem{"", field, std::to_string(amount), "must not be negative"});
  }
}

// Classifies against ascending upper bounds (inclusive) for micro, small and medium.
std::optional<UmkmClass> classify(Rupiah amount, Rupiah micro, Rupiah small, Rupiah medium) {
  if (amount <= micro) return UmkmClass::micro;
  if (amount <= small) return UmkmClass::small;
  if (amount <= medium) return UmkmClass::medium;
  return std::nullopt;
}

}  // namespace

std::optional<UmkmClass> umkm_class_by_capital(Rupiah capital) {
  check_amount(capital, "capital");
  return classify(capital, 1 * kBillion, 5 * kBillion, 10 * kBillion);
}

std::optional<UmkmClass> umkm_class_by_sales(Rupiah annual_sales) {
  check_amount(annual_sales, "annual_sales");
  return classify(annual_sales, 2 * kBillion, 15 * kBillion, 50 * kBillion);
}

bool is_kbli_code(std::string_view code) noexcept {
  if (code.size() == 1) return code[0] >= 'A' && code[0] <= 'U';
  if (code.size() < 2 || code.size() > 5) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<Need> AccessibilityNeeds::list() const {
  std::vector<Need> needs;
  for (std::size_t i = 0; i < EnumNames<Need>::names.size(); ++i) {
    const auto need = static_cast<Need>(i);
    if (has(need)) needs.push_back(need);
  }
  return needs;
}

std::vector<Problem> check(const Trainee& trainee, std::optional<int> reference_year) {
  std::vector<Problem> problems;
  const std::string where;  // filled in by locate() once something is wrong
  detail::check_id(problems, where, "id", trainee.id);
  if (reference_year) {
    // In 64 bits: a birth year from a damaged snapshot can be any int (fuzz-found overflow).
    const std::int64_t age = std::int64_t{*reference_year} - trainee.birth_year;
    if (age < kMinAge || age > kMaxAge) {
      problems.push_back({where, "birth_year", std::to_string(trainee.birth_year),
                          "gives an age of " + std::to_string(age) + " in " +
                              std::to_string(*reference_year) + ", outside " +
                              std::to_string(kMinAge) + "-" + std::to_string(kMaxAge)});
    }
  } else if (trainee.birth_year < 1900 || trainee.birth_year > 2100) {
    problems.push_back({where, "birth_year", std::to_string(trainee.birth_year),
                        "must lie between 1900 and 2100"});
  }
  if (!is_province_code(trainee.province)) {
    problems.push_back({where, "province", trainee.province.to_string(), "not a province code"});
  }
  if (trainee.regency && trainee.regency->province() != trainee.province) {
    problems.push_back({where, "regency", trainee.regency->to_string(),
                        "lies outside province " + trainee.province.to_string()});
  }
  if (auto outside = outside_indonesia(trainee.location)) problems.push_back(std::move(*outside));
  if (!is_kbli_code(trainee.sector.code)) {
    problems.push_back({where, "sector", printable(trainee.sector.code),
                        "a KBLI code is a section letter A-U or 2 to 5 digits"});
  }
  if (trainee.nik) {
    // A ProtectedNik built field by field (a snapshot's) has not met from_parts' check.
    if (const auto defect = masked_nik_defect(trainee.nik->masked); !defect.empty()) {
      problems.push_back({where, "nik_masked", mask_nik(trainee.nik->masked), defect});
    }
  }
  detail::locate(problems, "trainee", trainee.id);
  return problems;
}

}  // namespace balai
