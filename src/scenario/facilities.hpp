// The facilities of the scenario: one function that shapes a facility like a real one of
// its kind (seats, rooms, workshops, owner, name), and the national layout that places
// the published numbers of each kind over the provinces.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "balai/model/facility.hpp"
#include "balai/scenario/options.hpp"
#include "places.hpp"

namespace balai::detail {

// What decides a facility apart from chance. The main UPTD of a province (owned by the
// province, at its capital) and every UPTP offer all workshops, so that a scenario with
// one of them can host every module of the catalog.
struct FacilityDraft {
  FacilityKind kind = FacilityKind::uptd;
  OwnerLevel owner = OwnerLevel::province;
  std::optional<BlkGrade> grade;  // BLK Komunitas only
  const ProvincePlaces* province = nullptr;
  const Seat* seat = nullptr;
  bool at_capital = false;  // sits a couple of km from the seat rather than anywhere near it
};

[[nodiscard]] Facility make_facility(const FacilityDraft& draft, std::string id, Rng& rng);

// "UPTD-32-0007": kind, province and a serial within both.
[[nodiscard]] std::string facility_id(FacilityKind kind, ProvinceCode province, int serial);

// The usual draft of a facility of `kind` in `province`: the first UPTP, UPTD or PLUT of
// a province at its capital (the UPTD and PLUT owned by the province, later ones by
// regencies), an RPB at its pilot's regency or the capital, anything else at a seat
// drawn by population. The grade is left empty.
[[nodiscard]] FacilityDraft draft_facility(FacilityKind kind, const ProvincePlaces& province,
                                           bool first_in_province, Rng& rng);

// Every facility of the options' counts, in kind then province order. Uses its own
// random streams, so the facilities do not change with the number of trainees.
[[nodiscard]] std::vector<Facility> national_facilities(const ScenarioOptions& options,
                                                        const Places& places);

}  // namespace balai::detail
