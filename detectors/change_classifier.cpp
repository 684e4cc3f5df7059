#include "detectors/change_classifier.hpp"

#include <algorithm>
#include <map>

namespace hm::detectors {
namespace {

// One hybridized thing on one side of one file.
struct Hybrid {
  const HybridSite* site;
  std::optional<std::string> body_hash;  // when the target is a function defined in the file
  std::size_t file;
  bool used = false;
  // For a defined function: it no longer exists on the new side of its file (a removal), or did not exist on the
  // old side (an addition). Only such functions can have moved or been renamed.
  bool elsewhere = false;
};

bool defines(const FileFacts* facts, const std::string& function) {
  if (facts == nullptr) return false;
  if (!facts->parsed) return true;  // unknown (unreadable): do not claim that it moved
  return std::any_of(facts->functions.begin(), facts->functions.end(),
                     [&](const FunctionFact& f) { return f.qualified_name == function; });
}

bool broken(const FileFacts* facts) { return facts != nullptr && facts->syntax_errors > 0; }

std::string short_name(const std::string& function) {
  const auto dot = function.find_last_of('.');
  return dot == std::string::npos ? function : function.substr(dot + 1);
}

// Hybridize sites of one side, by target (scope-qualified when the target is not a function of the file), first
// site per target and API.
std::map<std::string, std::vector<Hybrid>> hybrids_of(const FileFacts* facts, std::size_t file) {
  std::map<std::string, std::vector<Hybrid>> result;
  if (facts == nullptr) return result;
  std::map<std::string, std::string> bodies;
  for (const auto& f : facts->functions) bodies.emplace(f.qualified_name, f.body_hash);
  for (const auto& site : facts->sites) {
    if (site.role != "hybridize" || site.function.empty()) continue;
    const auto body = bodies.find(site.function);
    const auto key = body != bodies.end() ? site.function : site.scope + "::" + site.function;
    auto& list = result[key];
    const bool seen = std::any_of(list.begin(), list.end(), [&](const Hybrid& h) { return h.site->api == site.api; });
    if (!seen) {
      list.push_back({&site, body != bodies.end() ? std::optional<std::string>(body->second) : std::nullopt, file});
    }
  }
  return result;
}

void compare_arguments(const Arguments& before, const Arguments& after, HybridizationChange& change) {
  // (Named lookups, not lambdas capturing structured bindings: clang before 16 rejects those.)
  const auto find = [](const Arguments& arguments, const std::string& name) {
    return std::find_if(arguments.begin(), arguments.end(), [&name](const auto& a) { return a.first == name; });
  };
  for (const auto& argument : before) {
    const auto found = find(after, argument.first);
    if (found == after.end()) {
      change.args_removed.push_back(argument.first);
    } else if (found->second != argument.second) {
      change.args_modified.push_back(argument.first);
    }
  }
  for (const auto& argument : after) {
    if (find(before, argument.first) == before.end()) change.args_added.push_back(argument.first);
  }
}

class Classifier {
 public:
  explicit Classifier(const std::vector<FileSides>& files) : files_(files) {}

