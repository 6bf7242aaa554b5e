#!/usr/bin/env bash
# Fault-injection suite for run, resume and serve, beside soak.sh. Each scenario breaks a run on
# purpose and checks that nothing is lost, nothing is corrupted and nothing hangs:
#   - SIGKILL at named moments, through the host's fault points (UNTANGLE_FAULT, host/Runs/FaultPoint.cs):
#     before the first snapshot, while a snapshot is filled, just before and just after its rename, while
#     an epoch line is appended, during a store write, during the rename of metrics.json; and SIGKILL at
#     random moments;
#   - a second `run --resume` against a live run, and a second server against a live queue;
#   - a full disk under the run's folder (a 4 MiB tmpfs when this shell may mount one, as root;
#     otherwise the write fails through the fault point, and the summary says so).
# A killed or failed run is resumed with `run --resume` and must end with exactly the per-user test
# metrics of an uninterrupted run (per_user_test.csv holds every digit), its store row finished,
# its epoch log 1..N in order, and the store readable.
#
# Bounded: every host command runs under `timeout`; a command that hits it counts as hung.
# About two minutes on an idle 2-core machine; CI runs it after the tests (.ci/run).
#
# usage: tests/faults.sh [WORKDIR]      (default: a new folder under /tmp; CONFIGURATION=Release for a release build)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${1:-$(mktemp -d /tmp/untangle-faults-XXXXXX)}
configuration=${CONFIGURATION:-Debug}
mkdir -p "$work"

echo "faults: building the host ($configuration)"
dotnet build "$repo/host" -c "$configuration" -v q --nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
host=(dotnet "$repo/host/bin/$configuration/net10.0/Untangle.Host.dll")
settings=(--plugins "$repo/plugins.json" --set dataset.users=150 --set dataset.items=80 --set train.epochs=4
  --set train.batch_size=64 --set eval.metrics=ndcg@10,recall@10)
longer=(--set train.epochs=40 --set train.patience=1000)

scenarios=0 lost=0 corrupted=0 hung=0
declare -a report=()

# h TIMEOUT LOG ARGS...: the host under a time limit, output to LOG; returns its exit code (124: hung).
h() {
  local limit=$1 log=$2
  shift 2
  # In a subshell that is not replaced by the command (the explicit exit), so that bash's own "Killed"
  # notice for a host killed on purpose goes to the subshell's stderr, which is nowhere.
  (timeout --kill-after=10 "$limit" "${host[@]}" "$@" >"$log" 2>&1; exit $?) 2>/dev/null
}

# verdict NAME FOLDER STORE REFERENCE EPOCHS [NOTE]: checks a run that should now be finished.
verdict() {
  local name=$1 folder=$2 store=$3 reference=$4 epochs=$5 note=${6:-} outcome="ok"
  scenarios=$((scenarios + 1))
  if [ ! -f "$folder/per_user_test.csv" ]; then
    outcome="LOST (no results)"; lost=$((lost + 1))
  elif ! cmp -s "$folder/per_user_test.csv" "$reference/per_user_test.csv"; then
    outcome="CORRUPTED (per-user metrics differ from the uninterrupted run)"; corrupted=$((corrupted + 1))
  elif [ "$(grep -o '"epoch":[0-9]*' "$folder/epochs.jsonl" | cut -d: -f2 | tr '\n' ' ')" != "$(seq -s ' ' 1 "$epochs") " ]; then
    outcome="CORRUPTED (epochs.jsonl is not epochs 1..$epochs in order)"; corrupted=$((corrupted + 1))
  elif ! h 60 "$work/$name.runs.log" runs --store "$store" --json; then
    outcome="CORRUPTED (store unreadable: $(tail -n 1 "$work/$name.runs.log"))"; corrupted=$((corrupted + 1))
  elif ! grep -q '"status": "finished"' "$work/$name.runs.log" || grep -q '"status": "running"' "$work/$name.runs.log"; then
    outcome="LOST (the store does not say finished)"; lost=$((lost + 1))
  fi
  report+=("$(printf '  %-34s %s%s' "$name" "$outcome" "${note:+ ($note)}")")
}

hung_at() {
  scenarios=$((scenarios + 1)) hung=$((hung + 1))
  report+=("$(printf '  %-34s HUNG (%s)' "$1" "$2")")
}

