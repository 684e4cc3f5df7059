#include "store/merge.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "store/migrations.hpp"

namespace hm::store {
namespace {

constexpr std::size_t kConflictExamples = 10;

// Tables merge knows, parents before children. A table added by a later migration must be added here (merge
// refuses inputs with rows in a table it does not know, rather than drop them silently).
const std::set<std::string> kKnownTables{
    "runs", "repositories", "commits", "file_changes", "mined_refs", "blob_analyses", "blob_imports", "blob_sites",
    "blob_findings", "advised_blobs", "hybridization_changes", "commit_issue_references",
    // 0003 (labels) and 0004 (GitHub)
    "labels", "corpus_queries", "corpus_search_slices", "corpus", "repository_metadata", "issues", "issue_labels",
    "issue_comments", "issue_references", "github_sync", "http_cache",
    // 0007 (code search by size, timelines)
    "corpus_search_size_slices", "issue_timeline_events",
    // 0009 (functions and their advice stored once, with each blob's spans)
    "function_definitions", "blob_function_spans", "function_verdicts", "blob_function_verdicts"};

// The tables of a blob's rows, copied with the blob, and the order that keeps the input's: insertion order for
// rowid tables, the key for the WITHOUT ROWID span tables (schema v9), which have no rowid.
struct BlobChild {
  const char* table;
  const char* order;
};
constexpr BlobChild kBlobChildren[] = {
    {"blob_function_spans", "s.blob, s.ordinal"}, {"blob_imports", "s.rowid"},  {"blob_sites", "s.rowid"},
    {"blob_findings", "s.rowid"}, {"blob_function_verdicts", "s.blob, s.ordinal"}, {"advised_blobs", "s.rowid"}};

const BlobChild& blob_child(std::string_view table) {
  for (const auto& child : kBlobChildren) {
    if (table == child.table) return child;
  }
  throw Error("merge: " + std::string(table) + " is not a blob's child table");
}

std::vector<std::string> columns(Database& db, const std::string& table, const std::set<std::string>& except) {
  std::vector<std::string> result;
  auto statement = db.prepare("SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid");
  statement.bind_all(table);
  while (statement.step()) {
    auto name = statement.get_text(0);
    if (!except.count(name)) result.push_back(std::move(name));
  }
  return result;
}

// "s.a IS NOT d.a OR s.b IS NOT d.b": rows that differ in any of `names` (NULL-safe).
std::string differs(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : " OR ") + ("s." + name + " IS NOT d." + name);
  return text.empty() ? "0" : text;
}

std::int64_t scalar(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  statement.step();
  return statement.get_int(0);
}

std::int64_t run(Database& db, const std::string& sql) {
  db.exec(sql);
  return db.changes();
}

// Detaches the input however the merge ends.
class Attachment {
 public:
  Attachment(Database& db, const std::filesystem::path& file) : db_(db) {
    db_.prepare("ATTACH DATABASE ? AS src").bind_all(file.string()).run();
  }
  ~Attachment() { sqlite3_exec(db_.handle(), "DETACH DATABASE src", nullptr, nullptr, nullptr); }
  Attachment(const Attachment&) = delete;
  Attachment& operator=(const Attachment&) = delete;

 private:
  Database& db_;
};

class Merger {
 public:
  explicit Merger(Database& db) : db_(db) {}

  MergeCounts merge() {
    check_tables();
    db_.exec(
        "DROP TABLE IF EXISTS temp.run_map; DROP TABLE IF EXISTS temp.repo_map; DROP TABLE IF EXISTS temp.commit_map;"
        "DROP TABLE IF EXISTS temp.new_blobs;"
        "CREATE TEMP TABLE run_map (src INTEGER PRIMARY KEY, dst INTEGER, new INTEGER NOT NULL);"
        "CREATE TEMP TABLE repo_map (src INTEGER PRIMARY KEY, dst INTEGER, new INTEGER NOT NULL, "
        "  newer INTEGER NOT NULL);"
        "CREATE TEMP TABLE commit_map (src INTEGER PRIMARY KEY, dst INTEGER, new INTEGER NOT NULL);"
        "CREATE TEMP TABLE new_blobs (blob TEXT PRIMARY KEY);"
        "DROP TABLE IF EXISTS temp.query_map; DROP TABLE IF EXISTS temp.issue_map;"
        "CREATE TEMP TABLE query_map (src INTEGER PRIMARY KEY, dst INTEGER, new INTEGER NOT NULL);"
        "CREATE TEMP TABLE issue_map (src INTEGER PRIMARY KEY, dst INTEGER, new INTEGER NOT NULL, "
        "  newer INTEGER NOT NULL)");
    merge_runs();
    merge_repositories();
    merge_commits();
    merge_blobs();
    merge_labels();
    merge_corpus();
    merge_issues();
    db_.exec("DROP TABLE temp.run_map; DROP TABLE temp.repo_map; DROP TABLE temp.commit_map; "
             "DROP TABLE temp.new_blobs; DROP TABLE temp.query_map; DROP TABLE temp.issue_map");
    return counts_;
  }

