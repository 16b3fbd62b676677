// The process an object holding a file or a lock belongs to. fork() copies such an object
// into the child, but not the threads that may hold its locks, and the child shares the
// parent's open files and flock locks: writes from both would interleave unnoticed. Such
// objects record their opener and check it before each use that touches the file or lock.
#pragma once

#include <sys/types.h>
#include <unistd.h>

namespace balai::detail {

class OwnerProcess {
 public:
  OwnerProcess() noexcept : pid_(::getpid()) {}

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // getpid() is a system call (glibc stopped caching it), some 50 ns: cheap beside the
  // write and sync it guards.
  [[nodiscard]] bool is_current() const noexcept { return ::getpid() == pid_; }

 private:
  pid_t pid_;
};

}  // namespace balai::detail
