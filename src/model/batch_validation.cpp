#include "batch_validation.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "balai/core/text.hpp"
#include "text_checks.hpp"

namespace balai::detail {
namespace {

template <class T>
void sort_unique(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

void add_problems(std::vector<Problem>& problems, std::vector<Problem> more) {
  problems.insert(problems.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
}

template <class Entity>
void check_region(std::vector<Problem>& problems, std::string_view kind, const Entity& entity,
                  const Dataset& dataset) {
  const auto& regency = entity.regency;
  if (regency && !dataset.regencies().empty() && dataset.find_regency(*regency) == nullptr) {
    problems.push_back({std::string(kind) + " " + printable(entity.id, 64), "regency",
                        regency->to_string(), "not in the dataset's regency table"});
  }
}

// The year a trainee's age is judged in: the start of the program's first phase.
std::optional<int> reference_year(const std::optional<Program>& program) {
  if (!program || program->phases.empty()) return std::nullopt;
  return program->phases.front().window.first().ymd().year;
}

// All modules of the merged dataset, by code, for reference and cycle checks.
struct ModuleGraph {
  std::vector<const Module*> modules;
  std::unordered_map<std::string_view, std::size_t> position;

  ModuleGraph(const Dataset& dataset, const Batch& batch) {
    for (const auto& module : dataset.modules()) add(module);
    for (const auto& module : batch.modules) add(module);
  }
  void add(const Module& module) {
    if (position.try_emplace(module.code, modules.size()).second) modules.push_back(&module);
  }
  [[nodiscard]] const Module* find(std::string_view code) const {
    const auto it = position.find(code);
    return it == position.end() ? nullptr : modules[it->second];
  }
};

// Finds prerequisite cycles by iterative depth-first search and spells each one out,
// "A -> B -> C -> A". Each cycle is reported once, from its first module in dataset order.
void check_cycles(std::vector<Problem>& problems, const ModuleGraph& graph) {
  enum class Mark : std::uint8_t { unseen, on_path, done };
  std::vector<Mark> mark(graph.modules.size(), Mark::unseen);
  std::set<std::vector<std::size_t>> reported;
  for (std::size_t root = 0; root < graph.modules.size(); ++root) {
    if (mark[root] != Mark::unseen) continue;
    // Each frame: a module and how many of its prerequisites were already followed.
    std::vector<std::pair<std::size_t, std::size_t>> path{{root, 0}};
    mark[root] = Mark::on_path;
    while (!path.empty()) {
      auto& [node, next] = path.back();
      const auto& prerequisites = graph.modules[node]->prerequisites;
      if (next == prerequisites.size()) {
        mark[node] = Mark::done;
        path.pop_back();
        continue;
      }
      const auto it = graph.position.find(prerequisites[next++]);
      if (it == graph.position.end()) continue;  // unknown: reported elsewhere
      const std::size_t target = it->second;
      if (mark[target] == Mark::unseen) {
        mark[target] = Mark::on_path;
        path.emplace_back(target, 0);
      } else if (mark[target] == Mark::on_path) {
        auto start = std::find_if(path.begin(), path.end(),
                                  [target](const auto& frame) { return frame.first == target; });
        std::vector<std::size_t> cycle;
        for (auto frame = start; frame != path.end(); ++frame) cycle.push_back(frame->first);
        auto canonical = cycle;
        std::rotate(canonical.begin(), std::min_element(canonical.begin(), canonical.end()),
                    canonical.end());
        if (!reported.insert(canonical).second) continue;
        std::string spelled;
        for (auto position : cycle) spelled += graph.modules[position]->code + " -> ";
        spelled += graph.modules[target]->code;
        problems.push_back({"module " + graph.modules[target]->code, "prerequisites", spelled,
                            "prerequisite cycle"});
      }
    }
  }
}

void check_module_references(std::vector<Problem>& problems, const ModuleGraph& graph,
                             const Batch& batch) {
  for (const auto& module : batch.modules) {
    for (const auto& code : module.prerequisites) {
      if (graph.find(code) == nullptr) {
        problems.push_back(
            {"module " + module.code, "prerequisites", printable(code), "unknown module"});
      }
    }
  }
  // A track cannot require a module whose prerequisite it does not also require: its
  // trainees could never start it.
  for (const Module* module : graph.modules) {
    for (const auto& code : module->prerequisites) {
      const Module* prerequisite = graph.find(code);
      if (prerequisite == nullptr) continue;
      for (Track track : module->tracks) {
        if (!prerequisite->required_by(track)) {
          problems.push_back({"module " + module->code, "prerequisites", code,
                              "required by track " + std::string(name_of(track)) +
                                  ", but the track does not require it"});
        }
      }
    }
  }
}

// Every module must be hostable by at least one facility once the dataset has any: a
// facility offering all of its required features.
void check_hostable(std::vector<Problem>& problems, const Dataset& dataset, const Batch& batch,
                    const ModuleGraph& graph) {
  if (batch.facilities.empty() && batch.modules.empty()) return;
  if (dataset.facilities().empty() && batch.facilities.empty()) return;
  std::map<std::string_view, std::size_t> bit_of;
  for (const Module* module : graph.modules) {
    for (const auto& tag : module->required_features) bit_of.try_emplace(tag, bit_of.size());
  }
  const std::size_t words = (bit_of.size() + 63) / 64;
  std::set<std::vector<std::uint64_t>> offered;
  const auto add_facility = [&](const Facility& facility) {
    std::vector<std::uint64_t> bits(words);
    for (const auto& tag : facility.features) {
      if (auto it = bit_of.find(tag); it != bit_of.end()) {
        bits[it->second / 64] |= std::uint64_t{1} << (it->second % 64);
      }
    }
    offered.insert(std::move(bits));
  };
  for (const auto& facility : dataset.facilities()) add_facility(facility);
  for (const auto& facility : batch.facilities) add_facility(facility);
  for (const Module* module : graph.modules) {
    std::vector<std::uint64_t> needed(words);
    for (const auto& tag : module->required_features) {
      const std::size_t bit = bit_of.at(tag);
      needed[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
    const bool hostable = std::any_of(offered.begin(), offered.end(), [&](const auto& bits) {
      for (std::size_t w = 0; w < words; ++w) {
        if ((bits[w] & needed[w]) != needed[w]) return false;
      }
      return true;
    });
    if (!hostable) {
      std::string tags;
      for (const auto& tag : module->required_features) tags += (tags.empty() ? "" : ";") + tag;
      problems.push_back({"module " + module->code, "required_features", tags,
                          "no facility offers all of these features"});
    }
  }
}

}  // namespace

void normalise(Batch& batch) {
  for (auto& facility : batch.facilities) sort_unique(facility.features);
  for (auto& module : batch.modules) {
    sort_unique(module.required_features);
    sort_unique(module.tracks);
  }
}

std::vector<Problem> validate(const Dataset& dataset, const Batch& batch) {
  std::vector<Problem> problems;

  const std::optional<Program>& program = batch.program ? batch.program : dataset.program();
  if (batch.program) {
    add_problems(problems, check(*batch.program));
    if (dataset.program()) {
      problems.push_back(
          {"program", "name", printable(batch.program->name), "the dataset already has a program"});
    }
  }

  for (const auto& facility : batch.facilities) {
    add_problems(problems, check(facility));
    check_region(problems, "facility", facility, dataset);
  }

  for (const auto& module : batch.modules) add_problems(problems, check(module));

  const auto year = reference_year(program);
  for (const auto& trainee : batch.trainees) {
    add_problems(problems, check(trainee, year));
    check_region(problems, "trainee", trainee, dataset);
  }
  // A program arriving after its trainees still judges their ages.
  if (batch.program && year) {
    for (const auto& trainee : dataset.trainees()) {
      for (auto& problem : check(trainee, year)) {
        if (problem.field == "birth_year") problems.push_back(std::move(problem));
      }
    }
  }

  if (!batch.modules.empty() || !batch.facilities.empty()) {
    const ModuleGraph graph(dataset, batch);
    check_module_references(problems, graph, batch);
    check_cycles(problems, graph);
    check_hostable(problems, dataset, batch, graph);
  }
  return problems;
}

}  // namespace balai::detail