 private:
  void check_tables() {
    auto tables = db_.prepare("SELECT name FROM src.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (tables.step()) {
      const auto table = tables.get_text(0);
      if (kKnownTables.count(table)) continue;
      if (scalar(db_, "SELECT count(*) FROM src.\"" + table + "\"") > 0) {
        throw Error("cannot merge table " + table + ": this hybridminer does not know how");
      }
    }
  }

  // Rows of `table` the input has and the output lacks get ids offset past the output's largest, so the id maps
  // are plain arithmetic and copying stays set-based SQL (fast on millions of rows).
  std::int64_t id_offset(const std::string& table) {
    return scalar(db_, "SELECT coalesce(max(id), 0) FROM main." + table);
  }

  void conflicts(const std::string& sql) {
    auto statement = db_.prepare(sql);
    while (statement.step()) {
      if (counts_.conflict_examples.size() < kConflictExamples) {
        counts_.conflict_examples.push_back(statement.get_text(0));
      }
      ++counts_.conflicts;
    }
  }

  void merge_runs() {
    db_.exec(
        "INSERT INTO run_map SELECT s.id, (SELECT min(d.id) FROM main.runs d WHERE d.command = s.command AND "
        "d.arguments = s.arguments AND d.options = s.options AND d.started_at = s.started_at), 0 FROM src.runs s");
    db_.exec("UPDATE run_map SET dst = src + " + std::to_string(id_offset("runs")) + ", new = 1 WHERE dst IS NULL");
    const auto cols = columns(db_, "runs", {"id"});
    counts_.runs_added = run(db_, "INSERT INTO main.runs (id, " + column_list(cols) + ") SELECT m.dst, " +
                                  column_list(cols, "s.") +
                                      " FROM src.runs s JOIN run_map m ON m.src = s.id WHERE m.new");
  }

  void merge_repositories() {
    db_.exec(
        "INSERT INTO repo_map SELECT s.id, d.id, d.id IS NULL, d.id IS NOT NULL AND "
        "coalesce(s.mined_at, '') > coalesce(d.mined_at, '') FROM src.repositories s "
        "LEFT JOIN main.repositories d ON d.url = s.url");
    db_.exec("UPDATE repo_map SET dst = src + " + std::to_string(id_offset("repositories")) + " WHERE new");
    const auto cols = columns(db_, "repositories", {"id", "last_run_id"});
    const std::string last_run = "(SELECT dst FROM run_map WHERE src = s.last_run_id)";
    counts_.repositories_added =
        run(db_, "INSERT INTO main.repositories (id, last_run_id, " + column_list(cols) + ") SELECT m.dst, " +
                     last_run +
                     ", " + column_list(cols, "s.") +
                     " FROM src.repositories s JOIN repo_map m ON m.src = s.id WHERE m.new");
    // A repository mined later by the input: its row and tips replace the output's (its commits are a superset).
    counts_.repositories_updated =
        run(db_, "UPDATE main.repositories SET (last_run_id, " + column_list(cols) + ") = (SELECT " + last_run + ", " +
                     column_list(cols, "s.") + " FROM src.repositories s JOIN repo_map m ON m.src = s.id WHERE "
                     "m.dst = main.repositories.id) WHERE id IN (SELECT dst FROM repo_map WHERE newer)");
    db_.exec("DELETE FROM main.mined_refs WHERE repository_id IN (SELECT dst FROM repo_map WHERE newer)");
    const auto ref_cols = columns(db_, "mined_refs", {"repository_id"});
    db_.exec("INSERT INTO main.mined_refs (repository_id, " + column_list(ref_cols) + ") SELECT m.dst, " +
             column_list(ref_cols, "s.") + " FROM src.mined_refs s JOIN repo_map m ON m.src = s.repository_id "
             "WHERE m.new OR m.newer");
    const auto compared = columns(db_, "repositories", {"id", "last_run_id", "mined_at", "git_dir"});
    conflicts("SELECT 'repository ' || s.url || ' differs, mined at the same time' FROM src.repositories s "
              "JOIN repo_map m ON m.src = s.id JOIN main.repositories d ON d.id = m.dst "
              "WHERE NOT m.new AND NOT m.newer AND s.mined_at IS d.mined_at AND (" + differs(compared) + ")");
  }

