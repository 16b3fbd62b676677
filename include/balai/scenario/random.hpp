// Random numbers that are the same on every platform: SplitMix64 to expand seeds,
// xoshiro256** for the streams, and the few transforms the generators need, written out
// here because the std:: distributions differ between standard libraries. Everything
// but `uniform` is integer arithmetic; `uniform` takes the top 53 bits, so it is exact.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "balai/core/export.hpp"
#include "balai/core/mix64.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

class SplitMix64 {
 public:
  constexpr explicit SplitMix64(std::uint64_t state) noexcept : state_(state) {}
  constexpr std::uint64_t next() noexcept { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }

 private:
  std::uint64_t state_;
};

// xoshiro256** 1.0 (Blackman and Vigna, 2018), seeded through SplitMix64 so that every
// seed, 0 included, gives a well-mixed state.
class Rng {
 public:
  constexpr explicit Rng(std::uint64_t seed) noexcept {
    SplitMix64 expand(seed);
    for (auto& word : state_) word = expand.next();
  }

  // An independent stream for each (seed, purpose, index): one per chunk of work, so that
  // what a chunk draws does not depend on which thread runs it or in what order.
  [[nodiscard]] static constexpr Rng stream(std::uint64_t seed, std::uint64_t purpose,
                                            std::uint64_t index) noexcept {
    return Rng(mix64(seed ^ mix64(purpose ^ mix64(index))));
  }

  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n) without modulo bias; n must be positive.
  constexpr std::uint64_t below(std::uint64_t n) noexcept {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [low, high], both included; low <= high.
  constexpr std::int64_t between(std::int64_t low, std::int64_t high) noexcept {
    const auto span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) + 1;
    const std::uint64_t offset = span == 0 ? next() : below(span);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset);
  }

  // Uniform in [0, 1), a multiple of 2^-53.
  constexpr double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // True with probability p (p <= 0 never, p >= 1 always).
  constexpr bool chance(double p) noexcept { return uniform() < p; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::array<std::uint64_t, 4> state_{};
};

// Picks an index with probability proportional to integer weights, by binary search in
// the cumulative sums: exact, and the same everywhere. The weights must not all be zero
// and must sum below 2^64.
class WeightedPicker {
 public:
  WeightedPicker() = default;
  explicit WeightedPicker(std::span<const std::uint64_t> weights) {
    cumulative_.reserve(weights.size());
    std::uint64_t total = 0;
    for (auto weight : weights) cumulative_.push_back(total += weight);
  }

  [[nodiscard]] std::size_t size() const noexcept { return cumulative_.size(); }
  [[nodiscard]] std::uint64_t total() const noexcept {
    return cumulative_.empty() ? 0 : cumulative_.back();
  }

  [[nodiscard]] std::size_t pick(Rng& rng) const noexcept {
    const std::uint64_t r = rng.below(total());
    return static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                                    cumulative_.begin());
  }

 private:
  std::vector<std::uint64_t> cumulative_;
};

}  // namespace balai
BALAI_EXPORT_END
