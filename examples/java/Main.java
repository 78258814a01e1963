// zhengwu from Java 17, as a vendor's Spring service would call it (a parallel approval run to its
// end, stored and replayed, an SM2 chain verified and an event signed, a 公文 validated, an item's
// service guide, supervision's statistics, alerts and ranking): the jar scripts/bindings/jar.sh
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

import uniffi.zhengwu_uniffi.AlertAction;
import uniffi.zhengwu_uniffi.AppendResult;
import uniffi.zhengwu_uniffi.AlertRecord;
import uniffi.zhengwu_uniffi.AlertStatus;
import uniffi.zhengwu_uniffi.CaseCommand;
import uniffi.zhengwu_uniffi.CaseEventKind;
import uniffi.zhengwu_uniffi.CaseEventRecord;
import uniffi.zhengwu_uniffi.CaseStatus;
import uniffi.zhengwu_uniffi.CaseValue;
import uniffi.zhengwu_uniffi.CertificateVerdict;
import uniffi.zhengwu_uniffi.Channel;
import uniffi.zhengwu_uniffi.CreditChecker;
import uniffi.zhengwu_uniffi.CreditMeasure;
import uniffi.zhengwu_uniffi.CreditRecordInput;
import uniffi.zhengwu_uniffi.CreditRecordKind;
import uniffi.zhengwu_uniffi.CreditStanding;
import uniffi.zhengwu_uniffi.Decision;
import uniffi.zhengwu_uniffi.DepartmentRank;
import uniffi.zhengwu_uniffi.Dimension;
import uniffi.zhengwu_uniffi.DocumentViolation;
import uniffi.zhengwu_uniffi.EventStore;
import uniffi.zhengwu_uniffi.ExpectedSequence;
import uniffi.zhengwu_uniffi.GuideSectionRecord;
import uniffi.zhengwu_uniffi.HolderKind;
import uniffi.zhengwu_uniffi.Period;
import uniffi.zhengwu_uniffi.RejectionKind;
import uniffi.zhengwu_uniffi.Role;
import uniffi.zhengwu_uniffi.ServiceCatalogue;
import uniffi.zhengwu_uniffi.ServiceItemRecord;
import uniffi.zhengwu_uniffi.Signer;
import uniffi.zhengwu_uniffi.StatisticsRow;
import uniffi.zhengwu_uniffi.Supervision;
import uniffi.zhengwu_uniffi.Totals;
import uniffi.zhengwu_uniffi.TrustStore;
import uniffi.zhengwu_uniffi.ViolationSeverity;
import uniffi.zhengwu_uniffi.WorkflowCase;
import uniffi.zhengwu_uniffi.WorkflowEngine;
import uniffi.zhengwu_uniffi.WorkingCalendar;
import uniffi.zhengwu_uniffi.ZhengwuException;
import uniffi.zhengwu_uniffi.Zhengwu_uniffiKt;

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
        expect("the open task", kase.openTasks().get(0).getStep(), "accept");
        // 补正: the clock stops while materials are missing; 催办 and 挂起 / 恢复 are recorded.
        List<CaseEventRecord> urged = kase.execute(new CaseCommand.Urge("accept", "请尽快受理"), "boss", Role.DEPARTMENT_HEAD,
            "scjg", at("2025-03-03T10:00:00+08:00"));
        expect("the urge", urged.get(0).getKind(), new CaseEventKind.TaskUrged("accept", "请尽快受理"));
        kase.execute(new CaseCommand.Suspend("等待鉴定"), "boss", Role.DEPARTMENT_HEAD, "scjg", at("2025-03-03T11:00:00+08:00"));
        expect("suspended", kase.status(), CaseStatus.Suspended.INSTANCE);
        kase.execute(CaseCommand.Resume.INSTANCE, "boss", Role.DEPARTMENT_HEAD, "scjg", at("2025-03-03T15:00:00+08:00"));
        expect("running again", kase.status(), CaseStatus.Running.INSTANCE);
        try {
            kase.execute(new CaseCommand.Complete("seal", null, Map.of()), "g01", Role.HANDLER, "sw",
                at("2025-03-04T10:00:00+08:00"));
            expect("a step that is not open", "no error", "Rejected");
        } catch (ZhengwuException.Rejected e) {
            expect("refused by kind", e.getKind(), RejectionKind.STEP_NOT_OPEN);
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

        // The definition as JSON reads back as the same process.
        expect("the process read back from JSON", WorkflowEngine.Companion.fromJson(engine.toJson()).tasks(), engine.tasks());
        expect("and from TOML", WorkflowEngine.Companion.fromToml(engine.toToml()).tasks(), engine.tasks());

        // The case replayed from its events comes to the same place.
        WorkflowCase replayed = engine.replay(log);
        expect("the replayed case's status", replayed.status(), kase.status());
        expect("the replayed log", replayed.events().size(), log.size());

        // The event store: the case's events appended under an expected sequence, read back, the
        // hash chain verified; an append on a stale expectation is refused.
        Path file = Files.createTempFile("zhengwu-events", ".db");
        EventStore store = EventStore.Companion.open(file.toString());
        AppendResult appended = store.append(log, List.of(new ExpectedSequence("KB-2025-0102", 0L)));
        expect("events written", appended.getWritten(), (long) log.size());
        expect("the case read back", store.readCase("KB-2025-0102").size(), log.size());
        expect("its last sequence", store.lastSequence("KB-2025-0102"), (long) log.size());
        expect("the hash chain is intact", store.verify().getIntact(), true);
        // 2025-03-05: the registration completed and the three departments' steps started.
        expect("the events of 2025-03-05",
            store.readTimeRange(at("2025-03-05T00:00:00+08:00"), at("2025-03-06T00:00:00+08:00")).size(), 4);
        expect("reopened, the file holds them", EventStore.Companion.open(file.toString()).lastSequence("KB-2025-0102"),
            (long) log.size());
        try {
            store.append(List.of(), List.of(new ExpectedSequence("KB-2025-0102", 3L)));
            expect("a stale expectation", "no error", "Store error");
        } catch (ZhengwuException.Store e) {
            expect("a stale expectation is refused", e.getReason().contains("KB-2025-0102"), true);
        }

        // The catalogue and an item's 办事指南.
        ServiceCatalogue catalogue =
            ServiceCatalogue.Companion.fromToml(Files.readString(root.resolve("tests/data/supervision/catalogue.toml")));
        ServiceItemRecord item = catalogue.items().get(0);
        List<GuideSectionRecord> guide = catalogue.guide(item.getCode(), null);
        expect("the guide's first section", guide.get(0).getHeading(), "基本信息");
        expect("it names the item", guide.get(0).getLines().get(0), "事项名称：" + item.getName());

        // An official's SM2 certificate, verified to the provincial root with the CA's CRL.
        Path pki = root.resolve("identity/tests/data/pki/sm2");
        TrustStore trust = new TrustStore();
        trust.addAnchors(Files.readAllBytes(pki.resolve("root.pem")));
        trust.addIntermediates(Files.readAllBytes(pki.resolve("ca.pem")));
        trust.addCrl(Files.readAllBytes(pki.resolve("ca.crl.pem")));
        CertificateVerdict official =
            trust.verify(Files.readAllBytes(pki.resolve("official.pem")), at("2027-06-01T08:00:00+08:00"), "signing");
        expect("the SM2 chain is valid", official.getValid(), true);
        expect("the official's 公民身份号码", official.getIdentity().getIdNumber(), "11010519491231002X");
        expect("the chain's length", official.getChain().size(), 3);
        CertificateVerdict revoked =
            trust.verify(Files.readAllBytes(pki.resolve("revoked.pem")), at("2027-06-01T08:00:00+08:00"), "signing");
        expect("a revoked certificate is refused", revoked.getValid(), false);

        // The official signs an event of a case received in 2026; the signature verifies to the root.
        Signer signer = new Signer(Files.readString(pki.resolve("official.key")), Files.readAllBytes(pki.resolve("official.pem")));
        expect("the signing algorithm", signer.algorithm(), "SM2-with-SM3");
        WorkflowCase later = engine.startCase("KB-2026-0001", "KB-001", "scjg", "530102");
        CaseEventRecord receipt = later.execute(new CaseCommand.Receive(Channel.WINDOW, List.of(), Map.of()), "w01",
            Role.WINDOW_CLERK, "scjg", at("2026-03-02T09:00:00+08:00")).get(0);
        expect("an unsigned event does not verify", trust.verifyEvent(receipt).getValid(), false);
        CaseEventRecord signed = signer.signEvent(receipt);
        CertificateVerdict signature = trust.verifyEvent(signed);
        expect("the signed event verifies", signature.getValid(), true);
        expect("signed by the official", signature.getIdentity().getName(), signer.identity().getName());

        expect("who a certificate names, unverified",
            Zhengwu_uniffiKt.readCertificateIdentity(Files.readAllBytes(pki.resolve("unit.pem"))).getKind(), HolderKind.LEGAL_PERSON);
        String request = Files.readString(root.resolve("fuzz/corpus/document/request-ok.json"));
        CertificateVerdict documentSignature =
            trust.verifyDocument(signer.signDocument(request), at("2027-06-01T08:00:00+08:00"));
        expect("the signed 公文 verifies", documentSignature.getValid(), true);

        // A black-listed applicant's standing and what it brings at acceptance.
        CreditStanding standing = Zhengwu_uniffiKt.creditStanding("914403001922038216",
            List.of(new CreditRecordInput("B1", "914403001922038216", CreditRecordKind.BlackList.INSTANCE, "黑名单〔2025〕1号",
                "市场监管局", LocalDate.of(2025, 1, 10), LocalDate.of(2025, 1, 12), null)),
            LocalDate.of(2025, 6, 1), true);
        expect("on the black list", standing.getBlackList(), true);
        expect("its measures", standing.getMeasures(),
            List.of(CreditMeasure.STRICT_REVIEW, CreditMeasure.EXTRA_REVIEW, CreditMeasure.REFUSE));

        // A 公文 with every violation.
        List<DocumentViolation> violations =
            Zhengwu_uniffiKt.validateDocument(Files.readString(root.resolve("fuzz/corpus/document/classified-unmarked.json")));
        expect("the first violation's rule", violations.get(0).getCode(), "GW06");
        expect("it is an error", violations.get(0).getSeverity(), ViolationSeverity.ERROR);

        // Supervision of an event log: statistics, alerts and the department ranking.
        Supervision supervision = new Supervision(Files.readString(root.resolve("tests/data/supervision/catalogue.toml")));
        supervision.ingestJsonLines(Files.readString(root.resolve("tests/data/supervision/events.jsonl")));
        // A case of a catalogue item, its typed events ingested as they are recorded.
        WorkflowCase counted = engine.startCase("KB-2025-0103", item.getCode(), item.getDepartment(), "530102");
        counted.execute(new CaseCommand.Receive(Channel.WINDOW, List.of(), Map.of()), "w02", Role.WINDOW_CLERK,
            item.getDepartment(), at("2025-12-01T09:00:00+08:00"));
        counted.execute(CaseCommand.Accept.INSTANCE, "w02", Role.WINDOW_CLERK, item.getDepartment(), at("2025-12-01T09:10:00+08:00"));
        expect("the case's typed events ingested", supervision.ingest(counted.events()).getApplied(), 3L);
        supervision.evaluate(at("2025-12-31T18:00:00+08:00"));
        Totals totals = supervision.totals(at("2025-12-31T18:00:00+08:00"));
        expect("cases received", totals.getReceived(), 5L);
        List<StatisticsRow> rows = supervision.statistics(at("2025-12-31T18:00:00+08:00"), Dimension.DEPARTMENT, Period.ALL);
        expect("departments counted", rows.size() > 0, true);
        List<AlertRecord> alerts = supervision.alerts();
        expect("alerts raised", alerts.size() > 0, true);
        AlertRecord notified = supervision.correct(alerts.get(0).getId(), new AlertAction.Notify(List.of("jc01")), "jc01",
            at("2026-01-05T09:00:00+08:00"));
        expect("the alert is notified", notified.getStatus(), AlertStatus.NOTIFIED);
        for (DepartmentRank rank : supervision.ranking(at("2025-12-31T18:00:00+08:00"))) {
            System.out.println("rank " + rank.getRank() + ": " + rank.getDepartment() + " " + rank.getScore() + " " + rank.getGrade());
        }

        if (failures > 0) {
            System.out.println(failures + " failed");
            System.exit(1);
        }
        System.out.println("all Java checks passed");
    }
}
