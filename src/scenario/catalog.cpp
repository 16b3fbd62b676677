#include "balai/scenario/catalog.hpp"

#include <optional>
#include <string>

namespace balai {
namespace {

constexpr auto kBoth = {Track::umkm_owner, Track::new_entrepreneur};
constexpr auto kOwner = {Track::umkm_owner};
constexpr auto kNewcomer = {Track::new_entrepreneur};

// Attendance alone for talks, attendance and an assessment for skills that a trainee
// must show, and either for digital marketing, where a working shop can stand in for the
// sessions. Pass marks are out of 100.
constexpr CompletionRule kAttend{0.8, std::nullopt, MoveOnRule::completed};
constexpr CompletionRule kAttendAndPass{0.8, 70.0, MoveOnRule::completed_and_passed};
constexpr CompletionRule kAttendOrPass{0.75, 75.0, MoveOnRule::completed_or_passed};
constexpr CompletionRule kPractical{0.85, 70.0, MoveOnRule::completed_and_passed};
constexpr CompletionRule kOrientation{0.0, std::nullopt, MoveOnRule::not_applicable};

Module module(const char* code, const char* title, int hours_jp,
              std::initializer_list<const char*> prerequisites,
              std::initializer_list<std::string_view> features, std::initializer_list<Track> tracks,
              const CompletionRule& rule) {
  Module result{code, title, hours_jp, {}, {}, std::vector<Track>(tracks), rule};
  for (const char* prerequisite : prerequisites) result.prerequisites.emplace_back(prerequisite);
  for (auto tag : features) result.required_features.emplace_back(tag);
  return result;
}

}  // namespace

std::vector<Module> entrepreneurship_modules(bool include_practical) {
  using namespace feature;
  std::vector<Module> modules{
      module("KWU-100", "Orientasi program dan kontrak belajar", 2, {}, {kClassroom}, kBoth,
             kOrientation),
      module("KWU-101", "Dasar-dasar bisnis dan pola pikir wirausaha", 16, {"KWU-100"},
             {kClassroom}, kBoth, kAttend),
      module("KWU-102", "Model bisnis dan studi kelayakan usaha", 16, {"KWU-101"}, {kClassroom},
             kNewcomer, kAttendAndPass),
      module("KEU-201", "Pembukuan sederhana dan pengelolaan arus kas", 16, {"KWU-101"},
             {kClassroom}, kBoth, kAttendAndPass),
      module("KEU-202", "Penetapan harga dan perhitungan harga pokok produksi", 12, {"KEU-201"},
             {kClassroom}, kBoth, kAttendAndPass),
      module("PMS-301", "Pemasaran digital dan berjualan di marketplace", 20, {"KWU-101"},
             {kClassroom, kComputerLab}, kBoth, kAttendOrPass),
      module("PMS-302", "Kemasan produk dan membangun merek", 12, {"PMS-301"}, {kClassroom}, kOwner,
             kAttend),
      module("LGL-401", "Legalitas usaha: NIB melalui OSS", 8, {"KWU-101"},
             {kClassroom, kComputerLab}, kBoth, kAttend),
      module("LGL-402", "Sertifikasi halal dan izin edar PIRT/BPOM", 12, {"LGL-401"}, {kClassroom},
             kOwner, kAttendAndPass),
      module("FIN-501", "Akses pembiayaan: KUR dan lembaga keuangan", 8, {"KEU-201", "LGL-401"},
             {kClassroom}, kBoth, kAttend),
      module("KWU-901", "Rencana usaha dan presentasi kepada pemodal", 16,
             {"KWU-102", "KEU-202", "PMS-301", "FIN-501"}, {kClassroom}, kNewcomer, kAttendAndPass),
      module("KWU-902", "Rencana pengembangan usaha naik kelas", 16,
             {"KEU-202", "PMS-302", "LGL-402", "FIN-501"}, {kClassroom}, kOwner, kAttendAndPass),
  };
  if (include_practical) {
    const std::initializer_list<Track> elective{};
    modules.push_back(module("PRD-601", "Produksi olahan pangan dan kuliner", 40, {"KWU-101"},
                             {kKitchen}, elective, kPractical));
    modules.push_back(module("PRD-602", "Menjahit dan produksi garmen", 48, {"KWU-101"}, {kSewing},
                             elective, kPractical));
    modules.push_back(module("PRD-603", "Kerajinan tangan dan kriya", 40, {"KWU-101"},
                             {kCraftWorkshop}, elective, kPractical));
    modules.push_back(module("PRD-604", "Pengolahan hasil pertanian dan agribisnis", 40,
                             {"KWU-101"}, {kAgroProcessing}, elective, kPractical));
    modules.push_back(module("PRD-605", "Jasa servis dan reparasi", 48, {"KWU-101"},
                             {kRepairWorkshop}, elective, kPractical));
  }
  return modules;
}

Program national_program(const ScenarioOptions& options) {
  Program program;
  program.name = "Program Nasional Pelatihan Kewirausahaan UMKM";
  program.ministries = {"Kementerian Usaha Mikro, Kecil, dan Menengah",
                        "Kementerian Ketenagakerjaan"};
  program.target_min = options.target_min;
  program.target_max = options.target_max;
  const Date pilot_end = options.start_date + (7 * options.pilot_weeks - 1);
  program.phases.push_back({"pilot", DateRange(options.start_date, pilot_end)});
  if (options.rollout_weeks > 0) {
    program.phases.push_back(
        {"rollout", DateRange(pilot_end + 1, pilot_end + 7 * options.rollout_weeks)});
  }
  return program;
}

}  // namespace balai
