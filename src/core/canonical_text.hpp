// Canonical text for digests: fields end with '|', records with '\n', numbers in fixed
// forms, fed to SHA-256 in blocks. The same content gives the same digest on every
// platform, so digests can pin generated data and bind files to the data they belong to.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"
#include "balai/core/text.hpp"

namespace balai::detail {

class CanonicalText {
 public:
  CanonicalText() : context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
      throw Error("SHA-256 is not available in OpenSSL");
    }
    buffer_.reserve(kBlock + 4'096);
  }

  CanonicalText& operator<<(std::string_view text) {
    buffer_.append(text).push_back('|');
    return *this;
  }
  CanonicalText& operator<<(std::int64_t value) {
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    return *this << std::string_view(text, static_cast<std::size_t>(end - text));
  }
  CanonicalText& operator<<(int value) { return *this << static_cast<std::int64_t>(value); }
  // Fixed precision: the text of a double must not depend on how the platform prints
  // shortest round-trip forms.
  CanonicalText& operator<<(double value) {
    char text[64];
    const auto end =
        std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 6).ptr;
    return *this << std::string_view(text, static_cast<std::size_t>(end - text));
  }
  template <NamedEnum E>
  CanonicalText& operator<<(E value) {
    return *this << name_of(value);
  }
  template <class T>
  CanonicalText& operator<<(const std::optional<T>& value) {
    if (value) return *this << *value;
    return *this << std::string_view();
  }
  CanonicalText& operator<<(const GeoPoint& point) { return *this << point.lat() << point.lng(); }
  CanonicalText& operator<<(RegencyCode code) { return *this << code.to_string(); }
  CanonicalText& operator<<(Date date) { return *this << date.to_string(); }
  template <class T>
  CanonicalText& operator<<(const std::vector<T>& values) {
    buffer_.push_back('[');
    for (const auto& value : values) *this << value;
    buffer_.push_back(']');
    return *this;
  }

  void end_record() {
    buffer_.push_back('\n');
    if (buffer_.size() >= kBlock) flush();
  }

  // The SHA-256 of everything written; the text cannot be extended afterwards.
  std::array<std::uint8_t, 32> digest() {
    flush();
    std::array<std::uint8_t, 32> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &size) != 1 || size != digest.size()) {
      throw Error("SHA-256 failed");
    }
    return digest;
  }

  std::string hex_digest() { return to_hex(digest()); }

 private:
  static constexpr std::size_t kBlock = 1 << 16;

  void flush() {
    if (EVP_DigestUpdate(context_.get(), buffer_.data(), buffer_.size()) != 1) {
      throw Error("SHA-256 failed");
    }
    buffer_.clear();
  }

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
  std::string buffer_;
};

}  // namespace balai::detail