  void merge_commits() {
    db_.exec(
        "INSERT INTO commit_map SELECT s.id, d.id, d.id IS NULL FROM src.commits s "
        "JOIN repo_map m ON m.src = s.repository_id "
        "LEFT JOIN main.commits d ON d.repository_id = m.dst AND d.sha = s.sha");
    db_.exec("UPDATE commit_map SET dst = src + " + std::to_string(id_offset("commits")) + " WHERE new");
    const auto cols = columns(db_, "commits", {"id", "repository_id"});
    counts_.commits_added =
        run(db_, "INSERT INTO main.commits (id, repository_id, " + column_list(cols) + ") SELECT cm.dst, rm.dst, " +
                     column_list(cols, "s.") + " FROM src.commits s JOIN commit_map cm ON cm.src = s.id "
                     "JOIN repo_map rm ON rm.src = s.repository_id WHERE cm.new ORDER BY s.id");
    conflicts("SELECT 'commit ' || s.sha || ' of ' || r.url || ' differs' FROM src.commits s "
              "JOIN commit_map cm ON cm.src = s.id AND NOT cm.new JOIN main.commits d ON d.id = cm.dst "
              "JOIN src.repositories r ON r.id = s.repository_id WHERE " + differs(cols));

    // A new commit comes with everything that hangs off it; an existing one keeps the output's.
    const auto file_offset = std::to_string(id_offset("file_changes"));
    const auto file_cols = columns(db_, "file_changes", {"id", "commit_id"});
    counts_.file_changes_added =
        run(db_, "INSERT INTO main.file_changes (id, commit_id, " + column_list(file_cols) + ") SELECT s.id + " +
                     file_offset + ", cm.dst, " + column_list(file_cols, "s.") + " FROM src.file_changes s "
                     "JOIN commit_map cm ON cm.src = s.commit_id WHERE cm.new ORDER BY s.id");
    const auto change_cols = columns(db_, "hybridization_changes", {"id", "commit_id", "file_change_id"});
    counts_.hybridization_changes_added =
        run(db_, "INSERT INTO main.hybridization_changes (id, commit_id, file_change_id, " + column_list(change_cols) +
                     ") SELECT s.id + " + std::to_string(id_offset("hybridization_changes")) + ", cm.dst, "
                     "s.file_change_id + " + file_offset + ", " + column_list(change_cols, "s.") +
                     " FROM src.hybridization_changes s JOIN commit_map cm ON cm.src = s.commit_id WHERE cm.new "
                     "ORDER BY s.id");
    const auto reference_cols = columns(db_, "commit_issue_references", {"commit_id"});
    db_.exec("INSERT INTO main.commit_issue_references (commit_id, " + column_list(reference_cols) +
             ") SELECT cm.dst, " +
             column_list(reference_cols, "s.") + " FROM src.commit_issue_references s "
             "JOIN commit_map cm ON cm.src = s.commit_id WHERE cm.new ORDER BY s.rowid");
  }

