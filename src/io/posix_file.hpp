// What the snapshot writer and the journal share of POSIX files: a descriptor that closes
// itself, and the directory sync that makes a new or renamed file's entry durable.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

namespace balai::detail {

// A POSIX file descriptor, closed when it goes out of scope unless released.
class Descriptor {
 public:
  explicit Descriptor(int fd) noexcept : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
  // Closes now and returns the error close reports (0 if none): on some file systems a
  // write error surfaces only here.
  int close() noexcept {
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// A new or renamed entry is durable only once its directory is synced: 0 or an errno
// value. File systems that cannot sync a directory say EINVAL; they make entries durable
// without it.
inline int sync_directory(const std::filesystem::path& directory) noexcept {
  Descriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return errno;
  if (::fsync(dir.get()) != 0 && errno != EINVAL) return errno;
  return 0;
}

}  // namespace balai::detail
