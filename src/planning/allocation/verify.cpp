#include "balai/planning/allocation/verify.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string>

namespace balai {
namespace {

using PerProvince = std::array<std::int64_t, kProvinceCodes>;
constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max();

std::string trainee_at(std::size_t t) { return "trainee " + std::to_string(t); }
std::string facility_at(std::size_t f) { return "facility " + std::to_string(f); }
std::string province_at(std::size_t p) { return "province " + std::to_string(p); }

// Prices come from the caller and may be anything; a sum that overflows is no option.
std::int64_t add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return a > 0 ? kInfinity : -kInfinity;
  return sum;
}

class Verifier {
 public:
  Verifier(const AllocationProblem& problem, const AllocationSolution& solution)
      : problem_(problem), solution_(solution) {}

  std::vector<Problem> run() {
    if (!check_sizes()) return std::move(problems_);
    const bool assignment_ok = check_assignment();
    check_quota_maxima();
    if (assignment_ok) check_cost();
    if (has_prices() && check_price_sizes()) {
      check_facility_prices();
      if (assignment_ok) check_cheapest_options();
      check_province_prices();
    }
    return std::move(problems_);
  }

 private:
  bool has_prices() const {
    return !solution_.facility_price.empty() || !solution_.province_price.empty();
  }

  bool check_sizes() {
    if (solution_.facility.size() == problem_.trainees()) return true;
    problems_.push_back({"allocation solution", "facility",
                         std::to_string(solution_.facility.size()) + " entries",
                         "needs one per trainee (" + std::to_string(problem_.trainees()) + ")"});
    return false;
  }

  bool check_price_sizes() {
    const std::size_t before = problems_.size();
    if (solution_.facility_price.size() != problem_.facilities()) {
      problems_.push_back(
          {"allocation solution", "facility_price",
           std::to_string(solution_.facility_price.size()) + " entries",
           "needs one per facility (" + std::to_string(problem_.facilities()) + ")"});
    }
    if (solution_.province_price.size() != kProvinceCodes) {
      problems_.push_back({"allocation solution", "province_price",
                           std::to_string(solution_.province_price.size()) + " entries",
                           "needs one per province code (" + std::to_string(kProvinceCodes) + ")"});
    }
    return problems_.size() == before;
  }

  // The arc of trainee t to its facility, or nullopt (and a Problem) if there is none.
  std::optional<std::size_t> arc_of(std::size_t t) {
    const std::int32_t facility = solution_.facility[t];
    if (facility >= 0) {
      const auto candidates = problem_.candidates(t);
      const auto it = std::find(candidates.begin(), candidates.end(),
                                FacilityIndex(static_cast<std::uint32_t>(facility)));
      if (it != candidates.end()) {
        return problem_.first_arc[t] + static_cast<std::size_t>(it - candidates.begin());
      }
    }
    problems_.push_back({trainee_at(t), "facility", std::to_string(facility),
                         "not one of the trainee's candidate facilities"});
    return std::nullopt;
  }

  bool check_assignment() {
    bool ok = true;
    load_.assign(problem_.facilities(), 0);
    for (std::size_t t = 0; t < problem_.trainees(); ++t) {
      ++trainees_of_[problem_.province[t].pos()];
      if (solution_.facility[t] == AllocationSolution::kUnplaced) {
        ++unplaced_of_[problem_.province[t].pos()];
      } else if (arc_of(t)) {
        ++load_[static_cast<std::size_t>(solution_.facility[t])];
      } else {
        ok = false;
      }
    }
    for (std::size_t f = 0; f < problem_.facilities(); ++f) {
      if (load_[f] > problem_.capacity[f]) {
        problems_.push_back({facility_at(f), "load", std::to_string(load_[f]),
                             "above capacity " + std::to_string(problem_.capacity[f])});
      }
    }
    return ok;
  }

  // A province placed above its maximum is never forced: leaving trainees out meets it.
  void check_quota_maxima() {
    for (const ProvinceQuota& quota : problem_.quotas) {
      const std::int64_t placed =
          trainees_of_[quota.province.pos()] - unplaced_of_[quota.province.pos()];
      if (placed > quota.max_placed) {
        problems_.push_back({province_at(quota.province.pos()), "placed", std::to_string(placed),
                             "above the quota's max_placed " + std::to_string(quota.max_placed)});
      }
    }
  }

