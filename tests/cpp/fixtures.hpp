// Small hand-made entities for the tests: valid by default, so each test changes only
// the field it is about.
#pragma once

#include "balai/model/dataset.hpp"

namespace balai::testing {

inline Facility make_facility(std::string id, std::vector<std::string> features = {"classroom"}) {
  Facility facility;
  facility.id = std::move(id);
  facility.name = "BLK " + facility.id;
  facility.kind = FacilityKind::uptd;
  facility.owner = OwnerLevel::province;
  facility.location = GeoPoint(-6.9217, 107.6060);
  facility.province = 32;
  facility.regency = RegencyCode(3273);
  facility.rooms = 4;
  facility.seats = 80;
  facility.features = std::move(features);
  return facility;
}

inline Module make_module(std::string code, std::vector<std::string> prerequisites = {},
                          std::vector<Track> tracks = {Track::umkm_owner,
                                                       Track::new_entrepreneur}) {
  Module module;
  module.code = std::move(code);
  module.title = "Module " + module.code;
  module.hours_jp = 16;
  module.prerequisites = std::move(prerequisites);
  module.required_features = {"classroom"};
  module.tracks = std::move(tracks);
  return module;
}

inline Trainee make_trainee(std::string id) {
  Trainee trainee;
  trainee.id = std::move(id);
  trainee.gender = Gender::female;
  trainee.birth_year = 1990;
  trainee.province = 32;
  trainee.regency = RegencyCode(3273);
  trainee.location = GeoPoint(-6.90, 107.62);
  trainee.track = Track::umkm_owner;
  trainee.umkm_class = UmkmClass::micro;
  trainee.sector = Kbli{KbliVersion::kbli2020, "10792"};
  return trainee;
}

inline Program make_program() {
  Program program;
  program.name = "Pelatihan Kewirausahaan Nasional";
  program.ministries = {"Kementerian UMKM", "Kementerian Ketenagakerjaan"};
  program.phases = {Phase{"pilot", DateRange(Date(2027, 1, 4), Date(2027, 4, 4))},
                    Phase{"rollout", DateRange(Date(2027, 4, 5), Date(2027, 12, 31))}};
  return program;
}

inline std::vector<Regency> make_regencies() {
  return {Regency{RegencyCode(3273), "Kota Bandung", GeoPoint(-6.9147, 107.6098), 2591763},
          Regency{RegencyCode(3204), "Kabupaten Bandung", GeoPoint(-7.0251, 107.5197), 3753120},
          Regency{RegencyCode(3578), "Kota Surabaya", GeoPoint(-7.2575, 112.7521), 3017382}};
}

}  // namespace balai::testing
