// Tables as columns, both ways, for python/balai/frames.py to make pandas DataFrames of.
// Out: one pass over the entities writes each column straight into its numpy array or
// list of str. In: the columns are copied out of Python first, then the rows are built
// and validated with the GIL released. Column names and list/enum spellings are those of
// the CSV layouts (balai/io/tables.hpp), so a frame and a CSV file read the same.
//
// Column kinds, out and in:
//   text      list of str (None when missing)
//   number    numpy float64 in; numpy float64 or int64 out (NaN for a missing float)
//   category  out: (int8 codes, category names) with -1 when missing; in: text
//   date      numpy datetime64[D], NaT when missing
#include "bindings.hpp"  // first: the shared type casters

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <variant>

#include <pybind11/numpy.h>

#include "balai/model/dataset.hpp"
#include "balai/model/nik.hpp"

namespace balai::python {
namespace {

using Names = std::vector<std::string_view>;

template <NamedEnum E>
Names names_of() {
  return Names(EnumNames<E>::names.begin(), EnumNames<E>::names.end());
}

const Names& island_group_names() {
  static const Names names{"Sumatra", "Java", "Bali and Nusa Tenggara", "Kalimantan", "Sulawesi",
                           "Maluku",  "Papua"};
  return names;
}

std::int8_t island_group_code(ProvinceCode code) {
  const auto name = island_group_name(island_group(code));
  const auto& names = island_group_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<std::int8_t>(i);
  }
  return -1;
}

template <class Items, class NameOf>
std::string join(const Items& items, NameOf name_of_item) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ';';
    text += name_of_item(item);
  }
  return text;
}

std::string join(const std::vector<std::string>& items) {
  return join(items, [](const std::string& item) -> const std::string& { return item; });
}

template <class E>
std::string join_names(const std::vector<E>& items) {
  return join(items, [](E item) { return std::string(name_of(item)); });
}

// ---- out -----------------------------------------------------------------------------

// A column being written; a column left out of the selection ignores its values.
template <class T>
class NumberOut {
 public:
  explicit NumberOut(T* data) : data_(data) {}
  void set(std::size_t row, T value) {
    if (data_ != nullptr) data_[row] = value;
  }

 private:
  T* data_;
};

class TextOut {
 public:
  explicit TextOut(PyObject* list) : list_(list) {}
  void set(std::size_t row, std::string_view text) {
    if (list_ == nullptr) return;
    PyObject* item =
        PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
    if (item == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(list_, static_cast<Py_ssize_t>(row), item);
  }
  void set(std::size_t row, const std::string& text) { set(row, std::string_view(text)); }
  void set(std::size_t row, const std::optional<std::string>& text) {
    if (text) return set(row, std::string_view(*text));
    if (list_ == nullptr) return;
    PyList_SET_ITEM(list_, static_cast<Py_ssize_t>(row), py::none().release().ptr());
  }

 private:
  PyObject* list_;
};

class ColumnsOut {
 public:
  ColumnsOut(std::size_t rows, const std::optional<std::vector<std::string>>& only)
      : rows_(rows), only_(only) {}

  template <class T>
  NumberOut<T> numbers(const char* name) {
    if (!selected(name)) return NumberOut<T>(nullptr);
    py::array_t<T> array(static_cast<py::ssize_t>(rows_));
    columns_[name] = array;
    return NumberOut<T>(array.mutable_data());
  }
  // Days since 1970-01-01 into a datetime64[D] array; NaT when missing.
  NumberOut<std::int64_t> dates(const char* name) {
    if (!selected(name)) return NumberOut<std::int64_t>(nullptr);
    py::array array(py::dtype("datetime64[D]"),
                    std::vector<py::ssize_t>{static_cast<py::ssize_t>(rows_)});
    columns_[name] = array;
    return NumberOut<std::int64_t>(static_cast<std::int64_t*>(array.mutable_data()));
  }
  NumberOut<std::int8_t> codes(const char* name, const Names& categories) {
    if (!selected(name)) return NumberOut<std::int8_t>(nullptr);
    py::array_t<std::int8_t> array(static_cast<py::ssize_t>(rows_));
    columns_[name] = py::make_tuple(array, py::cast(categories));
    return NumberOut<std::int8_t>(array.mutable_data());
  }
  TextOut text(const char* name) {
    if (!selected(name)) return TextOut(nullptr);
    py::list list(rows_);
    columns_[name] = list;
    return TextOut(list.ptr());
  }

