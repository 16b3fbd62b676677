#include <algorithm>
#include <string>
#include <unordered_set>

#include "balai/core/error.hpp"
#include "balai/model/nik.hpp"
#include "space_steps.hpp"

namespace balai::detail {
namespace {

std::string request_label(std::size_t position, const SpaceRequest& request) {
  return "request " + std::to_string(position) + " (" + hide_niks(request.id) + ")";
}

// Booking ids already taken, and the requests they serve: a new request may not reuse
// either, since its bookings are numbered "<request id>/<n>".
class TakenIds {
 public:
  explicit TakenIds(std::span<const Booking> existing) {
    for (const auto& booking : existing) {
      requests_.insert(booking.request);
      const auto slash = booking.id.rfind('/');
      if (slash != std::string::npos) prefixes_.insert(booking.id.substr(0, slash));
    }
  }
  [[nodiscard]] bool taken(const std::string& request) const {
    return requests_.contains(request) || prefixes_.contains(request);
  }

 private:
  std::unordered_set<std::string> requests_;
  std::unordered_set<std::string> prefixes_;
};

}  // namespace

void check_inputs(const SpaceInventory& inventory, std::span<const SpaceRequest> requests,
                  const SpaceOptions& options, std::span<const Booking> existing) {
  std::vector<Problem> problems = check(options);
  const auto add = [&](std::vector<Problem> more) {
    problems.insert(problems.end(), more.begin(), more.end());
  };
  add(check(inventory));
  if (!problems.empty()) throw ValidationError(std::move(problems));
  add(verify(inventory, existing));

  const TakenIds taken(existing);
  std::unordered_set<std::string> seen;
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const SpaceRequest& request = requests[r];
    const std::string where = request_label(r, request);
    for (auto problem : check(request)) {
      problem.where = where;
      problems.push_back(std::move(problem));
    }
    if (request.first_week >= 0 && request.weeks >= 1 &&
        request.first_week + request.weeks > inventory.weeks) {
      problems.push_back({where, "weeks",
                          std::to_string(request.first_week) + "+" + std::to_string(request.weeks),
                          "ends after the window's " + std::to_string(inventory.weeks) +
                              " weeks (weeks count from 0)"});
    }
    if (!seen.insert(request.id).second)
      problems.push_back({where, "id", request.id, "appears twice among the requests"});
    if (taken.taken(request.id))
      problems.push_back({where, "id", request.id, "already has bookings"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
}

void check_fits(std::int64_t units, std::int64_t unit_cost) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  if (units > 0 && unit_cost > kLimit / units) {
    throw ValidationError(Problem{"requests", "amount", std::to_string(units),
                                  "one week's requests for one kind of resource ask for more "
                                  "units than the exact allocation can weigh; split the batch"});
  }
}

}  // namespace balai::detail
