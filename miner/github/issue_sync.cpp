#include "github/issue_sync.hpp"

#include <signal.h>
#include <unistd.h>

#include <set>

#include "github/json_fields.hpp"
#include "github/search.hpp"
#include "util/fault_injection.hpp"
#include "util/time.hpp"

namespace hm::github {
namespace {

// `since` is the local start time of the last complete pass; GitHub's clock may differ, so read a little more.
constexpr std::int64_t kClockSkewMargin = 300;

struct SyncState {
  std::optional<std::string> since;
  std::optional<std::string> pass_started;
  std::optional<std::string> next_url;
};

SyncState load_state(store::Database& db, std::int64_t repository_id, const std::string& resource) {
  auto find = db.prepare("SELECT since, pass_started_at, next_url FROM github_sync WHERE repository_id = ? AND resource = ?");
  find.bind_all(repository_id, resource);
  if (!find.step()) return {};
  return {find.get_optional_text(0), find.get_optional_text(1), find.get_optional_text(2)};
}

std::string first_url(const std::string& full_name, const std::string& resource,
                      const std::optional<std::string>& since) {
  const auto base = "/repos/" + full_name;
  const auto since_param = since ? "&since=" + url_encode(*since) : std::string();
  if (resource == "issues") return base + "/issues?state=all&sort=updated&direction=asc&per_page=100" + since_param;
  if (resource == "comments") return base + "/issues/comments?sort=updated&direction=asc&per_page=100" + since_param;
  if (resource == "review_comments") {
    return base + "/pulls/comments?sort=updated&direction=asc&per_page=100" + since_param;
  }
  return base + "/pulls?state=closed&sort=updated&direction=desc&per_page=100";
}

// A timeline longer than this many pages (of 100 events) is stored as far as read, without marking deletions:
// the bound stops a server whose Link header never ends.
constexpr int kMaxTimelinePages = 100;

// The fault point of the resume tests: SIGKILL after this many pages were committed (in this process).
void maybe_die(std::int64_t pages_stored) {
  static const auto limit = util::fault_point("HM_FAULT_KILL_AFTER_GITHUB_PAGES");
  if (limit && pages_stored >= *limit) ::kill(::getpid(), SIGKILL);
}

}  // namespace

struct IssueSync::PageData {
  std::vector<Issue> issues;
  std::vector<Comment> comments;
  std::vector<PullMerge> merges;
  bool last = false;  // the pulls pass reached what the last pass had seen
};

IssueSync::IssueSync(Client& client, store::Database& db, Client::Notice notice)
    : client_(client), db_(db), issues_(db), notice_(std::move(notice)) {
  if (!notice_) notice_ = [](const std::string&) {};
}

SyncCounts& SyncCounts::operator+=(const SyncCounts& other) {
  pages += other.pages;
  issues += other.issues;
  comments += other.comments;
  merges += other.merges;
  comments_skipped += other.comments_skipped;
  review_comments += other.review_comments;
  timelines += other.timelines;
  issues_deleted += other.issues_deleted;
  comments_deleted += other.comments_deleted;
  return *this;
}

SyncCounts IssueSync::sync(std::int64_t repository_id, const std::string& full_name, const SyncOptions& options) {
  SyncCounts counts;
  run_pass(repository_id, full_name, "issues", counts);
  if (options.comments) run_pass(repository_id, full_name, "comments", counts);
  if (options.review_comments) run_pass(repository_id, full_name, "review_comments", counts);
  if (options.pulls) run_pass(repository_id, full_name, "pulls", counts);
  // Last: comments can make an issue a candidate, and merge commits are what cross-references lead to.
  if (options.timelines) sync_timelines(repository_id, full_name, counts);
  return counts;
}

std::optional<Issue> IssueSync::fetch_missing_issue(const std::string& full_name, std::int64_t number) {
  try {
    const auto issue = client_.get("/repos/" + full_name + "/issues/" + std::to_string(number));
    return parse_issue(issue.json, issue.url);
  } catch (const HttpStatusError& e) {
    if (e.status() != 404 && e.status() != 410) throw;  // deleted or transferred: what hangs on it is skipped
  }
  return std::nullopt;
}

void IssueSync::sync_timelines(std::int64_t repository_id, const std::string& full_name, SyncCounts& counts) {
  struct Due {
    std::int64_t id;
    std::int64_t number;
    std::string updated_at;
  };
  std::vector<Due> due;
  {
    auto list = db_.prepare(
        "SELECT id, number, updated_at FROM issues WHERE repository_id = ? AND is_candidate = 1 AND deleted_at IS NULL "
        "AND (timeline_updated_at IS NULL OR timeline_updated_at <> updated_at) ORDER BY number");
    list.bind_all(repository_id);
    while (list.step()) due.push_back({list.get_int(0), list.get_int(1), list.get_text(2)});
  }
  for (const auto& issue : due) {
    Timeline timeline;
    bool complete = true;
    bool gone = false;
    try {
      std::optional<std::string> url = "/repos/" + full_name + "/issues/" + std::to_string(issue.number) +
                                       "/timeline?per_page=100";
      for (int pages = 0; url; ++pages) {
        if (pages == kMaxTimelinePages) {
          complete = false;
          notice_(full_name + "#" + std::to_string(issue.number) + ": timeline longer than " +
                  std::to_string(kMaxTimelinePages) + " pages; the rest is not read and no comment is marked deleted");
          break;
        }
        const auto page = client_.get(*url, false);
        parse_timeline_page(page.json, page.url, issue.number, timeline);
        url = page.next_url;
      }
    } catch (const HttpStatusError& e) {
      if (e.status() != 404 && e.status() != 410) throw;
      gone = true;
    }
    store::Transaction transaction(db_);
    if (gone) {
      issues_.mark_deleted(issue.id);
      ++counts.issues_deleted;
    } else {
      counts.comments_deleted += issues_.store_timeline(issue.id, timeline, complete, issue.updated_at);
      ++counts.timelines;
    }
    transaction.commit();
    maybe_die(++pages_stored_);
  }
}

void IssueSync::run_pass(std::int64_t repository_id, const std::string& full_name, const std::string& resource,
                         SyncCounts& counts) {
  const auto state = load_state(db_, repository_id, resource);
  std::string pass_started;
  std::string url;
  if (state.next_url && state.pass_started) {
    pass_started = *state.pass_started;
    url = *state.next_url;
    notice_(full_name + ": resuming the interrupted " + resource + " pass at " + url);
  } else {
    pass_started = util::now_iso_utc();
    url = first_url(full_name, resource, state.since);
  }
  for (;;) {
    // Listings with since= change address every run: storing them for conditional requests would only double
    // the database. The pulls listing has a fixed address, so an unchanged first page costs a free 304.
    const auto page = client_.get(url, resource == "pulls");
    const auto data = prepare(repository_id, full_name, resource, page, state.since);
    const auto next = data.last ? std::nullopt : page.next_url;
    store(repository_id, resource, data, pass_started, next, counts);
    maybe_die(++pages_stored_);
    if (!next) return;
    url = *next;
  }
}

IssueSync::PageData IssueSync::prepare(std::int64_t repository_id, const std::string& full_name,
                                       const std::string& resource, const Page& page,
                                       const std::optional<std::string>& since) {
  PageData data;
  const auto& items = expect_array(page.json, page.url);
  if (resource == "issues") {
    for (const auto& item : items) data.issues.push_back(parse_issue(item, page.url));
    return data;
  }
  // An item of an issue or pull request this database lacks (opened after the issues pass read its page): fetch it.
  std::set<std::int64_t> fetched;
  const auto fetch_if_missing = [&](std::int64_t number) {
    if (issues_.issue_id(repository_id, number) || !fetched.insert(number).second) return;
    if (auto issue = fetch_missing_issue(full_name, number)) data.issues.push_back(std::move(*issue));
  };
  if (resource == "pulls") {
    for (const auto& item : items) {
      auto merge = parse_pull(item, page.url);
      // Newest update first: what is older than the last pass's start was seen by it.
      if (since && merge.updated_at < *since) {
        data.last = true;
        break;
      }
      if (merge.merged_at) fetch_if_missing(merge.number);
      data.merges.push_back(std::move(merge));
    }
    return data;
  }
  for (const auto& item : items) {
    auto comment = resource == "comments" ? parse_comment(item, page.url) : parse_review_comment(item, page.url);
    fetch_if_missing(comment.issue_number);
    data.comments.push_back(std::move(comment));
  }
  return data;
}

void IssueSync::store(std::int64_t repository_id, const std::string& resource, const PageData& data,
                      const std::string& pass_started, const std::optional<std::string>& next_url,
                      SyncCounts& counts) {
  store::Transaction transaction(db_);
  for (const auto& issue : data.issues) {
    issues_.upsert_issue(repository_id, issue);
    ++counts.issues;
  }
  std::set<std::int64_t> commented;
  for (const auto& comment : data.comments) {
    const auto issue_id = issues_.issue_id(repository_id, comment.issue_number);
    if (!issue_id) {
      ++counts.comments_skipped;
      continue;
    }
    issues_.upsert_comment(*issue_id, comment);
    commented.insert(*issue_id);
    ++(comment.kind == "review" ? counts.review_comments : counts.comments);
  }
  for (const auto issue_id : commented) issues_.refresh_candidate(issue_id);
  for (const auto& merge : data.merges) counts.merges += issues_.set_merge(repository_id, merge) ? 1 : 0;
  if (next_url) {
    db_.prepare(
           "INSERT INTO github_sync (repository_id, resource, pass_started_at, next_url) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (repository_id, resource) DO UPDATE SET pass_started_at = excluded.pass_started_at, "
           "next_url = excluded.next_url")
        .bind_all(repository_id, resource, pass_started, *next_url)
        .run();
  } else {
    const auto since = util::iso_utc(util::parse_date(pass_started) - kClockSkewMargin);
    db_.prepare(
           "INSERT INTO github_sync (repository_id, resource, since, completed_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (repository_id, resource) DO UPDATE SET since = excluded.since, pass_started_at = NULL, "
           "next_url = NULL, completed_at = excluded.completed_at")
        .bind_all(repository_id, resource, since, util::now_iso_utc())
        .run();
  }
  transaction.commit();
  ++counts.pages;
}

}  // namespace hm::github
