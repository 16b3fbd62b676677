// From grants to bookings and outcomes: what each request got, and why not the rest.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>

#include "balai/core/enum_names.hpp"
#include "space_steps.hpp"

namespace balai::detail {
namespace {

std::string km(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f km", value);
  return text;
}

std::string weeks_text(const SpaceRequest& request) {
  const int last = request.first_week + request.weeks - 1;
  return request.weeks == 1
             ? "week " + std::to_string(request.first_week)
             : "weeks " + std::to_string(request.first_week) + "-" + std::to_string(last);
}

std::string what(const SpaceRequest& request) {
  std::string text(name_of(request.kind));
  if (!request.label.empty()) text += ":" + request.label;
  return text;
}

double distance_to(const SpaceCandidates& candidates, std::size_t request, std::uint32_t resource) {
  for (const auto& candidate : candidates.of(request))
    if (candidate.resource == resource) return candidate.distance_km;
  return 0.0;  // unreachable: every grant goes to a candidate
}

// The request's bookings from its grants (sorted by resource, then week).
std::vector<Booking> bookings_of(const SpaceRequest& request, std::size_t r,
                                 std::span<const Grant> grants, const SpaceCandidates& candidates) {
  std::vector<Booking> bookings;
  for (const Grant& grant : grants) {
    Booking* last = bookings.empty() ? nullptr : &bookings.back();
    if (last && last->resource == grant.resource && last->amount == grant.amount &&
        last->first_week + last->weeks == grant.week) {
      ++last->weeks;
      continue;
    }
    bookings.push_back({"", request.id, grant.resource, grant.week, 1, grant.amount,
                        distance_to(candidates, r, grant.resource)});
  }
  std::sort(bookings.begin(), bookings.end(), [](const Booking& a, const Booking& b) {
    return std::tie(a.first_week, a.distance_km, a.resource) <
           std::tie(b.first_week, b.distance_km, b.resource);
  });
  for (std::size_t n = 0; n < bookings.size(); ++n)
    bookings[n].id = request.id + "/" + std::to_string(n + 1);
  return bookings;
}

RequestOutcome outcome_of(const SpaceRequest& request, std::size_t r,
                          std::span<const Booking> bookings, const SpaceCandidates& candidates,
                          const SpaceOptions& options) {
  RequestOutcome outcome;
  outcome.requested = std::int64_t{request.amount} * request.weeks;
  for (const auto& booking : bookings)
    outcome.served += std::int64_t{booking.amount} * booking.weeks;
  const std::string unit(unit_of(request.kind));
  const auto reach = " within " + km(request.max_distance_km);
  const std::size_t count = candidates.of(r).size();

  if (outcome.served == outcome.requested) {
    outcome.status = RequestStatus::served;
  } else if (count == 0 && std::isnan(candidates.nearest_km[r])) {
    outcome.status = RequestStatus::no_resource;
    outcome.detail = "no site offers " + what(request) +
                     (options.same_island_group ? " on the request's island group" : "");
  } else if (count == 0) {
    outcome.status = RequestStatus::out_of_range;
    outcome.detail = "no " + what(request) + reach + "; the nearest is " +
                     km(candidates.nearest_km[r]) + " away";
  } else if (outcome.served > 0) {
    outcome.status = RequestStatus::partly_served;
    outcome.detail = std::to_string(outcome.served) + " of " + std::to_string(outcome.requested) +
                     " " + unit + " served; the " + std::to_string(count) + " candidates" + reach +
                     " had no more free in " + weeks_text(request);
  } else {
    outcome.status = RequestStatus::capacity;
    outcome.detail = request.splittable
                         ? "the " + std::to_string(count) + " candidates" + reach +
                               " had nothing free in " + weeks_text(request)
                         : "none of the " + std::to_string(count) + " candidates" + reach +
                               " had " + std::to_string(request.amount) + " " + unit + " free in " +
                               (request.weeks == 1 ? "" : "each of ") + weeks_text(request);
  }
  return outcome;
}

}  // namespace

SpaceAllocation collect(std::span<const SpaceRequest> requests, const SpaceCandidates& candidates,
                        const SpaceOptions& options, std::vector<Grant> grants) {
  std::sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) {
    return std::tie(a.request, a.resource, a.week) < std::tie(b.request, b.resource, b.week);
  });
  SpaceAllocation allocation;
  allocation.options = options;
  allocation.outcomes.reserve(requests.size());
  auto begin = grants.begin();
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const auto end =
        std::find_if(begin, grants.end(), [&](const Grant& grant) { return grant.request != r; });
    const auto bookings = bookings_of(requests[r], r, {begin, end}, candidates);
    begin = end;
    auto outcome = outcome_of(requests[r], r, bookings, candidates, options);
    allocation.requested += outcome.requested;
    allocation.served += outcome.served;
    for (const auto& booking : bookings)
      allocation.unit_km += booking.distance_km * booking.amount * booking.weeks;
    allocation.bookings.insert(allocation.bookings.end(), bookings.begin(), bookings.end());
    allocation.outcomes.push_back(std::move(outcome));
  }
  return allocation;
}

}  // namespace balai::detail
