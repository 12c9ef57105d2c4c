#!/usr/bin/env bash
# Opens or updates the promotion pull request <from> -> <to> (used by release.yml and
# promote.yml). The branch gitops/promote-<from>-to-<to> is recomputed from origin/main on
# every run: one `gitops promote` commit on top of main, force-pushed. The pull request body
# holds the promote commit's message (old -> new tags, commits in between) and the rendered
# diff of dist/<to>. When <to> already runs what <from> runs, an open pull request is closed.
# Needs: git identity configured, GH_TOKEN for the gh CLI, origin fetched with full history.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 <from> <to> [only] [override-reason]" >&2
  exit 2
fi
from="$1"
to="$2"
only="${3:-}"
reason="${4:-}"
branch="gitops/promote-${from}-to-${to}"
workdir="${RUNNER_TEMP:-$(mktemp -d)}"
body="${workdir}/promotion-${from}-${to}.md"
errors="${workdir}/promotion-${from}-${to}.err"

git fetch --quiet origin main
git switch --quiet --force-create "$branch" origin/main

args=(--from "$from" --to "$to")
if [ -n "$only" ]; then args+=(--only "$only"); fi
if [ -n "$reason" ]; then args+=(--allow-skip --reason "$reason"); fi

open_pr=$(gh pr list --head "$branch" --base main --state open --json number --jq '.[0].number // empty')

status=0
npm run --silent gitops -- promote "${args[@]}" 2> "$errors" || status=$?
cat "$errors" >&2
if [ "$status" -ne 0 ]; then
  if grep -q 'nothing to do' "$errors"; then
    echo "${to} already runs what ${from} runs: nothing to promote."
    if [ -n "$open_pr" ]; then
      gh pr close "$open_pr" --delete-branch --comment "Closed: ${to} already runs what ${from} runs."
    fi
    exit 0
  fi
  exit "$status"
fi

{
  echo "Promotes \`${from}\` → \`${to}\`. Merging this pull request deploys it: Argo CD syncs \`dist/${to}\` from main."
  if [ -n "$reason" ]; then
    echo
    echo "> [!WARNING]"
    echo "> Order override: ${from} → ${to} skips an environment. Reason: ${reason}"
  fi
  echo
  echo '## Changelog'
  echo
  echo '```'
  git log -1 --format=%B
  echo '```'
  echo
  npm run --silent gitops -- diff --env "$to" --base origin/main
} | head -c 60000 > "$body"

git push --quiet --force origin "$branch"
title=$(git log -1 --format=%s)
if [ -n "$open_pr" ]; then
  gh pr edit "$open_pr" --title "$title" --body-file "$body"
  echo "updated pull request #${open_pr}"
else
  gh pr create --base main --head "$branch" --title "$title" --body-file "$body"
fi
