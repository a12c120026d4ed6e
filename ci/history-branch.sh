#!/usr/bin/env bash
# Keeps ci-bench's history file on a branch of its own (ci-bench-history), one commit holding
# history.sqlite, so it survives across workflow runs for as long as the repository does (see the
# README, "Where the history is kept"):
#   ci/history-branch.sh fetch FILE   FILE from the branch (nothing when the branch does not exist)
#   ci/history-branch.sh store FILE   FILE as the branch's one commit, force-pushed
# `store` must run in a workflow whose concurrency group lets one writer in at a time.
set -euo pipefail
branch=ci-bench-history
action=${1:?usage: $0 fetch|store FILE}
file=${2:?usage: $0 fetch|store FILE}

case "$action" in
fetch)
  if git fetch --quiet --depth=1 origin "refs/heads/$branch:refs/remotes/origin/$branch" 2>/dev/null; then
    mkdir -p "$(dirname "$file")"
    git show "origin/$branch:history.sqlite" > "$file"
    echo "history: $(wc -c < "$file") bytes from branch $branch"
  else
    echo "history: no branch $branch yet: starting a new history"
  fi
  ;;
store)
  # One commit without a parent: the file is the history, and a binary SQLite file gains nothing
  # from git keeping every version of it.
  blob=$(git hash-object -w "$file")
  tree=$(printf '100644 blob %s\thistory.sqlite\n' "$blob" | git mktree)
  commit=$(GIT_AUTHOR_NAME=ci-bench GIT_AUTHOR_EMAIL=ci-bench@users.noreply.github.com \
           GIT_COMMITTER_NAME=ci-bench GIT_COMMITTER_EMAIL=ci-bench@users.noreply.github.com \
           git commit-tree "$tree" -m "ci-bench history after ${GITHUB_SHA:-$(git rev-parse HEAD)}")
  git push --quiet --force origin "$commit:refs/heads/$branch"
  echo "history: stored on branch $branch ($commit)"
  ;;
*)
  echo "usage: $0 fetch|store FILE" >&2
  exit 2
  ;;
esac