  void check_cost() {
    const std::int64_t expected = objective(problem_, solution_.facility);
    if (solution_.cost != expected) {
      problems_.push_back({"allocation solution", "cost", std::to_string(solution_.cost),
                           "the assignment's objective is " + std::to_string(expected)});
    }
  }

  void check_facility_prices() {
    for (std::size_t f = 0; f < problem_.facilities(); ++f) {
      const std::int64_t price = solution_.facility_price[f];
      if (price < 0) {
        problems_.push_back(
            {facility_at(f), "facility_price", std::to_string(price), "must not be negative"});
      } else if (price > 0 && load_[f] < problem_.capacity[f]) {
        problems_.push_back({facility_at(f), "facility_price", std::to_string(price),
                             "positive, but the facility has room (load " +
                                 std::to_string(load_[f]) + " of " +
                                 std::to_string(problem_.capacity[f]) + ")"});
      }
    }
  }

  // Reduced costs: the option a trainee takes costs no more than any other it has.
  void check_cheapest_options() {
    const std::int64_t penalty = problem_.unplaced_penalty();
    for (std::size_t t = 0; t < problem_.trainees(); ++t) {
      const std::int64_t unplaced =
          add(penalty + problem_.bonus_m[t], solution_.province_price[problem_.province[t].pos()]);
      std::int64_t cheapest = unplaced;
      std::int64_t taken = unplaced;
      std::string cheapest_name = "unplaced";
      for (std::uint32_t a = problem_.first_arc[t]; a < problem_.first_arc[t + 1]; ++a) {
        const std::size_t f = problem_.arc_facility[a].pos();
        const std::int64_t option = add(problem_.arc_cost_m[a], solution_.facility_price[f]);
        if (static_cast<std::int64_t>(f) == solution_.facility[t]) taken = option;
        if (option < cheapest) {
          cheapest = option;
          cheapest_name = "facility " + std::to_string(f);
        }
      }
      if (taken > cheapest) {
        problems_.push_back({trainee_at(t), "facility", std::to_string(solution_.facility[t]),
                             "costs " + std::to_string(taken) + " at these prices, but " +
                                 cheapest_name + " costs " + std::to_string(cheapest)});
      }
    }
  }

  // The unplaced node's price is a subgradient of the province's quota cost at its
  // unplaced count u: slopes -Q below L = n - max_placed, 0 up to U = n - min_placed,
  // +Q beyond.
  void check_province_prices() {
    PerProvince lower{};               // L
    PerProvince upper = trainees_of_;  // U
    for (const ProvinceQuota& quota : problem_.quotas) {
      const std::int64_t n = trainees_of_[quota.province.pos()];
      lower[quota.province.pos()] = std::max<std::int64_t>(0, n - quota.max_placed);
      upper[quota.province.pos()] = n - quota.min_placed;
    }
    const std::int64_t q = problem_.quota_penalty();
    for (std::size_t p = 0; p < kProvinceCodes; ++p) {
      if (trainees_of_[p] == 0) continue;  // no unplaced node, no condition
      const std::int64_t u = unplaced_of_[p];
      const std::int64_t left = u == 0 ? -kInfinity : u <= lower[p] ? -q : u <= upper[p] ? 0 : q;
      const std::int64_t right = u < lower[p] ? -q : u < upper[p] ? 0 : q;
      const std::int64_t price = solution_.province_price[p];
      if (price < left || price > right) {
        problems_.push_back({province_at(p), "province_price", std::to_string(price),
                             "outside the quota cost's slopes [" +
                                 (u == 0 ? std::string("-inf") : std::to_string(left)) + ", " +
                                 std::to_string(right) + "] at " + std::to_string(u) +
                                 " unplaced"});
      }
    }
  }

  const AllocationProblem& problem_;
  const AllocationSolution& solution_;
  std::vector<Problem> problems_;
  std::vector<int> load_;
  PerProvince trainees_of_{};
  PerProvince unplaced_of_{};
};

}  // namespace

std::vector<Problem> verify(const AllocationProblem& problem, const AllocationSolution& solution) {
  problem.check();
  return Verifier(problem, solution).run();
}

}  // namespace balai
