#include "trainees.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <mutex>
#include <span>
#include <thread>

#include "../core/parallel.hpp"
#include "balai/scenario/indonesia.hpp"

namespace balai::detail {
namespace {

constexpr std::uint64_t kTraineePurpose = 0x54524149'4e454553ULL;  // "TRAINEES"
// Trainees per random stream. Fixed, so that the chunks, and with them the trainees, are
// the same whatever the number of threads.
constexpr std::size_t kChunk = 8'192;

// A table of rows drawn with probability proportional to their `weight`.
template <class Row>
class Weighted {
 public:
  template <std::size_t N>
  explicit Weighted(const std::array<Row, N>& rows) : rows_(rows) {
    std::vector<std::uint64_t> weights;
    for (const auto& row : rows) weights.push_back(row.weight);
    picker_ = WeightedPicker(weights);
  }
  [[nodiscard]] const Row& draw(Rng& rng) const { return rows_[picker_.pick(rng)]; }

 private:
  std::span<const Row> rows_;
  WeightedPicker picker_;
};

struct Band {
  std::int64_t low;
  std::int64_t high;
  std::uint64_t weight;
};

// Ages in the start year. UMKM owners are mostly in mid-career; people starting a
// business are younger.
constexpr std::array<Band, 6> kOwnerAges{
    {{18, 24, 6}, {25, 34, 24}, {35, 44, 30}, {45, 54, 26}, {55, 64, 12}, {65, 70, 2}}};
constexpr std::array<Band, 5> kNewcomerAges{
    {{18, 24, 22}, {25, 34, 38}, {35, 44, 24}, {45, 54, 12}, {55, 64, 4}}};

constexpr std::int64_t kMillion = 1'000'000;
constexpr std::int64_t kBillion = 1'000 * kMillion;
// Annual sales of owners' businesses (rupiah), per 10,000: most are ultra-micro, a few
// percent small, very few medium. The class follows from the thresholds of PP 7/2021.
constexpr std::array<Band, 5> kOwnerSales{{{1 * kMillion, 60 * kMillion, 4'500},
                                           {60 * kMillion + 1, 300 * kMillion, 3'300},
                                           {300 * kMillion + 1, 2 * kBillion, 1'700},
                                           {2 * kBillion + 1, 15 * kBillion, 450},
                                           {15 * kBillion + 1, 50 * kBillion, 50}}};
// Planned capital of new businesses (rupiah, excluding land and buildings), per 10,000.
constexpr std::array<Band, 5> kNewcomerCapital{{{500'000, 50 * kMillion, 7'000},
                                                {50 * kMillion + 1, 500 * kMillion, 2'500},
                                                {500 * kMillion + 1, 1 * kBillion, 350},
                                                {1 * kBillion + 1, 5 * kBillion, 140},
                                                {5 * kBillion + 1, 10 * kBillion, 10}}};

// KBLI 2020 subclasses typical of the program's trainees: retail and food stalls lead,
// then food processing, farming, garments, repairs and crafts.
struct Sector {
  std::string_view code;
  std::uint64_t weight;
};
constexpr std::array<Sector, 24> kSectors{{
    {"47112", 14},  // toko kelontong
    {"47911", 6},   // retail of food via internet
    {"47919", 4},   // retail of other goods via internet
    {"47711", 4},   // clothing retail
    {"56102", 10},  // warung makan
    {"56103", 6},   // kedai makanan
    {"56303", 3},   // kafe
    {"10710", 6},   // roti dan kue
    {"10794", 6},   // kerupuk, keripik, peyek
    {"10799", 3},   // other food products
    {"11040", 2},   // soft drinks
    {"14111", 4},   // ready-made clothing
    {"14120", 4},   // tailoring
    {"16292", 2},   // bamboo and rattan ware
    {"31001", 2},   // wooden furniture
    {"01111", 3},   // maize
    {"01131", 3},   // vegetables
    {"01461", 3},   // poultry
    {"03119", 2},   // fishing
    {"45405", 4},   // motorcycle repair
    {"95210", 2},   // electronics repair
    {"96112", 3},   // beauty salon
    {"13921", 1},   // made-up textile goods
    {"32909", 1},   // other handicrafts
}};

struct NeedRow {
  Need need;
  std::uint64_t weight;
};
constexpr std::array<NeedRow, 4> kNeeds{
    {{Need::mobility, 40}, {Need::visual, 25}, {Need::hearing, 25}, {Need::other, 10}}};

const Weighted<Band>& owner_ages() {
  static const Weighted<Band> t(kOwnerAges);
  return t;
}
const Weighted<Band>& newcomer_ages() {
  static const Weighted<Band> t(kNewcomerAges);
  return t;
}
const Weighted<Band>& owner_sales() {
  static const Weighted<Band> t(kOwnerSales);
  return t;
}
const Weighted<Band>& newcomer_capital() {
  static const Weighted<Band> t(kNewcomerCapital);
  return t;
}
const Weighted<Sector>& sectors() {
  static const Weighted<Sector> t(kSectors);
  return t;
}
const Weighted<NeedRow>& needs() {
  static const Weighted<NeedRow> t(kNeeds);
  return t;
}

std::int64_t draw(const Weighted<Band>& table, Rng& rng) {
  const Band& band = table.draw(rng);
  return rng.between(band.low, band.high);
}

UmkmClass draw_class(Track track, Rng& rng) {
  // The tables stop at the medium thresholds, so the class always exists.
  return track == Track::umkm_owner ? *umkm_class_by_sales(draw(owner_sales(), rng))
                                    : *umkm_class_by_capital(draw(newcomer_capital(), rng));
}

void put_digits(char* at, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// A NIK as Dukcapil writes it: province, regency, district, birth date DDMMYY (day + 40
// for women) and a serial. Without a regency table the regency digits are 01.
ProtectedNik synthetic_nik(const Trainee& trainee, Rng& rng, const NikKey& key) {
  const int days = is_leap(trainee.birth_year) ? 366 : 365;
  const YearMonthDay birth =
      (Date(trainee.birth_year, 1, 1) +
       static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(days))))
          .ymd();
  std::array<char, 16> nik{};
  put_digits(&nik[0], trainee.province.value(), 2);
  put_digits(&nik[2], trainee.regency ? trainee.regency->value() % 100 : 1, 2);
  put_digits(&nik[4], static_cast<int>(rng.between(1, 20)), 2);
  put_digits(&nik[6], birth.day + (trainee.gender == Gender::female ? 40 : 0), 2);
  put_digits(&nik[8], birth.month, 2);
  put_digits(&nik[10], birth.year % 100, 2);
  put_digits(&nik[12], static_cast<int>(rng.between(1, 9'999)), 4);
  ProtectedNik result = protect_nik(std::string_view(nik.data(), nik.size()), key);
  OPENSSL_cleanse(nik.data(), nik.size());
  return result;
}

}  // namespace

TraineeMaker::TraineeMaker(const ScenarioOptions& options)
    : key_(scenario_nik_key(options.seed)),
      reference_year_(options.start_date.ymd().year),
      new_entrepreneur_share_(options.new_entrepreneur_share),
      female_share_(options.female_share),
      accessibility_share_(options.accessibility_share) {}

void TraineeMaker::make(Trainee& out, std::uint64_t number, const ProvincePlaces& province,
                        const Seat& seat, const TraineeShape& shape, Rng& rng) const {
  out.id = trainee_id(number);
  out.province = province.province->code;
  out.regency = seat.regency;
  out.location = jitter(seat, seat.spread_km, rng);
  out.track = shape.track.value_or(rng.chance(new_entrepreneur_share_) ? Track::new_entrepreneur
                                                                       : Track::umkm_owner);
  out.gender = shape.gender.value_or(rng.chance(female_share_) ? Gender::female : Gender::male);
  if (shape.birth_year) {
    out.birth_year = *shape.birth_year;
  } else {
    const auto& ages = out.track == Track::umkm_owner ? owner_ages() : newcomer_ages();
    out.birth_year = reference_year_ - static_cast<int>(draw(ages, rng));
  }
  out.umkm_class = shape.umkm_class ? *shape.umkm_class : draw_class(out.track, rng);
  out.sector = Kbli{KbliVersion::kbli2020,
                    shape.sector ? *shape.sector : std::string(sectors().draw(rng).code)};
  if (shape.needs) {
    out.needs = *shape.needs;
  } else {
    out.needs = rng.chance(accessibility_share_) ? AccessibilityNeeds{needs().draw(rng).need}
                                                 : AccessibilityNeeds{};
  }
  out.nik = synthetic_nik(out, rng, key_);
}

std::string trainee_id(std::uint64_t number) {
  std::string id = "PST-00000000";
  for (std::size_t i = id.size(); i > 4 && number > 0; --i, number /= 10) {
    id[i - 1] = static_cast<char>('0' + number % 10);
  }
  return id;
}

std::vector<Trainee> national_trainees(const ScenarioOptions& options, const Places& places) {
  const auto count = static_cast<std::size_t>(options.trainees);
  std::vector<Trainee> trainees(count);
  const TraineeMaker maker(options);
  const TraineeShape any;
  const std::size_t chunks = (count + kChunk - 1) / kChunk;

  std::atomic<std::size_t> next_chunk{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto work = [&] {
    try {
      for (std::size_t chunk = next_chunk++; chunk < chunks && !failed; chunk = next_chunk++) {
        Rng rng = Rng::stream(options.seed, kTraineePurpose, chunk);
        const std::size_t end = std::min(count, (chunk + 1) * kChunk);
        for (std::size_t i = chunk * kChunk; i < end; ++i) {
          const auto [province, seat] = places.pick_seat(rng);
          maker.make(trainees[i], i + 1, *province, *seat, any, rng);
        }
      }
    } catch (...) {
      const std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };

  const auto wanted = detail::worker_count(options.threads);
  const std::size_t helpers = std::min(wanted, std::max<std::size_t>(chunks, 1)) - 1;
  {
    std::vector<std::jthread> pool;
    pool.reserve(helpers);
    for (std::size_t i = 0; i < helpers; ++i) pool.emplace_back(work);
    work();
  }
  if (error) std::rethrow_exception(error);
  return trainees;
}

}  // namespace balai::detail
