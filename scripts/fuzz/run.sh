#!/usr/bin/env bash
# Fuzzes zhengwu's parsers with AFL++ through cargo-afl (stable Rust; cargo-afl builds its own
# AFL++). Usage:
#   scripts/fuzz/run.sh smoke [SECONDS]        every target for SECONDS (default 10): the CI smoke
#   scripts/fuzz/run.sh campaign [MINUTES]     every target for MINUTES (default 6: 78 min in all)
#   scripts/fuzz/run.sh one TARGET SECONDS     one target
# Installs cargo-afl 0.18.2 when missing, builds `zhengwu-fuzz` instrumented, runs each target
# from `fuzz/corpus/<target>` into `target/fuzz/<target>`, prints a table (executions, speed,
# paths found, crashes, hangs) and exits 1 when any target crashed or hung. A crashing input is
# left in `target/fuzz/<target>/default/crashes/`: reproduce it with
#   target/fuzz-build/fuzz/zhengwu-fuzz TARGET < FILE
# and keep it as a regression in `fuzz/regressions/<target>/` once fixed.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=${1:-smoke}
case "$mode" in
    smoke) seconds=${2:-10}; targets=() ;;
    campaign) seconds=$(( ${2:-6} * 60 )); targets=() ;;
    one) targets=("${2:?target}"); seconds=${3:?seconds} ;;
    *) echo "usage: $0 smoke [SECONDS] | campaign [MINUTES] | one TARGET SECONDS" >&2; exit 2 ;;
esac

if ! cargo afl --version > /dev/null 2>&1; then
    echo "==> installing cargo-afl 0.18.2 (crates.io)"
    cargo install --quiet --locked cargo-afl --version 0.18.2
fi
if ! cargo afl config --build > /dev/null 2>&1; then
    : # already built for this rustc: `config --build` refuses to rebuild, which is fine
fi

# A target directory of its own: instrumented artifacts never mix with the normal build's.
export CARGO_TARGET_DIR=target/fuzz-build
echo "==> building the instrumented harness"
cargo afl build --quiet --locked --profile fuzz -p zhengwu-fuzz --features afl
harness=target/fuzz-build/fuzz/zhengwu-fuzz

if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(find fuzz/corpus -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fi

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1
status=0
rows=()
for target in "${targets[@]}"; do
    out=target/fuzz/$target
    rm -rf "$out"
    mkdir -p "$out"
    echo "==> fuzzing $target for ${seconds} s"
    # -t: a single input taking more than 5 s counts as a hang; -m none: memory is bounded by
    # the harness's inputs (AFL's default 1 MB maximum input), not by AFL.
    cargo afl fuzz -V "$seconds" -t 5000 -m none -i "fuzz/corpus/$target" -o "$out" -- "$harness" "$target" \
        > "$out/afl.log" 2>&1 || { echo "afl-fuzz failed on $target:"; tail -20 "$out/afl.log"; status=1; continue; }
    stats=$out/default/fuzzer_stats
    value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    crashes=$(value saved_crashes)
    hangs=$(value saved_hangs)
    rows+=("$(printf '%-12s %12s %10s %8s %8s %8s' "$target" "$(value execs_done)" "$(value execs_per_sec)" \
        "$(value corpus_count)" "$crashes" "$hangs")")
    if [ "${crashes:-0}" -ne 0 ] || [ "${hangs:-0}" -ne 0 ]; then
        status=1
        ls "$out/default/crashes" "$out/default/hangs" 2>/dev/null | grep -v README || true
    fi
done
echo
printf '%-12s %12s %10s %8s %8s %8s\n' target executions "exec/s" paths crashes hangs
printf '%s\n' "${rows[@]}"
exit $status