  void merge_blobs() {
    db_.exec("INSERT INTO new_blobs SELECT s.blob FROM src.blob_analyses s "
             "WHERE NOT EXISTS (SELECT 1 FROM main.blob_analyses d WHERE d.blob = s.blob)");
    const auto cols = columns(db_, "blob_analyses", {});
    counts_.blobs_added = run(db_, "INSERT INTO main.blob_analyses (" + column_list(cols) + ") SELECT " +
                               column_list(cols, "s.") +
                                       " FROM src.blob_analyses s JOIN new_blobs n ON n.blob = s.blob");
    // Shared rows first (the spans point to them). Their ids are content ids: a row both have under one id is the
    // same row, and one that differs is a hash collision, a conflict.
    copy_shared("function_definitions", "blob_function_spans", "definition", "new_blobs");
    copy_shared("function_verdicts", "blob_function_verdicts", "verdict", "new_blobs");
    for (const auto& child : kBlobChildren) copy_blob_rows(child, "new_blobs");
    // A blob both have, advised only in the input (it was at the input's tip, or the output's mine ran with
    // `--findings tip`): its advice comes along, and its findings (a version with sites has none until advised).
    db_.exec("CREATE TEMP TABLE newly_advised (blob TEXT PRIMARY KEY)");
    db_.exec("INSERT INTO temp.newly_advised SELECT s.blob FROM src.advised_blobs s "
             "JOIN main.blob_analyses d ON d.blob = s.blob WHERE s.blob NOT IN (SELECT blob FROM new_blobs) "
             "AND s.blob NOT IN (SELECT blob FROM main.advised_blobs)");
    copy_shared("function_verdicts", "blob_function_verdicts", "verdict", "temp.newly_advised");
    copy_blob_rows(blob_child("blob_function_verdicts"), "temp.newly_advised");
    copy_blob_rows(blob_child("blob_findings"), "temp.newly_advised");
    db_.exec("INSERT INTO main.advised_blobs (blob) SELECT blob FROM temp.newly_advised");
    db_.exec("DROP TABLE temp.newly_advised");
    conflicts("SELECT 'blob analysis ' || s.blob || ' differs' FROM src.blob_analyses s "
              "JOIN main.blob_analyses d ON d.blob = s.blob "
              "WHERE s.blob NOT IN (SELECT blob FROM new_blobs) AND (" + differs(columns(db_, "blob_analyses", {"blob"})) + ")");
  }

  // The rows of a blob's child table of the blobs listed in `blobs`, in the input's order.
  void copy_blob_rows(const BlobChild& child, const std::string& blobs) {
    const std::string table = child.table;
    const auto cols = columns(db_, table, {});
    db_.exec("INSERT INTO main." + table + " (" + column_list(cols) + ") SELECT " + column_list(cols, "s.") +
             " FROM src." + table + " s JOIN " + blobs + " n ON n.blob = s.blob ORDER BY " + child.order);
  }

  // The rows of the shared table `table` that the `spans` rows (column `reference`) of the blobs in `blobs` point
  // to and the output lacks; a different row under an id the output has is a conflict.
  void copy_shared(const std::string& table, const std::string& spans, const std::string& reference,
                   const std::string& blobs) {
    const auto cols = columns(db_, table, {});
    const std::string wanted = "s.id IN (SELECT sp." + reference + " FROM src." + spans + " sp JOIN " + blobs +
                               " n ON n.blob = sp.blob)";
    conflicts("SELECT '" + table + " ' || s.id || ' differs (a content id collision)' FROM src." + table + " s "
              "JOIN main." + table + " d ON d.id = s.id WHERE " + wanted + " AND (" +
              differs(columns(db_, table, {"id"})) + ")");
    db_.exec("INSERT OR IGNORE INTO main." + table + " (" + column_list(cols) + ") SELECT " + column_list(cols, "s.") +
             " FROM src." +
             table + " s WHERE " + wanted + " ORDER BY s.id");
  }

