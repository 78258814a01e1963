#!/usr/bin/env bash
# The UniFFI bindings, generated and exercised: builds the jar (scripts/bindings/jar.sh: the
# Kotlin bindings with the native library inside), compiles the Kotlin program
# (examples/kotlin/Main.kt) and the Java 17 program (examples/java/Main.java) against the jar alone
# and runs them with no library path, generates Swift and Python with the workspace's
# uniffi-bindgen (library mode) into bindings/uniffi/generated/ (git ignored), checks the Swift in
# shape (no Swift compiler exists on these machines: it is generated, not compiled) and
# smoke-tests the Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bindings/uniffi/generated
scripts/bindings/jar.sh
source scripts/bindings/jvm_tools.sh
JAR=target/jar/zhengwu.jar
LIB=target/debug/libzhengwu_uniffi.so
rm -rf "$OUT"
mkdir -p "$OUT"

# Kotlin: the program compiled against the jar, run with the jar and JNA only.
"$KOTLINC" -nowarn examples/kotlin/Main.kt -cp "$JAR:$JNA_JAR" -d "$OUT/main.jar" 2>&1 | grep -v '^warning' || true
[ -f "$OUT/main.jar" ] || { echo "kotlinc produced no jar"; exit 1; }
java -cp "$OUT/main.jar:$JAR:$JNA_JAR" MainKt .

# Java: the same, from javac.
javac -cp "$JAR" -d "$OUT/java" examples/java/Main.java
java -cp "$OUT/java:$JAR:$JNA_JAR" Main .

for language in swift python; do
    cargo run --quiet --locked -p zhengwu-uniffi --bin uniffi-bindgen -- \
        generate --library "$LIB" --language "$language" --out-dir "$OUT/$language" --no-format > /dev/null
done

# Swift: generated and checked in shape only.
swift="$OUT/swift/zhengwu_uniffi.swift"
for shape in 'open class WorkingCalendar' 'open class CreditChecker' 'open class WorkflowEngine' \
    'open class WorkflowCase' 'open class Supervision' 'public struct CreditCheck' 'public struct CaseProgress' \
    'public struct CaseEventRecord' 'public enum CaseCommand' 'public enum CaseEventKind' 'public enum Role' \
    'public enum CaseStatus' 'enum ZhengwuError: Swift.Error' 'public typealias Day = Date' \
    'open class TrustStore' 'open class Signer' 'open class EventStore' 'open class ServiceCatalogue' \
    'public func validateDocument(documentJson: String)throws  -> [DocumentViolation]' \
    'public func creditStanding(' 'public struct AlertRecord' 'public enum AlertAction' \
    'public typealias Instant = Date' 'public struct ArchiveVerdict' 'public func packArchive(' \
    'open func execute(command: CaseCommand, actorId: String, role: Role?, department: String, at: Instant)throws  -> [CaseEventRecord]'; do
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
except Exception as error:
    assert "is not a date" in str(error), error
else:
    raise AssertionError("a bad date must raise")
print("python (uniffi): smoke test passed")
PY
