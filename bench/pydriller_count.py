"""The PyDriller baseline of issue 7: count `tf.function` in the changed Python files of every commit on HEAD.

bench/run --pydriller PYTHON times this script next to `hybridminer mine`; PYTHON must import pydriller (not a
dependency of hybridminer: install it yourself, e.g. `pip install pydriller`). PyDriller reads a repository with
a work tree's layout, so bench/run hands it a `git clone --no-checkout` of the repository it benchmarks.

    python3 bench/pydriller_count.py REPO      # prints "<commits> <occurrences>"
"""
import sys

from pydriller import Repository


def main(path: str) -> None:
    commits = 0
    occurrences = 0
    for commit in Repository(path).traverse_commits():
        commits += 1
        for modified in commit.modified_files:
            if modified.filename.endswith(".py") and modified.source_code:
                occurrences += modified.source_code.count("tf.function")
    print(commits, occurrences)


if __name__ == "__main__":
    main(sys.argv[1])