  [[nodiscard]] py::dict finish() && { return std::move(columns_); }

 private:
  [[nodiscard]] bool selected(std::string_view name) const {
    return !only_ || std::find(only_->begin(), only_->end(), name) != only_->end();
  }

  std::size_t rows_;
  const std::optional<std::vector<std::string>>& only_;
  py::dict columns_;
};

constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class E>
std::int8_t code_of(const std::optional<E>& value) {
  return value ? static_cast<std::int8_t>(*value) : std::int8_t{-1};
}

py::dict regency_columns(std::span<const Regency> rows,
                         const std::optional<std::vector<std::string>>& only) {
  ColumnsOut out(rows.size(), only);
  auto code = out.text("code");
  auto province = out.numbers<std::int64_t>("province_code");
  auto name = out.text("name");
  auto lat = out.numbers<double>("lat");
  auto lng = out.numbers<double>("lng");
  auto population = out.numbers<std::int64_t>("population_2024");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    code.set(i, r.code.to_string());
    province.set(i, r.province().value());
    name.set(i, r.name);
    lat.set(i, r.seat.lat());
    lng.set(i, r.seat.lng());
    population.set(i, r.population);
  }
  return std::move(out).finish();
}

py::dict facility_columns(std::span<const Facility> rows,
                          const std::optional<std::vector<std::string>>& only) {
  ColumnsOut out(rows.size(), only);
  auto id = out.text("id");
  auto name = out.text("name");
  auto kind = out.codes("kind", names_of<FacilityKind>());
  auto owner = out.codes("owner", names_of<OwnerLevel>());
  auto grade = out.codes("grade", names_of<BlkGrade>());
  auto lat = out.numbers<double>("lat");
  auto lng = out.numbers<double>("lng");
  auto province = out.numbers<std::int64_t>("province");
  auto regency = out.text("regency");
  auto rooms = out.numbers<std::int64_t>("rooms");
  auto seats = out.numbers<std::int64_t>("seats");
  auto features = out.text("features");
  auto active_from = out.dates("active_from");
  auto active_to = out.dates("active_to");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& f = rows[i];
    id.set(i, f.id);
    name.set(i, f.name);
    kind.set(i, code_of<FacilityKind>(f.kind));
    owner.set(i, code_of<OwnerLevel>(f.owner));
    grade.set(i, code_of(f.grade));
    lat.set(i, f.location.lat());
    lng.set(i, f.location.lng());
    province.set(i, f.province.value());
    regency.set(i, regency_text(f.regency));
    rooms.set(i, f.rooms);
    seats.set(i, f.seats);
    features.set(i, join(f.features));
    active_from.set(i, f.active ? f.active->first().days() : kNaT);
    active_to.set(i, f.active ? f.active->last().days() : kNaT);
  }
  return std::move(out).finish();
}

py::dict module_columns(std::span<const Module> rows,
                        const std::optional<std::vector<std::string>>& only) {
  ColumnsOut out(rows.size(), only);
  auto code = out.text("code");
  auto title = out.text("title");
  auto hours = out.numbers<std::int64_t>("hours_jp");
  auto prerequisites = out.text("prerequisites");
  auto features = out.text("required_features");
  auto tracks = out.text("tracks");
  auto attendance = out.numbers<double>("min_attendance");
  auto pass_mark = out.numbers<double>("pass_mark");
  auto move_on = out.codes("move_on", names_of<MoveOnRule>());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& m = rows[i];
    code.set(i, m.code);
    title.set(i, m.title);
    hours.set(i, m.hours_jp);
    prerequisites.set(i, join(m.prerequisites));
    features.set(i, join(m.required_features));
    tracks.set(i, join_names(m.tracks));
    attendance.set(i, m.rule.min_attendance);
    pass_mark.set(i, m.rule.pass_mark.value_or(kNaN));
    move_on.set(i, code_of<MoveOnRule>(m.rule.move_on));
  }
  return std::move(out).finish();
}

