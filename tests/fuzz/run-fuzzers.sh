#!/bin/sh
# Drives the libFuzzer targets (built with --enable-fuzzing CC=clang).
#
#   run-fuzzers.sh run SECONDS SRCDIR BUILDDIR NAME...
#       Fuzzes each target for SECONDS, starting from the committed corpus
#       (SRCDIR/tests/fuzz/corpus/NAME) plus BUILDDIR/fuzz-seeds/NAME when
#       `make fuzz-seeds' made it.  The committed corpus is not modified:
#       new inputs go to BUILDDIR/fuzz-new/NAME, findings (crash, leak,
#       timeout, out-of-memory, broken invariant) to BUILDDIR/fuzz-findings/.
#       Prints one line per target (runs, exec/s, corpus size, new inputs)
#       to stdout and BUILDDIR/fuzz-stats.txt, writes the pass/fail counts
#       in the automake summary form to BUILDDIR/test-suite-fuzz.log (so
#       CI's summary counts each target), and exits 1 if any target found
#       anything.
#   run-fuzzers.sh merge 0 SRCDIR BUILDDIR NAME...
#       Minimizes committed corpus + seeds + new inputs (libFuzzer -merge=1,
#       which keeps the smallest inputs that together reach every coverage
#       feature) and writes the result back to SRCDIR/tests/fuzz/corpus/NAME.
set -u
mode=$1 secs=$2 srcdir=$3 builddir=$4
shift 4

# Packet targets need no more than a jumbo frame; capture files a few
# records.  Each run is bounded in memory and per-input time as well.
max_len() {
  case $1 in
    pcap|pcapng|writer) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

status=0 passed=0 failed=0
stats=$builddir/fuzz-stats.txt
[ "$mode" = run ] && : >"$stats"
for name in "$@"; do
  bin=$builddir/tests/fuzz/fuzz_$name
  corpus=$srcdir/tests/fuzz/corpus/$name
  seeds=$builddir/fuzz-seeds/$name
  new=$builddir/fuzz-new/$name
  mkdir -p "$new" "$builddir/fuzz-findings"
  [ -x "$bin" ] || { echo "run-fuzzers: $bin not built" >&2; exit 1; }
  case $mode in
  run)
    work=$(mktemp -d) || exit 1
    cp "$corpus"/* "$work"/ 2>/dev/null
    ncorpus=$(ls "$work" | wc -l)
    dirs=$work
    [ -d "$seeds" ] && dirs="$work $seeds"
    log=$builddir/fuzz-$name.log
    # -fork is not used: one process keeps the figures simple and the
    # machine's second core free.
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$name")" \
      -print_final_stats=1 -artifact_prefix="$builddir/fuzz-findings/$name-" \
      $dirs >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    added=$(sed -n 's/^stat::new_units_added: *//p' "$log")
    # Inputs the run added to the working corpus, kept for fuzz-merge.
    for f in "$work"/*; do
      [ -e "$corpus/$(basename "$f")" ] || cp "$f" "$new"/
    done
    rm -rf "$work"
    line="fuzz_$name: ${runs:-0} runs in ${secs} s, ${eps:-0} exec/s, corpus $ncorpus, new $added, exit $rc"
    echo "$line" | tee -a "$stats"
    if [ $rc -eq 0 ]; then
      passed=$((passed + 1))
    else
      status=1 failed=$((failed + 1))
      echo "---- fuzz_$name FAILED; last lines of $log:"
      tail -n 60 "$log"
      ls -l "$builddir/fuzz-findings" | grep "$name-" || true
    fi
    ;;
  merge)
    out=$(mktemp -d) || exit 1
    dirs=
    for d in "$corpus" "$seeds" "$new"; do [ -d "$d" ] && dirs="$dirs $d"; done
    "$bin" -merge=1 -max_len="$(max_len "$name")" -rss_limit_mb=2048 "$out" $dirs \
      >"$builddir/fuzz-merge-$name.log" 2>&1 || {
      echo "merge of $name failed: $builddir/fuzz-merge-$name.log" >&2; status=1; rm -rf "$out"; continue; }
    mkdir -p "$corpus"
    rm -f "$corpus"/*
    cp "$out"/* "$corpus"/
    rm -rf "$out"
    echo "fuzz_$name: corpus $(ls "$corpus" | wc -l) files, $(du -sk "$corpus" | cut -f1) KiB"
    ;;
  *) echo "run-fuzzers: unknown mode $mode" >&2; exit 2 ;;
  esac
done
if [ "$mode" = run ]; then
  {
    echo "fuzz_* targets, $secs s each"
    cat "$stats"
    echo "# TOTAL: $((passed + failed))"
    echo "# PASS:  $passed"
    echo "# FAIL:  $failed"
  } >"$builddir/test-suite-fuzz.log"
fi
exit $status
