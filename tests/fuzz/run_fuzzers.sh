#!/usr/bin/env bash
# Runs every libFuzzer target of the fuzz build for SECONDS each (default 60), one after another, at low
# priority, starting from the committed seeds plus whatever corpus earlier runs grew in the build folder.
# Exit status 1 when any target crashed, leaked or timed out; the inputs that did are kept in
# BUILD/fuzz-artifacts/<target>/ (add each to the regression tests once fixed).
#   tests/fuzz/run_fuzzers.sh [SECONDS] [BUILD] [TARGET...]
# BUILD defaults to build-fuzz (cmake --preset fuzz); TARGETs (e.g. fuzz_settings) default to all of them.
set -uo pipefail
SECONDS_EACH=${1:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${2:-$HERE/../../build-fuzz}" && pwd) || { echo "no fuzz build: cmake --preset fuzz && ninja -C build-fuzz" >&2; exit 2; }
shift 2 2>/dev/null || shift $#
# Targets that read a path (weight file, archive) write each input to a scratch file: keep it in memory.
[ -w /dev/shm ] && export TMPDIR=/dev/shm
failed=0
for exe in "$BUILD"/bin/fuzz_*; do
    name=$(basename "$exe")
    [ $# -eq 0 ] || [[ " $* " == *" $name "* ]] || continue
    seeds="$HERE/seeds/${name#fuzz_}"
    # Inputs that once crashed a target are replayed under the sanitizers first, every run.
    regressions=()
    [ -d "$HERE/regressions/${name#fuzz_}" ] && regressions=("$HERE/regressions/${name#fuzz_}")
    corpus="$BUILD/fuzz-corpus/$name"
    artifacts="$BUILD/fuzz-artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    start=$(date +%s)
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a parser must not allocate what a file declares.
    nice -n 15 "$exe" "$corpus" "$seeds" "${regressions[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 \
        >"$BUILD/fuzz-$name.log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/fuzz-$name.log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$BUILD/fuzz-$name.log" | tail -1)
    printf '%-28s %4ss  %10s runs  %-10s  %s\n' "$name" "$(( $(date +%s) - start ))" "${runs:-?}" "$cov" \
        "$([ $status -eq 0 ] && echo ok || echo "FAILED (exit $status, see $BUILD/fuzz-$name.log)")"
    [ $status -eq 0 ] || failed=1
done
exit $failed