py::dict trainee_columns(std::span<const Trainee> rows,
                         const std::optional<std::vector<std::string>>& only) {
  ColumnsOut out(rows.size(), only);
  auto id = out.text("id");
  auto nik_digest = out.text("nik_digest");
  auto nik_masked = out.text("nik_masked");
  auto gender = out.codes("gender", names_of<Gender>());
  auto birth_year = out.numbers<std::int64_t>("birth_year");
  auto province = out.numbers<std::int64_t>("province");
  auto regency = out.text("regency");
  auto lat = out.numbers<double>("lat");
  auto lng = out.numbers<double>("lng");
  auto track = out.codes("track", names_of<Track>());
  auto umkm_class = out.codes("umkm_class", names_of<UmkmClass>());
  auto kbli_version = out.codes("kbli_version", names_of<KbliVersion>());
  auto kbli_code = out.text("kbli_code");
  auto needs = out.text("needs");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& t = rows[i];
    id.set(i, t.id);
    nik_digest.set(i, t.nik ? std::optional(t.nik->digest_hex()) : std::nullopt);
    nik_masked.set(i, t.nik ? std::optional(t.nik->masked) : std::nullopt);
    gender.set(i, code_of<Gender>(t.gender));
    birth_year.set(i, t.birth_year);
    province.set(i, t.province.value());
    regency.set(i, regency_text(t.regency));
    lat.set(i, t.location.lat());
    lng.set(i, t.location.lng());
    track.set(i, code_of<Track>(t.track));
    umkm_class.set(i, code_of<UmkmClass>(t.umkm_class));
    kbli_version.set(i, code_of<KbliVersion>(t.sector.version));
    kbli_code.set(i, t.sector.code);
    needs.set(i, join_names(t.needs.list()));
  }
  return std::move(out).finish();
}

py::dict program_columns(const std::optional<Program>& program,
                         const std::optional<std::vector<std::string>>& only) {
  ColumnsOut out(program ? 1 : 0, only);
  auto name = out.text("name");
  auto ministries = out.text("ministries");
  auto target_min = out.numbers<std::int64_t>("target_min");
  auto target_max = out.numbers<std::int64_t>("target_max");
  if (program) {
    name.set(0, program->name);
    ministries.set(0, join(program->ministries));
    target_min.set(0, program->target_min);
    target_max.set(0, program->target_max);
  }
  return std::move(out).finish();
}

py::dict phase_columns(const std::optional<Program>& program,
                       const std::optional<std::vector<std::string>>& only) {
  const auto phases = program ? std::span<const Phase>(program->phases) : std::span<const Phase>();
  ColumnsOut out(phases.size(), only);
  auto name = out.text("name");
  auto first = out.dates("first");
  auto last = out.dates("last");
  for (std::size_t i = 0; i < phases.size(); ++i) {
    name.set(i, phases[i].name);
    first.set(i, phases[i].window.first().days());
    last.set(i, phases[i].window.last().days());
  }
  return std::move(out).finish();
}

py::dict province_columns(const std::optional<std::vector<std::string>>& only) {
  const auto rows = provinces();
  ColumnsOut out(rows.size(), only);
  auto code = out.numbers<std::int64_t>("code");
  auto name = out.text("name");
  auto capital = out.text("capital");
  auto lat = out.numbers<double>("capital_lat");
  auto lng = out.numbers<double>("capital_lng");
  auto zone = out.codes("time_zone", {"WIB", "WITA", "WIT"});
  auto population = out.numbers<std::int64_t>("population_2024");
  auto area = out.numbers<double>("area_km2");
  auto group = out.codes("island_group", island_group_names());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& p = rows[i];
    code.set(i, p.code.value());
    name.set(i, p.name);
    capital.set(i, p.capital);
    lat.set(i, p.capital_location.lat());
    lng.set(i, p.capital_location.lng());
    zone.set(i, static_cast<std::int8_t>(p.time_zone));
    population.set(i, p.population);
    area.set(i, p.area_km2);
    group.set(i, island_group_code(p.code));
  }
  return std::move(out).finish();
}