echo "faults: uninterrupted reference runs"
h 180 "$work/reference.log" run bpr-mf-synthetic "${settings[@]}" --out "$work/reference" --store "$work/reference.db" \
  || { cat "$work/reference.log"; exit 1; }
h 300 "$work/reference-40.log" run bpr-mf-synthetic "${settings[@]}" "${longer[@]}" --out "$work/reference-40" --store "$work/reference.db" \
  || { cat "$work/reference-40.log"; exit 1; }

# Killed at a named moment, then resumed.
for point in training.start snapshot.fill@2 snapshot.rename@1 snapshot.rename@3 snapshot.renamed@3 file.append@2 store.write@3 file.rename:metrics.json; do
  name="kill-at-${point//[:@]/-}"
  folder="$work/$name" store="$work/$name.db"
  UNTANGLE_FAULT=$point h 180 "$work/$name.log" run bpr-mf-synthetic "${settings[@]}" --out "$folder" --store "$store"
  code=$?
  [ $code -eq 124 ] && { hung_at "$name" "the faulted run"; continue; }
  if [ $code -ne 137 ]; then
    scenarios=$((scenarios + 1)) lost=$((lost + 1))
    report+=("$(printf '  %-34s %s' "$name" "NOT KILLED (exit $code): the fault point was not reached")")
    continue
  fi
  h 180 "$work/$name.resume.log" run --resume "$folder" --store "$store"
  [ $? -eq 124 ] && { hung_at "$name" "the resume"; continue; }
  verdict "$name" "$folder" "$store" "$work/reference" 4
done

# Killed at random moments (0.5 to 4.5 s after the start, across start-up, training and the end).
for i in 1 2 3; do
  name="kill-at-random-$i"
  folder="$work/$name" store="$work/$name.db"
  "${host[@]}" run bpr-mf-synthetic "${settings[@]}" --out "$folder" --store "$store" >"$work/$name.log" 2>&1 &
  pid=$!
  delay=$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.5 + 4 * rand() }')
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  note="killed after ${delay} s"
  if [ -f "$folder/metrics.json" ] && grep -q "results:" "$work/$name.log"; then
    note="$note, after it had finished"
  elif [ ! -f "$folder/config.json" ]; then
    # Killed before the run wrote its configuration (the store has no row yet): nothing to resume; the
    # same command starts it again, in the same folder, which the dead owner left free.
    h 180 "$work/$name.again.log" run bpr-mf-synthetic "${settings[@]}" --out "$folder" --store "$store" || true
    note="$note, before it wrote config.json: started again"
  else
    h 180 "$work/$name.resume.log" run --resume "$folder" --store "$store"
    [ $? -eq 124 ] && { hung_at "$name" "the resume"; continue; }
  fi
  verdict "$name" "$folder" "$store" "$work/reference" 4 "$note"
done

# A second `run --resume` against a live run: refused, naming the owner; the live run ends as if alone.
name="second-resume-of-a-live-run"
folder="$work/$name" store="$work/$name.db"
"${host[@]}" run bpr-mf-synthetic "${settings[@]}" "${longer[@]}" --out "$folder" --store "$store" >"$work/$name.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ -d "$folder/checkpoint/snapshot-000001" ] && break; sleep 0.05; done
h 60 "$work/$name.second.log" run --resume "$folder" --store "$store"
code=$?
if [ $code -eq 124 ]; then
  hung_at "$name" "the second resume"
else
  timeout 300 tail --pid="$pid" -f /dev/null || true
  wait "$pid"
  if [ $code -ne 1 ] || ! grep -q "is being trained there by pid $pid" "$work/$name.second.log"; then
    scenarios=$((scenarios + 1)) corrupted=$((corrupted + 1))
    report+=("$(printf '  %-34s %s' "$name" "NOT REFUSED (exit $code): $(tail -n 1 "$work/$name.second.log")")")
  else
    verdict "$name" "$folder" "$store" "$work/reference-40" 40 "refused: $(grep -o 'run .* is being trained there by pid [0-9]*' "$work/$name.second.log" | head -n 1)"
  fi
fi

