// A plugin (a shared library a host loads) with a static balai inside: it exports its own
// entry point and nothing of balai, whose symbols are hidden in a static build
// (balai/core/export.hpp). RunConsumer.cmake checks its dynamic symbol table.
#include <balai/core/geo.hpp>
#include <balai/model/dataset.hpp>

extern "C" __attribute__((visibility("default"))) double plugin_distance_km() {
  const balai::Dataset dataset;
  return balai::haversine_km(balai::GeoPoint(-6.2, 106.8), balai::GeoPoint(-6.9, 107.6)) +
         static_cast<double>(dataset.facilities().size());
}
