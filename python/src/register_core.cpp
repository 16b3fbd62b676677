// Core values: dates (as datetime.date), date ranges, geographic points, time zones and
// the 38 provinces. Also the shared helpers of bindings.hpp that every area uses.
#include "bindings.hpp"

// After bindings.hpp: datetime.h needs Python.h first.
#include <datetime.h>

#include <algorithm>
#include <string>

#include "balai/core/geo.hpp"
#include "balai/core/regions.hpp"

namespace pybind11::detail {

bool type_caster<balai::Date>::load(handle source, bool /*convert*/) {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw error_already_set();
  }
  PyObject* object = source.ptr();
  if (object == nullptr || !PyDate_Check(object) || PyDateTime_Check(object)) return false;
  // Out-of-range years raise ValidationError naming the date, rather than TypeError.
  value = balai::Date(PyDateTime_GET_YEAR(object), PyDateTime_GET_MONTH(object),
                      PyDateTime_GET_DAY(object));
  return true;
}

handle type_caster<balai::Date>::cast(balai::Date date, return_value_policy /*policy*/,
                                      handle /*parent*/) {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw error_already_set();
  }
  const auto ymd = date.ymd();
  PyObject* object = PyDate_FromDate(ymd.year, ymd.month, ymd.day);
  if (object == nullptr) throw error_already_set();
  return object;
}

}  // namespace pybind11::detail

namespace balai::python {
namespace {

// A value written as Python source; see Repr.
std::string literal(const py::handle& value) {
  const py::object enum_type = py::module_::import("enum").attr("Enum");
  if (py::isinstance(value, enum_type)) {
    return py::str(py::type::of(value).attr("__name__")).cast<std::string>() + "." +
           py::str(value.attr("name")).cast<std::string>();
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    std::string text = "[";
    bool first = true;
    for (const py::handle item : value) {
      if (!first) text += ", ";
      first = false;
      text += literal(item);
    }
    return text + "]";
  }
  return py::repr(value).cast<std::string>();
}

void bind_geo(py::module_& m) {
  py::class_<GeoPoint>(m, "GeoPoint", py::is_final(),
                       "A point on the WGS84 ellipsoid in degrees; latitude in [-90, 90], "
                       "longitude in [-180, 180].")
      .def(py::init<double, double>(), py::arg("lat"), py::arg("lng"))
      .def_property_readonly("lat", &GeoPoint::lat)
      .def_property_readonly("lng", &GeoPoint::lng)
      .def("distance_km", &haversine_km, py::arg("other"),
           "Great-circle (haversine) distance in kilometres.")
      .def("__repr__",
           [](const GeoPoint& p) {
             return Repr("GeoPoint").arg("lat", p.lat()).arg("lng", p.lng()).str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const GeoPoint& p) { return py::make_tuple(kPickleVersion, p.lat(), p.lng()); },
          [](const py::object& state) {
            const auto s = unpickle(state, "GeoPoint", 2);
            return GeoPoint(s[1].cast<double>(), s[2].cast<double>());
          }));
  m.def("haversine_km", &haversine_km, py::arg("a"), py::arg("b"),
        "Great-circle distance in kilometres between two GeoPoints.");
}

void bind_calendar(py::module_& m) {
  py::class_<DateRange>(m, "DateRange", py::is_final(),
                        "A closed range of days [first, last]; `date in range` tests membership.")
      .def(py::init<Date, Date>(), py::arg("first"), py::arg("last"))
      .def_property_readonly("first", &DateRange::first)
      .def_property_readonly("last", &DateRange::last)
      .def_property_readonly("days", &DateRange::days, "Number of days, both ends included.")
      .def("__contains__", &DateRange::contains, py::arg("date"))
      .def("overlaps", &DateRange::overlaps, py::arg("other"))
      .def("__repr__",
           [](const DateRange& r) {
             return Repr("DateRange").arg("first", r.first()).arg("last", r.last()).str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const DateRange& r) { return py::make_tuple(kPickleVersion, r.first(), r.last()); },
          [](const py::object& state) {
            const auto s = unpickle(state, "DateRange", 2);
            return DateRange(s[1].cast<Date>(), s[2].cast<Date>());
          }));

