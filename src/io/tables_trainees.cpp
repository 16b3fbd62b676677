#include "balai/io/tables.hpp"
#include "tables_common.hpp"

namespace balai {
namespace {

struct Columns {
  Columns(const CsvReader& csv, const CsvReadOptions& options)
      : id(csv.column("id")),
        nik(csv.optional_column("nik")),
        nik_digest(csv.optional_column("nik_digest")),
        nik_masked(csv.optional_column("nik_masked")),
        gender(csv.column("gender")),
        birth_year(csv.column("birth_year")),
        province(csv.column("province")),
        regency(csv.optional_column("regency")),
        lat(csv.column("lat")),
        lng(csv.column("lng")),
        track(csv.column("track")),
        umkm_class(csv.column("umkm_class")),
        kbli_version(csv.column("kbli_version")),
        kbli_code(csv.column("kbli_code")),
        needs(csv.optional_column("needs")) {
    // Refusing beats reading quietly: a file of clear NIKs is read on purpose or not at all.
    if (nik.present() && !options.nik_key) {
      throw ParseError(csv.file(), 1, nik.number(), nik.name(),
                       "a clear NIK column is read only with the program's NIK key "
                       "(CsvReadOptions::nik_key); otherwise give nik_digest and nik_masked");
    }
  }

  [[nodiscard]] const CsvColumn* of(std::string_view field) const noexcept {
    if (field == "sector") return &kbli_code;
    return detail::find_column({&id, &nik_digest, &nik_masked, &birth_year, &province, &regency},
                               field);
  }

  CsvColumn id, nik, nik_digest, nik_masked, gender, birth_year, province, regency, lat, lng, track,
      umkm_class, kbli_version, kbli_code, needs;
};

std::optional<ProtectedNik> read_nik(const CsvReader& csv, const Columns& columns,
                                     const std::optional<NikKey>& key) {
  const auto digest = csv.text(columns.nik_digest);
  const auto masked = csv.text(columns.nik_masked);
  if (!csv.text(columns.nik).empty()) {
    if (!digest.empty() || !masked.empty()) {
      throw csv.error(columns.nik, "give either nik or nik_digest and nik_masked, not both");
    }
    // protect_nik's problems carry the masked form only, so the number stays out of messages.
    return csv.convert(columns.nik, [&](std::string_view nik) { return protect_nik(nik, *key); });
  }
  if (digest.empty() && masked.empty()) return std::nullopt;
  if (digest.empty())
    throw csv.error(columns.nik_digest, "nik_masked is given, so nik_digest is needed");
  if (masked.empty())
    throw csv.error(columns.nik_masked, "nik_digest is given, so nik_masked is needed");
  try {
    return ProtectedNik::from_parts(digest, masked);
  } catch (const ValidationError& error) {
    const Problem& problem = error.problems().front();
    throw csv.error(
        problem.field == columns.nik_masked.name() ? columns.nik_masked : columns.nik_digest,
        problem);
  }
}

AccessibilityNeeds read_needs(const CsvReader& csv, const CsvColumn& column) {
  std::uint8_t bits = 0;
  for (Need need : csv.enumeration_list<Need>(column)) {
    bits = static_cast<std::uint8_t>(bits | AccessibilityNeeds{need}.bits());
  }
  return AccessibilityNeeds::from_bits(bits);
}

Trainee read_row(const CsvReader& csv, const Columns& columns, const CsvReadOptions& options) {
  Trainee trainee;
  trainee.id = csv.string(columns.id);
  trainee.nik = read_nik(csv, columns, options.nik_key);
  trainee.gender = csv.enumeration<Gender>(columns.gender);
  trainee.birth_year = csv.integer<int>(columns.birth_year);
  trainee.province = detail::read_province(csv, columns.province);
  trainee.regency = detail::read_regency(csv, columns.regency);
  trainee.location = detail::read_point(csv, columns.lat, columns.lng);
  trainee.track = csv.enumeration<Track>(columns.track);
  trainee.umkm_class = csv.enumeration<UmkmClass>(columns.umkm_class);
  trainee.sector.version = csv.enumeration<KbliVersion>(columns.kbli_version);
  trainee.sector.code = csv.string(columns.kbli_code);
  trainee.needs = read_needs(csv, columns.needs);
  // Ages are judged against the program's start when the trainees join a Dataset.
  detail::reject(csv, check(trainee, std::nullopt), columns);
  return trainee;
}

CsvWriter trainee_writer(std::span<const Trainee> trainees) {
  CsvWriter csv(kTraineeColumns);
  for (const auto& trainee : trainees) {
    const auto& nik = trainee.nik;
    csv.cell(trainee.id)
        .cell(nik ? nik->digest_hex() : std::string())
        .cell(nik ? std::string_view(nik->masked) : std::string_view())
        .cell(trainee.gender)
        .cell(trainee.birth_year)
        .cell(trainee.province.value())
        .cell(detail::regency_text(trainee.regency))
        .cell(trainee.location.lat())
        .cell(trainee.location.lng())
        .cell(trainee.track)
        .cell(trainee.umkm_class)
        .cell(trainee.sector.version)
        .cell(trainee.sector.code)
        .list(trainee.needs.list())
        .end_row();
  }
  return csv;
}

}  // namespace

std::vector<Trainee> read_trainees(CsvReader& csv, const CsvReadOptions& options) {
  const Columns columns(csv, options);
  std::vector<Trainee> trainees;
  while (csv.next()) trainees.push_back(read_row(csv, columns, options));
  return trainees;
}

std::vector<Trainee> read_trainees(const std::filesystem::path& file,
                                   const CsvReadOptions& options) {
  auto csv = CsvReader::open(file);
  return read_trainees(csv, options);
}

std::string trainees_to_csv(std::span<const Trainee> trainees) {
  return trainee_writer(trainees).take();
}

void write_trainees(std::span<const Trainee> trainees, const std::filesystem::path& file) {
  trainee_writer(trainees).save(file);
}

}  // namespace balai