py::dict dataset_columns(const Dataset& dataset, std::string_view table,
                         const std::optional<std::vector<std::string>>& only) {
  if (table == "regencies") return regency_columns(dataset.regencies(), only);
  if (table == "facilities") return facility_columns(dataset.facilities(), only);
  if (table == "modules") return module_columns(dataset.modules(), only);
  if (table == "trainees") return trainee_columns(dataset.trainees(), only);
  if (table == "program") return program_columns(dataset.program(), only);
  if (table == "phases") return phase_columns(dataset.program(), only);
  throw UnknownReferenceError("table", std::string(table));
}

// ---- in ------------------------------------------------------------------------------

using Texts = std::vector<std::optional<std::string>>;
using Numbers = std::vector<double>;
using Days = std::vector<std::int64_t>;

// The columns of one table, copied out of Python so that rows can be built without the
// GIL.
class ColumnsIn {
 public:
  // An absent table (std::nullopt) has no rows, and so no cells to read.
  ColumnsIn(std::string table, const std::optional<py::dict>& columns)
      : table_(std::move(table)), absent_(!columns) {
    if (absent_) return;
    bool first = true;
    for (const auto& [key, value] : *columns) {
      auto name = key.cast<std::string>();
      Column column = read(name, value);
      const std::size_t size = std::visit([](const auto& c) { return c.size(); }, column);
      if (!first && size != rows_) {
        throw ValidationError(
            Problem{table_, name, std::to_string(size),
                    "has " + std::to_string(size) + " rows, not " + std::to_string(rows_)});
      }
      first = false;
      rows_ = size;
      columns_.emplace(std::move(name), std::move(column));
    }
  }

  [[nodiscard]] const std::string& table() const noexcept { return table_; }
  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  [[nodiscard]] const Texts& text(std::string_view name) const { return get<Texts>(name); }
  [[nodiscard]] const Numbers& numbers(std::string_view name) const { return get<Numbers>(name); }
  [[nodiscard]] const Days& dates(std::string_view name) const { return get<Days>(name); }

 private:
  using Column = std::variant<Texts, Numbers, Days>;

  Column read(const std::string& name, const py::handle& value) const {
    if (py::isinstance<py::list>(value)) {
      Texts texts;
      texts.reserve(py::len(value));
      for (const py::handle item : value) {
        if (item.is_none()) {
          texts.emplace_back();
        } else if (py::isinstance<py::str>(item)) {
          texts.emplace_back(item.cast<std::string>());
        } else {
          throw ValidationError(
              Problem{table_, name, py::repr(item).cast<std::string>(), "expected text"});
        }
      }
      return texts;
    }
    if (py::isinstance<py::array>(value)) {
      const auto array = py::reinterpret_borrow<py::array>(value);
      if (array.dtype().equal(py::dtype("datetime64[D]"))) {
        const auto contiguous =
            py::array_t<std::int64_t, py::array::c_style>::ensure(array.attr("view")("int64"));
        return Days(contiguous.data(), contiguous.data() + contiguous.size());
      }
      if (array.dtype().equal(py::dtype::of<double>())) {
        const auto contiguous = py::array_t<double, py::array::c_style>::ensure(array);
        return Numbers(contiguous.data(), contiguous.data() + contiguous.size());
      }
    }
    throw ValidationError(Problem{table_, name, "",
                                  "expected a list of str or a float64 or "
                                  "datetime64[D] numpy array"});
  }

  template <class T>
  const T& get(std::string_view name) const {
    static const T kNone;
    if (absent_) return kNone;
    const auto it = columns_.find(name);
    if (it == columns_.end() || !std::holds_alternative<T>(it->second)) {
      throw ValidationError(
          Problem{table_, std::string(name), "",
                  it == columns_.end() ? "missing column" : "column of the wrong kind"});
    }
    return std::get<T>(it->second);
  }

