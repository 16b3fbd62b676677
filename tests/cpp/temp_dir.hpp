// A fresh directory under the system's temporary directory, removed with everything in it
// when the test ends. The process id and a counter keep parallel runs and repeated
// directories apart.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace balai::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view name = "test") {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("balai-" + std::string(name) + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] std::filesystem::path operator/(std::string_view name) const {
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace balai::testing
