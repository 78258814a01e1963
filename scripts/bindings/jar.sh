#!/usr/bin/env bash
# Builds target/jar/zhengwu.jar, the one artefact a Java or Kotlin build depends on: the UniFFI
# Kotlin bindings compiled (with the Kotlin runtime they need) and the native library under JNA's
# resource path (linux-x86-64/libzhengwu_uniffi.so), so that `java -cp zhengwu.jar:jna.jar ...`
# loads it with no library path. `--release` builds the native library optimised.
#   scripts/bindings/jar.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=debug
cargo_profile=()
if [ "${1:-}" = "--release" ]; then
    profile=release
    cargo_profile=(--release)
fi
source scripts/bindings/jvm_tools.sh
OUT=target/jar
mkdir -p "$OUT"
cargo build --quiet --locked "${cargo_profile[@]}" -p zhengwu-uniffi
LIB=target/$profile/libzhengwu_uniffi.so
rm -rf "$OUT/kotlin"
cargo run --quiet --locked -p zhengwu-uniffi --bin uniffi-bindgen -- \
    generate --library "$LIB" --language kotlin --out-dir "$OUT/kotlin" --no-format > /dev/null
rm -f "$OUT/zhengwu.jar"
"$KOTLINC" -nowarn "$OUT/kotlin/uniffi/zhengwu_uniffi/zhengwu_uniffi.kt" -cp "$JNA_JAR" -include-runtime \
    -d "$OUT/zhengwu.jar" 2>&1 | grep -v '^warning' || true
[ -f "$OUT/zhengwu.jar" ] || { echo "kotlinc produced no jar"; exit 1; }
# The native library where JNA looks for it on the class path (without debug symbols when
# binutils' strip is here: they are most of a debug build's size).
cp "$LIB" "$OUT/libzhengwu_uniffi.so"
if command -v strip > /dev/null; then strip --strip-debug "$OUT/libzhengwu_uniffi.so"; fi
python3 - "$OUT/zhengwu.jar" "$OUT/libzhengwu_uniffi.so" <<'PY'
import sys, zipfile
jar, lib = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(jar, "a", compression=zipfile.ZIP_DEFLATED) as z:
    z.write(lib, "linux-x86-64/libzhengwu_uniffi.so")
PY
echo "$OUT/zhengwu.jar: the Kotlin bindings, the Kotlin runtime and linux-x86-64/libzhengwu_uniffi.so ($profile)"
