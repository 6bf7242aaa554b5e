#!/usr/bin/env bash
# Soak test for `serve`: queues 20 short experiments, 8 of them deliberately broken (bad
# configuration, missing data, a NaN-producing learning rate, invalid JSON), starts the server, kills
# it with SIGKILL once while a run is part-way through, restarts it with --drain, and prints how many
# runs finished, failed with a clear error, or were lost. The goal: none lost (exit code 1 otherwise).
#
# Bounded: every wait has a deadline and the restarted server stops by itself when the queue is
# empty, so the script always ends (about a minute on an idle 2-core machine).
#
# usage: tests/soak.sh [WORKDIR]      (default: a new folder under /tmp; CONFIGURATION=Release to time a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${1:-$(mktemp -d /tmp/untangle-soak-XXXXXX)}
configuration=${CONFIGURATION:-Debug}
mkdir -p "$work/queue/incoming"
cd "$work"

echo "soak: building the host ($configuration)"
dotnet build "$repo/host" -c "$configuration" -v q --nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
host=(dotnet "$repo/host/bin/$configuration/net10.0/Untangle.Host.dll")
serve=("${host[@]}" serve --plugins "$repo/plugins.json" --queue "$work/queue" --out "$work/runs" --store "$work/untangle.db")

# Experiment files appear whole: written beside incoming/, then renamed into it.
drop() {
  printf '%s\n' "$2" >"$work/queue/$1.tmp"
  mv "$work/queue/$1.tmp" "$work/queue/incoming/$1.json"
  sleep 0.01 # distinct modification times: the queue is taken oldest first
}
small='"dataset": { "users": 150, "items": 80 }'
good=0
for i in 1 2 3 4 5 6; do
  drop "bpr-$i" "{ \"extends\": \"bpr-mf-synthetic\", $small, \"train\": { \"epochs\": $((2 + i)), \"batch_size\": 64, \"seed\": $i } }"
  good=$((good + 1))
done
for i in 1 2 3 4; do
  drop "lightgcn-$i" "{ \"extends\": \"lightgcn-synthetic\", $small, \"train\": { \"epochs\": $((2 + i)), \"batch_size\": 128, \"seed\": $i } }"
  good=$((good + 1))
done
for i in 1 2; do
  drop "mostpop-$i" "{ \"extends\": \"mostpop-synthetic\", $small, \"train\": { \"seed\": $i } }"
  good=$((good + 1))
done
# Broken on purpose.
drop "broken-unknown-key" "{ \"extends\": \"bpr-mf-synthetic\", $small, \"hyper\": { \"learning_rat\": 0.01 } }"
drop "broken-unknown-method" "{ \"method\": \"no-such-method\", $small }"
drop "broken-unknown-parent" "{ \"extends\": \"no-such-experiment\" }"
drop "broken-json" '{ "extends": "bpr-mf-synthetic", "train": { "epochs": 3 }'
drop "broken-missing-ml100k" "{ \"extends\": \"bpr-mf-ml100k\", \"dataset\": { \"path\": \"$work/nonexistent/ml-100k\" } }"
drop "broken-missing-recbole" "{ \"extends\": \"mostpop-synthetic\", \"dataset\": { \"reader\": \"recbole\", \"path\": \"$work/no-such-folder\", \"name\": \"x\" } }"
drop "broken-nan-bpr" "{ \"extends\": \"bpr-mf-synthetic\", $small, \"hyper\": { \"learning_rate\": 1e30 } }"
drop "broken-nan-lightgcn" "{ \"extends\": \"lightgcn-synthetic\", $small, \"hyper\": { \"learning_rate\": 1e30 } }"
queued=$(ls "$work/queue/incoming" | wc -l)
echo "soak: queued $queued experiments ($good good, $((queued - good)) broken) in $work/queue/incoming"

# First server: killed with SIGKILL once a few runs are done and the one in flight has finished at
# least one epoch (it has a checkpoint to resume from) but not the whole run.
"${serve[@]}" >"$work/serve-1.log" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null || true' EXIT # never leave a server behind, whatever happens below
victim=""
deadline=$((SECONDS + 300))
while [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
  done_count=$(find "$work/queue/done" -name '*.json' 2>/dev/null | wc -l || true)
  running=$(find "$work/queue/running" -name '*.json' 2>/dev/null | sort | head -n 1 || true)
  if [ "$done_count" -ge 3 ] && [ -n "$running" ]; then
    id=$(basename "$running" .json)
    if compgen -G "$work/runs/$id/checkpoint/snapshot-[0-9][0-9][0-9][0-9][0-9][0-9]" >/dev/null \
      && [ ! -f "$work/runs/$id/metrics.json" ]; then
      kill -9 "$pid"
      victim=$id
      break
    fi
  fi
  sleep 0.02
done
wait "$pid" 2>/dev/null || true
if [ -z "$victim" ]; then
  echo "soak: the server was not killed mid-run (it ended first or the deadline passed); see $work/serve-1.log"
else
  echo "soak: killed the server (kill -9, pid $pid) in the middle of $victim"
fi

# Second server: resumes what the first left in running/, drains the queue and stops by itself.
echo "soak: restarting the server with --drain"
timeout 900 "${serve[@]}" --drain >"$work/serve-2.log" 2>&1 || echo "soak: the restarted server exited with code $?"

finished=$(find "$work/queue/done" -name '*.json' | wc -l)
failed=0
unclear=0
for f in "$work"/queue/failed/*.json; do
  [ -e "$f" ] || continue
  error="${f%.json}.error.txt"
  if [ -s "$error" ]; then failed=$((failed + 1)); else unclear=$((unclear + 1)); fi
done
lost=$((queued - finished - failed - unclear))
resumed=$(grep -c "resuming from" "$work/serve-2.log" || true)

echo
echo "failures (queue/failed/*.error.txt):"
for e in "$work"/queue/failed/*.error.txt; do
  [ -e "$e" ] || continue
  printf '  %-48s %s\n' "$(basename "$e" .error.txt)" "$(head -n 1 "$e")"
done
echo
echo "store ($work/untangle.db), runs by status (\`untangle runs --store ...\` lists them):"
"${host[@]}" runs --store "$work/untangle.db" --json | grep -o '"status": "[a-z]*"' | sort | uniq -c | sed 's/^ */  /'
# The run killed part-way and resumed must end exactly where the same experiment run without a kill ends.
same="n/a"
if [ -n "$victim" ] && [ -f "$work/queue/done/$victim.json" ]; then
  "${host[@]}" run "$work/queue/done/$victim.json" --plugins "$repo/plugins.json" --out "$work/check" --store "$work/check.db" >"$work/check.log" 2>&1 || true
  if cmp -s "$work/runs/$victim/per_user_test.csv" "$work/check/per_user_test.csv"; then same="yes"; else same="NO"; fi
fi

echo
echo "soak summary: $queued queued; $finished finished; $failed failed with a clear error; $lost lost" \
  "(${unclear} failed without an error; $resumed run(s) resumed from a checkpoint after the kill;" \
  "the killed run's per-user test metrics equal an uninterrupted run's: $same)"
echo "expected: $good finished, $((queued - good)) failed, 0 lost"
[ "$lost" -eq 0 ] && [ "$unclear" -eq 0 ] && [ "$finished" -eq "$good" ] && [ "$same" != "NO" ]
