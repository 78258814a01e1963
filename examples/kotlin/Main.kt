// An Android-style use of zhengwu through UniFFI: check a credit code, run a case with typed
// commands and events, read its deadlines; then the supervision totals of an event log.
// Compiled and run by scripts/bindings/uniffi_check.sh against the jar scripts/bindings/jar.sh
// builds (the native library inside it):
//   kotlinc examples/kotlin/Main.kt -cp zhengwu.jar:jna.jar -include-runtime -d main.jar
//   java -cp main.jar:zhengwu.jar:jna.jar MainKt REPO_ROOT
import java.io.File
import java.time.LocalDate
import java.time.OffsetDateTime
import kotlin.system.exitProcess
import uniffi.zhengwu_uniffi.ArchiveDocument
import uniffi.zhengwu_uniffi.CaseCommand
import uniffi.zhengwu_uniffi.CaseEventKind
import uniffi.zhengwu_uniffi.CaseStatus
import uniffi.zhengwu_uniffi.CaseValue
import uniffi.zhengwu_uniffi.Channel
import uniffi.zhengwu_uniffi.CreditChecker
import uniffi.zhengwu_uniffi.Decision
import uniffi.zhengwu_uniffi.RejectionKind
import uniffi.zhengwu_uniffi.Role
import uniffi.zhengwu_uniffi.Supervision
import uniffi.zhengwu_uniffi.WorkflowEngine
import uniffi.zhengwu_uniffi.WorkingCalendar
import uniffi.zhengwu_uniffi.ZhengwuException
import uniffi.zhengwu_uniffi.packArchive
import uniffi.zhengwu_uniffi.verifyArchive

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
    case.execute(CaseCommand.Receive(Channel.ONLINE, listOf(), mapOf()), "w01", Role.WINDOW_CLERK, "scjg",
        OffsetDateTime.parse("2025-03-03T09:00:00+08:00"))
    case.execute(CaseCommand.Accept, "w01", Role.WINDOW_CLERK, "scjg", OffsetDateTime.parse("2025-03-03T09:20:00+08:00"))
    println(case.progress(20, LocalDate.parse("2025-03-04")).dueOn)              // 2025-03-31
    println(WorkingCalendar().deadlineWorkingDays(LocalDate.parse("2025-09-30"), 20)) // 2025-11-04
    // README example ends
}

fun at(text: String): OffsetDateTime = OffsetDateTime.parse(text)