  // A table whose rows are identified by `key` (after mapping ids through `mapped`, column -> SQL over `s.`):
  // rows the output lacks are copied; a row both have that differs is replaced when `version` (a column) says the
  // input's is newer, kept silently when older, and a conflict when as new (or when there is no version).
  // Returns the rows added.
  std::int64_t merge_keyed(const std::string& table, const std::vector<std::string>& key,
                           const std::map<std::string, std::string>& mapped, const std::string& version,
                           const std::string& describe) {
    const auto cols = columns(db_, table, {});
    std::string select;
    for (const auto& col : cols) {
      const auto found = mapped.find(col);
      select += (select.empty() ? "" : ", ") + (found != mapped.end() ? found->second : "s." + col) + " AS " + col;
    }
    db_.exec("DROP TABLE IF EXISTS temp.incoming; CREATE TEMP TABLE incoming AS SELECT " + select + " FROM src." +
             table + " s ORDER BY s.rowid");
    std::string match;
    for (const auto& col : key) match += (match.empty() ? "" : " AND ") + ("d." + col + " IS s." + col);
    std::vector<std::string> compared;
    for (const auto& col : cols) {
      if (std::find(key.begin(), key.end(), col) == key.end()) compared.push_back(col);
    }
    const std::string same_version = version.empty() ? "1" : "s." + version + " IS d." + version;
    conflicts("SELECT " + describe + " FROM temp.incoming s JOIN main." + table + " d ON " + match + " WHERE " +
              same_version + " AND (" + differs(compared) + ")");
    if (!version.empty() && !compared.empty()) {
      db_.exec("UPDATE main." + table + " AS d SET (" + column_list(compared) + ") = (SELECT " +
               column_list(compared, "s.") +
               " FROM temp.incoming s WHERE " + match + ") WHERE EXISTS (SELECT 1 FROM temp.incoming s WHERE " +
               match + " AND coalesce(s." + version + ", '') > coalesce(d." + version + ", ''))");
    }
    const auto added = run(db_, "INSERT INTO main." + table + " (" + column_list(cols) + ") SELECT " +
                               column_list(cols, "s.") +
                                    " FROM temp.incoming s WHERE NOT EXISTS (SELECT 1 FROM main." + table +
                                    " d WHERE " + match + ") ORDER BY s.rowid");
    db_.exec("DROP TABLE temp.incoming");
    return added;
  }

  void merge_labels() {
    counts_.labels_added = merge_keyed("labels", {"rater", "repository", "sha", "path", "function", "api"}, {},
                                       "imported_at",
                                       "'label of ' || s.rater || ' for ' || s.repository || ' ' || s.sha || ' ' || "
                                       "s.path || ' ' || s.function || ' differs, imported at the same time'");
  }

  // Corpus queries match by what was asked and when; their slices and selections follow them.
  void merge_corpus() {
    db_.exec(
        "INSERT INTO query_map SELECT s.id, (SELECT min(d.id) FROM main.corpus_queries d WHERE d.kind = s.kind AND "
        "d.query = s.query AND d.options = s.options AND d.started_at = s.started_at), 0 FROM src.corpus_queries s");
    db_.exec("UPDATE query_map SET dst = src + " + std::to_string(id_offset("corpus_queries")) +
             ", new = 1 WHERE dst IS NULL");
    const auto cols = columns(db_, "corpus_queries", {"id", "run_id"});
    db_.exec("INSERT INTO main.corpus_queries (id, run_id, " + column_list(cols) + ") SELECT m.dst, "
             "(SELECT dst FROM run_map WHERE src = s.run_id), " + column_list(cols, "s.") +
             " FROM src.corpus_queries s JOIN query_map m ON m.src = s.id WHERE m.new ORDER BY s.id");
    conflicts("SELECT 'corpus query ' || s.kind || ' ' || s.query || ' started at ' || s.started_at || ' differs' "
              "FROM src.corpus_queries s JOIN query_map m ON m.src = s.id AND NOT m.new "
              "JOIN main.corpus_queries d ON d.id = m.dst WHERE " + differs(cols));
    const std::map<std::string, std::string> by_query{{"query_id", "(SELECT dst FROM query_map WHERE src = s.query_id)"}};
    merge_keyed("corpus_search_slices", {"query_id", "date_from", "date_to"}, by_query, "",
                "'search slice ' || s.date_from || '..' || s.date_to || ' of corpus query ' || s.query_id || ' differs'");
    merge_keyed("corpus_search_size_slices", {"query_id", "size_from", "size_to"}, by_query, "",
                "'search size slice ' || s.size_from || '..' || s.size_to || ' of corpus query ' || s.query_id || "
                "' differs'");
    auto by_repository = by_query;
    by_repository["repository_id"] = "(SELECT dst FROM repo_map WHERE src = s.repository_id)";
    const std::string url = "(SELECT url FROM main.repositories WHERE id = s.repository_id)";
    merge_keyed("corpus", {"repository_id", "query_id"}, by_repository, "",
                "'corpus entry ' || " + url + " || ' of corpus query ' || s.query_id || ' differs'");
    const std::map<std::string, std::string> repository{
        {"repository_id", "(SELECT dst FROM repo_map WHERE src = s.repository_id)"}};
    merge_keyed("repository_metadata", {"repository_id"}, repository, "fetched_at",
                "'metadata of ' || " + url + " || ' differs, fetched at the same time'");
    merge_keyed("github_sync", {"repository_id", "resource"}, repository, "completed_at",
                "'github sync of ' || s.resource || ' of ' || " + url + " || ' differs'");
    merge_keyed("http_cache", {"url"}, {}, "fetched_at", "'cached response for ' || s.url || ' differs'");
  }

