#include "balai/model/facility.hpp"

#include "balai/core/text.hpp"
#include "balai/model/places.hpp"
#include "text_checks.hpp"

namespace balai {

bool owner_fits_kind(FacilityKind kind, OwnerLevel owner) noexcept {
  switch (kind) {
    case FacilityKind::uptp: return owner == OwnerLevel::central;
    case FacilityKind::uptd:
    case FacilityKind::plut: return owner == OwnerLevel::province || owner == OwnerLevel::regency;
    case FacilityKind::blk_komunitas: return owner == OwnerLevel::community;
    case FacilityKind::rpb: return owner != OwnerLevel::community;
  }
  return false;
}

bool is_feature_tag(std::string_view tag) noexcept {
  if (tag.empty() || tag.size() > 40) return false;
  for (char c : tag) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::vector<Problem> check(const Facility& facility) {
  std::vector<Problem> problems;
  const std::string where;  // filled in by locate() once something is wrong
  detail::check_id(problems, where, "id", facility.id);
  detail::check_text(problems, where, "name", facility.name);
  if (!owner_fits_kind(facility.kind, facility.owner)) {
    problems.push_back({where, "owner", std::string(name_of(facility.owner)),
                        "a " + std::string(name_of(facility.kind)) + " cannot have this owner"});
  }
  if (facility.kind == FacilityKind::blk_komunitas && !facility.grade) {
    problems.push_back({where, "grade", "", "a BLK Komunitas needs a grade"});
  }
  if (facility.kind != FacilityKind::blk_komunitas && facility.grade) {
    problems.push_back({where, "grade", std::string(name_of(*facility.grade)),
                        "only a BLK Komunitas has a grade"});
  }
  if (!is_province_code(facility.province)) {
    problems.push_back({where, "province", facility.province.to_string(), "not a province code"});
  }
  if (facility.regency && facility.regency->province() != facility.province) {
    problems.push_back({where, "regency", facility.regency->to_string(),
                        "lies outside province " + facility.province.to_string()});
  }
  if (auto outside = outside_indonesia(facility.location)) problems.push_back(std::move(*outside));
  if (facility.rooms < 0) {
    problems.push_back({where, "rooms", std::to_string(facility.rooms), "must not be negative"});
  }
  if (facility.seats < 0) {
    problems.push_back({where, "seats", std::to_string(facility.seats), "must not be negative"});
  }
  if (facility.rooms == 0 && facility.seats > 0) {
    problems.push_back(
        {where, "seats", std::to_string(facility.seats), "seats need at least one room"});
  }
  for (const auto& tag : facility.features) {
    if (!is_feature_tag(tag)) {
      problems.push_back({where, "features", printable(tag),
                          "a feature tag is 1-40 characters of a-z, 0-9 and _"});
    }
  }
  detail::locate(problems, "facility", facility.id);
  return problems;
}

}  // namespace balai
