"""Copy a mined database and give its repositories synthetic GitHub issues, to time the bug-report queries at scale.

    python3 bench/synthetic_issues.py MINED.db OUT.db [--seed N]
    bench/queries OUT.db

Every repository gets issues and pull requests numbered 1..max(1,000, the highest number its commit messages
reference), so the message links of commit_issue_links hold; 60 % of the pull requests merged into one of its
commits, 10 % candidate hybridization bug reports, labels ("type:bug" on 20 %, "enhancement" on 30 %), timeline
events (20 % referenced by a commit, 10 % cross-referenced by a pull request) and "closes" references (30 % of the
pull requests). The rows are made up: OUT.db is for benchmarks only, never for a study. MINED.db is not changed.
"""
import argparse
import random
import shutil
import sqlite3

ISSUE_COLUMNS = ("id, repository_id, github_id, number, is_pull_request, title, body, state, author, "
                 "author_association, comments, html_url, created_at, updated_at, merged_at, merge_commit_sha, "
                 "is_candidate, candidate_rule, candidate_source, fetched_at")


def add_issues(db: sqlite3.Connection, repository_id: int, first_id: int, rng: random.Random) -> int:
    shas = [row[0] for row in db.execute("SELECT sha FROM commits WHERE repository_id = ?", (repository_id,))]
    if not shas:
        return first_id
    referenced = db.execute(
        "SELECT coalesce(max(ref.number), 0) FROM commit_issue_references ref JOIN commits c ON c.id = ref.commit_id "
        "WHERE c.repository_id = ?", (repository_id,)).fetchone()[0]
    count = max(referenced, 1000)
    issues, labels, events, references = [], [], [], []
    issue_id = first_id
    for number in range(1, count + 1):
        issue_id += 1
        is_pull_request = number % 2
        merged = is_pull_request and rng.random() < 0.6
        candidate = rng.random() < 0.1
        issues.append((issue_id, repository_id, issue_id, number, is_pull_request, f"synthetic {number}", "", "closed",
                       "someone", "NONE", 0, f"https://example.invalid/{number}", "2020-01-01T00:00:00Z",
                       "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z" if merged else None,
                       rng.choice(shas) if merged else None, int(candidate), "synthetic" if candidate else None,
                       "title_body" if candidate else None, "2021-01-01T00:00:00Z"))
        if rng.random() < 0.2:
            labels.append((issue_id, "type:bug"))
        if rng.random() < 0.3:
            labels.append((issue_id, "enhancement"))
        if rng.random() < 0.2:
            events.append((issue_id, "referenced", rng.choice(shas), None, None, "2020-01-01T00:00:00Z"))
        if rng.random() < 0.1:
            events.append((issue_id, "cross-referenced", None, None, rng.randint(1, count), "2020-01-01T00:00:00Z"))
        if is_pull_request and rng.random() < 0.3:
            references.append((issue_id, None, rng.randint(1, count), "closes", "closes #n"))
    db.executemany(f"INSERT INTO issues ({ISSUE_COLUMNS}) VALUES ({', '.join('?' * 20)})", issues)
    db.executemany("INSERT INTO issue_labels (issue_id, name) VALUES (?, ?)", labels)
    db.executemany("INSERT INTO issue_timeline_events (issue_id, event, commit_sha, source_repository, source_number, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?)", events)
    db.executemany("INSERT INTO issue_references (issue_id, repository, number, kind, text) VALUES (?, ?, ?, ?, ?)",
                   references)
    return issue_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mined")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    source = sqlite3.connect(args.mined)
    target = sqlite3.connect(args.out)
    source.backup(target)  # a consistent copy, WAL included
    source.close()
    rng = random.Random(args.seed)
    issue_id = target.execute("SELECT coalesce(max(id), 0) FROM issues").fetchone()[0]
    for (repository_id,) in target.execute("SELECT id FROM repositories ORDER BY id").fetchall():
        issue_id = add_issues(target, repository_id, issue_id, rng)
    target.commit()
    print(target.execute("SELECT count(*) FROM issues").fetchone()[0], "issues,",
          target.execute("SELECT count(*) FROM commit_issue_links").fetchone()[0], "commit links in", args.out)


if __name__ == "__main__":
    main()
