// IdIndex: event ids to ledger positions for the events past the ledger's sorted prefix
// (see LedgerStore::find). Internal to src/tracking.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "balai/core/mix64.hpp"
#include "balai/tracking/event.hpp"

namespace balai::detail {

// Open addressing in buckets of one cache line: twelve one-byte tags, a count and twelve
// positions, so that a probe costs one memory access and reads an event's id (a cache miss
// in a column of millions) only when its tag matches. An id's bucket comes from the high
// half of its hash, scaled to the bucket count, which need not be a power of two; a full
// bucket sends the id on to the next. A bucket fills in order, so undoing insertions newest
// first (a failed batch) pops the last entry of a bucket and restores the table exactly.
class IdIndex {
 public:
  // Room for `count` ids without rehashing, so that undo handles stay valid; a rehash
  // indexes ids[first, end).
  void reserve(std::size_t count, std::span<const EventId> ids, std::size_t first) {
    // From 80 buckets (5 KiB), doubling to keep at most 4/5 of the slots full: at worst
    // 6.7 bytes an id (64 for 9.6), and fuller buckets would send more probes on.
    auto buckets = std::max<std::size_t>(buckets_.size(), 80);
    while (count > buckets * kSlots / 5 * 4) buckets *= 2;
    if (buckets == buckets_.size()) return;
    buckets_.assign(buckets, Bucket{});
    // The insertions are independent: fetch the bucket of an id ahead while placing this one.
    for (auto i = first; i < ids.size(); ++i) {
      if (i + kPrefetch < ids.size()) prefetch(ids[i + kPrefetch]);
      insert(ids[i], static_cast<std::uint32_t>(i));
    }
  }

  [[nodiscard]] std::optional<std::uint32_t> find(EventId id,
                                                  std::span<const EventId> ids) const noexcept {
    if (buckets_.empty()) return std::nullopt;
    const auto hash = mix(id);
    for (auto b = home(hash);; b = next(b)) {
      const auto& bucket = buckets_[b];
      for (auto m = bucket.matches(tag(hash)); m != 0; m &= m - 1) {
        const auto position = bucket.positions[static_cast<std::size_t>(std::countr_zero(m))];
        if (ids[position] == id) return position;
      }
      if (bucket.size < kSlots) return std::nullopt;  // the id would have stopped here
    }
  }

  // Inserts an id known to be absent; returns its bucket, the handle that undoes it.
  std::size_t insert(EventId id, std::uint32_t position) noexcept {
    const auto hash = mix(id);
    auto b = home(hash);
    while (buckets_[b].size == kSlots) b = next(b);
    auto& bucket = buckets_[b];
    bucket.tags[bucket.size] = tag(hash);
    bucket.positions[bucket.size] = position;
    ++bucket.size;
    return b;
  }

  // Undoes the newest insertion still in the table, given its handle.
  void erase(std::size_t handle) noexcept {
    auto& bucket = buckets_[handle];
    --bucket.size;
    bucket.tags[bucket.size] = 0;
    bucket.positions[bucket.size] = 0;
  }

  // A lookup in two steps ahead of it, so that neither of its memory accesses waits: fetch
  // the id's bucket, then, once it has arrived, the ids its tag matches (the event itself
  // when it is a duplicate) and the next bucket when this one is full. Always inlined:
  // GCC 12 judged the out-of-line prefetch free of effects and deleted every call to it.
  [[gnu::always_inline]] void prefetch(EventId id) const noexcept {
    if (!buckets_.empty()) __builtin_prefetch(&buckets_[home(mix(id))]);
  }
  [[gnu::always_inline]] void prefetch_candidates(EventId id,
                                                  std::span<const EventId> ids) const noexcept {
    if (buckets_.empty()) return;
    const auto hash = mix(id);
    const auto b = home(hash);
    const auto& bucket = buckets_[b];
    for (auto m = bucket.matches(tag(hash)); m != 0; m &= m - 1) {
      __builtin_prefetch(&ids[bucket.positions[static_cast<std::size_t>(std::countr_zero(m))]]);
    }
    if (bucket.size == kSlots) __builtin_prefetch(&buckets_[next(b)]);
  }

  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return buckets_.capacity() * sizeof(Bucket);
  }

 private:
  static constexpr std::uint32_t kSlots = 12;
  static constexpr std::size_t kPrefetch = 64;  // of a rehash: its loop is short

  struct alignas(64) Bucket {
    std::array<std::uint8_t, kSlots> tags{};
    std::uint32_t size = 0;  // entries [0, size) are in use
    std::array<std::uint32_t, kSlots> positions{};

    // A bit per entry in use whose tag is `tag`, eight tags to a word: a byte of
    // `word ^ pattern` is zero where a tag matches; `high` has a byte's top bit set exactly
    // when that byte is zero (its sum carries into no other byte, unlike the shorter
    // subtraction trick), and the multiplication gathers those eight bits, byte i to bit i.
    [[nodiscard]] std::uint32_t matches(std::uint8_t tag) const noexcept {
      static_assert(std::endian::native == std::endian::little, "tag i is byte i of a word");
      constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
      const auto pattern = tag * 0x0101010101010101ULL;
      const auto zero_bytes = [&](std::uint64_t word) {
        const auto x = word ^ pattern;
        const auto high = ~(((x & kLow7) + kLow7) | x | kLow7);
        return static_cast<std::uint32_t>(((high >> 7) * 0x0102040810204080ULL) >> 56);
      };
      std::uint64_t first = 0;
      std::uint64_t rest = 0;
      std::memcpy(&first, tags.data(), 8);
      std::memcpy(&rest, tags.data() + 8, kSlots - 8);
      const auto all = zero_bytes(first) | zero_bytes(rest) << 8;
      return all & ((1u << size) - 1);
    }
  };
  static_assert(sizeof(Bucket) == 64);

  // Sequential ids spread over the table. The high half chooses the bucket, the low byte
  // is the tag.
  [[nodiscard]] static std::uint64_t mix(EventId id) noexcept { return mix64(id); }
  [[nodiscard]] static std::uint8_t tag(std::uint64_t hash) noexcept {
    return static_cast<std::uint8_t>(hash);
  }
  // The high 32 bits scaled to [0, buckets) by a multiplication (Lemire's fastrange).
  [[nodiscard]] std::size_t home(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>(((hash >> 32) * buckets_.size()) >> 32);
  }
  [[nodiscard]] std::size_t next(std::size_t b) const noexcept {
    return b + 1 == buckets_.size() ? 0 : b + 1;
  }

  std::vector<Bucket> buckets_;
};

}  // namespace balai::detail
