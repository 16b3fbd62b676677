// Shared space from C++: the scenario's resources over a timetable's window, training
// subtracted first, UMKM requests booked in a live SpaceBook, one booking cancelled, and
// the idle capacity left. Runs as a ctest test on a small scenario; its output is checked.
#include <cstdio>
#include <map>

#include "balai/planning/allocation/allocation.hpp"
#include "balai/planning/space/space_allocation.hpp"
#include "balai/planning/timetable/timetable.hpp"
#include "balai/scenario/indonesia.hpp"
#include "balai/scenario/space.hpp"

int main() {
  const auto dataset = balai::indonesia({.seed = 2027, .trainees = 2'000});
  const auto timetable = balai::timetable(dataset, balai::allocate(dataset));

  // What each facility offers week by week, less what its classes use.
  auto inventory = balai::scenario_inventory(dataset, timetable.window.first(), 13);
  inventory = balai::with_training(std::move(inventory), dataset, timetable);
  const auto requests = balai::scenario_requests(dataset, inventory, {.requests = 5'000});

  balai::SpaceBook book(inventory);
  const auto allocation = book.allocate(requests);
  std::map<balai::RequestStatus, int> statuses;
  for (const auto& outcome : allocation.outcomes) ++statuses[outcome.status];
  std::printf("requests: %zu; served in full: %d; in part: %d\n", requests.size(),
              statuses[balai::RequestStatus::served],
              statuses[balai::RequestStatus::partly_served]);

  // Cancelling a booking frees its capacity and leaves every other booking as it was.
  const auto first = allocation.bookings.front();
  const int before = book.available(first.resource, first.first_week);
  book.cancel(first.id);
  std::printf("cancelled %s: %d more %s free in week %d\n", first.id.c_str(),
              book.available(first.resource, first.first_week) - before,
              balai::unit_of(inventory.resources[first.resource].kind).data(), first.first_week);

  // Units differ by kind, so the idle share is taken over one kind: workshop hours.
  long long capacity = 0;
  long long idle = 0;
  for (const auto& use : balai::utilisation(book.inventory(), book.bookings())) {
    if (inventory.resources[use.resource].kind != balai::ResourceKind::workshop) continue;
    capacity += use.capacity;
    idle += use.idle;
  }
  std::printf("verified: %s; idle: %.0f%% of workshop hours\n",
              balai::verify(book.inventory(), book.bookings()).empty() ? "yes" : "no",
              100.0 * static_cast<double>(idle) / static_cast<double>(capacity));
  return 0;
}