  std::string table_;
  bool absent_;
  std::size_t rows_ = 0;
  std::map<std::string, Column, std::less<>> columns_;
};

// Reads the cells of one row, recording every problem instead of stopping at the first;
// a value that cannot be read is left at its default.
class RowReader {
 public:
  RowReader(std::vector<Problem>& problems, const std::string& table, std::size_t row)
      : problems_(problems), where_(table + " row " + std::to_string(row)) {}

  [[nodiscard]] bool ok() const noexcept { return ok_; }

  std::string text(const std::optional<std::string>& cell, std::string_view field) {
    if (!cell) {
      fail(field, "", "missing value");
      return {};
    }
    return *cell;
  }

  template <NamedEnum E>
  std::optional<E> optional_enum(const std::optional<std::string>& cell, std::string_view field) {
    if (!cell) return std::nullopt;
    return attempt([&] { return parse_enum<E>(*cell, field); });
  }
  template <NamedEnum E>
  E enumerator(const std::optional<std::string>& cell, std::string_view field) {
    if (!cell) fail(field, "", "missing value");
    return optional_enum<E>(cell, field).value_or(E{});
  }

  std::vector<std::string> list(const std::optional<std::string>& cell, std::string_view field) {
    std::vector<std::string> items;
    if (!cell || cell->empty()) return items;
    std::size_t start = 0;
    while (start <= cell->size()) {
      const std::size_t end = std::min(cell->find(';', start), cell->size());
      if (end == start) {
        fail(field, *cell, "has an empty item: items are separated by one ';'");
        return {};
      }
      items.push_back(cell->substr(start, end - start));
      start = end + 1;
    }
    return items;
  }
  template <NamedEnum E>
  std::vector<E> enum_list(const std::optional<std::string>& cell, std::string_view field) {
    std::vector<E> values;
    for (const auto& item : list(cell, field)) {
      if (auto value = optional_enum<E>(item, field)) values.push_back(*value);
    }
    return values;
  }

  std::optional<double> optional_number(double cell) {
    if (std::isnan(cell)) return std::nullopt;
    return cell;
  }
  double number(double cell, std::string_view field) {
    if (std::isnan(cell)) fail(field, "", "missing value");
    return cell;
  }
  template <std::integral Int>
  Int integer(double cell, std::string_view field) {
    // Both bounds are powers of two, so exact as doubles; the largest Int itself may not be.
    constexpr double kLow = static_cast<double>(std::numeric_limits<Int>::min());
    constexpr double kHigh = 2.0 * static_cast<double>(std::numeric_limits<Int>::max() / 2 + 1);
    if (std::isnan(cell)) {
      fail(field, "", "missing value");
    } else if (cell != std::floor(cell) || cell < kLow || cell >= kHigh) {
      fail(field, format_number(cell), "must be a whole number in range");
    } else {
      return static_cast<Int>(cell);
    }
    return Int{};
  }

  GeoPoint point(double lat, double lng) {
    number(lat, "lat");
    number(lng, "lng");
    if (std::isnan(lat) || std::isnan(lng)) return {};
    return attempt([&] { return GeoPoint(lat, lng); }).value_or(GeoPoint());
  }

  std::optional<RegencyCode> regency(const std::optional<std::string>& cell) {
    if (!cell) return std::nullopt;
    return attempt([&] { return RegencyCode::parse(*cell, "regency"); });
  }

  std::optional<Date> date(std::int64_t days, std::string_view field) {
    if (days == kNaT) return std::nullopt;
    static const std::int64_t first = Date(1900, 1, 1).days();
    static const std::int64_t last = Date(2200, 12, 31).days();
    if (days < first || days > last) {
      fail(field, "", "not a calendar date between 1900-01-01 and 2200-12-31");
      return std::nullopt;
    }
    return Date::from_days(static_cast<std::int32_t>(days));
  }
  std::optional<DateRange> range(std::int64_t first, std::int64_t last,
                                 std::string_view first_field, std::string_view last_field) {
    const auto from = date(first, first_field);
    const auto to = date(last, last_field);
    if (from.has_value() != to.has_value()) {
      fail(from ? last_field : first_field, "", "the two ends of a range go together");
      return std::nullopt;
    }
    if (!from) return std::nullopt;
    return attempt([&] { return DateRange(*from, *to); });
  }