fun main(args: Array<String>) {
    val root = File(if (args.isNotEmpty()) args[0] else ".")
    readmeExample(root)

    // The statutory calendar: National Day 2025 does not count.
    val calendar = WorkingCalendar()
    expect("deadline of 20 working days from 2025-09-30",
        calendar.deadlineWorkingDays(LocalDate.of(2025, 9, 30), 20), LocalDate.of(2025, 11, 4))
    expect("2026-02-28 is a 调休 working day", calendar.isWorkday(LocalDate.of(2026, 2, 28)), true)
    try {
        calendar.isWorkday(LocalDate.of(2030, 1, 2))
        expect("2030 has no schedule", "no error", "Calendar error")
    } catch (e: ZhengwuException.Calendar) {
        expect("2030 has no schedule", e.reason.contains("year 2030 has no published holiday schedule"), true)
    }

    // A credit code at the window.
    val checker = CreditChecker()
    expect("华为's credit code", checker.check("914403001922038216").valid, true)
    val wrong = checker.check("91350203M0001QAY9B")
    expect("a wrong check character", wrong.reason?.contains("position 18 is `B`, expected `9`"), true)

    // A case on the Flowable process, run to its end with typed commands.
    val bpmn = File(root, "tests/data/workflow/establish-enterprise.flowable.bpmn20.xml").readText()
    val engine = WorkflowEngine.fromBpmn(bpmn)
    val case = engine.startCase("KB-2025-0101", "KB-001", "scjg", "530102")
    val received = case.execute(
        CaseCommand.Receive(Channel.ONLINE, listOf("M01"), mapOf("capital" to CaseValue.Integer(500000L))),
        "w01", Role.WINDOW_CLERK, "scjg", at("2025-03-03T09:00:00+08:00"))
    expect("the receipt's events", received.map { it.typeName }, listOf("received", "data_recorded"))
    expect("the materials received", (received[0].kind as CaseEventKind.Received).materials, listOf("M01"))
    expect("the data recorded", (received[1].kind as CaseEventKind.DataRecorded).data["capital"], CaseValue.Integer(500000L))
    val events = case.execute(CaseCommand.Accept, "w01", Role.WINDOW_CLERK, "scjg", at("2025-03-03T09:20:00+08:00"))
    expect("events of the acceptance", events.map { it.typeName }, listOf("accepted", "step_started"))
    expect("the first step", (events[1].kind as CaseEventKind.StepStarted).step, "accept")
    expect("the event's instant", events[0].occurredAt, at("2025-03-03T09:20:00+08:00"))
    expect("open tasks", case.openTasks().map { it.step }, listOf("accept"))
    val progress = case.progress(20, LocalDate.of(2025, 3, 4))
    expect("statutory due date", progress.dueOn, LocalDate.of(2025, 3, 31))
    expect("the task's due date", progress.tasks[0].stepDue, LocalDate.of(2025, 3, 4))
    try {
        case.execute(CaseCommand.Complete("seal", null, mapOf()), "g01", Role.HANDLER, "sw", at("2025-03-04T10:00:00+08:00"))
        expect("a step that is not open", "no error", "Rejected")
    } catch (e: ZhengwuException.Rejected) {
        // The kind is what a host branches on; the reason is what an official reads.
        expect("a step that is not open is refused by kind", e.kind, RejectionKind.STEP_NOT_OPEN)
        expect("its stable code", e.code, "step_not_open")
        expect("about the step, not who acts", e.aboutTheActor, false)
        expect("the refused case", e.caseId, "KB-2025-0101")
        expect("the reason names the case", e.reason.startsWith("case `KB-2025-0101`"), true)
    }
    val steps = listOf("accept" to "scjg", "register" to "scjg", "seal" to "ga", "tax" to "sw",
        "insurance" to "rs", "deliver" to "scjg")
    for ((i, pair) in steps.withIndex()) {
        val (step, department) = pair
        val role = if (step == "accept" || step == "deliver") Role.WINDOW_CLERK else Role.HANDLER
        case.execute(CaseCommand.Complete(step, "同意", mapOf()), "$department-01", role, department,
            at("2025-03-0${4 + i}T10:00:00+08:00"))
    }
    expect("the case's status", case.status(), CaseStatus.Concluded(Decision.GRANTED))
    expect("the log", case.events().size, 16)

    // The concluded case archived (电子档案), and a changed byte found by the member it is in.
    val decision = ByteArray(4000) { (it % 97).toByte() }
    val archived = packArchive(case.events(), "30y", listOf(ArchiveDocument("决定书.pdf", decision)), "sm3",
        at("2025-03-12T09:00:00+08:00"), "昆明市档案馆", null)
    val verdict = verifyArchive(archived, null)
    expect("the package verifies", Triple(verdict.valid, verdict.events, verdict.retentionTerm), Triple(true, 16u, "定期30年"))
    val start = (0 until archived.size - decision.size).first { i -> (decision.indices).all { archived[i + it] == decision[it] } }
    archived[start + 2000] = (archived[start + 2000].toInt() xor 1).toByte()
    val changed = verifyArchive(archived, null)
    expect("the changed member is named", Pair(changed.kind, changed.member), Pair("changed_member", "documents/决定书.pdf"))

    // Supervision of an event log.
    val supervision = Supervision(File(root, "tests/data/supervision/catalogue.toml").readText())
    val counts = supervision.ingestJsonLines(File(root, "tests/data/supervision/events.jsonl").readText())
    expect("events rejected", counts.rejected > 0, true)
    supervision.evaluate(at("2025-12-31T18:00:00+08:00"))
    val totals = supervision.totals(at("2025-12-31T18:00:00+08:00"))
    expect("cases received", totals.received > 0, true)
    println("supervision: ${counts.applied} events applied, ${totals.received} received, ${totals.concluded} concluded")

    if (failures > 0) {
        println("$failures failed")
        exitProcess(1)
    }
    println("all Kotlin checks passed")
}
