#!/usr/bin/env bash
# The UniFFI bindings, generated and exercised: builds the cdylib, generates Kotlin, Swift and
# Python with the workspace's uniffi-bindgen (library mode) into bindings/uniffi/generated/ (git
# ignored), compiles the Kotlin test program (examples/kotlin/Main.kt) with the npm package
# kotlin-compiler and Debian's JNA and runs it on Java, checks the Swift in shape (no Swift
# compiler exists on these machines: it is generated, not compiled), and smoke-tests the Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bindings/uniffi/generated
KOTLIN_VERSION=2.4.20
KOTLIN_HOME=${ZHENGWU_KOTLIN_HOME:-target/kotlin-$KOTLIN_VERSION}
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

cargo build --quiet --locked -p zhengwu-uniffi
LIB=target/debug/libzhengwu_uniffi.so
rm -rf "$OUT"
for language in kotlin swift python; do
    cargo run --quiet --locked -p zhengwu-uniffi --bin uniffi-bindgen -- \
        generate --library "$LIB" --language "$language" --out-dir "$OUT/$language" --no-format > /dev/null
done

# Kotlin: compile the generated bindings with the test program, run it.
if ! command -v npm > /dev/null || ! command -v java > /dev/null; then
    $sudo apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm openjdk-17-jre-headless > /dev/null
fi
if [ ! -f /usr/share/java/jna.jar ]; then
    $sudo apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libjna-java > /dev/null
fi
if [ ! -x "$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc" ]; then
    npm install --silent --prefix "$KOTLIN_HOME" "kotlin-compiler@$KOTLIN_VERSION" > /dev/null
fi
"$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc" -nowarn \
    "$OUT/kotlin/uniffi/zhengwu_uniffi/zhengwu_uniffi.kt" examples/kotlin/Main.kt \
    -cp /usr/share/java/jna.jar -include-runtime -d "$OUT/main.jar" 2>&1 | grep -v '^warning' || true
[ -f "$OUT/main.jar" ] || { echo "kotlinc produced no jar"; exit 1; }
java -Djna.library.path=target/debug -cp "$OUT/main.jar:/usr/share/java/jna.jar" MainKt .

# Swift: generated and checked in shape only.
swift="$OUT/swift/zhengwu_uniffi.swift"
for shape in 'open class WorkingCalendar' 'open class CreditChecker' 'open class WorkflowEngine' \
    'open class WorkflowCase' 'open class Supervision' 'public struct CreditCheck' 'public struct CaseProgress' \
    'enum ZhengwuError: Swift.Error' 'open func deadlineWorkingDays(start: String, days: UInt32)throws  -> String' \
    'open func execute(command: String, actorId: String, role: String?, department: String, at: String)throws  -> [String]'; do
    grep -qF "$shape" "$swift" || { echo "Swift bindings lack: $shape"; exit 1; }
done
[ -f "$OUT/swift/zhengwu_uniffiFFI.h" ] && [ -f "$OUT/swift/zhengwu_uniffiFFI.modulemap" ]
echo "swift: generated with every exported type (not compiled: no Swift toolchain here)"

# Python through UniFFI: a smoke test (the PyO3 package is the supported Python API).
cp "$LIB" "$OUT/python/"
python3 - "$OUT/python" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import zhengwu_uniffi as z

assert z.WorkingCalendar().deadline_working_days("2025-09-30", 20) == "2025-11-04"
assert not z.CreditChecker().check("91350203M0001QAY9B").valid
try:
    z.WorkingCalendar().is_workday("2025-13-01")
except z.ZhengwuError.InvalidInput as error:
    assert "is not a date" in str(error)
else:
    raise AssertionError("a bad date must raise")
print("python (uniffi): smoke test passed")
PY
