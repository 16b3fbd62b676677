#include "balai/io/tables.hpp"
#include "tables_common.hpp"

namespace balai {
namespace {

struct Columns {
  explicit Columns(const CsvReader& csv)
      : id(csv.column("id")),
        name(csv.column("name")),
        kind(csv.column("kind")),
        owner(csv.column("owner")),
        grade(csv.optional_column("grade")),
        lat(csv.column("lat")),
        lng(csv.column("lng")),
        province(csv.column("province")),
        regency(csv.optional_column("regency")),
        rooms(csv.column("rooms")),
        seats(csv.column("seats")),
        features(csv.optional_column("features")),
        active_from(csv.optional_column("active_from")),
        active_to(csv.optional_column("active_to")) {}

  [[nodiscard]] const CsvColumn* of(std::string_view field) const noexcept {
    return detail::find_column(
        {&id, &name, &owner, &grade, &province, &regency, &rooms, &seats, &features}, field);
  }

  CsvColumn id, name, kind, owner, grade, lat, lng, province, regency, rooms, seats, features,
      active_from, active_to;
};

std::optional<DateRange> read_active(const CsvReader& csv, const Columns& columns) {
  const auto first = csv.optional_date(columns.active_from);
  const auto last = csv.optional_date(columns.active_to);
  if (!first && !last) return std::nullopt;
  if (!first) throw csv.error(columns.active_from, "active_to is given, so active_from is needed");
  if (!last) throw csv.error(columns.active_to, "active_from is given, so active_to is needed");
  return csv.convert(columns.active_to, [&](std::string_view) { return DateRange(*first, *last); });
}

Facility read_row(const CsvReader& csv, const Columns& columns) {
  Facility facility;
  facility.id = csv.string(columns.id);
  facility.name = csv.string(columns.name);
  facility.kind = csv.enumeration<FacilityKind>(columns.kind);
  facility.owner = csv.enumeration<OwnerLevel>(columns.owner);
  facility.grade = csv.optional_enumeration<BlkGrade>(columns.grade);
  facility.location = detail::read_point(csv, columns.lat, columns.lng);
  facility.province = detail::read_province(csv, columns.province);
  facility.regency = detail::read_regency(csv, columns.regency);
  facility.rooms = csv.integer<int>(columns.rooms, 0);
  facility.seats = csv.integer<int>(columns.seats, 0);
  facility.features = csv.string_list(columns.features);
  facility.active = read_active(csv, columns);
  detail::reject(csv, check(facility), columns);
  return facility;
}

CsvWriter facility_writer(std::span<const Facility> facilities) {
  CsvWriter csv(kFacilityColumns);
  for (const auto& facility : facilities) {
    const auto& active = facility.active;
    csv.cell(facility.id)
        .cell(facility.name)
        .cell(facility.kind)
        .cell(facility.owner)
        .cell(facility.grade)
        .cell(facility.location.lat())
        .cell(facility.location.lng())
        .cell(facility.province.value())
        .cell(detail::regency_text(facility.regency))
        .cell(facility.rooms)
        .cell(facility.seats)
        .list(facility.features)
        .cell(active ? std::optional<Date>(active->first()) : std::nullopt)
        .cell(active ? std::optional<Date>(active->last()) : std::nullopt)
        .end_row();
  }
  return csv;
}

}  // namespace

std::vector<Facility> read_facilities(CsvReader& csv) {
  const Columns columns(csv);
  std::vector<Facility> facilities;
  while (csv.next()) facilities.push_back(read_row(csv, columns));
  return facilities;
}

std::vector<Facility> read_facilities(const std::filesystem::path& file) {
  auto csv = CsvReader::open(file);
  return read_facilities(csv);
}

std::string facilities_to_csv(std::span<const Facility> facilities) {
  return facility_writer(facilities).take();
}

void write_facilities(std::span<const Facility> facilities, const std::filesystem::path& file) {
  facility_writer(facilities).save(file);
}

}  // namespace balai
