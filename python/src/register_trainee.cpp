// Trainees and what describes them: track, gender, UMKM class, KBLI sector, accessibility
// needs, and the protected NIK with its key. Each value is validated on construction, so
// a Trainee that exists in Python is a valid one.
#include <string>
#include <utility>

#include "arrays.hpp"
#include "balai/core/text.hpp"
#include "balai/model/nik.hpp"
#include "balai/model/trainee.hpp"
#include "bindings.hpp"

namespace balai::python {
namespace {

Kbli make_kbli(KbliVersion version, std::string code) {
  Kbli kbli{version, std::move(code)};
  if (!is_kbli_code(kbli.code)) {
    throw ValidationError(Problem{"kbli", "code", printable(kbli.code),
                                  "a KBLI code is a section letter A-U or 2 to 5 digits"});
  }
  return kbli;
}

Trainee make_trainee(std::string id, Gender gender, const py::int_& birth_year_value,
                     GeoPoint location, Track track, UmkmClass umkm_class, Kbli sector,
                     std::optional<int> province, std::optional<std::string> regency,
                     std::optional<ProtectedNik> nik, const std::vector<Need>& needs) {
  std::vector<Problem> problems;
  const int birth_year = integer_of<int>(birth_year_value, "birth_year", problems);
  raise_if_any(std::move(problems), "trainee " + printable(id, 64));
  const Region region = resolve_region(province, regency, problems);
  std::uint8_t need_bits = 0;
  for (Need need : needs)
    need_bits = static_cast<std::uint8_t>(need_bits | AccessibilityNeeds{need}.bits());
  Trainee trainee{std::move(id),
                  std::move(nik),
                  gender,
                  birth_year,
                  region.province,
                  region.regency,
                  location,
                  track,
                  umkm_class,
                  std::move(sector),
                  AccessibilityNeeds::from_bits(need_bits)};
  raise_if_any(combine(std::move(problems), check(trainee, std::nullopt)),
               "trainee " + printable(trainee.id, 64));
  return trainee;
}

void bind_enums(py::module_& m) {
  bind_enum<Track>(m, "Track", "The path a trainee follows; decides the required modules.");
  bind_enum<Gender>(m, "Gender", "A trainee's gender as recorded in the NIK.");
  bind_enum<UmkmClass>(m, "UmkmClass", "Micro, small or medium enterprise (PP 7/2021).");
  bind_enum<KbliVersion>(m, "KbliVersion",
                         "The KBLI edition a sector code belongs to (written 2020 or 2025 in "
                         "tables).",
                         {"kbli2020", "kbli2025"});
  bind_enum<Need>(m, "Need", "An accessibility need a facility must accommodate.");
}

void bind_kbli(py::module_& m) {
  py::class_<Kbli>(m, "Kbli", py::is_final(),
                   "A business sector: a KBLI edition and a code (A-U or 2-5 digits).")
      .def(py::init(&make_kbli), py::arg("version"), py::arg("code"))
      .def_readonly("version", &Kbli::version)
      .def_readonly("code", &Kbli::code)
      .def("__repr__",
           [](const Kbli& k) {
             return Repr("Kbli").arg("version", k.version).arg("code", k.code).str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Kbli& k) { return py::make_tuple(kPickleVersion, k.version, k.code); },
          [](const py::object& state) {
            const auto s = unpickle(state, "Kbli", 2);
            return make_kbli(s[1].cast<KbliVersion>(), s[2].cast<std::string>());
          }));