  template <class F>
  auto attempt(F make) -> std::optional<decltype(make())> {
    try {
      return make();
    } catch (const ValidationError& error) {
      for (auto problem : error.problems()) {
        problem.where = where_;
        problems_.push_back(std::move(problem));
      }
      ok_ = false;
      return std::nullopt;
    }
  }

  // A cell of any column may hold a NIK (a number column read as one, too): never repeated.
  void fail(std::string_view field, const std::string& value, std::string message) {
    problems_.push_back({where_, std::string(field), hide_niks(value), std::move(message)});
    ok_ = false;
  }

 private:
  static std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
  }

  std::vector<Problem>& problems_;
  std::string where_;
  bool ok_ = true;
};

std::vector<Regency> regencies_from(const ColumnsIn& in, std::vector<Problem>& problems) {
  const auto& code = in.text("code");
  const auto& province = in.numbers("province_code");
  const auto& name = in.text("name");
  const auto& lat = in.numbers("lat");
  const auto& lng = in.numbers("lng");
  const auto& population = in.numbers("population_2024");
  std::vector<Regency> regencies;
  regencies.reserve(in.rows());
  for (std::size_t i = 0; i < in.rows(); ++i) {
    RowReader row(problems, in.table(), i);
    Regency r{};
    const auto parsed =
        code[i] ? row.attempt([&] { return RegencyCode::parse(*code[i], "code"); }) : std::nullopt;
    if (!code[i]) row.fail("code", "", "missing value");
    r.name = row.text(name[i], "name");
    r.seat = row.point(lat[i], lng[i]);
    r.population = row.integer<std::int64_t>(population[i], "population_2024");
    const auto province_code = row.integer<int>(province[i], "province_code");
    if (parsed) {
      r.code = *parsed;
      if (row.ok() && province_code != r.code.province()) {
        row.fail("province_code", std::to_string(province_code),
                 "does not match the regency code " + r.code.to_string());
      }
    }
    if (row.ok()) regencies.push_back(std::move(r));
  }
  return regencies;
}

std::vector<Facility> facilities_from(const ColumnsIn& in, std::vector<Problem>& problems) {
  const auto& id = in.text("id");
  const auto& name = in.text("name");
  const auto& kind = in.text("kind");
  const auto& owner = in.text("owner");
  const auto& grade = in.text("grade");
  const auto& lat = in.numbers("lat");
  const auto& lng = in.numbers("lng");
  const auto& province = in.numbers("province");
  const auto& regency = in.text("regency");
  const auto& rooms = in.numbers("rooms");
  const auto& seats = in.numbers("seats");
  const auto& features = in.text("features");
  const auto& active_from = in.dates("active_from");
  const auto& active_to = in.dates("active_to");
  std::vector<Facility> facilities;
  facilities.reserve(in.rows());
  for (std::size_t i = 0; i < in.rows(); ++i) {
    RowReader row(problems, in.table(), i);
    Facility f;
    f.id = row.text(id[i], "id");
    f.name = row.text(name[i], "name");
    f.kind = row.enumerator<FacilityKind>(kind[i], "kind");
    f.owner = row.enumerator<OwnerLevel>(owner[i], "owner");
    f.grade = row.optional_enum<BlkGrade>(grade[i], "grade");
    f.location = row.point(lat[i], lng[i]);
    f.province = row.integer<std::uint8_t>(province[i], "province");
    f.regency = row.regency(regency[i]);
    f.rooms = row.integer<int>(rooms[i], "rooms");
    f.seats = row.integer<int>(seats[i], "seats");
    f.features = row.list(features[i], "features");
    f.active = row.range(active_from[i], active_to[i], "active_from", "active_to");
    if (row.ok()) facilities.push_back(std::move(f));
  }
  return facilities;
}

