#!/usr/bin/env bash
# Runs every check and test of zhengwu on a fresh machine (Rust toolchain + Python 3.11 with pip):
# installs the test oracles, then the oracle checks, format, lints, all tests, docs and a
# fuzzing smoke run. The last line is `N passed, N failed`, summed over every suite.
set -uo pipefail
cd "$(dirname "$0")/.."

# A one-off build keeps nothing for a next compile: no incremental caches (they doubled the
# target folder, and a CI machine ran out of disk on it).
export CARGO_INCREMENTAL=0

passed=0
failed=0
gate_failures=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step() { printf '\n==> %s\n' "$*"; }

# A gate (format, lints, docs, builds): counts as one failure when it fails.
gate() {
    local name=$1
    shift
    step "$name"
    if "$@"; then
        return 0
    fi
    gate_failures+=("$name")
    return 1
}

# One external-oracle check: counts as one test.
check() {
    local name=$1
    shift
    step "$name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        gate_failures+=("$name")
    fi
}

# pandas 3, what analysts install now; the Python package's tests run under pandas 2 as well.
step "installing test oracles (PyPI: chinesecalendar 1.11.0, pandas 3)"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    'chinesecalendar==1.11.0' 'pandas>=3,<4' \
    || gate_failures+=("pip install chinesecalendar pandas")

# OpenSSL's command line makes the supervision centre's throw-away PKI in its tests and scripts
# (scripts/serve/make_pki.sh): installed from Debian when missing.
if ! command -v openssl > /dev/null; then
    step "installing openssl (Debian)"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq > /dev/null \
        && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssl > /dev/null; } \
        || gate_failures+=("apt-get install openssl")
fi

check "calendar fixture matches chinesecalendar" python3 scripts/calendar/oracle_fixture.py --check
check "clock scenarios match the day-by-day oracle" python3 scripts/calendar/clock_oracle.py
check "statute cases match the day-by-day oracle" python3 scripts/statute/statute_oracle.py

gate "cargo fmt --check" cargo fmt --all --check
gate "layout: no file over 800 lines, no import cycle" python3 scripts/check/layout.py
gate "cargo clippy -D warnings" cargo clippy --workspace --all-targets --locked --features zhengwu-store/postgres-tests,zhengwu-serve/postgres-tests -- -D warnings

# PostgreSQL on loopback for the store's shared suite (installed from Debian when missing).
step "starting PostgreSQL for the store's shared test suite"
if postgres_env=$(scripts/store/postgres.sh start); then
    eval "$postgres_env"
    trap 'rm -f "$log"; scripts/store/postgres.sh stop' EXIT
else
    gate_failures+=("PostgreSQL server")
fi

step "cargo test --workspace (with the PostgreSQL suite)"
cargo test --workspace --locked --no-fail-fast --features zhengwu-store/postgres-tests,zhengwu-serve/postgres-tests 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
read -r test_passed test_failed < <(
    grep -E '^test result: ' "$log" | awk '{
        for (i = 1; i <= NF; i++) {
            if ($(i+1) ~ /^passed/) p += $i;
            if ($(i+1) ~ /^failed/) f += $i;
        }
    } END { print p + 0, f + 0 }'
)
passed=$((passed + test_passed))
failed=$((failed + test_failed))
if [ "$test_status" -ne 0 ]; then
    gate_failures+=("cargo test")
    # A crate that failed to compile reports no "test result" line: count it as a failure.
    if [ "$test_failed" -eq 0 ]; then failed=$((failed + 1)); fi
fi

# Needs the debug `zhengwu` binary that `cargo test` built.
check "supervision statistics match a pure-pandas computation" \
    env ZHENGWU=target/debug/zhengwu python3 scripts/supervision/pandas_compare.py --cases 3000 --check

# The report in a real browser: Debian's Chromium (and CJK fonts) are installed when missing.
browser_check() {
    if ! command -v chromium > /dev/null; then
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq > /dev/null \
            && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
                chromium fonts-noto-cjk > /dev/null || return 1
    fi
    local out
    out=$(mktemp -d)
    target/debug/zhengwu demo --cases 3000 --out "$out" > "$out/dashboard.txt" 2>&1 \
        && grep -q "哈希链完整" "$out/dashboard.txt" \
        && python3 scripts/report/browser_check.py "$out/report.html"
    local status=$?
    rm -rf "$out"
    return $status
}
check "the demo's HTML report renders in headless Chromium with every chart drawn" browser_check

# The live supervision centre (zhengwu serve): its page in the same Chromium, an alert posted and
# seen on the open page within 2 s; and kill -9 during a load (the debug builds `cargo test` made).
check "zhengwu serve: a posted alert appears on the open page in headless Chromium within 2 s" \
    python3 scripts/serve/browser_check.py --zhengwu target/debug/zhengwu
