#include "snapshot_payload.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/basic_archive.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/tracking.hpp>

#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"

// Format 1 of the archive. Each class below is written field by field in the order its
// serialize/save function names them; every class carries Boost's class version, 0 in
// format 1. Changing a layout means: bump that class's BOOST_CLASS_VERSION and branch on
// the version its load() receives (so old files still read), bump kSnapshotFormatVersion
// (so older builds refuse new files by name), and commit a snapshot of the new version
// under tests/data.
//
// Values are never tracked by address: they are stored by value, each exactly once.
BOOST_CLASS_TRACKING(balai::Date, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::DateRange, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::GeoPoint, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::RegencyCode, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Regency, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Facility, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::CompletionRule, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Module, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Kbli, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::ProtectedNik, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::AccessibilityNeeds, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Trainee, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Phase, boost::serialization::track_never)
BOOST_CLASS_TRACKING(balai::Program, boost::serialization::track_never)

// Classes that keep their members private are rebuilt through their validating
// constructors, so a damaged value is refused as it is read.
BOOST_SERIALIZATION_SPLIT_FREE(balai::Date)
BOOST_SERIALIZATION_SPLIT_FREE(balai::DateRange)
BOOST_SERIALIZATION_SPLIT_FREE(balai::GeoPoint)
BOOST_SERIALIZATION_SPLIT_FREE(balai::RegencyCode)
BOOST_SERIALIZATION_SPLIT_FREE(balai::AccessibilityNeeds)

namespace balai::detail {
namespace {

template <class Archive>
constexpr bool kSaving = Archive::is_saving::value;

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Lengths and counts read from the archive are never used to allocate up front: a
// damaged count then ends in an error at the end of the payload instead of a request for
// gigabytes. Strings grow by at most this much per read.
constexpr std::uint64_t kStringSlice = 64 * 1024;

template <class Archive, class T>
void field(Archive& archive, T& value);

template <class Archive, class... T>
void fields(Archive& archive, T&&... values) {
  (field(archive, values), ...);
}

// A string: its length as u64, then its bytes.
template <class Archive, class Text>
void string_field(Archive& archive, Text& text) {
  std::uint64_t size = text.size();
  archive& size;
  if constexpr (kSaving<Archive>) {
    archive.save_binary(text.data(), text.size());
  } else {
    text.clear();
    while (size > 0) {
      const auto slice = std::min(size, kStringSlice);
      const std::size_t done = text.size();
      text.resize(done + slice);
      archive.load_binary(text.data() + done, slice);
      size -= slice;
    }
  }
}

// A sequence: its length as u64, then its items.
template <class Archive, class Range>
void save_sequence(Archive& archive, const Range& items) {
  std::uint64_t count = std::size(items);
  archive& count;
  for (const auto& item : items) field(archive, item);
}

template <class Archive, class T>
void load_sequence(Archive& archive, std::vector<T>& items) {
  std::uint64_t count = 0;
  archive& count;
  items.clear();
  for (; count > 0; --count) {
    T item{};
    field(archive, item);
    items.push_back(std::move(item));
  }
}

// An optional: a presence byte, 0 or 1, then the value when present.
template <class Archive, class Optional>
void optional_field(Archive& archive, Optional& value) {
  std::uint8_t present = value.has_value() ? 1 : 0;
  archive& present;
  if constexpr (kSaving<Archive>) {
    if (value) field(archive, *value);
  } else {
    if (present > 1) {
      throw FormatError("presence flag " + std::to_string(present) + " is neither 0 nor 1");
    }
    value.reset();
    if (present == 1) field(archive, value.emplace());
  }
}

// An enumerator as its one-byte value, checked against the enumeration's names.
template <class Archive, class Enum>
void enum_field(Archive& archive, Enum& value) {
  using Plain = std::remove_const_t<Enum>;
  static_assert(std::is_same_v<std::underlying_type_t<Plain>, std::uint8_t>);
  auto code = static_cast<std::uint8_t>(value);
  archive& code;
  if constexpr (!kSaving<Archive>) {
    if (code >= EnumNames<Plain>::names.size()) {
      throw FormatError("value " + std::to_string(code) + " is not one of " +
                        allowed_names<Plain>());
    }
    value = static_cast<Plain>(code);
  }
}

// Numbers go in at their native size and byte order, which the archive's own header and
// the envelope's byte-order mark record; classes go through their serialize functions.
template <class Archive, class T>
void field(Archive& archive, T& value) {
  using Plain = std::remove_const_t<T>;
  if constexpr (std::is_same_v<Plain, std::string>) {
    string_field(archive, value);
  } else if constexpr (IsVector<Plain>::value) {
    if constexpr (kSaving<Archive>) {
      save_sequence(archive, value);
    } else {
      load_sequence(archive, value);
    }
  } else if constexpr (IsOptional<Plain>::value) {
    optional_field(archive, value);
  } else if constexpr (std::is_enum_v<Plain>) {
    enum_field(archive, value);
  } else {
    static_assert(std::is_class_v<Plain> ||
                  (std::is_arithmetic_v<Plain> && !std::is_same_v<Plain, bool>));
    archive& value;
  }
}

// A read-only stream buffer over the payload, so that decoding copies nothing.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view bytes) {
    // std::streambuf takes char*, but nothing ever writes to a get area.
    char* begin = const_cast<char*>(bytes.data());
    setg(begin, begin, begin + bytes.size());
  }
  [[nodiscard]] std::size_t unread() const noexcept {
    return static_cast<std::size_t>(egptr() - gptr());
  }
};