  bind_enum<TimeZone>(m, "TimeZone", "Indonesia's standard times: WIB (UTC+7), WITA, WIT.",
                      {"wib", "wita", "wit"});
  m.def("utc_offset_hours", &utc_offset_hours, py::arg("zone"), "7, 8 or 9.");
}

void bind_provinces(py::module_& m) {
  py::class_<Province>(m, "Province", py::is_final(),
                       "Public facts on one of the 38 provinces (read-only; see provinces()).")
      .def_readonly("code", &Province::code, "Kemendagri code, 11..96.")
      .def_readonly("name", &Province::name)
      .def_readonly("capital", &Province::capital)
      .def_readonly("capital_location", &Province::capital_location)
      .def_readonly("time_zone", &Province::time_zone)
      .def_readonly("population", &Province::population, "Dukcapil, second half of 2024.")
      .def_readonly("area_km2", &Province::area_km2)
      .def_property_readonly(
          "island_group", [](const Province& p) { return island_group(p.code); },
          "The first digit of the code: 1 Sumatra, 3 Java, ...")
      .def_property_readonly(
          "island_group_name",
          [](const Province& p) { return std::string(island_group_name(island_group(p.code))); })
      .def("__repr__",
           [](const Province& p) {
             return Repr("Province")
                 .arg("code", p.code)
                 .arg("name", p.name)
                 .arg("capital", p.capital)
                 .arg("time_zone", p.time_zone)
                 .arg("population", p.population)
                 .str();
           })
      .def(
          "__eq__", [](const Province& a, const Province& b) { return a.code == b.code; },
          py::is_operator())
      .def(py::pickle([](const Province& p) { return py::make_tuple(kPickleVersion, p.code); },
                      [](const py::object& state) {
                        const auto s = unpickle(state, "Province", 1);
                        return province(s[1].cast<ProvinceCode>());
                      }));
  m.def(
      "provinces", [] { return std::vector<Province>(provinces().begin(), provinces().end()); },
      "All 38 provinces in code order.");
  m.def(
      "province",
      [](int code) {
        if (!is_province_code(code)) throw UnknownReferenceError("province", std::to_string(code));
        return province(static_cast<ProvinceCode>(code));
      },
      py::arg("code"), "The province with this code; UnknownReferenceError otherwise.");
  m.def("island_group_name", &island_group_name, py::arg("group"));
}

}  // namespace

Region resolve_region(std::optional<int> province, const std::optional<std::string>& regency,
                      std::vector<Problem>& problems) {
  Region region;
  if (regency) {
    try {
      region.regency = RegencyCode::parse(*regency, "regency");
    } catch (const ValidationError& error) {
      problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    }
  }
  if (province) {
    // Out of the code type's range, the number would wrap to some other province. The
    // regency's province stands in, so that the record's checks report nothing twice.
    if (*province < 0 || *province > 255) {
      problems.push_back({"", "province", std::to_string(*province), "not a province code"});
      if (region.regency) region.province = region.regency->province();
    } else {
      region.province = static_cast<ProvinceCode>(*province);
    }
  } else if (region.regency) {
    region.province = region.regency->province();
  } else if (regency) {
    problems.push_back({"", "province", "", "cannot follow from an invalid regency"});
  } else {
    problems.push_back({"", "province", "", "give a province or a regency"});
  }
  return region;
}

std::optional<std::string> regency_text(const std::optional<RegencyCode>& regency) {
  if (!regency) return std::nullopt;
  return regency->to_string();
}

std::vector<Problem> combine(std::vector<Problem> first, std::vector<Problem> more) {
  for (auto& problem : more) {
    const bool reported = std::any_of(first.begin(), first.end(),
                                      [&](const Problem& p) { return p.field == problem.field; });
    if (!reported) first.push_back(std::move(problem));
  }
  return first;
}

Repr::Repr(std::string_view type_name) : text_(type_name) { text_ += "("; }

Repr& Repr::arg(std::string_view field, const py::handle& value) {
  if (!first_) text_ += ", ";
  first_ = false;
  text_.append(field).append("=").append(literal(value));
  return *this;
}

void register_core(py::module_& m) {
  bind_geo(m);
  bind_calendar(m);
  bind_provinces(m);
}

}  // namespace balai::python
