#include "problem_file.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "balai/core/error.hpp"

namespace balai::bench {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the problem file is little-endian and written as the arrays lie in memory");

constexpr std::array<char, 8> kMagic{'B', 'A', 'L', 'A', 'I', 'A', 'P', '1'};

template <class T>
void put(std::ofstream& out, const std::vector<T>& values) {
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(T)));
}

template <class T>
std::vector<T> take(std::ifstream& in, std::uint64_t count, const std::filesystem::path& file) {
  std::vector<T> values(count);
  if (!in.read(reinterpret_cast<char*>(values.data()),
               static_cast<std::streamsize>(count * sizeof(T)))) {
    throw FormatError(file.string() + ": truncated allocation problem");
  }
  return values;
}

}  // namespace

void write_problem(const AllocationProblem& problem, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary);
  out.write(kMagic.data(), kMagic.size());
  const std::vector<std::uint64_t> counts{problem.trainees(), problem.facilities(), problem.arcs(),
                                          problem.quotas.size()};
  put(out, counts);
  put(out, problem.capacity);
  put(out, problem.province);
  put(out, problem.bonus_m);
  put(out, problem.first_arc);
  std::vector<std::uint32_t> arc_facility;
  arc_facility.reserve(problem.arcs());
  for (const FacilityIndex facility : problem.arc_facility)
    arc_facility.push_back(facility.value());
  put(out, arc_facility);
  put(out, problem.arc_cost_m);
  std::vector<std::int32_t> quotas;
  for (const ProvinceQuota& quota : problem.quotas) {
    quotas.insert(quotas.end(), {quota.province.value(), quota.min_placed, quota.max_placed});
  }
  put(out, quotas);
  if (!out.flush()) throw Error(file.string() + ": cannot write the allocation problem");
}

AllocationProblem read_problem(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::array<char, 8> magic{};
  if (!in.read(magic.data(), magic.size()) || magic != kMagic) {
    throw FormatError(file.string() + ": not an allocation problem (no BALAIAP1 magic)");
  }
  const auto counts = take<std::uint64_t>(in, 4, file);
  const auto [trainees, facilities, arcs, quota_count] =
      std::array{counts[0], counts[1], counts[2], counts[3]};
  const std::uint64_t expected =
      kMagic.size() + 4 * sizeof(std::uint64_t) + facilities * sizeof(int) +
      trainees * (sizeof(ProvinceCode) + sizeof(std::int32_t)) +
      (trainees + 1) * sizeof(std::uint32_t) + arcs * 2 * sizeof(std::uint32_t) +
      quota_count * 3 * sizeof(std::int32_t);
  if (std::filesystem::file_size(file) != expected) {
    throw FormatError(file.string() + ": " + std::to_string(std::filesystem::file_size(file)) +
                      " bytes where the counts say " + std::to_string(expected));
  }
  AllocationProblem problem;
  problem.capacity = take<int>(in, facilities, file);
  problem.province = take<ProvinceCode>(in, trainees, file);
  problem.bonus_m = take<std::int32_t>(in, trainees, file);
  problem.first_arc = take<std::uint32_t>(in, trainees + 1, file);
  const auto arc_facility = take<std::uint32_t>(in, arcs, file);
  problem.arc_facility.reserve(arcs);
  for (const std::uint32_t facility : arc_facility) problem.arc_facility.emplace_back(facility);
  problem.arc_cost_m = take<std::int32_t>(in, arcs, file);
  const auto quotas = take<std::int32_t>(in, 3 * quota_count, file);
  for (std::size_t q = 0; q < quotas.size(); q += 3) {
    problem.quotas.push_back({static_cast<ProvinceCode>(quotas[q]), quotas[q + 1], quotas[q + 2]});
  }
  problem.check();
  return problem;
}

}  // namespace balai::bench
