// The live book: bookings by id, and per resource-week what they hold, so that a change
// to one booking is checked against what every other booking leaves.
#include <algorithm>
#include <string>

#include "balai/planning/space/space_allocation.hpp"

namespace balai {
namespace {

std::string where(std::string_view id) { return "booking " + std::string(id); }

}  // namespace

SpaceBook::SpaceBook(SpaceInventory inventory) : inventory_(std::move(inventory)) {
  if (auto problems = check(inventory_); !problems.empty())
    throw ValidationError(std::move(problems));
  booked_.assign(inventory_.resources.size() * static_cast<std::size_t>(inventory_.weeks), 0);
}

std::vector<Booking>::const_iterator SpaceBook::find(std::string_view id) const {
  return std::lower_bound(
      bookings_.begin(), bookings_.end(), id,
      [](const Booking& booking, std::string_view key) { return booking.id < key; });
}

const Booking& SpaceBook::booking(std::string_view id) const {
  const auto it = find(id);
  if (it == bookings_.end() || it->id != id)
    throw UnknownReferenceError("booking", std::string(id));
  return *it;
}

int SpaceBook::booked(std::size_t resource, int week) const {
  if (resource >= inventory_.resources.size() || week < 0 || week >= inventory_.weeks) {
    throw ValidationError(Problem{
        "space book", "resource, week", std::to_string(resource) + ", " + std::to_string(week),
        "outside the inventory's " + std::to_string(inventory_.resources.size()) +
            " resources and " + std::to_string(inventory_.weeks) + " weeks"});
  }
  return booked_[resource * static_cast<std::size_t>(inventory_.weeks) +
                 static_cast<std::size_t>(week)];
}

int SpaceBook::available(std::size_t resource, int week) const {
  const int held = booked(resource, week);  // first: it checks the resource and week
  return inventory_.free(resource, week) - held;
}

void SpaceBook::hold(const Booking& booking, int sign) {
  for (int w = booking.first_week; w < booking.first_week + booking.weeks; ++w) {
    booked_[booking.resource * static_cast<std::size_t>(inventory_.weeks) +
            static_cast<std::size_t>(w)] += sign * booking.amount;
  }
}

SpaceAllocation SpaceBook::allocate(std::span<const SpaceRequest> requests,
                                    const SpaceOptions& options, const ProgressCallback& progress) {
  auto allocation = allocate_space(inventory_, requests, options, bookings_, progress);
  add(allocation.bookings);
  return allocation;
}

void SpaceBook::add(std::span<const Booking> bookings) {
  std::vector<Booking> all = bookings_;
  all.insert(all.end(), bookings.begin(), bookings.end());
  if (auto problems = verify(inventory_, all); !problems.empty())
    throw ValidationError(std::move(problems));
  for (const auto& booking : bookings) hold(booking, +1);
  std::sort(all.begin(), all.end(), [](const Booking& a, const Booking& b) { return a.id < b.id; });
  bookings_ = std::move(all);
}

Booking SpaceBook::cancel(std::string_view id) {
  Booking cancelled = booking(id);
  hold(cancelled, -1);
  bookings_.erase(find(id));
  return cancelled;
}

Booking SpaceBook::change(std::string_view id, int amount, int first_week, int weeks) {
  const Booking& current = booking(id);
  Booking changed = current;
  changed.amount = amount;
  changed.first_week = first_week;
  changed.weeks = weeks;

  std::vector<Problem> problems;
  if (amount < 1 || amount > kMaxSpaceAmount)
    problems.push_back({where(id), "amount", std::to_string(amount),
                        "must be 1.." + std::to_string(kMaxSpaceAmount)});
  if (first_week < 0 || weeks < 1 || weeks > inventory_.weeks - first_week) {
    problems.push_back({where(id), "first_week, weeks",
                        std::to_string(first_week) + ", " + std::to_string(weeks),
                        "must lie within the window's " + std::to_string(inventory_.weeks) +
                            " weeks (weeks count from 0)"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));

  for (int w = first_week; w < first_week + weeks; ++w) {
    const bool own_week = w >= current.first_week && w < current.first_week + current.weeks;
    const int left = available(current.resource, w) + (own_week ? current.amount : 0);
    if (amount > left) {
      problems.push_back({where(id), "amount", std::to_string(amount),
                          "week " + std::to_string(w) + " has " + std::to_string(left) + " " +
                              std::string(unit_of(inventory_.resources[current.resource].kind)) +
                              " left for it"});
    }
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));

  hold(current, -1);
  hold(changed, +1);
  const auto position = static_cast<std::size_t>(find(id) - bookings_.begin());
  bookings_[position] = changed;
  return changed;
}

}  // namespace balai
