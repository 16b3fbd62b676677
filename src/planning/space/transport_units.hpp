// Where a transportation problem's units are while the solver moves them (transport.cpp):
// the units at every option, the bins' loads and prices. Internal to src/planning/space.
//
// An "option" is where a demand's units can be: one of its arcs, or its unserved slot.
// Options are numbered arcs first (0..A-1), then one unserved slot per demand (A + d), so
// one vector holds both and an option names its demand. The unserved slots together form
// one more bin, after the facilities, with no capacity limit and price 0.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "transport.hpp"

namespace balai::detail::transport {

inline constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

class Units {
 public:
  // Every unit in its demand's unserved slot, every price 0.
  explicit Units(const TransportProblem& problem)
      : problem_(problem),
        arcs_(static_cast<std::uint32_t>(problem.arc_bin.size())),
        unserved_bin_(static_cast<std::uint32_t>(problem.bins())),
        demand_of_arc_(arcs_),
        flow_(arcs_ + problem.demands(), 0),
        has_units_(flow_.size(), false),
        load_(problem.bins(), 0),
        price_(problem.bins() + 1, 0) {
    for (std::uint32_t d = 0; d < problem.demands(); ++d) {
      std::fill(demand_of_arc_.begin() + problem.first_arc[d],
                demand_of_arc_.begin() + problem.first_arc[d + 1], d);
      flow_[unserved_slot(d)] = problem.supply[d];
      has_units_[unserved_slot(d)] = problem.supply[d] > 0;
    }
  }

  [[nodiscard]] const TransportProblem& problem() const noexcept { return problem_; }
  [[nodiscard]] std::uint32_t facilities() const noexcept { return unserved_bin_; }
  [[nodiscard]] std::uint32_t bins() const noexcept { return unserved_bin_ + 1; }
  [[nodiscard]] std::uint32_t unserved_bin() const noexcept { return unserved_bin_; }

  [[nodiscard]] std::int64_t excess(std::uint32_t facility) const noexcept {
    return load_[facility] - problem_.capacity[facility];
  }
  // How many more units the bin takes at its current price.
  [[nodiscard]] std::int64_t room(std::uint32_t bin) const noexcept {
    return bin == unserved_bin_ ? kUnbounded : -excess(bin);
  }
  [[nodiscard]] std::int64_t price(std::uint32_t bin) const noexcept { return price_[bin]; }
  void add_to_price(std::uint32_t bin, std::int64_t delta) noexcept { price_[bin] += delta; }

  [[nodiscard]] std::uint32_t unserved_slot(std::uint32_t demand) const noexcept {
    return arcs_ + demand;
  }
  [[nodiscard]] std::uint32_t demand_of(std::uint32_t option) const noexcept {
    return option < arcs_ ? demand_of_arc_[option] : option - arcs_;
  }
  [[nodiscard]] std::uint32_t bin_of(std::uint32_t option) const noexcept {
    return option < arcs_ ? problem_.arc_bin[option] : unserved_bin_;
  }
  [[nodiscard]] std::int64_t cost(std::uint32_t option) const noexcept {
    return option < arcs_ ? problem_.arc_cost[option] : problem_.unserved_cost[option - arcs_];
  }
  [[nodiscard]] std::int64_t flow(std::uint32_t option) const noexcept { return flow_[option]; }
  // Per option, whether it has units: what a search checks for every move it reads, small
  // enough to stay in cache where flow_ is not.
  [[nodiscard]] bool has_units(std::uint32_t option) const noexcept { return has_units_[option]; }

  // Calls visit(option) for each of the demand's arcs, then its unserved slot.
  template <class Visit>
  void for_each_option(std::uint32_t demand, Visit&& visit) const {
    for (auto arc = problem_.first_arc[demand]; arc < problem_.first_arc[demand + 1]; ++arc) {
      visit(arc);
    }
    visit(unserved_slot(demand));
  }

  // The least by (cost, bin, option): ties to the lowest bin, unserved after any arc as
  // dear (its bin comes after every facility).
  [[nodiscard]] std::uint32_t cheapest_option(std::uint32_t demand) const {
    std::uint32_t best = unserved_slot(demand);
    for_each_option(demand, [&](std::uint32_t option) {
      if (std::tuple{cost(option), bin_of(option), option} <
          std::tuple{cost(best), bin_of(best), best}) {
        best = option;
      }
    });
    return best;
  }

  // Moves units between two options of one demand; true when `to` had none before, so that
  // the moves out of it can be queued.
  bool move(std::uint32_t from, std::uint32_t to, std::int64_t units) {
    add(from, -units);
    const bool arrives = flow_[to] == 0 && units > 0;
    add(to, units);
    return arrives;
  }

  // The solution, built from the units' own flows, so that a problem's peak memory is its
  // search's rather than its search's and a copy of its flows. Spends the units.
  [[nodiscard]] TransportSolution take_solution() && {
    TransportSolution solution;
    for (std::uint32_t option = 0; option < flow_.size(); ++option) {
      solution.cost += flow_[option] * cost(option);
    }
    solution.unserved.assign(flow_.begin() + arcs_, flow_.end());
    flow_.resize(arcs_);
    solution.flow = std::move(flow_);
    solution.price.assign(price_.begin(), price_.end() - 1);
    return solution;
  }

 private:
  void add(std::uint32_t option, std::int64_t units) {
    flow_[option] += units;
    has_units_[option] = flow_[option] > 0;
    if (option < arcs_) load_[problem_.arc_bin[option]] += units;
  }

  const TransportProblem& problem_;
  std::uint32_t arcs_;
  std::uint32_t unserved_bin_;
  std::vector<std::uint32_t> demand_of_arc_;
  std::vector<std::int64_t> flow_;   // per option
  std::vector<bool> has_units_;      // per option
  std::vector<std::int64_t> load_;   // per facility
  std::vector<std::int64_t> price_;  // per bin, the unserved bin's stays 0
};

}  // namespace balai::detail::transport