// Boost reads the archive's signature as a string of the length the payload's first
// bytes give, allocating that much before it compares; check those bytes first so that a
// damaged length cannot ask for gigabytes.
void check_archive_signature(std::string_view payload) {
  const std::string_view signature = boost::archive::BOOST_ARCHIVE_SIGNATURE();
  std::size_t length = 0;
  if (payload.size() >= sizeof length + signature.size()) {
    std::memcpy(&length, payload.data(), sizeof length);
  }
  if (length != signature.size() || payload.substr(sizeof length, length) != signature) {
    throw FormatError("the payload is not a Boost binary archive");
  }
}

}  // namespace
}  // namespace balai::detail

namespace boost::serialization {

using balai::detail::fields;

template <class Archive>
void save(Archive& archive, const balai::Date& date, unsigned /*version*/) {
  fields(archive, date.days());
}
template <class Archive>
void load(Archive& archive, balai::Date& date, unsigned /*version*/) {
  std::int32_t days = 0;
  fields(archive, days);
  date = balai::Date::from_days(days);
}

template <class Archive>
void save(Archive& archive, const balai::DateRange& range, unsigned /*version*/) {
  fields(archive, range.first(), range.last());
}
template <class Archive>
void load(Archive& archive, balai::DateRange& range, unsigned /*version*/) {
  balai::Date first;
  balai::Date last;
  fields(archive, first, last);
  range = balai::DateRange(first, last);
}

template <class Archive>
void save(Archive& archive, const balai::GeoPoint& point, unsigned /*version*/) {
  fields(archive, point.lat(), point.lng());
}
template <class Archive>
void load(Archive& archive, balai::GeoPoint& point, unsigned /*version*/) {
  double lat = 0.0;
  double lng = 0.0;
  fields(archive, lat, lng);
  point = balai::GeoPoint(lat, lng);
}

template <class Archive>
void save(Archive& archive, const balai::RegencyCode& code, unsigned /*version*/) {
  fields(archive, code.value());
}
template <class Archive>
void load(Archive& archive, balai::RegencyCode& code, unsigned /*version*/) {
  std::uint16_t value = 0;
  fields(archive, value);
  code = balai::RegencyCode(value);
}

template <class Archive>
void save(Archive& archive, const balai::AccessibilityNeeds& needs, unsigned /*version*/) {
  fields(archive, needs.bits());
}
template <class Archive>
void load(Archive& archive, balai::AccessibilityNeeds& needs, unsigned /*version*/) {
  std::uint8_t bits = 0;
  fields(archive, bits);
  needs = balai::AccessibilityNeeds::from_bits(bits);
  if (needs.bits() != bits) {
    throw balai::FormatError("accessibility needs " + std::to_string(bits) +
                             " set flags that name no need");
  }
}

template <class Archive>
void serialize(Archive& archive, balai::Regency& regency, unsigned /*version*/) {
  fields(archive, regency.code, regency.name, regency.seat, regency.population);
}

// A province code as format 1 writes it: the bare byte, without a class header.
template <class Archive>
void province_field(Archive& archive, balai::ProvinceCode& code) {
  std::uint8_t value = code.value();
  fields(archive, value);
  code = value;
}

template <class Archive>
void serialize(Archive& archive, balai::Facility& facility, unsigned /*version*/) {
  fields(archive, facility.id, facility.name, facility.kind, facility.owner, facility.grade,
         facility.location);
  province_field(archive, facility.province);
  fields(archive, facility.regency, facility.rooms, facility.seats, facility.features,
         facility.active);
}

template <class Archive>
void serialize(Archive& archive, balai::CompletionRule& rule, unsigned /*version*/) {
  fields(archive, rule.min_attendance, rule.pass_mark, rule.move_on);
}

template <class Archive>
void serialize(Archive& archive, balai::Module& module, unsigned /*version*/) {
  fields(archive, module.code, module.title, module.hours_jp, module.prerequisites,
         module.required_features, module.tracks, module.rule);
}

template <class Archive>
void serialize(Archive& archive, balai::Kbli& kbli, unsigned /*version*/) {
  fields(archive, kbli.version, kbli.code);
}

// The keyed digest as its 32 raw bytes and the masked form; the trainee check refuses a
// malformed masked form.
template <class Archive>
void serialize(Archive& archive, balai::ProtectedNik& nik, unsigned /*version*/) {
  for (auto& byte : nik.digest) fields(archive, byte);
  fields(archive, nik.masked);
}

template <class Archive>
void serialize(Archive& archive, balai::Trainee& trainee, unsigned /*version*/) {
  fields(archive, trainee.id, trainee.nik, trainee.gender, trainee.birth_year);
  province_field(archive, trainee.province);
  fields(archive, trainee.regency, trainee.location, trainee.track, trainee.umkm_class,
         trainee.sector, trainee.needs);
}

template <class Archive>
void serialize(Archive& archive, balai::Phase& phase, unsigned /*version*/) {
  fields(archive, phase.name, phase.window);
}

template <class Archive>
void serialize(Archive& archive, balai::Program& program, unsigned /*version*/) {
  fields(archive, program.name, program.ministries, program.target_min, program.target_max,
         program.phases);
}

}  // namespace boost::serialization

