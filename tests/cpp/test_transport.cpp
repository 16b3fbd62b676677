// The weighted transportation solver (shared space's splittable requests): hand-computed
// cases, LEMON's optimum on random instances, and an optimality certificate checked here
// from the problem alone (feasibility, the cost, and complementary slackness with the
// returned prices).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "../../src/planning/space/transport.hpp"
#include "balai/core/error.hpp"
#include "balai/scenario/random.hpp"
#include "transport_oracle.hpp"

using balai::Rng;
using balai::detail::solve_transport;
using balai::detail::TransportProblem;
using balai::detail::TransportRoute;
using balai::detail::TransportSolution;

namespace {

struct Option {
  std::uint32_t bin = 0;
  std::int64_t cost = 0;
};

struct Demand {
  std::int64_t supply = 0;
  std::int64_t unserved_cost = 0;
  std::vector<Option> options{};
};

TransportProblem make_problem(std::vector<std::int64_t> capacity,
                              const std::vector<Demand>& demands) {
  TransportProblem problem;
  problem.capacity = std::move(capacity);
  for (const Demand& demand : demands) {
    problem.supply.push_back(demand.supply);
    problem.unserved_cost.push_back(demand.unserved_cost);
    for (const Option& option : demand.options) {
      problem.arc_bin.push_back(option.bin);
      problem.arc_cost.push_back(option.cost);
    }
    problem.first_arc.push_back(static_cast<std::uint32_t>(problem.arc_bin.size()));
  }
  return problem;
}

// What keeps `solution` from being a proven optimum of `problem`, one line each: a flow
// that is infeasible or mis-costed, or prices under which some unit is not at one of its
// demand's cheapest options (unserved at price 0), or a bin with room and a price.
std::vector<std::string> certificate_defects(const TransportProblem& problem,
                                             const TransportSolution& solution) {
  std::vector<std::string> defects;
  const auto defect = [&](const std::string& text) { defects.push_back(text); };
  if (solution.flow.size() != problem.arc_bin.size() ||
      solution.unserved.size() != problem.demands() || solution.price.size() != problem.bins()) {
    defect("sizes");
    return defects;
  }
  std::vector<std::int64_t> load(problem.bins(), 0);
  std::int64_t cost = 0;
  for (std::size_t d = 0; d < problem.demands(); ++d) {
    const std::string name = "demand " + std::to_string(d) + ": ";
    const std::int64_t unserved = solution.unserved[d];
    std::int64_t sent = unserved;
    std::int64_t least = problem.unserved_cost[d];
    cost += unserved * problem.unserved_cost[d];
    for (auto a = problem.first_arc[d]; a < problem.first_arc[d + 1]; ++a) {
      const std::int64_t flow = solution.flow[a];
      if (flow < 0) defect(name + "negative flow on arc " + std::to_string(a));
      sent += flow;
      load[problem.arc_bin[a]] += flow;
      cost += flow * problem.arc_cost[a];
      least = std::min(least, problem.arc_cost[a] + solution.price[problem.arc_bin[a]]);
    }
    if (unserved < 0) defect(name + "negative unserved");
    if (sent != problem.supply[d]) defect(name + "sends " + std::to_string(sent));
    if (unserved > 0 && problem.unserved_cost[d] != least) defect(name + "unserved not cheapest");
    for (auto a = problem.first_arc[d]; a < problem.first_arc[d + 1]; ++a) {
      if (solution.flow[a] > 0 &&
          problem.arc_cost[a] + solution.price[problem.arc_bin[a]] != least) {
        defect(name + "arc " + std::to_string(a) + " not cheapest");
      }
    }
  }
  for (std::size_t b = 0; b < problem.bins(); ++b) {
    const std::string name = "bin " + std::to_string(b) + ": ";
    if (solution.price[b] < 0) defect(name + "negative price");
    if (load[b] > problem.capacity[b]) defect(name + "over capacity");
    if (load[b] < problem.capacity[b] && solution.price[b] != 0) defect(name + "room and a price");
  }
  if (cost != solution.cost) {
    defect("cost " + std::to_string(solution.cost) + ", recomputed " + std::to_string(cost));
  }
  return defects;
}

void check_certificate(const TransportProblem& problem, const TransportSolution& solution) {
  const auto defects = certificate_defects(problem, solution);
  std::string text;
  for (const auto& line : defects) text += line + "\n";
  INFO(text);
  CHECK(defects.empty());
}

// Small instances of every kind: few or many bins, tight or loose capacities, costs
// spread out or from a handful of values (ties), unserved costs far above the arcs or
// among them (so leaving units unserved is sometimes cheaper than a far bin), and a bin
// sometimes offered twice to the same demand.
TransportProblem random_problem(std::uint64_t seed) {
  Rng rng = Rng::stream(seed, 0x7472616e73, 0);
  const auto bins = static_cast<std::size_t>(rng.between(1, 12));
  const auto demands = static_cast<std::size_t>(rng.between(1, 40));
  const std::int64_t max_cost = rng.below(3) == 0 ? 5 : 100'000;
  const bool large_unserved = rng.below(2) == 0;
  std::vector<std::int64_t> capacity(bins);
  for (auto& c : capacity) c = rng.between(0, 60);
  std::vector<Demand> list(demands);
  for (Demand& demand : list) {
    demand.supply = rng.below(10) == 0 ? 0 : rng.between(1, 20);
    demand.unserved_cost =
        large_unserved ? rng.between(1'000'000, 2'000'000) : rng.between(0, max_cost);
    const auto arcs =
        rng.between(0, std::min<std::int64_t>(16, 2 * static_cast<std::int64_t>(bins)));
    for (std::int64_t a = 0; a < arcs; ++a) {
      demand.options.push_back(
          {static_cast<std::uint32_t>(rng.below(bins)), rng.between(0, max_cost)});
    }
  }
  return make_problem(std::move(capacity), list);
}

// Bins on a square 100 km wide, half the demands anywhere and half gathered round a few
// hot spots, whose nearby bins they contest; each demand's arcs are its 16 nearest bins by
// street (Manhattan) distance in metres, and its unserved cost one of three priority tiers.
TransportProblem geometric_problem(std::uint64_t seed, std::size_t demands, std::size_t bins) {
  constexpr std::int64_t kSide = 100'000;
  constexpr std::int64_t kSpread = 3'000;
  constexpr std::size_t kHotSpots = 20;
  constexpr std::size_t kArcs = 16;
  constexpr std::array<std::int64_t, 3> kUnservedCost{60'000, 120'000, 240'000};
  Rng rng = Rng::stream(seed, 0x67656f, 0);
  using Point = std::pair<std::int64_t, std::int64_t>;
  const auto random_point = [&] { return Point{rng.between(0, kSide), rng.between(0, kSide)}; };
  std::vector<Point> bin_at(bins);
  std::vector<std::int64_t> capacity(bins);
  for (std::size_t b = 0; b < bins; ++b) {
    bin_at[b] = random_point();
    capacity[b] = rng.between(0, 300);
  }
  std::vector<Point> hot_spots(kHotSpots);
  for (auto& spot : hot_spots) spot = random_point();

  std::vector<Demand> list(demands);
  std::vector<std::pair<std::int64_t, std::uint32_t>> by_distance(bins);
  for (Demand& demand : list) {
    const Point spot = hot_spots[rng.below(kHotSpots)];
    const Point at = rng.below(2) == 0 ? random_point()
                                       : Point{spot.first + rng.between(-kSpread, kSpread),
                                               spot.second + rng.between(-kSpread, kSpread)};
    demand.supply = rng.between(1, 50);
    demand.unserved_cost = kUnservedCost[rng.below(kUnservedCost.size())];
    for (std::uint32_t b = 0; b < bins; ++b) {
      by_distance[b] = {
          std::abs(bin_at[b].first - at.first) + std::abs(bin_at[b].second - at.second), b};
    }
    const auto nearest = by_distance.begin() + static_cast<std::ptrdiff_t>(std::min(kArcs, bins));
    std::partial_sort(by_distance.begin(), nearest, by_distance.end());
    for (auto it = by_distance.begin(); it != nearest; ++it)
      demand.options.push_back({it->second, it->first});
  }
  return make_problem(std::move(capacity), list);
}

bool same(const TransportSolution& a, const TransportSolution& b) {
  return a.flow == b.flow && a.unserved == b.unserved && a.price == b.price && a.cost == b.cost;
}

}  // namespace

TEST_CASE("transport: contention splits the dearer-to-move demand", "[transport][quick]") {
  // All three want bin 0 (18 units, room for 10). Moving to bin 1 costs B 1, A 4, C 9 a
  // unit: B moves all 6, A moves 2, and bin 0's price is A's difference.
  const auto problem = make_problem(
      {10, 10},
      {{8, 100, {{0, 1}, {1, 5}}}, {6, 100, {{0, 2}, {1, 3}}}, {4, 100, {{0, 1}, {1, 10}}}});
  const auto solution = solve_transport(problem);
  CHECK(solution.flow == std::vector<std::int64_t>{6, 2, 0, 6, 4, 0});
  CHECK(solution.unserved == std::vector<std::int64_t>{0, 0, 0});
  CHECK(solution.cost == 6 * 1 + 2 * 5 + 6 * 3 + 4 * 1);
  CHECK(solution.price == std::vector<std::int64_t>{4, 0});
  check_certificate(problem, solution);
}

TEST_CASE("transport: one demand split across two bins and unserved", "[transport][quick]") {
  SECTION("two bins") {
    const auto problem = make_problem({10, 10}, {{15, 50, {{0, 1}, {1, 3}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{10, 5});
    CHECK(solution.unserved == std::vector<std::int64_t>{0});
    CHECK(solution.cost == 25);
    CHECK(solution.price == std::vector<std::int64_t>{2, 0});
    check_certificate(problem, solution);
  }
  SECTION("leaving units unserved is cheaper than the far bin") {
    const auto problem = make_problem({2, 10}, {{5, 30, {{0, 1}, {1, 100}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{2, 0});
    CHECK(solution.unserved == std::vector<std::int64_t>{3});
    CHECK(solution.cost == 2 * 1 + 3 * 30);
    CHECK(solution.price == std::vector<std::int64_t>{29, 0});
    check_certificate(problem, solution);
  }
}

TEST_CASE("transport: a chain of displacements", "[transport][quick]") {
  // X fits only bin 0 (else unserved at 1000); Y sits at bin 0 but moves to bin 1 for 5;
  // Z sits at bin 1 and moves to bin 2 for 7. X's arrival pushes Y on, and Y pushes Z.
  // Prices are not unique here; the search gives the least ones (each bin's price is what
  // freeing a unit there costs).
  const auto problem = make_problem(
      {3, 3, 9}, {{3, 1000, {{0, 0}}}, {3, 1000, {{0, 0}, {1, 5}}}, {3, 1000, {{1, 0}, {2, 7}}}});
  const auto solution = solve_transport(problem);
  CHECK(solution.flow == std::vector<std::int64_t>{3, 0, 3, 0, 3});
  CHECK(solution.cost == 3 * 5 + 3 * 7);
  CHECK(solution.price == std::vector<std::int64_t>{12, 7, 0});
  check_certificate(problem, solution);
}

TEST_CASE("transport: edge cases", "[transport][quick]") {
  SECTION("no capacity: everything unserved") {
    const auto problem = make_problem({0, 0}, {{3, 7, {{0, 1}, {1, 2}}}, {4, 9, {{1, 0}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{0, 0, 0});
    CHECK(solution.unserved == std::vector<std::int64_t>{3, 4});
    CHECK(solution.cost == 3 * 7 + 4 * 9);
    check_certificate(problem, solution);
  }
  SECTION("zero supply") {
    const auto problem = make_problem({1}, {{0, 5, {{0, 1}}}, {2, 5, {{0, 1}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{0, 1});
    CHECK(solution.unserved == std::vector<std::int64_t>{0, 1});
    CHECK(solution.cost == 1 + 5);
    CHECK(solution.price == std::vector<std::int64_t>{4});
    check_certificate(problem, solution);
  }
  SECTION("a demand with no arcs") {
    const auto problem = make_problem({5}, {{5, 11, {}}, {2, 100, {{0, 3}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{2});
    CHECK(solution.unserved == std::vector<std::int64_t>{5, 0});
    CHECK(solution.cost == 5 * 11 + 2 * 3);
    CHECK(solution.price == std::vector<std::int64_t>{0});
    check_certificate(problem, solution);
  }
  SECTION("capacities far beyond any supply") {
    constexpr auto kHuge = std::numeric_limits<std::int64_t>::max();
    const auto problem = make_problem({kHuge, kHuge, 1}, {{4, 9, {{2, 1}, {0, 5}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{1, 3});
    CHECK(solution.cost == 1 + 3 * 5);
    check_certificate(problem, solution);
    check_certificate(problem, solve_transport(problem, TransportRoute::pull));
  }
  SECTION("no demands, no bins") {
    const auto solution = solve_transport(TransportProblem{});
    CHECK(solution.flow.empty());
    CHECK(solution.price.empty());
    CHECK(solution.cost == 0);
  }
  SECTION("ties go to the lowest bin, unserved last") {
    const auto problem = make_problem({5, 5}, {{2, 4, {{1, 4}, {0, 4}}}});
    const auto solution = solve_transport(problem);
    CHECK(solution.flow == std::vector<std::int64_t>{0, 2});
    CHECK(solution.unserved == std::vector<std::int64_t>{0});
  }
}

TEST_CASE("transport: arrays that disagree in size", "[transport][bad-input][quick]") {
  const auto valid = make_problem({5}, {{2, 9, {{0, 1}}}});
  auto problem = valid;
  SECTION("first_arc") { problem.first_arc.push_back(1); }
  SECTION("unserved_cost") { problem.unserved_cost.push_back(1); }
  SECTION("arc_bin") { problem.arc_bin.push_back(0); }
  SECTION("arc_cost") { problem.arc_cost.clear(); }
  CHECK_THROWS_AS(solve_transport(problem), balai::ValidationError);
  CHECK_NOTHROW(solve_transport(valid));
}

TEST_CASE("transport: the certificate check rejects broken solutions", "[transport][quick]") {
  const auto problem = make_problem(
      {10, 10},
      {{8, 100, {{0, 1}, {1, 5}}}, {6, 100, {{0, 2}, {1, 3}}}, {4, 100, {{0, 1}, {1, 10}}}});
  const auto optimal = solve_transport(problem);
  REQUIRE(certificate_defects(problem, optimal).empty());
  auto broken = optimal;
  SECTION("cost") { broken.cost += 1; }
  SECTION("over capacity") {
    broken.flow = {8, 0, 6, 0, 4, 0};
    broken.cost = 8 + 12 + 4;
  }
  SECTION("units lost") {
    broken.flow[3] -= 1;
    broken.cost -= 3;
  }
  SECTION("a feasible but worse flow") {
    broken.flow = {4, 4, 2, 4, 4, 0};
    broken.cost = 4 + 20 + 4 + 12 + 4;
  }
  SECTION("a price on a bin with room") { broken.price[1] = 1; }
  CHECK_FALSE(certificate_defects(problem, broken).empty());
}

// Both directions of repair, whichever the solver would choose.
const auto kRoutes = {TransportRoute::push, TransportRoute::pull};

const char* name_of(TransportRoute route) {
  return route == TransportRoute::push ? "push" : route == TransportRoute::pull ? "pull" : "auto";
}

TEST_CASE("transport: optimal against LEMON on random instances", "[transport][oracle][quick]") {
  const auto route = GENERATE(values(kRoutes));
  std::size_t with_unserved = 0;
  std::size_t with_split = 0;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const auto problem = random_problem(seed);
    INFO(name_of(route) << ", seed " << seed << ", " << problem.demands() << " demands, "
                        << problem.bins() << " bins");
    const auto solution = solve_transport(problem, route);
    CHECK(solution.cost == balai::testing::lemon_optimum(problem));
    check_certificate(problem, solution);
    const auto unserved =
        std::accumulate(solution.unserved.begin(), solution.unserved.end(), std::int64_t{0});
    if (unserved > 0 &&
        unserved < std::accumulate(problem.supply.begin(), problem.supply.end(), std::int64_t{0})) {
      ++with_unserved;
    }
    for (std::size_t d = 0; d < problem.demands(); ++d) {
      const auto used = std::count_if(solution.flow.begin() + problem.first_arc[d],
                                      solution.flow.begin() + problem.first_arc[d + 1],
                                      [](std::int64_t flow) { return flow > 0; }) +
                        (solution.unserved[d] > 0 ? 1 : 0);
      if (used > 1) {
        ++with_split;
        break;
      }
    }
  }
  // The instances exercise what they are meant to: partly unserved, and split demands.
  CHECK(with_unserved > 50);
  CHECK(with_split > 50);
}

TEST_CASE("transport: deterministic", "[transport][quick]") {
  const auto route = GENERATE(values(kRoutes));
  INFO(name_of(route));
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const auto problem = random_problem(seed);
    CHECK(same(solve_transport(problem, route), solve_transport(problem, route)));
  }
  const auto problem = geometric_problem(7, 500, 400);
  CHECK(same(solve_transport(problem, route), solve_transport(problem, route)));
}

TEST_CASE("transport: the route follows the shortage", "[transport][quick]") {
  // Light: 500 demands over 4,000 bins, the cheapest placement overfills little, so the
  // excess is pushed out. Heavy: over 40 bins, most units cannot be served, so the bins
  // pull in what they can hold.
  const auto light = geometric_problem(3, 500, 4'000);
  const auto heavy = geometric_problem(3, 2'000, 40);
  CHECK(same(solve_transport(light), solve_transport(light, TransportRoute::push)));
  CHECK(same(solve_transport(heavy), solve_transport(heavy, TransportRoute::pull)));
  // The directions pick their optima independently; here they differ, at the same cost.
  const auto pushed = solve_transport(heavy, TransportRoute::push);
  const auto pulled = solve_transport(heavy, TransportRoute::pull);
  CHECK(pushed.cost == pulled.cost);
  CHECK_FALSE(same(pushed, pulled));
  CHECK_FALSE(same(solve_transport(light, TransportRoute::pull),
                   solve_transport(light, TransportRoute::push)));
  check_certificate(heavy, pushed);
  check_certificate(heavy, pulled);
}

TEST_CASE("transport: benchmark-sized instances", "[transport][oracle][slow]") {
  // 5,000 requests over 4,000 bins: places to spare, but contested round the hot spots;
  // over 1,000 bins: too few places near the hot spots, so some units go unserved.
  const auto route = GENERATE(values(kRoutes));
  for (const std::size_t bins : {4'000, 1'000}) {
    const auto problem = geometric_problem(bins, 5'000, bins);
    INFO(name_of(route) << ", " << bins << " bins");
    const auto solution = solve_transport(problem, route);
    check_certificate(problem, solution);
    CHECK(solution.cost == balai::testing::lemon_optimum(problem));
    // Contested: many requests do not get all they ask for at their nearest bin (arcs are
    // listed nearest first).
    std::size_t moved = 0;
    for (std::size_t d = 0; d < problem.demands(); ++d) {
      if (solution.flow[problem.first_arc[d]] != problem.supply[d]) ++moved;
    }
    CHECK(moved > 1'000);
    if (bins == 1'000) {
      CHECK(std::any_of(solution.unserved.begin(), solution.unserved.end(),
                        [](std::int64_t units) { return units > 0; }));
    }
  }
}