# A second server against a queue a live server trains: it leaves the live run alone; all finish once.
name="second-server-on-a-live-queue"
queue="$work/$name/queue" runs="$work/$name/runs" store="$work/$name.db"
mkdir -p "$queue/incoming"
item='{ "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 }, "train": { "epochs": 4, "batch_size": 64 }, "eval": { "metrics": "ndcg@10,recall@10" } }'
for i in 1 2 3 4; do
  printf '%s\n' "$item" >"$queue/item-$i.tmp"
  mv "$queue/item-$i.tmp" "$queue/incoming/item-$i.json"
  sleep 0.01
done
serve=(serve --plugins "$repo/plugins.json" --queue "$queue" --out "$runs" --store "$store" --drain)
(cd "$work/$name" && timeout 600 "${host[@]}" "${serve[@]}" >"$work/$name.first.log" 2>&1) &
first=$!
for _ in $(seq 1 600); do compgen -G "$runs/*/checkpoint/snapshot-000001" >/dev/null && break; sleep 0.05; done
(cd "$work/$name" && h 300 "$work/$name.second.log" "${serve[@]}")
code=$?
wait "$first"
first_code=$?
scenarios=$((scenarios + 1))
done_count=$(find "$queue/done" -name '*.json' | wc -l)
failed_count=$(find "$queue/failed" -name '*.json' | wc -l)
if [ $code -eq 124 ] || [ $first_code -eq 124 ]; then
  hung=$((hung + 1)); report+=("$(printf '  %-34s HUNG (a server)' "$name")")
elif [ "$done_count" -ne 4 ] || [ "$failed_count" -ne 0 ]; then
  lost=$((lost + 1)); report+=("$(printf '  %-34s LOST (%s done, %s failed of 4)' "$name" "$done_count" "$failed_count")")
else
  outcome="ok"
  for run in "$runs"/*/; do
    cmp -s "$run/per_user_test.csv" "$work/reference/per_user_test.csv" || outcome="CORRUPTED ($run differs from the uninterrupted run)"
  done
  [ "$outcome" = "ok" ] || corrupted=$((corrupted + 1))
  report+=("$(printf '  %-34s %s (resumed by the second server: %s)' "$name" "$outcome" "$(grep -c 'resuming' "$work/$name.second.log" || true)")")
fi

# A full disk under the run's folder, then space freed and the run resumed.
name="full-disk"
store="$work/$name.db"
disk="$work/$name-disk"
mkdir -p "$disk"
how="injected: UNTANGLE_FAULT=snapshot.fill@2=enospc (no tmpfs could be mounted here)"
fault=""
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=4m tmpfs "$disk" 2>/dev/null; then
  how="a 4 MiB tmpfs with 640 KiB free"
  free_kib=$(df -k --output=avail "$disk" | tail -n 1 | tr -d ' ')
  dd if=/dev/zero of="$disk/filler" bs=1K count=$((free_kib - 640)) status=none 2>/dev/null || true
else
  fault="snapshot.fill@2=enospc"
fi
folder="$disk/run"
UNTANGLE_FAULT=$fault h 180 "$work/$name.log" run bpr-mf-synthetic "${settings[@]}" --out "$folder" --store "$store"
code=$?
error=$(grep '^error: ' "$work/$name.log" || true)
leftovers=$(find "$folder" \( -name '*.partial' -o -name '*.tmp' \) | wc -l)
rm -f "$disk/filler"
if [ $code -eq 124 ]; then
  hung_at "$name" "the run on a full disk"
elif [ $code -ne 1 ] || ! grep -q "no space left on the device (.* free there now)" <<<"$error" || [ "$leftovers" -ne 0 ]; then
  scenarios=$((scenarios + 1)) corrupted=$((corrupted + 1))
  report+=("$(printf '  %-34s %s' "$name" "UNCLEAR (exit $code, $leftovers half-written files): ${error:-no error line}")")
else
  h 180 "$work/$name.resume.log" run --resume "$folder" --store "$store"
  [ $? -eq 124 ] && hung_at "$name" "the resume" || verdict "$name" "$folder" "$store" "$work/reference" 4 "$how; said: ${error#error: }"
fi
mountpoint -q "$disk" && umount -l "$disk"

echo
echo "faults: scenarios (work folder $work)"
printf '%s\n' "${report[@]}"
echo
echo "faults summary: $scenarios scenarios; $lost lost, $corrupted corrupted, $hung hung"
[ "$lost" -eq 0 ] && [ "$corrupted" -eq 0 ] && [ "$hung" -eq 0 ]
