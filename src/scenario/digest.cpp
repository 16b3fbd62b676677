#include "balai/scenario/digest.hpp"

#include "../core/canonical_text.hpp"

namespace balai {

std::string dataset_digest(const Dataset& dataset) {
  detail::CanonicalText text;
  for (const auto& r : dataset.regencies()) {
    text << "R" << r.code << r.name << r.seat << r.population;
    text.end_record();
  }
  for (const auto& f : dataset.facilities()) {
    text << "F" << f.id << f.name << f.kind << f.owner << f.grade << f.location
         << static_cast<int>(f.province.value()) << f.regency << f.rooms << f.seats << f.features;
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
    text << t.gender << t.birth_year << static_cast<int>(t.province.value()) << t.regency
         << t.location << t.track << t.umkm_class << t.sector.version << t.sector.code
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