  std::vector<HybridizationChange> run() {
    std::vector<std::pair<std::string, Hybrid>> removed_candidates;
    std::vector<std::pair<std::string, Hybrid>> added_candidates;
    for (std::size_t i = 0; i < files_.size(); ++i) {
      auto old_side = hybrids_of(files_[i].old_facts, i);
      auto new_side = hybrids_of(files_[i].new_facts, i);
      std::vector<std::pair<std::string, Hybrid>> removed, added;
      for (auto& [key, olds] : old_side) {
        const auto found = new_side.find(key);
        if (found == new_side.end()) {
          for (auto& h : olds) removed.emplace_back(key, h);
          continue;
        }
        compare_target(olds, found->second, removed, added);
      }
      for (auto& [key, news] : new_side) {
        if (old_side.count(key)) continue;
        for (auto& h : news) added.emplace_back(key, h);
      }
      keep_trustworthy(files_[i], removed, added);
      for (auto& candidate : removed) {
        candidate.second.elsewhere =
            candidate.second.body_hash && !defines(files_[i].new_facts, candidate.second.site->function);
        removed_candidates.push_back(std::move(candidate));
      }
      for (auto& candidate : added) {
        candidate.second.elsewhere =
            candidate.second.body_hash && !defines(files_[i].old_facts, candidate.second.site->function);
        added_candidates.push_back(std::move(candidate));
      }
    }
    match_moves(removed_candidates, added_candidates);
    match_renames(removed_candidates, added_candidates);
    for (auto& [key, h] : removed_candidates) {
      if (!h.used) emit("removed", &h, nullptr);
    }
    for (auto& [key, h] : added_candidates) {
      if (!h.used) emit("added", nullptr, &h);
    }
    return std::move(changes_);
  }

 private:
  // The same target on both sides: per API, unchanged, args or body changed; APIs that only one side has are
  // paired up as api_changed, and what is left over is added or removed.
  void compare_target(std::vector<Hybrid>& olds, std::vector<Hybrid>& news,
                      std::vector<std::pair<std::string, Hybrid>>& removed,
                      std::vector<std::pair<std::string, Hybrid>>& added) {
    for (auto& o : olds) {
      for (auto& n : news) {
        if (n.used || o.site->api != n.site->api) continue;
        o.used = n.used = true;
        compare_pair(o, n);
      }
    }
    std::vector<Hybrid*> old_left, new_left;
    for (auto& o : olds) if (!o.used) old_left.push_back(&o);
    for (auto& n : news) if (!n.used) new_left.push_back(&n);
    const auto pairs = std::min(old_left.size(), new_left.size());
    for (std::size_t i = 0; i < pairs; ++i) {
      old_left[i]->used = new_left[i]->used = true;
      emit("api_changed", old_left[i], new_left[i]);
    }
    for (std::size_t i = pairs; i < old_left.size(); ++i) removed.emplace_back(old_left[i]->site->function, *old_left[i]);
    for (std::size_t i = pairs; i < new_left.size(); ++i) added.emplace_back(new_left[i]->site->function, *new_left[i]);
  }

  // Same API on both sides.
  void compare_pair(const Hybrid& o, const Hybrid& n) {
    HybridizationChange change = make("args_changed", &o, &n);
    compare_arguments(o.site->arguments, n.site->arguments, change);
    if (!change.args_added.empty() || !change.args_removed.empty() || !change.args_modified.empty()) {
      changes_.push_back(std::move(change));
    } else if (o.body_hash && n.body_hash && *o.body_hash != *n.body_hash) {
      emit("body_changed", &o, &n);
    }
  }

  // When exactly one side of a file has syntax errors (a commit with merge-conflict markers, a half-edited
  // file), tree-sitter's error recovery can lose or misplace definitions around the broken part: a site missing
  // from the broken side is no evidence of a change. Changes seen on both sides (arguments, API) still count.
  static void keep_trustworthy(const FileSides& file, std::vector<std::pair<std::string, Hybrid>>& removed,
                               std::vector<std::pair<std::string, Hybrid>>& added) {
    const bool old_broken = broken(file.old_facts);
    const bool new_broken = broken(file.new_facts);
    if (old_broken == new_broken) return;
    if (new_broken) removed.clear();
    if (old_broken) added.clear();
  }

