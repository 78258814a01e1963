// An Android-style use of zhengwu through UniFFI: check a credit code, start a case, read its
// deadlines; then the supervision totals of an event log. Compiled and run by scripts/test.sh:
//   kotlinc bindings/uniffi/generated/kotlin/uniffi/zhengwu_uniffi/zhengwu_uniffi.kt \
//       examples/kotlin/Main.kt -cp /usr/share/java/jna.jar -include-runtime -d main.jar
//   java -Djna.library.path=target/debug -cp main.jar:/usr/share/java/jna.jar MainKt REPO_ROOT
import java.io.File
import kotlin.system.exitProcess
import uniffi.zhengwu_uniffi.CreditChecker
import uniffi.zhengwu_uniffi.Supervision
import uniffi.zhengwu_uniffi.WorkflowEngine
import uniffi.zhengwu_uniffi.WorkingCalendar
import uniffi.zhengwu_uniffi.ZhengwuException

var failures = 0

fun expect(what: String, actual: Any?, expected: Any?) {
    if (actual == expected) {
        println("ok   $what: $actual")
    } else {
        println("FAIL $what: got $actual, expected $expected")
        failures += 1
    }
}

// The README's Kotlin example, word for word (scripts/bindings/readme_examples.py checks it).
fun readmeExample(root: File) {
    // README example begins
    val checker = CreditChecker()
    println(checker.check("914403001922038216").valid)                          // true
    val bpmn = File(root, "tests/data/workflow/establish-enterprise.flowable.bpmn20.xml").readText()
    val case = WorkflowEngine.fromBpmn(bpmn).startCase("KB-2025-0101", "KB-001", "scjg", "530102")
    case.execute("""{"type": "receive", "channel": "online"}""", "w01", "window_clerk", "scjg", "2025-03-03T09:00:00+08:00")
    case.execute("""{"type": "accept"}""", "w01", "window_clerk", "scjg", "2025-03-03T09:20:00+08:00")
    println(case.progress(20u, "2025-03-04").dueOn)                               // 2025-03-31
    println(WorkingCalendar().deadlineWorkingDays("2025-09-30", 20u))             // 2025-11-04
    // README example ends
}

fun main(args: Array<String>) {
    val root = File(if (args.isNotEmpty()) args[0] else ".")
    readmeExample(root)

    // The statutory calendar: National Day 2025 does not count.
    val calendar = WorkingCalendar()
    expect("deadline of 20 working days from 2025-09-30", calendar.deadlineWorkingDays("2025-09-30", 20u), "2025-11-04")
    expect("2026-02-28 is a 调休 working day", calendar.isWorkday("2026-02-28"), true)
    try {
        calendar.isWorkday("2030-01-02")
        expect("2030 has no schedule", "no error", "Calendar error")
    } catch (e: ZhengwuException.Calendar) {
        expect("2030 has no schedule", e.reason.contains("year 2030 has no published holiday schedule"), true)
    }

    // A credit code at the window.
    val checker = CreditChecker()
    expect("华为's credit code", checker.check("914403001922038216").valid, true)
    val wrong = checker.check("91350203M0001QAY9B")
    expect("a wrong check character", wrong.reason?.contains("position 18 is `B`, expected `9`"), true)

    // A case on the Flowable process: receive, accept, read the deadlines.
    val bpmn = File(root, "tests/data/workflow/establish-enterprise.flowable.bpmn20.xml").readText()
    val engine = WorkflowEngine.fromBpmn(bpmn)
    val case = engine.startCase("KB-2025-0101", "KB-001", "scjg", "530102")
    case.execute("""{"type": "receive", "channel": "online", "materials": ["M01"]}""", "w01", "window_clerk", "scjg", "2025-03-03T09:00:00+08:00")
    val events = case.execute("""{"type": "accept"}""", "w01", "window_clerk", "scjg", "2025-03-03T09:20:00+08:00")
    expect("events of the acceptance", events.size, 2)
    expect("open tasks", case.openTasks(), listOf("accept"))
    val progress = case.progress(20u, "2025-03-04")
    expect("statutory due date", progress.dueOn, "2025-03-31")
    expect("the task's due date", progress.tasks[0].stepDue, "2025-03-04")
    try {
        case.execute("""{"type": "complete", "step": "seal"}""", "g01", "handler", "sw", "2025-03-04T10:00:00+08:00")
        expect("a step that is not open", "no error", "Rejected")
    } catch (e: ZhengwuException.Rejected) {
        // The kind is what a host branches on; the reason is what an official reads.
        expect("a step that is not open is refused by kind", e.kind, "step_not_open")
        expect("the refused case", e.caseId, "KB-2025-0101")
        expect("the reason names the case", e.reason.startsWith("case `KB-2025-0101`"), true)
    }

    // Supervision of an event log.
    val supervision = Supervision(File(root, "tests/data/supervision/catalogue.toml").readText())
    val counts = supervision.ingestJsonLines(File(root, "tests/data/supervision/events.jsonl").readText())
    expect("events rejected", counts.rejected > 0u, true)
    supervision.evaluate("2025-12-31T18:00:00+08:00")
    val totals = supervision.totals("2025-12-31T18:00:00+08:00")
    expect("cases received", totals.received > 0u, true)
    println("supervision: ${counts.applied} events applied, ${totals.received} received, ${totals.concluded} concluded")

    if (failures > 0) {
        println("$failures failed")
        exitProcess(1)
    }
    println("all Kotlin checks passed")
}