  m.def("umkm_class_by_capital", &umkm_class_by_capital, py::arg("capital"),
        "The UMKM class of a new business by its capital in rupiah (PP 7/2021 art. 35), or "
        "None for a large business.");
  m.def("umkm_class_by_sales", &umkm_class_by_sales, py::arg("annual_sales"),
        "The UMKM class of a running business by its annual sales in rupiah, or None for a "
        "large business.");
}

void bind_nik(py::module_& m) {
  py::class_<NikKey> nik_key(m, "NikKey", py::is_final(),
                             "The operator's secret key for NIK digests, at least 16 bytes. It "
                             "is never shown, exported or pickled.");
  nik_key
      .def(py::init([](const py::bytes& key) { return NikKey(std::string_view(key)); }),
           py::arg("key"))
      .def("__repr__", [](const NikKey& key) {
        return "NikKey(<" + std::to_string(key.bytes().size()) + " secret bytes>)";
      });
  refuse_pickle(nik_key,
                "a NikKey is a secret, and a pickle would write it in clear. Load the key "
                "from your secret store in each process that needs it, and pickle the "
                "ProtectedNik values it made instead.");

  py::class_<ProtectedNik>(m, "ProtectedNik", py::is_final(),
                           "A NIK as balai keeps it: an HMAC-SHA256 digest under the NikKey and a "
                           "masked form such as 3201********0001.")
      .def(py::init(&ProtectedNik::from_parts), py::arg("digest_hex"), py::arg("masked"))
      .def_property_readonly("digest",
                             [](const ProtectedNik& nik) {
                               return py::bytes(reinterpret_cast<const char*>(nik.digest.data()),
                                                nik.digest.size());
                             })
      .def_property_readonly("digest_hex", &ProtectedNik::digest_hex)
      .def_readonly("masked", &ProtectedNik::masked)
      .def(
          "matches",
          [](const ProtectedNik& nik, std::string_view clear, const NikKey& key) {
            return nik_matches(nik, clear, key);
          },
          py::arg("nik"), py::arg("key"), "Whether `nik` is the number behind this one.")
      .def("__repr__",
           [](const ProtectedNik& nik) {
             return Repr("ProtectedNik")
                 .arg("digest_hex", nik.digest_hex())
                 .arg("masked", nik.masked)
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const ProtectedNik& nik) {
            return py::make_tuple(kPickleVersion, nik.digest_hex(), nik.masked);
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "ProtectedNik", 2);
            return ProtectedNik::from_parts(s[1].cast<std::string>(), s[2].cast<std::string>());
          }));

  m.def("protect_nik", &protect_nik, py::arg("nik"), py::arg("key"),
        "Validates a NIK (16 digits, a province code, a birth date) and returns its digest "
        "and masked form; ValidationError otherwise, whose message never repeats the number.");
  m.def("mask_nik", &mask_nik, py::arg("nik"), "The masked form alone: 3201********0001.");
}

void bind_trainee(py::module_& m) {
  py::class_<Trainee>(m, "Trainee", py::is_final(),
                      "A person in the program. `province` may be left out when `regency` "
                      "(\"NN.NN\") is given. No NIK in clear: `nik` is a ProtectedNik or None.")
      .def(py::init(&make_trainee), py::arg("id"), py::kw_only(), py::arg("gender"),
           py::arg("birth_year"), py::arg("location"), py::arg("track"), py::arg("umkm_class"),
           py::arg("sector"), py::arg("province") = py::none(), py::arg("regency") = py::none(),
           py::arg("nik") = py::none(), py::arg("needs") = std::vector<Need>{})
      .def_readonly("id", &Trainee::id)
      .def_readonly("nik", &Trainee::nik)
      .def_readonly("gender", &Trainee::gender)
      .def_readonly("birth_year", &Trainee::birth_year)
      .def_readonly("province", &Trainee::province)
      .def_property_readonly("regency", [](const Trainee& t) { return regency_text(t.regency); })
      .def_readonly("location", &Trainee::location)
      .def_readonly("track", &Trainee::track)
      .def_readonly("umkm_class", &Trainee::umkm_class)
      .def_readonly("sector", &Trainee::sector)
      .def_property_readonly("needs", [](const Trainee& t) { return t.needs.list(); })
      .def("__repr__",
           [](const Trainee& t) {
             return Repr("Trainee")
                 .arg("id", t.id)
                 .arg("gender", t.gender)
                 .arg("birth_year", t.birth_year)
                 .arg("location", t.location)
                 .arg("track", t.track)
                 .arg("umkm_class", t.umkm_class)
                 .arg("sector", t.sector)
                 .arg("province", t.province)
                 .arg("regency", regency_text(t.regency))
                 .arg("nik", t.nik)
                 .arg("needs", t.needs.list())
                 .str();
           })
      .def(py::self == py::self)
      .def(py::pickle(
          [](const Trainee& t) {
            return py::make_tuple(kPickleVersion, t.id, t.gender, t.birth_year, t.location, t.track,
                                  t.umkm_class, t.sector, t.province, regency_text(t.regency),
                                  t.nik, t.needs.list());
          },
          [](const py::object& state) {
            const auto s = unpickle(state, "Trainee", 11);
            return make_trainee(s[1].cast<std::string>(), s[2].cast<Gender>(), s[3].cast<int>(),
                                s[4].cast<GeoPoint>(), s[5].cast<Track>(), s[6].cast<UmkmClass>(),
                                s[7].cast<Kbli>(), s[8].cast<std::optional<int>>(),
                                s[9].cast<std::optional<std::string>>(),
                                s[10].cast<std::optional<ProtectedNik>>(),
                                s[11].cast<std::vector<Need>>());
          }));
}

}  // namespace

void register_trainee(py::module_& m) {
  bind_enums(m);
  bind_kbli(m);
  bind_nik(m);
  bind_trainee(m);
}

}  // namespace balai::python