  // An issue matches by repository and number. One fetched later replaces the output's, with its labels,
  // references and timeline events; comments match by kind and GitHub's id (review comments are numbered apart),
  // the later edit winning.
  void merge_issues() {
    db_.exec(
        "INSERT INTO issue_map SELECT s.id, d.id, d.id IS NULL, d.id IS NOT NULL AND s.fetched_at > d.fetched_at "
        "FROM src.issues s JOIN repo_map m ON m.src = s.repository_id "
        "LEFT JOIN main.issues d ON d.repository_id = m.dst AND d.number = s.number");
    db_.exec("UPDATE issue_map SET dst = src + " + std::to_string(id_offset("issues")) + " WHERE new");
    const auto cols = columns(db_, "issues", {"id", "repository_id"});
    counts_.issues_added =
        run(db_, "INSERT INTO main.issues (id, repository_id, " + column_list(cols) + ") SELECT im.dst, rm.dst, " +
                     column_list(cols, "s.") + " FROM src.issues s JOIN issue_map im ON im.src = s.id "
                     "JOIN repo_map rm ON rm.src = s.repository_id WHERE im.new ORDER BY s.id");
    conflicts("SELECT 'issue ' || r.url || '#' || s.number || ' differs, fetched at the same time' "
              "FROM src.issues s JOIN issue_map im ON im.src = s.id AND NOT im.new AND NOT im.newer "
              "JOIN main.issues d ON d.id = im.dst JOIN src.repositories r ON r.id = s.repository_id "
              "WHERE s.fetched_at IS d.fetched_at AND (" + differs(cols) + ")");
    counts_.issues_updated =
        run(db_, "UPDATE main.issues SET (" + column_list(cols) + ") = (SELECT " + column_list(cols, "s.") +
                     " FROM src.issues s JOIN issue_map im ON im.src = s.id WHERE im.dst = main.issues.id) "
                     "WHERE id IN (SELECT dst FROM issue_map WHERE newer)");
    for (const auto* table : {"issue_labels", "issue_references", "issue_timeline_events"}) {
      const auto child_cols = columns(db_, table, {"issue_id"});
      db_.exec(std::string("DELETE FROM main.") + table + " WHERE issue_id IN (SELECT dst FROM issue_map WHERE newer)");
      db_.exec(std::string("INSERT INTO main.") + table + " (issue_id, " + column_list(child_cols) +
               ") SELECT im.dst, " +
               column_list(child_cols, "s.") + " FROM src." + table + " s JOIN issue_map im ON im.src = s.issue_id "
               "WHERE im.new OR im.newer ORDER BY s.rowid");
    }
    merge_keyed("issue_comments", {"kind", "id"}, {{"issue_id", "(SELECT dst FROM issue_map WHERE src = s.issue_id)"}},
                "updated_at", "'issue comment ' || s.id || ' differs, updated at the same time'");
  }

  Database& db_;
  MergeCounts counts_;
};

}  // namespace

MergeCounts merge_database(Database& out, const std::filesystem::path& input) {
  // Checks existence and schema version, with the same messages as `query`.
  open_database_readonly(input);
  std::error_code ec;
  if (std::filesystem::equivalent(out.path(), input, ec)) {
    throw Error("cannot merge " + input.string() + " into itself");
  }
  Attachment attachment(out, input);
  Transaction transaction(out);
  auto counts = Merger(out).merge();
  transaction.commit();
  return counts;
}

}  // namespace hm::store
