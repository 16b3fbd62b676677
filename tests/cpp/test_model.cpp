#include <catch2/catch.hpp>

#include <algorithm>

#include "balai/model/facility.hpp"
#include "balai/model/module.hpp"
#include "balai/model/nik.hpp"
#include "balai/model/program.hpp"
#include "balai/model/trainee.hpp"
#include "fixtures.hpp"

using namespace balai;
using namespace balai::testing;

namespace {

bool has_problem(const std::vector<Problem>& problems, std::string_view field) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const Problem& problem) { return problem.field == field; });
}

const NikKey kKey("a test key of thirty-two bytes!!");

}  // namespace

TEST_CASE("a valid facility has no problems", "[model][quick]") {
  CHECK(check(make_facility("BLK-3273-001")).empty());
}

TEST_CASE("facility checks name every bad field", "[model][quick][bad-input]") {
  auto facility = make_facility("bad id");
  facility.name = "";
  facility.kind = FacilityKind::uptp;  // owner stays province: not allowed for UPTP
  facility.grade = BlkGrade::mandiri;  // only BLK Komunitas have grades
  facility.province = 20;
  facility.rooms = -1;
  facility.seats = -5;
  facility.features = {"Kitchen"};
  const auto problems = check(facility);
  for (const char* field :
       {"id", "name", "owner", "grade", "province", "rooms", "seats", "features"}) {
    INFO(field);
    CHECK(has_problem(problems, field));
  }
  auto komunitas = make_facility("BLKK-1");
  komunitas.kind = FacilityKind::blk_komunitas;
  komunitas.owner = OwnerLevel::community;
  CHECK(has_problem(check(komunitas), "grade"));
  komunitas.grade = BlkGrade::tumbuh;
  CHECK(check(komunitas).empty());
  auto elsewhere = make_facility("BLK-X");
  elsewhere.regency = RegencyCode(3578);  // Surabaya is not in Jawa Barat
  CHECK(has_problem(check(elsewhere), "regency"));
  auto roomless = make_facility("PLUT-1");
  roomless.rooms = 0;
  CHECK(has_problem(check(roomless), "seats"));
}

TEST_CASE("owner levels fit facility kinds", "[model][quick]") {
  CHECK(owner_fits_kind(FacilityKind::uptp, OwnerLevel::central));
  CHECK_FALSE(owner_fits_kind(FacilityKind::uptp, OwnerLevel::regency));
  CHECK(owner_fits_kind(FacilityKind::uptd, OwnerLevel::regency));
  CHECK(owner_fits_kind(FacilityKind::blk_komunitas, OwnerLevel::community));
  CHECK_FALSE(owner_fits_kind(FacilityKind::rpb, OwnerLevel::community));
}

TEST_CASE("module checks", "[model][quick][bad-input]") {
  CHECK(check(make_module("ENT-101")).empty());
  auto module = make_module("ENT-101", {"ENT-101"});
  module.hours_jp = 0;
  module.rule.min_attendance = 1.5;
  module.rule.move_on = MoveOnRule::completed_and_passed;  // without a pass mark
  module.required_features = {"no spaces"};
  const auto problems = check(module);
  for (const char* field :
       {"hours_jp", "min_attendance", "pass_mark", "prerequisites", "required_features"}) {
    INFO(field);
    CHECK(has_problem(problems, field));
  }
  module = make_module("ENT-102");
  module.rule.pass_mark = 101;
  CHECK(has_problem(check(module), "pass_mark"));
  module.rule.pass_mark = 70;
  module.rule.move_on = MoveOnRule::passed;
  CHECK(check(module).empty());
  module.rule.min_attendance = std::nan("");
  CHECK(has_problem(check(module), "min_attendance"));
}

TEST_CASE("UMKM classes follow PP 7/2021 article 35", "[model][quick]") {
  constexpr Rupiah bn = 1'000'000'000;
  CHECK(umkm_class_by_capital(0) == UmkmClass::micro);
  CHECK(umkm_class_by_capital(1 * bn) == UmkmClass::micro);
  CHECK(umkm_class_by_capital(1 * bn + 1) == UmkmClass::small);
  CHECK(umkm_class_by_capital(5 * bn) == UmkmClass::small);
  CHECK(umkm_class_by_capital(5 * bn + 1) == UmkmClass::medium);
  CHECK(umkm_class_by_capital(10 * bn) == UmkmClass::medium);
  CHECK_FALSE(umkm_class_by_capital(10 * bn + 1));
  CHECK(umkm_class_by_sales(2 * bn) == UmkmClass::micro);
  CHECK(umkm_class_by_sales(2 * bn + 1) == UmkmClass::small);
  CHECK(umkm_class_by_sales(15 * bn) == UmkmClass::small);
  CHECK(umkm_class_by_sales(50 * bn) == UmkmClass::medium);
  CHECK_FALSE(umkm_class_by_sales(50 * bn + 1));
  CHECK_THROWS_AS(umkm_class_by_capital(-1), ValidationError);
  CHECK_THROWS_WITH(umkm_class_by_sales(-5), Catch::Contains("annual_sales"));
}

