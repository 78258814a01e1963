// zhengwu from Java 17, as a vendor's Spring service would call it: the jar scripts/bindings/jar.sh
// builds (Kotlin bindings, Kotlin runtime and the native library inside) and JNA on the class
// path, nothing else. Compiled and run by scripts/bindings/uniffi_check.sh:
//   javac -cp zhengwu.jar -d classes examples/java/Main.java
//   java -cp classes:zhengwu.jar:jna.jar Main REPO_ROOT
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import uniffi.zhengwu_uniffi.CaseCommand;
import uniffi.zhengwu_uniffi.CaseEventKind;
import uniffi.zhengwu_uniffi.CaseEventRecord;
import uniffi.zhengwu_uniffi.CaseStatus;
import uniffi.zhengwu_uniffi.CaseValue;
import uniffi.zhengwu_uniffi.Channel;
import uniffi.zhengwu_uniffi.CreditChecker;
import uniffi.zhengwu_uniffi.Decision;
import uniffi.zhengwu_uniffi.Role;
import uniffi.zhengwu_uniffi.Supervision;
import uniffi.zhengwu_uniffi.Totals;
import uniffi.zhengwu_uniffi.WorkflowCase;
import uniffi.zhengwu_uniffi.WorkflowEngine;
import uniffi.zhengwu_uniffi.WorkingCalendar;
import uniffi.zhengwu_uniffi.ZhengwuException;

public final class Main {
    private static int failures = 0;

    private static void expect(String what, Object actual, Object expected) {
        if (java.util.Objects.equals(actual, expected)) {
            System.out.println("ok   " + what + ": " + actual);
        } else {
            System.out.println("FAIL " + what + ": got " + actual + ", expected " + expected);
            failures += 1;
        }
    }

    private static OffsetDateTime at(String text) {
        return OffsetDateTime.parse(text);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");

        // The statutory calendar and a credit code.
        WorkingCalendar calendar = new WorkingCalendar();
        expect("20 working days from 2025-09-30", calendar.deadlineWorkingDays(LocalDate.of(2025, 9, 30), 20),
            LocalDate.of(2025, 11, 4));
        expect("华为's credit code", new CreditChecker().check("914403001922038216").getValid(), true);

        // 企业开办: a parallel approval run to its end with typed commands.
        // README example begins
        String bpmn = Files.readString(root.resolve("tests/data/workflow/establish-enterprise.flowable.bpmn20.xml"));
        WorkflowEngine engine = WorkflowEngine.Companion.fromBpmn(bpmn);
        WorkflowCase kase = engine.startCase("KB-2025-0102", "KB-001", "scjg", "530102");
        kase.execute(new CaseCommand.Receive(Channel.ONLINE, List.of("M01"), Map.of("capital", new CaseValue.Integer(500000L))),
            "w01", Role.WINDOW_CLERK, "scjg", OffsetDateTime.parse("2025-03-03T09:00:00+08:00"));
        List<CaseEventRecord> accepted = kase.execute(CaseCommand.Accept.INSTANCE, "w01", Role.WINDOW_CLERK, "scjg",
            OffsetDateTime.parse("2025-03-03T09:20:00+08:00"));
        System.out.println(accepted.get(1).getKind());                    // StepStarted(step=accept)
        System.out.println(kase.progress(20, LocalDate.of(2025, 3, 4)).getDueOn()); // 2025-03-31
        // README example ends
        expect("the acceptance opens", ((CaseEventKind.StepStarted) accepted.get(1).getKind()).getStep(), "accept");
        expect("statutory due date", kase.progress(20, LocalDate.of(2025, 3, 4)).getDueOn(), LocalDate.of(2025, 3, 31));
        try {
            kase.execute(new CaseCommand.Complete("seal", null, Map.of()), "g01", Role.HANDLER, "sw",
                at("2025-03-04T10:00:00+08:00"));
            expect("a step that is not open", "no error", "Rejected");
        } catch (ZhengwuException.Rejected e) {
            expect("refused by kind", e.getKind(), "step_not_open");
        }
        String[][] steps = {
            {"accept", "scjg"}, {"register", "scjg"}, {"seal", "ga"}, {"tax", "sw"}, {"insurance", "rs"}, {"deliver", "scjg"},
        };
        int day = 4;
        for (String[] step : steps) {
            Role role = step[0].equals("accept") || step[0].equals("deliver") ? Role.WINDOW_CLERK : Role.HANDLER;
            kase.execute(new CaseCommand.Complete(step[0], "同意", Map.of()), step[1] + "-01", role, step[1],
                at("2025-03-0" + day++ + "T10:00:00+08:00"));
        }
        expect("the case concludes", kase.status(), new CaseStatus.Concluded(Decision.GRANTED));
        List<CaseEventRecord> log = kase.events();
        expect("the last event", log.get(log.size() - 1).getTypeName(), "concluded");
        expect("its decision", ((CaseEventKind.Concluded) log.get(log.size() - 1).getKind()).getDecision(), Decision.GRANTED);

        // Supervision of an event log.
        Supervision supervision = new Supervision(Files.readString(root.resolve("tests/data/supervision/catalogue.toml")));
        supervision.ingestJsonLines(Files.readString(root.resolve("tests/data/supervision/events.jsonl")));
        supervision.evaluate(at("2025-12-31T18:00:00+08:00"));
        Totals totals = supervision.totals(at("2025-12-31T18:00:00+08:00"));
        expect("cases received", totals.getReceived(), 4L);

        if (failures > 0) {
            System.out.println(failures + " failed");
            System.exit(1);
        }
        System.out.println("all Java checks passed");
    }
}
