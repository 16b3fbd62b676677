// Which UMKM uses which facility's free capacity, week by week. `allocate_space` serves
// requests from what training and existing bookings leave free, by priority:
//
//   - requests fall into tiers: graduates of the program before everyone else (unless
//     `graduates_first` is off), then by `priority`, highest first. A tier is served
//     before the next one is looked at, and its bookings never give way to a lower tier's;
//   - within a tier, requests that cannot be split are placed first, whole: the full
//     amount in every requested week at one facility, the nearest candidate that has it
//     free, larger requests (amount x weeks) first. This part is a greedy heuristic (the
//     problem is a multi-dimensional knapsack); `bench/README.md` and the tests measure it
//     against exhaustive search on small instances;
//   - then the tier's splittable requests, each week on its own, as a min-cost flow over
//     time-expanded capacity (one node per resource and week): the most units served,
//     then the least travel (units x km). This part is exact.
//
// A candidate is a resource of the request's kind and label within max_distance_km (and on
// the request's island group unless `same_island_group` is off), the k nearest. Each
// request gets an outcome: served, partly served, or why not.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"
#include "balai/planning/progress.hpp"
#include "balai/planning/space/space.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct SpaceOptions {
  bool graduates_first = true;  // graduates before others of any priority
  int k = 16;                   // candidate resources per request, nearest first
  bool same_island_group = true;
  int threads = 0;  // 0: every core; never changes the result

  friend bool operator==(const SpaceOptions&, const SpaceOptions&) = default;
};

[[nodiscard]] std::vector<Problem> check(const SpaceOptions& options);

enum class RequestStatus : std::uint8_t {
  served,         // every unit of every week
  partly_served,  // some units: candidates ran out of free capacity
  no_resource,    // no site offers the kind and label at all
  out_of_range,   // none within max_distance_km (on the island group)
  capacity,       // candidates exist, but none had the amount free in the weeks asked
};

template <>
struct EnumNames<RequestStatus> {
  static constexpr std::array<std::string_view, 5> names{"served", "partly_served", "no_resource",
                                                         "out_of_range", "capacity"};
};

struct RequestOutcome {
  std::int64_t requested = 0;  // amount x weeks
  std::int64_t served = 0;     // units booked over all weeks
  RequestStatus status = RequestStatus::served;
  std::string detail{};  // a sentence with the numbers; empty when served

  friend bool operator==(const RequestOutcome&, const RequestOutcome&) = default;
};

struct SpaceAllocation {
  SpaceOptions options{};
  std::vector<Booking> bookings{};         // the new bookings, by request order, then id
  std::vector<RequestOutcome> outcomes{};  // per request, in request order
  std::int64_t requested = 0;              // units over all requests
  std::int64_t served = 0;
  double unit_km = 0.0;  // travel: units x km over the new bookings

  friend bool operator==(const SpaceAllocation&, const SpaceAllocation&) = default;
};

// ValidationError (naming each request by position and id) for bad options, bad requests,
// duplicate request ids, a request id that `existing` already books, weeks outside the
// inventory's window; for an inventory that does not check, or `existing` bookings that do
// not verify against it. Existing bookings keep their capacity and are never changed.
[[nodiscard]] SpaceAllocation allocate_space(const SpaceInventory& inventory,
                                             std::span<const SpaceRequest> requests,
                                             const SpaceOptions& options = {},
                                             std::span<const Booking> existing = {},
                                             const ProgressCallback& progress = {});

// The live book of bookings on one inventory. Every change is all or nothing: on an error
// the book is as it was. Cancelling or changing a booking frees or takes capacity without
// touching any other booking.
class SpaceBook {
 public:
  // ValidationError when the inventory does not check.
  explicit SpaceBook(SpaceInventory inventory);

  [[nodiscard]] const SpaceInventory& inventory() const noexcept { return inventory_; }
  // Ascending by id.
  [[nodiscard]] const std::vector<Booking>& bookings() const noexcept { return bookings_; }
  // UnknownReferenceError when no booking has the id.
  [[nodiscard]] const Booking& booking(std::string_view id) const;
  [[nodiscard]] int booked(std::size_t resource, int week) const;
  // What is left for new bookings: free capacity less bookings.
  [[nodiscard]] int available(std::size_t resource, int week) const;

  // Allocates the requests around the current bookings and keeps the new ones.
  SpaceAllocation allocate(std::span<const SpaceRequest> requests, const SpaceOptions& options = {},
                           const ProgressCallback& progress = {});
  // Adds bookings made elsewhere; ValidationError if any is bad or together they over-book.
  void add(std::span<const Booking> bookings);
  // Removes the booking and returns it; UnknownReferenceError when no booking has the id.
  Booking cancel(std::string_view id);
  // Gives the booking a new amount and weeks, keeping its id, resource and request;
  // ValidationError naming the week when the resource has too little left (the booking's
  // own capacity counts as left), UnknownReferenceError for an unknown id.
  Booking change(std::string_view id, int amount, int first_week, int weeks);

  friend bool operator==(const SpaceBook&, const SpaceBook&) = default;

 private:
  void hold(const Booking& booking, int sign);
  [[nodiscard]] std::vector<Booking>::const_iterator find(std::string_view id) const;

  SpaceInventory inventory_;
  std::vector<Booking> bookings_{};
  std::vector<int> booked_{};  // per resource and week, resource-major
};

}  // namespace balai
BALAI_EXPORT_END