namespace balai::detail {

// The archive holds the regencies, the facilities, modules and trainees, and the
// optional program: Dataset(regencies, batch) rebuilds the dataset from exactly these.
std::string encode_payload(const Dataset& dataset) {
  std::stringbuf buffer;
  {
    boost::archive::binary_oarchive archive(buffer);
    save_sequence(archive, dataset.regencies());
    save_sequence(archive, dataset.facilities());
    save_sequence(archive, dataset.modules());
    save_sequence(archive, dataset.trainees());
    fields(archive, dataset.program());
  }
  return std::move(buffer).str();
}

Dataset decode_payload(std::string_view payload) {
  check_archive_signature(payload);
  ViewBuffer buffer(payload);
  try {
    boost::archive::binary_iarchive archive(buffer);
    std::vector<Regency> regencies;
    Batch batch;
    fields(archive, regencies, batch.facilities, batch.modules, batch.trainees, batch.program);
    if (const auto unread = buffer.unread(); unread > 0) {
      throw FormatError(std::to_string(unread) + " bytes follow the dataset in the payload");
    }
    return Dataset(std::move(regencies), std::move(batch));
  } catch (const FormatError&) {
    throw;
  } catch (const Error& error) {
    throw FormatError(std::string("invalid content: ").append(error.what()));
  } catch (const std::exception& error) {
    throw FormatError(std::string("undecodable payload: ").append(error.what()));
  }
}

}  // namespace balai::detail