  // A hybrid function removed in one place and added in another in the same commit moved: same family and the
  // same short name, or the same body.
  void match_moves(std::vector<std::pair<std::string, Hybrid>>& removed,
                   std::vector<std::pair<std::string, Hybrid>>& added) {
    for (auto& [old_key, o] : removed) {
      for (auto& [new_key, n] : added) {
        if (n.used || o.site->family != n.site->family) continue;
        // Like with like: two functions defined in the files (same short name or same body), or two call sites
        // on the same target text. A decorated definition and a call on an imported reference are different
        // things (a decorator removed from a library function while its tests start wrapping it).
        // A definition that still exists where it was (or already existed where it is now) did not move: the
        // decorator left one function and another (perhaps same-named, e.g. `call`) function got one.
        const bool both_defined = o.body_hash && n.body_hash && o.elsewhere && n.elsewhere;
        const bool same_name = short_name(o.site->function) == short_name(n.site->function);
        const bool same_body = both_defined && *o.body_hash == *n.body_hash;
        const bool both_calls = !o.body_hash && !n.body_hash && o.site->function == n.site->function;
        if (!(both_defined && (same_name || same_body)) && !both_calls) continue;
        o.used = n.used = true;
        if (o.site->api != n.site->api) {
          emit("api_changed", &o, &n);
        } else {
          compare_pair(o, n);
        }
        break;
      }
    }
  }

  // A file (or its renamed successor) where exactly one hybrid function vanished and exactly one hybrid function
  // of the same family that did not exist before appeared: the function was renamed (median_filter_2D →
  // median_filter2d, perhaps with its body edited), not un-hybridized while another one was hybridized. When
  // several vanish or appear (a restructured module), nothing says which became which: they stay removed and
  // added.
  void match_renames(std::vector<std::pair<std::string, Hybrid>>& removed,
                     std::vector<std::pair<std::string, Hybrid>>& added) {
    std::map<std::size_t, std::pair<std::vector<Hybrid*>, std::vector<Hybrid*>>> by_file;
    for (auto& [key, h] : removed) {
      if (!h.used && h.elsewhere) by_file[h.file].first.push_back(&h);
    }
    for (auto& [key, h] : added) {
      if (!h.used && h.elsewhere) by_file[h.file].second.push_back(&h);
    }
    for (auto& [file, candidates] : by_file) {
      const auto& [olds, news] = candidates;
      if (olds.size() != 1 || news.size() != 1 || olds[0]->site->family != news[0]->site->family) continue;
      Hybrid& o = *olds[0];
      Hybrid& n = *news[0];
      o.used = n.used = true;
      if (o.site->api != n.site->api) {
        emit("api_changed", &o, &n);
      } else {
        compare_pair(o, n);
      }
    }
  }

  HybridizationChange make(const std::string& kind, const Hybrid* o, const Hybrid* n) const {
    HybridizationChange change;
    const auto& file = files_[n ? n->file : o->file];
    change.file = n ? n->file : o->file;
    change.kind = kind;
    change.path = file.new_path;
    change.old_path = o ? files_[o->file].old_path : file.old_path;
    const HybridSite* current = n ? n->site : o->site;
    change.function = current->function;
    change.api = current->api;
    change.family = current->family;
    if (o) {
      change.form_before = o->site->form;
      change.args_before = o->site->arguments;
      change.old_line = o->site->line;
    }
    if (n) {
      change.form_after = n->site->form;
      change.args_after = n->site->arguments;
      change.new_line = n->site->line;
    }
    if (o && n && o->site->api != n->site->api) change.old_api = o->site->api;
    return change;
  }

  void emit(const std::string& kind, const Hybrid* o, const Hybrid* n) {
    auto change = make(kind, o, n);
    if (kind == "added" && n) {
      for (const auto& [name, value] : n->site->arguments) change.args_added.push_back(name);
    }
    if (kind == "removed" && o) {
      for (const auto& [name, value] : o->site->arguments) change.args_removed.push_back(name);
    }
    if (kind == "api_changed" && o && n) compare_arguments(o->site->arguments, n->site->arguments, change);
    changes_.push_back(std::move(change));
  }

  const std::vector<FileSides>& files_;
  std::vector<HybridizationChange> changes_;
};

}  // namespace

std::vector<HybridizationChange> classify_changes(const std::vector<FileSides>& files) {
  return Classifier(files).run();
}

}  // namespace hm::detectors
