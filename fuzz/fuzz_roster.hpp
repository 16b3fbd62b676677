// The roster the journal harness opens its input with, and the seed generator writes its
// journals with: four registrations in two cohorts of four weekly sessions.
#pragma once

#include <string>
#include <vector>

#include "balai/tracking/roster.hpp"
#include "fixtures.hpp"

namespace balai::fuzz {

inline Roster journal_roster() {
  using namespace balai::testing;
  constexpr int kRegistrations = 4;
  Batch batch;
  batch.facilities = {make_facility("BLK-3273-001")};
  batch.modules = {make_module("ENT-101"), make_module("ENT-102", {"ENT-101"})};
  for (int i = 0; i < kRegistrations; ++i) {
    batch.trainees.push_back(make_trainee("T-" + std::to_string(i)));
  }
  batch.program = make_program();
  const Dataset dataset(make_regencies(), std::move(batch));
  const std::vector<Date> sessions{Date(2027, 1, 4), Date(2027, 1, 11), Date(2027, 1, 18),
                                   Date(2027, 1, 25)};
  std::vector<Cohort> cohorts{{"C-101", "ENT-101", "BLK-3273-001", sessions, {}},
                              {"C-102", "ENT-102", "BLK-3273-001", sessions, {}}};
  std::vector<Registration> registrations;
  for (int i = 0; i < kRegistrations; ++i) {
    registrations.push_back({"00000000-0000-4000-8000-00000000000" + std::to_string(i + 1),
                             "T-" + std::to_string(i),
                             {"C-101", "C-102"}});
  }
  return Roster(dataset, std::move(cohorts), std::move(registrations));
}

}  // namespace balai::fuzz
