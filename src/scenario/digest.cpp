#include "balai/scenario/digest.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace balai {
namespace {

// Feeds the canonical text to SHA-256 in blocks: fields end with '|', records with '\n'.
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

  std::string hex_digest() {
    flush();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest, &size) != 1) throw Error("SHA-256 failed");
    constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
      hex.push_back(kDigits[digest[i] >> 4]);
      hex.push_back(kDigits[digest[i] & 0x0f]);
    }
    return hex;
  }

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

}  // namespace

std::string dataset_digest(const Dataset& dataset) {
  CanonicalText text;
  for (const auto& r : dataset.regencies()) {
    text << "R" << r.code << r.name << r.seat << r.population;
    text.end_record();
  }
  for (const auto& f : dataset.facilities()) {
    text << "F" << f.id << f.name << f.kind << f.owner << f.grade << f.location
         << static_cast<int>(f.province) << f.regency << f.rooms << f.seats << f.features;
    if (f.active) {
      text << f.active->first() << f.active->last();
    } else {
      text << ""
           << "";
    }
    text.end_record();
  }
  for (const auto& m : dataset.modules()) {
    text << "M" << m.code << m.title << m.hours_jp << m.prerequisites << m.required_features
         << m.tracks << m.rule.min_attendance << m.rule.pass_mark << m.rule.move_on;
    text.end_record();
  }
  for (const auto& t : dataset.trainees()) {
    text << "T" << t.id;
    if (t.nik) {
      text << t.nik->digest_hex() << t.nik->masked;
    } else {
      text << ""
           << "";
    }
    text << t.gender << t.birth_year << static_cast<int>(t.province) << t.regency << t.location
         << t.track << t.umkm_class << t.sector.version << t.sector.code
         << static_cast<int>(t.needs.bits());
    text.end_record();
  }
  if (const auto& program = dataset.program()) {
    text << "P" << program->name << program->ministries << program->target_min
         << program->target_max;
    for (const auto& phase : program->phases) {
      text << phase.name << phase.window.first() << phase.window.last();
    }
    text.end_record();
  }
  return text.hex_digest();
}

}  // namespace balai
