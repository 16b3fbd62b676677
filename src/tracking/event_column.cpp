// The blocks of the ledger's columns (event_column.hpp).
#include "event_column.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace balai::detail {
namespace {

#if defined(__linux__)
constexpr std::size_t kPage = 4096;

[[nodiscard]] std::size_t whole_pages(std::size_t bytes) noexcept {
  return (bytes + kPage - 1) / kPage * kPage;
}

[[nodiscard]] bool mapped(std::size_t bytes) noexcept { return bytes >= kMappedBytes; }
#endif

}  // namespace

void* grow_block(void* block, std::size_t bytes, std::size_t& new_bytes) {
#if defined(__linux__)
  if (mapped(new_bytes)) {
    new_bytes = whole_pages(new_bytes);
    void* grown = nullptr;
    if (mapped(bytes)) {
      grown = mremap(block, bytes, new_bytes, MREMAP_MAYMOVE);
    } else {
      grown = mmap(nullptr, new_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (grown != MAP_FAILED && block != nullptr) {
        std::memcpy(grown, block, bytes);
        std::free(block);
      }
    }
    if (grown == MAP_FAILED) throw std::bad_alloc();
    return grown;
  }
#endif
  void* grown = std::realloc(block, new_bytes);
  if (grown == nullptr) throw std::bad_alloc();
  return grown;
}

void free_block(void* block, std::size_t bytes) noexcept {
#if defined(__linux__)
  if (mapped(bytes)) {
    munmap(block, bytes);
    return;
  }
#endif
  std::free(block);
}

}  // namespace balai::detail
