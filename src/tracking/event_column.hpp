// EventColumn: one of the ledger's per-event columns (LedgerStore). Internal to
// src/tracking.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>

namespace balai::detail {

// Blocks for EventColumn. A block of `bytes` comes from malloc, or, from kMappedBytes on
// Linux, from a mapping of its own; grow_block returns the block moved to `new_bytes` or
// more (how many in `new_bytes`), throwing std::bad_alloc when memory runs out.
inline constexpr std::size_t kMappedBytes = std::size_t{1} << 20;
[[nodiscard]] void* grow_block(void* block, std::size_t bytes, std::size_t& new_bytes);
void free_block(void* block, std::size_t bytes) noexcept;

// A growable array of a trivially copyable type in one block that at least doubles when it
// grows. A large block grows by moving its pages to a larger mapping (mremap) rather than
// by copying them into fresh ones, which std::vector cannot ask for: appending 10^7 events
// spent about a tenth of its time copying columns and zeroing the pages of their copies.
// (realloc does the same only above malloc's mmap threshold, which glibc raises to 32 MiB
// once a process frees a large block.) New elements are zero, as with std::vector.
template <class T>
class EventColumn {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_default_constructible_v<T>);

 public:
  EventColumn() = default;
  EventColumn(const EventColumn& other) { *this = other; }
  EventColumn(EventColumn&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  EventColumn& operator=(const EventColumn& other) {
    if (this == &other) return *this;
    EventColumn copy;
    if (other.size_ != 0) {
      copy.grow_to(other.size_);
      std::memcpy(copy.data_, other.data_, other.size_ * sizeof(T));
      copy.size_ = other.size_;
    }
    return *this = std::move(copy);
  }
  EventColumn& operator=(EventColumn&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~EventColumn() { free_block(data_, capacity_ * sizeof(T)); }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] T* data() noexcept { return data_; }
  [[nodiscard]] const T* data() const noexcept { return data_; }
  [[nodiscard]] T& operator[](std::size_t i) noexcept { return data_[i]; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  [[nodiscard]] const T* begin() const noexcept { return data_; }
  [[nodiscard]] const T* end() const noexcept { return data_ + size_; }
  [[nodiscard]] operator std::span<const T>() const noexcept { return {data_, size_}; }

  void resize(std::size_t size) {
    if (size > capacity_) grow_to(std::max(size, 2 * capacity_));
    if (size > size_) std::memset(static_cast<void*>(data_ + size_), 0, (size - size_) * sizeof(T));
    size_ = size;
  }
  void assign(std::size_t size, const T& value) {
    if (size > capacity_) grow_to(size);
    std::fill_n(data_, size, value);
    size_ = size;
  }

 private:
  void grow_to(std::size_t capacity) {
    if (capacity > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    std::size_t bytes = capacity * sizeof(T);
    data_ = static_cast<T*>(grow_block(data_, capacity_ * sizeof(T), bytes));
    capacity_ = bytes / sizeof(T);
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace balai::detail
