// `hybridminer corpus search|add|import|list|export`: select GitHub repositories into the corpus with their
// metadata and the query that selected them.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "app/commands.hpp"
#include "app/github_session.hpp"
#include "github/corpus_store.hpp"
#include "github/json_fields.hpp"
#include "github/repository_metadata.hpp"
#include "github/search.hpp"
#include "reports/format.hpp"
#include "reports/result_set.hpp"
#include "store/migrations.hpp"
#include "util/error.hpp"
#include "util/fault_injection.hpp"
#include "util/time.hpp"

namespace hm::app {
namespace {

constexpr std::int64_t kGitHubLaunch = 1199145600;  // 2008-01-01T00:00:00Z: nothing on GitHub is older

struct Range {
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
};

bool is_date_only(const std::string& text) { return text.size() == 10; }

// FROM..TO with either side optional; a date without a time ends at the end of its day.
Range parse_range(const std::string& option, const std::string& text) {
  const auto dots = text.find("..");
  if (dots == std::string::npos) throw UsageError(option + " takes FROM..TO (either may be empty), got '" + text + "'");
  Range range;
  const auto from = text.substr(0, dots);
  const auto to = text.substr(dots + 2);
  if (!from.empty()) range.from = util::parse_date(from);
  if (!to.empty()) range.to = util::parse_date(to) + (is_date_only(to) ? 86399 : 0);
  if (range.from && range.to && *range.from > *range.to) throw UsageError(option + ": FROM is after TO");
  return range;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string date_of(std::int64_t seconds) { return util::iso_utc(seconds); }

// The filters of a search, applied to every repository's metadata as well (GitHub's search is fuzzy, and commit
// search cannot filter repositories at all).
struct Filters {
  std::optional<std::string> language;
  std::int64_t min_stars = 0;
  Range created;
  Range pushed;
  bool include_forks = false;
  bool include_archived = false;

  bool accepts(const github::RepositoryMetadata& m) const {
    const auto lower = [](std::string s) {
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    if (language && (!m.language || lower(*m.language) != lower(*language))) return false;
    if (m.stars < min_stars) return false;
    if (m.is_fork && !include_forks) return false;
    if (m.is_archived && !include_archived) return false;
    const auto within = [](const std::optional<std::string>& when, const Range& range) {
      if (!range.from && !range.to) return true;
      if (!when) return false;
      const auto t = util::parse_date(*when);
      return (!range.from || t >= *range.from) && (!range.to || t <= *range.to);
    };
    return within(m.created_at, created) && within(m.pushed_at, pushed);
  }
};

std::string range_qualifier(const char* name, const Range& range) {
  if (!range.from && !range.to) return "";
  return std::string(" ") + name + ":" + (range.from ? date_of(*range.from) : "*") + ".." +
         (range.to ? date_of(*range.to) : "*");
}

nlohmann::json given_options(const CorpusSearchArgs& args) {
  nlohmann::json json;
  json["in"] = args.in;
  json["language"] = args.language ? nlohmann::json(*args.language) : nlohmann::json();
  json["min_stars"] = args.min_stars ? nlohmann::json(*args.min_stars) : nlohmann::json();
  json["created"] = args.created ? nlohmann::json(*args.created) : nlohmann::json();
  json["pushed"] = args.pushed ? nlohmann::json(*args.pushed) : nlohmann::json();
  json["committed"] = args.committed ? nlohmann::json(*args.committed) : nlohmann::json();
  json["include_forks"] = args.include_forks;
  json["include_archived"] = args.include_archived;
  return json;
}

std::int64_t started_at_of(store::Database& db, std::int64_t query_id) {
  auto find = db.prepare("SELECT started_at FROM corpus_queries WHERE id = ?");
  find.bind(1, query_id);
  find.step();
  return util::parse_date(find.get_text(0));
}

// Repositories named by commit or code search results (their `repository` is only an identity), each read once
// with GET /repos (full metadata, ETag-cached), filtered.
std::vector<github::RepositoryMetadata> repositories_of_items(github::Client& client, const github::SearchSlice& slice,
                                                              const Filters& filters, std::set<std::string>& seen,
                                                              const std::string& context) {
  std::vector<github::RepositoryMetadata> selected;
  for (const auto& item : slice.items) {
    const auto result = github::expect_object(item, context);
    const auto name = result.object("repository").text("full_name");
    if (!github::parse_full_name(name)) result.fail("repository.full_name is not owner/name: " + name);
    if (!seen.insert(name).second) continue;
    const auto page = client.get("/repos/" + name);
    auto metadata = github::parse_repository(page.json, page.url);
    if (filters.accepts(metadata)) selected.push_back(std::move(metadata));
  }
  return selected;
}

// Code search answers only authenticated requests: a 401 means no or a bad token, a 422 a query it rejects.
[[noreturn]] void explain_code_search_failure(const github::HttpStatusError& e) {
  if (e.status() == 401) {
    throw Error(std::string(e.what()) + " (code search needs a valid token in GITHUB_TOKEN)");
  }
  throw Error(std::string(e.what()) +
              " (GitHub rejected the code search query: it needs search text besides qualifiers, and a valid token)");
}

}  // namespace

int run_corpus_search(const CorpusSearchArgs& args, const std::vector<std::string>& argv) {
  if (args.in != "repositories" && args.in != "commits" && args.in != "code") {
    throw UsageError("--in takes repositories, commits or code");
  }
  if (args.in != "commits" && args.committed) throw UsageError("--committed applies to --in commits only");
  const bool commits = args.in == "commits";
  const bool code = args.in == "code";
  if ((commits || code) && args.text.empty()) {
    throw UsageError(std::string("a ") + (code ? "code" : "commit") + " search needs search text (e.g. tf.function)");
  }
  // Checked before the run is recorded, so that this mistake leaves no trace in the database.
  if (code && !github::options_from_environment().token) {
    throw UsageError("GitHub's code search answers only authenticated requests: set GITHUB_TOKEN");
  }
  Filters filters;
  // For code search, --language is the language of the matching files (GitHub's language: qualifier), not the
  // repository's primary language.
  if (!code) filters.language = args.language;
  filters.min_stars = args.min_stars.value_or(0);
  if (args.created) filters.created = parse_range("--created", *args.created);
  if (args.pushed) filters.pushed = parse_range("--pushed", *args.pushed);
  filters.include_forks = args.include_forks;
  filters.include_archived = args.include_archived;
  const auto split_range = commits ? (args.committed ? parse_range("--committed", *args.committed) : Range{})
                                   : filters.created;

  github::SearchSpec spec;
  spec.endpoint = commits ? "/search/commits" : code ? "/search/code" : "/search/repositories";
  spec.range_qualifier = commits ? "committer-date" : code ? "size" : "created";
  spec.query = join(args.text, " ");
  if (code) {
    if (args.language) spec.query += " language:" + *args.language;
    spec.unit = github::RangeUnit::bytes;
  } else if (!commits) {
    if (args.language) spec.query += " language:" + *args.language;
    if (args.min_stars) spec.query += " stars:>=" + std::to_string(*args.min_stars);
    if (args.include_forks) spec.query += " fork:true";
    if (!args.include_archived) spec.query += " archived:false";
    spec.query += range_qualifier("pushed", filters.pushed);
  }
  while (spec.query.starts_with(' ')) spec.query.erase(0, 1);

  GitHubSession session(args.db, "corpus", argv, given_options(args));
  github::CorpusStore corpus(session.db());
  const auto kind = commits ? "search_commits" : code ? "search_code" : "search_repositories";
  const auto [query_id, resumed] = corpus.open_query(kind, spec.query, given_options(args).dump(), session.run_id());
  if (resumed) std::fprintf(stderr, "hybridminer: resuming the interrupted search (query %lld)\n", static_cast<long long>(query_id));
  if (code) {
    spec.from = 0;
    spec.to = github::kCodeSearchMaxFileBytes;
  } else {
    spec.from = split_range.from.value_or(kGitHubLaunch);
    spec.to = split_range.to.value_or(started_at_of(session.db(), query_id));  // fixed when resumed: same slices
  }

  std::set<std::string> seen;
  std::int64_t slices_stored = 0;
  github::SearchCallbacks callbacks;
  const auto record_slice = [&](std::int64_t from, std::int64_t to, std::int64_t total, const char* status) {
    if (code) {
      corpus.record_size_slice(query_id, from, to, total, status);
    } else {
      corpus.record_slice(query_id, date_of(from), date_of(to), total, status);
    }
  };
  callbacks.is_done = [&](std::int64_t from, std::int64_t to) {
    return code ? corpus.size_slice_done(query_id, from, to) : corpus.slice_done(query_id, date_of(from), date_of(to));
  };
  callbacks.on_split = [&](std::int64_t from, std::int64_t to, std::int64_t total) {
    record_slice(from, to, total, "split");
  };
  callbacks.on_slice = [&](const github::SearchSlice& slice) {
    std::vector<github::RepositoryMetadata> selected;
    if (commits || code) {
      selected = repositories_of_items(session.client(), slice, filters, seen,
                                       code ? "code search results" : "commit search results");
    } else {
      for (const auto& item : slice.items) {
        auto metadata = github::parse_repository(item, "repository search results");
        if (filters.accepts(metadata)) selected.push_back(std::move(metadata));
      }
    }
    store::Transaction transaction(session.db());
    for (const auto& metadata : selected) corpus.add_to_corpus(corpus.upsert_repository(metadata), query_id);
    record_slice(slice.from, slice.to, slice.total_count, "done");
    transaction.commit();
    // The fault point of the resume test: SIGKILL after this many slices were committed.
    static const auto kill_after = util::fault_point("HM_FAULT_KILL_AFTER_SEARCH_SLICES");
    if (kill_after && ++slices_stored >= *kill_after) ::kill(::getpid(), SIGKILL);
  };
  const auto outcome = [&] {
    try {
      return github::search_all(session.client(), spec, callbacks);
    } catch (const github::HttpStatusError& e) {
      if (code && (e.status() == 401 || e.status() == 422)) explain_code_search_failure(e);
      throw;
    }
  }();
  corpus.finish_query(query_id, outcome.capped || outcome.incomplete);
  const auto selected = session.count("SELECT count(*) FROM corpus WHERE query_id = " + std::to_string(query_id));
  session.finish(selected, 0);
  if (outcome.capped) {
    std::fprintf(stderr, "hybridminer: warning: a one-%s slice matched more than 1000 results; some were not read\n",
                 code ? "byte" : "second");
  }
  if (outcome.incomplete) std::fprintf(stderr, "hybridminer: warning: GitHub reported incomplete search results\n");
  std::fprintf(stderr, "corpus search: %lld repositories selected (%lld slices, %lld results read, %lld requests) "
               "into %s (query %lld)\n", static_cast<long long>(selected), static_cast<long long>(outcome.slices),
               static_cast<long long>(outcome.items), static_cast<long long>(session.client().requests_sent()),
               args.db.c_str(), static_cast<long long>(query_id));
  return 0;
}

namespace {

int add_repositories(const CorpusAddArgs& args, const std::vector<std::string>& argv, const std::string& kind,
                     const std::string& query, const std::vector<std::string>& names) {
  nlohmann::json options;
  options["names"] = names;
  GitHubSession session(args.db, "corpus", argv, options);
  github::CorpusStore corpus(session.db());
  const auto query_id = corpus.open_query(kind, query, options.dump(), session.run_id()).first;
  std::int64_t failed = 0;
  for (const auto& name : names) {
    try {
      const auto page = session.client().get("/repos/" + name);
      const auto metadata = github::parse_repository(page.json, page.url);
      store::Transaction transaction(session.db());
      corpus.add_to_corpus(corpus.upsert_repository(metadata), query_id);
      transaction.commit();
    } catch (const Error& e) {
      ++failed;
      std::fprintf(stderr, "error: %s: %s\n", name.c_str(), e.what());
    }
  }
  corpus.finish_query(query_id, false);
  session.finish(static_cast<std::int64_t>(names.size()), failed);
  std::fprintf(stderr, "corpus %s: %lld of %lld repositories added into %s\n", kind.c_str(),
               static_cast<long long>(names.size()) - failed, static_cast<long long>(names.size()), args.db.c_str());
  return failed > 0 ? 1 : 0;
}

std::vector<std::string> checked_names(const std::vector<std::string>& specs, const std::string& where) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto name = github::parse_full_name(specs[i]);
    if (!name) {
      throw UsageError((where.empty() ? "" : where + std::to_string(i + 1) + ": ") + "'" + specs[i] +
                       "' is not a GitHub repository (owner/name or https://github.com/owner/name)");
    }
    if (seen.insert(*name).second) names.push_back(*name);
  }
  return names;
}

}  // namespace

int run_corpus_add(const CorpusAddArgs& args, const std::vector<std::string>& argv) {
  const auto names = checked_names(args.names, "");
  return add_repositories(args, argv, "add", join(names, " "), names);
}

int run_corpus_import(const CorpusAddArgs& args, const std::vector<std::string>& argv) {
  std::ifstream in(args.file);
  if (!in) throw UsageError("cannot read " + args.file.string());
  std::vector<std::string> names;
  std::set<std::string> seen;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.erase(0, 1);
    if (line.empty()) continue;
    const auto name = github::parse_full_name(line);
    if (!name) {
      throw UsageError(args.file.string() + ":" + std::to_string(number) + ": '" + line +
                       "' is not a GitHub repository (owner/name or https://github.com/owner/name)");
    }
    if (seen.insert(*name).second) names.push_back(*name);
  }
  if (names.empty()) throw UsageError(args.file.string() + " lists no repositories");
  return add_repositories(args, argv, "import", args.file.string(), names);
}

int run_corpus_list(const CorpusListArgs& args) {
  const auto format = reports::parse_format(args.format);
  auto db = store::open_database_readonly(args.db);
  std::cout << reports::render(
      reports::run_query(db, "SELECT repository, stars, forks, watchers, language, license, is_fork, is_archived, "
                             "created_at, pushed_at, selected_by, commits, issues FROM corpus_repositories "
                             "ORDER BY repository"),
      format);
  return 0;
}

int run_corpus_export(const CorpusListArgs& args) {
  auto db = store::open_database_readonly(args.db);
  if (args.format == "names") {
    // One owner/name a line: a corpus file for `hybridminer mine @FILE` and `corpus import`.
    auto names = db.prepare("SELECT repository FROM corpus_repositories ORDER BY repository");
    while (names.step()) std::cout << names.get_text(0) << "\n";
    return 0;
  }
  const auto format = reports::parse_format(args.format);
  std::cout << reports::render(reports::run_query(db, "SELECT * FROM corpus_repositories ORDER BY repository"), format);
  return 0;
}

}  // namespace hm::app