TEST_CASE("trainee checks", "[model][quick][bad-input]") {
  CHECK(check(make_trainee("T-1"), 2027).empty());
  CHECK(check(make_trainee("T-1"), std::nullopt).empty());
  auto trainee = make_trainee("");
  trainee.birth_year = 2020;
  trainee.sector.code = "1079A";
  trainee.regency = RegencyCode(3578);
  const auto problems = check(trainee, 2027);
  for (const char* field : {"id", "birth_year", "sector", "regency"}) {
    INFO(field);
    CHECK(has_problem(problems, field));
  }
  CHECK(check(trainee, std::nullopt).size() == problems.size() - 1);  // no age judgement
  CHECK(is_kbli_code("A"));
  CHECK(is_kbli_code("47"));
  CHECK_FALSE(is_kbli_code("V"));
  CHECK_FALSE(is_kbli_code("123456"));
}

TEST_CASE("accessibility needs are a flag set", "[model][quick]") {
  const AccessibilityNeeds needs{Need::visual, Need::hearing};
  CHECK(needs.has(Need::visual));
  CHECK_FALSE(needs.has(Need::mobility));
  CHECK(needs.list() == std::vector<Need>{Need::visual, Need::hearing});
  CHECK(AccessibilityNeeds::from_bits(needs.bits()) == needs);
  CHECK_FALSE(AccessibilityNeeds{}.any());
}

TEST_CASE("NIKs are kept only as keyed digests and masked forms", "[model][quick]") {
  const std::string nik = "3273014501900001";  // born 05-01-1990, a woman (day + 40)
  const auto protected_nik = protect_nik(nik, kKey);
  CHECK(protected_nik.masked == "3273********0001");
  // Python's hmac.new(key, nik, hashlib.sha256), an independent HMAC-SHA256.
  CHECK(protected_nik.digest_hex() ==
        "3d2b4b24e595f2fdc5c9db29067c063694c8c2012b7cd1548fc15968b4c237b5");
  CHECK(protected_nik.digest_hex().find(nik) == std::string::npos);
  CHECK(protect_nik(nik, kKey) == protected_nik);
  // Alternating keys and numbers must not leak state between calls (the HMAC context is
  // cached per thread); the digests are again Python's.
  const NikKey other("another key, also long enough");
  for (int round = 0; round < 3; ++round) {
    CHECK(protect_nik("3578010101850002", other).digest_hex() ==
          "084318cb5ae9fb9a12a1a9de99a17afd655921c164f576158edee1b89549a216");
    CHECK(protect_nik(nik, kKey).digest_hex() ==
          "3d2b4b24e595f2fdc5c9db29067c063694c8c2012b7cd1548fc15968b4c237b5");
  }
  CHECK(protect_nik(nik, NikKey("another key, also long enough")) != protected_nik);
  CHECK(nik_matches(protected_nik, nik, kKey));
  CHECK_FALSE(nik_matches(protected_nik, "3273014501900002", kKey));
  CHECK(ProtectedNik::from_parts(protected_nik.digest_hex(), protected_nik.masked) ==
        protected_nik);
  CHECK_THROWS_AS(NikKey("short"), ValidationError);
}

TEST_CASE("bad NIKs are refused without repeating them", "[model][quick][bad-input]") {
  for (const char* nik : {"327301450190000", "32730145019000011", "2073014501900001",
                          "3273013501900001", "3273014513900001", "32730145019x0001"}) {
    INFO(nik);
    try {
      (void)protect_nik(nik, kKey);
      FAIL("accepted a bad NIK");
    } catch (const ValidationError& error) {
      CHECK(std::string(error.what()).find(nik) == std::string::npos);
      CHECK(error.problems().front().field == "nik");
    }
  }
  CHECK_THROWS_AS(ProtectedNik::from_parts("zz", "3273********0001"), ValidationError);
  CHECK_THROWS_AS(ProtectedNik::from_parts(std::string(64, 'a'), "short"), ValidationError);
}

TEST_CASE("program checks", "[model][quick][bad-input]") {
  CHECK(check(make_program()).empty());
  auto program = make_program();
  program.target_min = 0;
  program.target_max = -1;
  program.phases.push_back(program.phases.front());
  const auto problems = check(program);
  for (const char* field : {"target_min", "target_max", "phases.name", "phases.window"}) {
    INFO(field);
    CHECK(has_problem(problems, field));
  }
  CHECK(make_program().phase("pilot").window.days() == 91);
  CHECK_THROWS_AS(make_program().phase("evaluation"), UnknownReferenceError);
}

TEST_CASE("enum names read and write the same strings", "[model][quick]") {
  CHECK(name_of(FacilityKind::blk_komunitas) == "blk_komunitas");
  CHECK(parse_enum<MoveOnRule>("completed_or_passed", "move_on") ==
        MoveOnRule::completed_or_passed);
  CHECK(parse_enum<KbliVersion>("2025", "kbli_version") == KbliVersion::kbli2025);
  CHECK_THROWS_WITH(parse_enum<Track>("owner", "track"),
                    Catch::Contains("track") && Catch::Contains("umkm_owner, new_entrepreneur"));
}