check "zhengwu serve: killed -9 three times under load, every acknowledged event stored once, chain and figures intact" \
    python3 scripts/serve/crash_test.py --zhengwu target/debug/zhengwu --load target/debug/examples/load \
        --kills 3 --events 20000 --rate 2000

# The Python package: built by maturin from the debug artifacts `cargo test` left, installed the
# way users install it (pip install ./bindings/python), then pytest, mypy --strict on the examples,
# and the ranking example on a small demo year.
python_package() {
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        'maturin>=1.9.4,<2' 'pyarrow>=14' polars pytest mypy pandas-stubs pyarrow-stubs matplotlib \
        'dask[distributed]' \
        && MATURIN_PEP517_ARGS="--profile dev" python3 -m pip install --quiet --disable-pip-version-check \
            --root-user-action=ignore --force-reinstall --no-deps ./bindings/python
}
# The package's pytest suite, its counts added to the totals; `$1` names it, the rest of the
# arguments go before `python3` (an `env` with the variables to run it with).
pytest_suite() {
    local name=$1
    shift
    step "$name bindings/python/tests"
    "$@" python3 -m pytest -q bindings/python/tests 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    local py_passed py_failed
    py_passed=$(grep -Eo '[0-9]+ passed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    py_failed=$(grep -Eo '[0-9]+ failed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    passed=$((passed + py_passed))
    failed=$((failed + py_failed))
    if [ "$status" -ne 0 ]; then
        gate_failures+=("$name")
        if [ "$py_failed" -eq 0 ]; then failed=$((failed + 1)); fi
    fi
}
if gate "pip install ./bindings/python (maturin)" python_package; then
    pytest_suite "pytest" env
    # The package supports pandas 2 too (pyproject: pandas>=2.0): the same tests with pandas 2.3
    # put first on the path (its one dependency pandas 3 lacks, pytz, beside it).
    pandas2=$(mktemp -d)
    if python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --target "$pandas2" --no-deps 'pandas>=2.2,<3' pytz; then
        pytest_suite "pytest under pandas 2" env PYTHONPATH="$pandas2"
    else
        gate_failures+=("pip install pandas 2")
    fi
    rm -rf "$pandas2"
    gate "mypy --strict on the Python examples and tests" \
        python3 -m mypy --strict examples/python bindings/python/tests
    python_example() {
        local out
        out=$(mktemp -d)
        target/debug/zhengwu demo --cases 2000 --out "$out" > /dev/null 2>&1 \
            && python3 examples/python/calendar_and_credit.py > /dev/null \
            && python3 examples/python/replay_ranking.py "$out" "$out/ranking.png" \
            && [ -s "$out/ranking.png" ]
        local status=$?
        rm -rf "$out"
        return $status
    }
    check "the Python examples run (calendar, credit, the demo's ranking drawn by matplotlib)" python_example
    check "the README's examples: the Python one runs, the Kotlin and Java ones are their programs'" \
        python3 scripts/bindings/readme_examples.py
    check "a province's year on a 2-worker Dask LocalCluster equals the single-process replay" \
        python3 scripts/scale/province.py --events 200000 --workers 2
    # PySpark (PyPI, 430 MB) on the machine's Java 17: the same year through mapInArrow.
    spark_check() {
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pyspark \
            && python3 scripts/scale/spark.py --events 100000 --partitions 2
    }
    check "the province's year through PySpark mapInArrow equals the single-process replay" spark_check
fi

# UniFFI: the jar built (bindings and native library inside), the Kotlin (npm kotlin-compiler) and
# Java 17 programs compiled against it alone and run, Swift generated and checked in shape, Python
# through UniFFI smoke-tested.
check "UniFFI bindings: the jar, the Kotlin and Java programs pass, Swift generated in shape, Python smoke test" \
    scripts/bindings/uniffi_check.sh

gate "cargo doc (warnings denied)" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

# AFL++ through cargo-afl (installed when missing): every fuzz target for 10 s from its corpus; a
# crash or a hang fails the check. The benchmarks are not built here: clippy --all-targets above
# compiles them, and their release build cost more than this smoke does.
check "fuzz smoke: every target 10 s under AFL++, no crash and no hang" scripts/fuzz/run.sh smoke 10

echo
if [ ${#gate_failures[@]} -gt 0 ]; then
    echo "failed: ${gate_failures[*]}"
fi
echo "$passed passed, $failed failed"
[ ${#gate_failures[@]} -eq 0 ] && [ "$failed" -eq 0 ]