std::vector<Module> modules_from(const ColumnsIn& in, std::vector<Problem>& problems) {
  const auto& code = in.text("code");
  const auto& title = in.text("title");
  const auto& hours = in.numbers("hours_jp");
  const auto& prerequisites = in.text("prerequisites");
  const auto& features = in.text("required_features");
  const auto& tracks = in.text("tracks");
  const auto& attendance = in.numbers("min_attendance");
  const auto& pass_mark = in.numbers("pass_mark");
  const auto& move_on = in.text("move_on");
  std::vector<Module> modules;
  modules.reserve(in.rows());
  for (std::size_t i = 0; i < in.rows(); ++i) {
    RowReader row(problems, in.table(), i);
    Module m;
    m.code = row.text(code[i], "code");
    m.title = row.text(title[i], "title");
    m.hours_jp = row.integer<int>(hours[i], "hours_jp");
    m.prerequisites = row.list(prerequisites[i], "prerequisites");
    m.required_features = row.list(features[i], "required_features");
    m.tracks = row.enum_list<Track>(tracks[i], "tracks");
    m.rule.min_attendance = row.number(attendance[i], "min_attendance");
    m.rule.pass_mark = row.optional_number(pass_mark[i]);
    m.rule.move_on = row.enumerator<MoveOnRule>(move_on[i], "move_on");
    if (row.ok()) modules.push_back(std::move(m));
  }
  return modules;
}

std::vector<Trainee> trainees_from(const ColumnsIn& in, std::vector<Problem>& problems) {
  const auto& id = in.text("id");
  const auto& nik_digest = in.text("nik_digest");
  const auto& nik_masked = in.text("nik_masked");
  const auto& gender = in.text("gender");
  const auto& birth_year = in.numbers("birth_year");
  const auto& province = in.numbers("province");
  const auto& regency = in.text("regency");
  const auto& lat = in.numbers("lat");
  const auto& lng = in.numbers("lng");
  const auto& track = in.text("track");
  const auto& umkm_class = in.text("umkm_class");
  const auto& kbli_version = in.text("kbli_version");
  const auto& kbli_code = in.text("kbli_code");
  const auto& needs = in.text("needs");
  std::vector<Trainee> trainees;
  trainees.reserve(in.rows());
  for (std::size_t i = 0; i < in.rows(); ++i) {
    RowReader row(problems, in.table(), i);
    Trainee t;
    t.id = row.text(id[i], "id");
    if (nik_digest[i].has_value() != nik_masked[i].has_value()) {
      row.fail(nik_digest[i] ? "nik_masked" : "nik_digest", "",
               "nik_digest and nik_masked go together");
    } else if (nik_digest[i]) {
      t.nik = row.attempt([&] { return ProtectedNik::from_parts(*nik_digest[i], *nik_masked[i]); });
    }
    t.gender = row.enumerator<Gender>(gender[i], "gender");
    t.birth_year = row.integer<int>(birth_year[i], "birth_year");
    t.province = row.integer<std::uint8_t>(province[i], "province");
    t.regency = row.regency(regency[i]);
    t.location = row.point(lat[i], lng[i]);
    t.track = row.enumerator<Track>(track[i], "track");
    t.umkm_class = row.enumerator<UmkmClass>(umkm_class[i], "umkm_class");
    t.sector.version = row.enumerator<KbliVersion>(kbli_version[i], "kbli_version");
    t.sector.code = row.text(kbli_code[i], "kbli_code");
    std::uint8_t bits = 0;
    for (Need need : row.enum_list<Need>(needs[i], "needs")) {
      bits = static_cast<std::uint8_t>(bits | AccessibilityNeeds{need}.bits());
    }
    t.needs = AccessibilityNeeds::from_bits(bits);
    if (row.ok()) trainees.push_back(std::move(t));
  }
  return trainees;
}

std::optional<Program> program_from(const ColumnsIn& program, const ColumnsIn& phases,
                                    std::vector<Problem>& problems) {
  const std::size_t phase_rows = phases.rows();
  if (program.rows() == 0) {
    if (phase_rows > 0) {
      problems.push_back({"phases", "name", "", "phases need a program (one row in 'program')"});
    }
    return std::nullopt;
  }
  if (program.rows() > 1) {
    problems.push_back({"program", "name", std::to_string(program.rows()) + " rows",
                        "a dataset has one program: expected one row"});
    return std::nullopt;
  }
  RowReader row(problems, "program", 0);
  Program result;
  result.name = row.text(program.text("name")[0], "name");
  result.ministries = row.list(program.text("ministries")[0], "ministries");
  result.target_min = row.integer<int>(program.numbers("target_min")[0], "target_min");
  result.target_max = row.integer<int>(program.numbers("target_max")[0], "target_max");
  for (std::size_t i = 0; i < phase_rows; ++i) {
    RowReader phase_row(problems, "phases", i);
    Phase phase;
    phase.name = phase_row.text(phases.text("name")[i], "name");
    const auto first = phase_row.date(phases.dates("first")[i], "first");
    const auto last = phase_row.date(phases.dates("last")[i], "last");
    if (!first) phase_row.fail("first", "", "missing value");
    if (!last) phase_row.fail("last", "", "missing value");
    if (first && last) {
      if (auto window = phase_row.attempt([&] { return DateRange(*first, *last); })) {
        phase.window = *window;
      }
    }
    if (phase_row.ok()) result.phases.push_back(std::move(phase));
  }
  if (!row.ok()) return std::nullopt;
  return result;
}

using Table = std::optional<py::dict>;

Dataset dataset_from_columns(std::vector<Regency> regencies, const Table& facilities,
                             const Table& modules, const Table& trainees, const Table& program,
                             const Table& phases) {
  const ColumnsIn facility_in("facilities", facilities);
  const ColumnsIn module_in("modules", modules);
  const ColumnsIn trainee_in("trainees", trainees);
  const ColumnsIn program_in("program", program);
  const ColumnsIn phase_in("phases", phases);

  py::gil_scoped_release release;
  std::vector<Problem> problems;
  Batch batch{facilities_from(facility_in, problems), modules_from(module_in, problems),
              trainees_from(trainee_in, problems), program_from(program_in, phase_in, problems)};
  raise_if_any(std::move(problems));
  return Dataset(std::move(regencies), std::move(batch));
}

std::vector<Regency> regencies_from_columns(const py::dict& columns) {
  const ColumnsIn in("regencies", columns);
  py::gil_scoped_release release;
  std::vector<Problem> problems;
  auto regencies = regencies_from(in, problems);
  raise_if_any(std::move(problems));
  return regencies;
}

}  // namespace

void register_frames(py::module_& m) {
  using Only = std::optional<std::vector<std::string>>;
  m.def("dataset_columns", &dataset_columns, py::arg("dataset"), py::arg("table"),
        py::arg("only") = py::none(),
        "The columns of one table of a dataset (regencies, facilities, modules, trainees, "
        "program, phases), all of them or those named in `only`.");
  m.def(
      "province_columns", [](const Only& only) { return province_columns(only); },
      py::arg("only") = py::none(), "The columns of the 38-province table.");
  m.def(
      "indonesia_regency_columns",
      [](const Only& only) { return regency_columns(indonesia_regencies(), only); },
      py::arg("only") = py::none(), "The columns of the embedded 514-regency table.");
  m.def("dataset_from_columns", &dataset_from_columns, py::arg("regencies"),
        py::arg("facilities") = py::none(), py::arg("modules") = py::none(),
        py::arg("trainees") = py::none(), py::arg("program") = py::none(),
        py::arg("phases") = py::none(),
        "A Dataset from the columns of its tables; ValidationError listing every problem.");
  m.def("regencies_from_columns", &regencies_from_columns, py::arg("columns"),
        "Regencies from the columns of a regency table.");
}

}  // namespace balai::python
