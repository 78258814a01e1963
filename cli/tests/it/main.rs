//! Tests of the `zhengwu` binary: output, formats and exit codes.

use std::process::{Command, Output};

mod apps;
mod archive;
mod parquet;
mod writer;

fn zhengwu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhengwu")).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn is_workday_prints_workday_or_off() {
    let output = zhengwu(&["calendar", "is-workday", "2025-01-26"]);
    assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(0), "workday\n"));
    let output = zhengwu(&["calendar", "is-workday", "2025-01-28"]);
    assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(0), "off\n"));
}

#[test]
fn is_workday_json() {
    let output = zhengwu(&["calendar", "is-workday", "2026-10-10", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"date": "2026-10-10", "workday": true, "kind": "adjusted_workday", "festival": "national_day"})
    );
}

#[test]
fn deadlines_in_working_and_calendar_days() {
    let output = zhengwu(&["calendar", "deadline", "--from", "2025-09-30", "--working-days", "45"]);
    assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(0), "2025-12-09\n"));
    let output =
        zhengwu(&["calendar", "deadline", "--from", "2026-08-02", "--calendar-days", "60", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"from": "2026-08-02", "days": 60, "unit": "calendar_days", "due": "2026-10-08"})
    );
}

#[test]
fn a_year_without_data_exits_2_with_a_message() {
    let output = zhengwu(&["calendar", "is-workday", "2027-03-01"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "error: year 2027 has no published holiday schedule (the calendar covers 2004–2026)\n");
    assert!(stdout(&output).is_empty());
}

#[test]
fn a_schedule_file_adds_a_year() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("2027.toml");
    std::fs::write(
        &path,
        "[[year]]\nyear = 2027\n[[year.notice]]\ntitle = \"测试通知\"\n[[year.holiday]]\nfestival = \"new_years_day\"\nfrom = 2027-01-01\nto = 2027-01-03\n",
    )
    .unwrap();
    let path_text = path.to_str().unwrap();
    let output =
        zhengwu(&["calendar", "deadline", "--from", "2026-12-31", "--working-days", "1", "--schedule", path_text]);
    assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(0), "2027-01-04\n"));

    std::fs::write(&path, "[[year]]\nyear = 2027\n").unwrap();
    let output = zhengwu(&["calendar", "is-workday", "2027-01-04", "--schedule", path_text]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot parse schedule file"), "{}", stderr(&output));
    assert!(stderr(&output).contains("missing field `notice`"), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_are_usage_errors() {
    let output = zhengwu(&["calendar", "is-workday", "2025-02-30"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("invalid value '2025-02-30'"), "{}", stderr(&output));
    let output = zhengwu(&["calendar", "deadline", "--from", "2025-01-01"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_projected_year_is_opt_in_and_marked() {
    let output =
        zhengwu(&["calendar", "deadline", "--from", "2026-12-21", "--working-days", "10", "--provisional", "2027"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "2027-01-05 (provisional: 2027 projected from the statutory rules, no notice published)\n"
    );
    let output = zhengwu(&["calendar", "is-workday", "2027-02-05", "--provisional", "2027", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"date": "2027-02-05", "workday": false, "kind": "holiday", "festival": "spring_festival", "provisional_year": 2027})
    );
    // Results inside published years carry no marker even with the opt-in.
    let output =
        zhengwu(&["calendar", "deadline", "--from", "2026-03-02", "--working-days", "5", "--provisional", "2027"]);
    assert_eq!(stdout(&output), "2026-03-09\n");
    for year in ["10000", "2147483647"] {
        let output =
            zhengwu(&["calendar", "deadline", "--from", "2026-12-21", "--working-days", "10", "--provisional", year]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains("projections are made for years up to 2100"), "{}", stderr(&output));
    }
    let output = zhengwu(&["calendar", "is-workday", "2025-06-01", "--provisional", "2025"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot project year 2025"), "{}", stderr(&output));
}

fn data(path: &str) -> String {
    format!("{}/../tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn supervise_replay_reports_statistics_alerts_ranking_and_rejections() {
    let events = data("supervision/events.jsonl");
    let catalog = data("supervision/catalogue.toml");
    let output = zhengwu(&["supervise", "replay", &events, "--catalog", &catalog, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["as_of"], "2025-03-31T10:00:00+08:00");
    assert_eq!(report["ingest"], serde_json::json!({"applied": 24, "duplicates": 1, "rejected": 2}));
    let scjg = &report["statistics"][0];
    assert_eq!(
        (scjg["group"].as_str(), scjg["received"].as_u64(), scjg["concluded"].as_u64()),
        (Some("km-scjg"), Some(3), Some(3))
    );
    assert_eq!(scjg["early_rate"].as_f64(), Some(0.5));
    let rules: Vec<&str> = report["alerts"].as_array().unwrap().iter().map(|a| a["rule"].as_str().unwrap()).collect();
    assert_eq!(
        rules,
        [
            "FEE_OVER",
            "MULTI_BUZHENG",
            "STEP_OVERTIME",
            "TIME_OVER_PROMISE",
            "DELIVERY_LATE",
            "OFFLINE",
            "TIME_OVER_PROMISE"
        ]
    );
    let ranking: Vec<(&str, f64)> = report["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["department"].as_str().unwrap(), s["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(ranking, [("km-zjj", 95.0), ("km-scjg", 71.0)]);
    assert_eq!(report["rejections"][0]["line"], 9);
    assert_eq!(
        report["rejections"][1]["reason"],
        "case `K5` is unknown and this event has sequence 2; a case starts at sequence 1"
    );

    let text = zhengwu(&["supervise", "replay", &events, "--catalogue", &catalog]);
    let text = stdout(&text);
    assert!(
        text.starts_with("监察回放：应用事件24条，重复1条，拒收2条；评估时点 2025-03-31 10:00:00 +08:00\n"),
        "{text}"
    );
    assert!(text.contains("【红牌】违规收费：办件K2（530100-SCJG-001）收费项目「F01」收取30.00元，超过标准10.00元\n"));
    assert!(text.contains("第25行：case `K5` is unknown"));
}

#[test]
fn supervise_replay_with_a_bad_rule_file_fails_clearly() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("rules.toml");
    std::fs::write(&rules, "[rules.FEE_OVER]\nlevel = \"purple\"\n").unwrap();
    let output = zhengwu(&[
        "supervise",
        "replay",
        &data("supervision/events.jsonl"),
        "--catalog",
        &data("supervision/catalogue.toml"),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown variant `purple`"), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn workflow_validate_and_export() {
    let good = data("workflow/establish-enterprise.flowable.bpmn20.xml");
    let output = zhengwu(&["workflow", "validate", &good]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).ends_with("valid process `establish-enterprise` (企业开办并联审批), 6 tasks\n"),
        "{}",
        stdout(&output)
    );

    let bad = data("workflow/fork-without-join.bpmn");
    let output = zhengwu(&["workflow", "validate", &bad]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.ends_with(
            ": 1 problem\n  fork `split`: its branches do not meet at a join (they next meet at `summary`, a task)\n"
        ),
        "{text}"
    );

    let output = zhengwu(&["workflow", "export", &good, "--to", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["id"], "establish-enterprise");
    assert_eq!(json["node"].as_array().unwrap().len(), 10);

    let output = zhengwu(&["workflow", "export", &data("workflow/building-permit.camunda.bpmn"), "--to", "bpmn"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains(r#"<exclusiveGateway id="scale" name="工程规模" default="Flow_small"/>"#));
}

#[test]
fn credit_check_lists_each_code_and_fails_if_any_is_invalid() {
    let output = zhengwu(&["credit", "check", "914403001922038216", "9144030071526726XG"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "914403001922038216 valid\n9144030071526726XG valid\n");
    let output = zhengwu(&["credit", "check", "914403001922038216", "91350203M0001QAY9B"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "914403001922038216 valid\n91350203M0001QAY9B invalid: 统一社会信用代码 `91350203M0001QAY9B`: check character at position 18 is `B`, expected `9`\n"
    );
}

/// Crash safety: a writer appending to the SQLite log is killed (SIGKILL) at many points; after
/// each kill the log opens, verifies, holds every acknowledged append and no partial case.
#[test]
fn the_store_survives_a_killed_writer() {
    use std::io::{BufRead, BufReader};

    let dir = std::env::temp_dir().join(format!("zhengwu-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.sqlite");
    let path_text = path.to_str().unwrap().to_owned();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut acknowledged_total = 0;
    let crash_points = 12;
    for _ in 0..crash_points {
        // Kill after a pseudo-random number of acknowledgements (1–40).
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let kill_after = 1 + state % 40;
        let mut child = writer::spawn(&path, 100_000);
        // The test harness's own lines ("running 1 test") come before the writer's.
        let mut acks = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| line.strip_prefix("ack ").map(|n| n.parse::<u64>().unwrap()));
        let mut acknowledged = 0;
        for _ in 0..kill_after {
            acknowledged = acks.next().expect("the writer acknowledges appends");
        }
        child.kill().unwrap();
        child.wait().unwrap();
        acknowledged_total = acknowledged;
        let output = zhengwu(&["store", "verify", &path_text]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        let text = stdout(&output);
        let events: u64 = text.split(", ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        assert!(events >= acknowledged_total, "acknowledged {acknowledged_total}, log holds {events}");
        assert_eq!(events % 3, 0, "a partial case was written: {text}");
    }
    assert!(acknowledged_total >= crash_points);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn pki(alg: &str, name: &str) -> String {
    format!("{}/../identity/tests/data/pki/{alg}/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn cert_verify(alg: &str, name: &str, extra: &[&str]) -> Output {
    let (cert, root, ca, crl) =
        (pki(alg, &format!("{name}.pem")), pki(alg, "root.pem"), pki(alg, "ca.pem"), pki(alg, "ca.crl.pem"));
    let mut args = vec!["cert", "verify", &cert, "--trust", &root, "--intermediate", &ca, "--crl", &crl];
    args.extend_from_slice(extra);
    zhengwu(&args)
}

#[test]
fn cert_verify_names_the_holder_or_the_reason() {
    let output = cert_verify("sm2", "official", &["--at", "2027-06-01T00:00:00Z", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["valid"], true);
    assert_eq!(value["identity"]["id_number"], "11010519491231002X");
    assert_eq!(value["chain"][0]["revocation"], "not_revoked");
    for (name, reason) in [
        ("expired", "expired at 2026-01-01 00:00:00 UTC"),
        ("notyet", "is not valid before 2028-01-01 00:00:00 UTC"),
        ("revoked", "was revoked at 2026-12-01 00:00:00 UTC (keyCompromise)"),
        ("encryption", "may not be used for digitalSignature"),
        ("untrusted", "which is not a trusted CA"),
        ("tampered", "bad signature on certificate"),
    ] {
        let output = cert_verify("rsa", name, &["--at", "2027-06-01T00:00:00Z"]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let text = stdout(&output);
        assert!(text.starts_with("invalid: ") && text.contains(reason), "{name}: {text}");
    }
    let output = zhengwu(&["cert", "verify", "Cargo.toml", "--trust", "Cargo.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot parse certificate"), "{}", stderr(&output));
}

#[test]
fn cert_verify_takes_a_purpose_a_depth_and_refuses_what_it_cannot_parse() {
    let at = ["--at", "2027-06-01T00:00:00Z"];
    // The officials' certificates carry no extended key usage: fine for signing, not for TLS.
    let output = cert_verify("ec", "official", &[&at[..], &["--purpose", "serverAuth"]].concat());
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("is not for serverAuth (extended key usage)"), "{}", stdout(&output));
    let output = cert_verify("ec", "official", &[&at[..], &["--purpose", "any", "--max-depth", "1"]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = cert_verify("ec", "official", &[&at[..], &["--max-depth", "0"]].concat());
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("needs more than 0 intermediate CAs"), "{}", stdout(&output));
    let output = cert_verify("ec", "official", &[&at[..], &["--purpose", "stamping"]].concat());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`stamping` is not signing, any, serverAuth"), "{}", stderr(&output));
    // An OCSP response made by `openssl ocsp` (dated when made, late 2026) says revoked.
    let (ca, ocsp) = (pki("ec", "ca.pem"), pki("ec", "revoked.ocsp.der"));
    let output = zhengwu(&[
        "cert",
        "verify",
        &pki("ec", "revoked.pem"),
        "--trust",
        &pki("ec", "root.pem"),
        "--intermediate",
        &ca,
        "--ocsp",
        &ocsp,
        "--at",
        "2027-06-01T00:00:00Z",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("was revoked at 2026-12-01 00:00:00 UTC"), "{}", stdout(&output));
    // A leaf that is not a certificate is refused (exit 1), as a verdict in JSON.
    let (root, garbage) = (pki("ec", "root.pem"), pki("ec", "message.txt"));
    let output = zhengwu(&["cert", "verify", &garbage, "--trust", &root, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["valid"], false);
    assert!(value["reason"].as_str().unwrap().starts_with("cannot parse certificate"), "{value}");
}

#[test]
fn doc_validate_lists_violations_with_rule_codes() {
    let documents = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/documents");
    let output = zhengwu(&["doc", "validate", &format!("{documents}/request-bad.json")]);
    assert_eq!(output.status.code(), Some(1));
    let codes: Vec<String> = stdout(&output).lines().map(|line| line[..4].to_owned()).collect();
    assert_eq!(codes, ["GW01", "GW02", "GW03", "GW07", "GW08", "GW15"]);
    let output = zhengwu(&["doc", "validate", &format!("{documents}/report-with-request.json"), "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["violations"][0]["code"], "GW04");
    assert_eq!(value["violations"][0]["message"], "报告中夹带请示事项");
    // Warnings only: shown, exit 0.
    let output = zhengwu(&["doc", "validate", &format!("{documents}/secrecy-until.json")]);
    assert_eq!(
        (output.status.code(), stdout(&output).as_str()),
        (Some(0), "GW10 warning [份号] 份号“0000001”为7位，一般用6位阿拉伯数字\n")
    );
    let output = zhengwu(&["doc", "validate", &format!("{documents}/notice-ok.json")]);
    assert_eq!((output.status.code(), stdout(&output).as_str()), (Some(0), "KM-2025-GW-0012: no violations\n"));
}

#[test]
fn demo_runs_a_small_year_and_report_reads_its_store() {
    let out = std::env::temp_dir().join(format!("zhengwu-demo-test-{}", std::process::id()));
    let out_text = out.to_str().unwrap();
    let output = zhengwu(&["demo", "--cases", "300", "--seed", "11", "--out", out_text]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "办件统计",
        "预警纠错信号",
        "部门绩效排名",
        "公文交换",
        "哈希链完整",
        "report.html",
        "其他应用",
        "信访（信访工作条例）",
        "建议提案",
        "信息公开",
        "好差评",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    // 电子档案: every package packed verifies, and the changed one is refused by member.
    let archived = text.lines().find(|l| l.starts_with("电子档案")).expect("the 电子档案 section");
    let packed = std::fs::read_dir(out.join("archives")).unwrap().count();
    assert!(
        archived.contains(&format!("最近办结的{packed}件")) && archived.ends_with(&format!("校验完整{packed}件")),
        "{archived}"
    );
    assert!(text.contains("的一个字节后校验：member `"), "{text}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 5);
    assert!(!html.contains("<script"), "the report must not need scripts");
    let (store, catalog, organization) =
        (out.join("events.db"), out.join("catalogue.json"), out.join("organization.json"));
    let args = |format: &'static str| {
        vec![
            "report".to_owned(),
            "--store".to_owned(),
            store.to_str().unwrap().to_owned(),
            "--catalog".to_owned(),
            catalog.to_str().unwrap().to_owned(),
            "--organization".to_owned(),
            organization.to_str().unwrap().to_owned(),
            "--format".to_owned(),
            format.to_owned(),
        ]
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        zhengwu(&refs)
    };
    let output = run(args("json"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    // 300 cases, 140 receipt cases of the notice (plus one per copy sent again), and the other
    // applications' 15 (7 信访 matters, 3 信息公开 requests, 5 建议 and 提案).
    let received = value["total"]["received"].as_u64().unwrap();
    assert!((455..=465).contains(&received), "{received}");
    assert_eq!(value["applications"][1]["name"], "建议提案");
    assert_eq!(value["applications"][1]["accepted"], 5);
    assert_eq!(value["ranking"].as_array().unwrap().len(), 40);
    let output = run(args("csv"));
    let csv = stdout(&output);
    assert!(csv.starts_with("\u{feff}表,分组,名称,期间,收件"), "{}", &csv[..80.min(csv.len())]);
    assert!(csv.lines().any(|line| line.starts_with("部门,scjg,市市场监督管理局,")));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn catalog_guide_shows_materials_limits_fees_and_flow() {
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/supervision/catalogue.toml");
    let output = zhengwu(&["catalogue", "guide", "530100-SCJG-001", "--catalogue", catalog]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "食品经营许可 办事指南",
        "法定办结时限：20个工作日",
        "承诺办结时限：10个工作日",
        "1. 食品经营许可申请书（M01，必要）",
        "工本费：10.00元",
        "《中华人民共和国食品安全法》第三十五条",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    let page = std::env::temp_dir().join(format!("zhengwu-guide-{}.html", std::process::id()));
    let output =
        zhengwu(&["catalog", "guide", "530100-SCJG-001", "--catalog", catalog, "--html", page.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<h2>申请材料</h2>") && html.contains("<li>工本费：10.00元</li>"), "{html}");
    std::fs::remove_file(&page).unwrap();
    let output = zhengwu(&["catalog", "guide", "NOPE", "--catalog", catalog]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("item `NOPE` is not in"));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    let codes: Vec<&str> = std::iter::repeat_n("914403001922038216", 20_000).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhengwu"))
        .args(["credit", "check"])
        .args(&codes)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert_eq!(first, "914403001922038216 valid\n");
    // The reader is gone (`| head -1`): the process ends by SIGPIPE, without a panic.
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.signal(), Some(libc_sigpipe()), "{:?}", output.status);
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

/// SIGPIPE's number on the platforms CI runs (Linux, macOS).
#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13
}

#[test]
fn store_verify_on_a_mistyped_path_creates_nothing() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("evnets.db");
    let output = zhengwu(&["store", "verify", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!("error: `{}`: no such event store (verification never creates one)\n", path.display())
    );
    assert!(!path.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_far_dated_event_does_not_move_the_default_as_of() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-future-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = std::fs::read_to_string(data("supervision/events.jsonl")).unwrap();
    text.push_str(concat!(
        r#"{"schema": 1, "idempotency_key": "K4#4", "case_id": "K4", "sequence": 4, "item_code": "530100-ZJ-001", "#,
        r#""department": "km-zjj", "region": "530102", "occurred_at": "9999-12-31T09:00:00+08:00", "#,
        r#""recorded_at": "2025-03-31T11:00:00+08:00", "actor": {"id": "z0101"}, "type": "task_urged", "step": "x"}"#,
        "\n"
    ));
    let events = dir.join("events.jsonl");
    std::fs::write(&events, text).unwrap();
    let output = zhengwu(&[
        "supervise",
        "replay",
        events.to_str().unwrap(),
        "--catalog",
        &data("supervision/catalogue.toml"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["as_of"], "2025-03-31T10:00:00+08:00");
    assert_eq!(report["ingest"]["rejected"], 3);
    let reasons: Vec<&str> =
        report["rejections"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.starts_with("business time 9999-12-31T09:00:00+08:00 is after the entry time")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn reports_are_not_written_through_planted_links() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    // A link to an existing file, and a dangling one.
    let linked = dir.join("report.html");
    std::os::unix::fs::symlink(&victim, &linked).unwrap();
    let dangling = dir.join("dangling.html");
    let nowhere = dir.join("created-through-link.html");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    for target in [&linked, &dangling] {
        let output = zhengwu(&[
            "report",
            "--events",
            &valid_events(),
            "--catalog",
            &data("supervision/catalogue.toml"),
            "--html",
            target.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output)
                .contains(&format!("`{}` is a symbolic link; refusing to write through it", target.display())),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!nowhere.exists());
    // A plain path is written whole (through a temporary file renamed into place).
    let plain = dir.join("plain.html");
    let output = zhengwu(&[
        "report",
        "--events",
        &valid_events(),
        "--catalog",
        &data("supervision/catalogue.toml"),
        "--html",
        plain.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::read_to_string(&plain).unwrap().starts_with("<!DOCTYPE html>"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // The demo's output folder may not be a link either.
    let out = dir.join("out");
    std::os::unix::fs::symlink(&dir, &out).unwrap();
    let output = zhengwu(&["demo", "--cases", "10", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is a symbolic link; refusing to write through it"), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The schema's valid examples: an event log every command reads.
fn valid_events() -> String {
    format!("{}/../core/schema/examples/valid.jsonl", env!("CARGO_MANIFEST_DIR"))
}

#[cfg(unix)]
#[test]
fn endless_and_oversized_inputs_are_refused_within_their_bounds() {
    let catalog = data("supervision/catalogue.toml");
    let output = zhengwu(&["supervise", "replay", "/dev/zero", "--catalog", &catalog]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `/dev/zero`, line 1: longer than 1048576 bytes, which no event is; not read further\n"
    );
    for args in [vec!["workflow", "validate", "/dev/zero"], vec!["cert", "verify", "/dev/zero", "--trust", "/dev/zero"]]
    {
        let output = zhengwu(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&output), "error: `/dev/zero` is larger than 64 MiB; a file this size is not read\n");
    }
    let output = zhengwu(&["demo", "--cases", "18446744073709551615", "--out", "/nonexistent/never-created"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: 18446744073709551615 cases cannot be simulated; at most 1000000 (forty times the seed city's year)\n"
    );
    // A line that is not UTF-8 is rejected by its number; the others go on.
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-bytes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = std::fs::read(data("supervision/events.jsonl")).unwrap();
    bytes.extend_from_slice(b"\xff\xfe not text\n");
    let events = dir.join("events.jsonl");
    std::fs::write(&events, bytes).unwrap();
    let output = zhengwu(&["supervise", "replay", events.to_str().unwrap(), "--catalog", &catalog, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["ingest"], serde_json::json!({"applied": 24, "duplicates": 1, "rejected": 3}));
    assert_eq!(report["rejections"][2]["line"], 28);
    assert!(report["rejections"][2]["reason"].as_str().unwrap().starts_with("the line is not UTF-8"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_signed_checkpoint_kept_outside_finds_a_truncated_log() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-checkpoint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("events.db");
    let db_text = db.to_str().unwrap();
    assert_eq!(writer::fill(&db, 20), 60);
    let (key, cert, root, ca) =
        (pki("sm2", "official.key"), pki("sm2", "official.pem"), pki("sm2", "root.pem"), pki("sm2", "ca.pem"));
    let output = zhengwu(&["store", "checkpoint", db_text, "--key", &key, "--cert", &cert]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let checkpoint = dir.join("checkpoint.json");
    std::fs::write(&checkpoint, stdout(&output)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        (value["checkpoint"]["events"].as_u64(), value["signature"]["algorithm"].as_str()),
        (Some(60), Some("SM2-with-SM3"))
    );
    let cp = checkpoint.to_str().unwrap();
    let verify = |extra: &[&str]| {
        let mut args = vec!["store", "verify", db_text, "--checkpoint", cp];
        args.extend_from_slice(extra);
        zhengwu(&args)
    };
    assert_eq!(verify(&["--trust", &root, "--trust", &ca]).status.code(), Some(0));
    // A signed checkpoint is not taken on faith.
    let untrusted = verify(&[]);
    assert_eq!(untrusted.status.code(), Some(2));
    assert!(stderr(&untrusted).contains("is signed: give --trust ROOT to check its signer"), "{}", stderr(&untrusted));
    // The last case's three events deleted: a plain verify sees an intact log, the checkpoint does not.
    let raw = std::process::Command::new("python3")
        .args(["-c", &format!("import sqlite3; c = sqlite3.connect('{db_text}'); c.execute('DELETE FROM events WHERE position > 57'); c.commit()")])
        .status()
        .unwrap();
    assert!(raw.success());
    assert_eq!(zhengwu(&["store", "verify", db_text]).status.code(), Some(0));
    let truncated = verify(&["--trust", &root, "--trust", &ca]);
    assert_eq!(truncated.status.code(), Some(1));
    assert_eq!(
        stdout(&truncated),
        format!(
            "{db_text}: broken at position 60: the log holds 57 events; the checkpoint recorded 60, the last at position \
             60: events were removed\n"
        )
    );
    // A forged checkpoint (its count lowered to hide the cut) no longer matches its signature.
    std::fs::write(
        &checkpoint,
        std::fs::read_to_string(&checkpoint).unwrap().replace("\"events\": 60", "\"events\": 57"),
    )
    .unwrap();
    let forged = verify(&["--trust", &root, "--trust", &ca]);
    assert_eq!(forged.status.code(), Some(2));
    assert!(stderr(&forged).contains("is not signed by a trusted operator"), "{}", stderr(&forged));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_demo_store_writes_signed_checkpoints_as_it_goes() {
    let dir = std::env::temp_dir().join(format!("zhengwu-cli-self-checkpoints-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (out, folder) = (dir.join("demo"), dir.join("checkpoints"));
    let (key, cert, root, ca) =
        (pki("ec", "official.key"), pki("ec", "official.pem"), pki("ec", "root.pem"), pki("ec", "ca.pem"));
    let demo = zhengwu(&[
        "demo",
        "--cases",
        "200",
        "--out",
        out.to_str().unwrap(),
        "--checkpoints",
        folder.to_str().unwrap(),
        "--checkpoint-every",
        "500",
        "--checkpoint-key",
        &key,
        "--checkpoint-cert",
        &cert,
    ]);
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    let mut files: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files[0], "checkpoint-0000000000.json");
    // One at the start, then at the end of the append that passes each 500 events.
    assert!(files.len() >= 2, "{files:?}");
    let db = out.join("events.db");
    let latest = folder.join(files.last().unwrap());
    let verify = || {
        zhengwu(&[
            "store",
            "verify",
            db.to_str().unwrap(),
            "--checkpoint",
            latest.to_str().unwrap(),
            "--trust",
            &root,
            "--trust",
            &ca,
        ])
    };
    assert_eq!(verify().status.code(), Some(0), "{}", stdout(&verify()));
    // Signed; its last position deleted, the log no longer holds what it recorded.
    let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&latest).unwrap()).unwrap();
    assert_eq!(value["signature"]["algorithm"].as_str(), Some("ecdsa-with-SHA256"));
    let recorded = value["checkpoint"]["last_position"].as_i64().unwrap();
    let raw = std::process::Command::new("python3")
        .args([
            "-c",
            &format!(
                "import sqlite3; c = sqlite3.connect('{}'); c.execute('DELETE FROM events WHERE position > {}'); c.commit()",
                db.display(),
                recorded - 1
            ),
        ])
        .status()
        .unwrap();
    assert!(raw.success());
    let truncated = verify();
    assert_eq!(truncated.status.code(), Some(1));
    assert!(stdout(&truncated).contains(&format!("broken at position {recorded}")), "{}", stdout(&truncated));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The JSON of `supervise replay` and of `report`, pinned (their `version` is 1): scripts that
/// read them must see a change as a snapshot to review.
#[test]
fn the_report_formats_are_pinned() {
    let events = data("supervision/events.jsonl");
    let catalog = data("supervision/catalogue.toml");
    let replay = zhengwu(&["supervise", "replay", &events, "--catalogue", &catalog, "--format", "json"]);
    assert_eq!(replay.status.code(), Some(0), "{}", stderr(&replay));
    let replay: serde_json::Value = serde_json::from_str(&stdout(&replay)).unwrap();
    assert_eq!(replay["version"], 1);
    insta::assert_json_snapshot!("replay_v1", replay);
    let report = zhengwu(&["report", "--events", &valid_events(), "--catalogue", &catalog, "--format", "json"]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let report: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    assert_eq!(report["version"], 1);
    insta::assert_json_snapshot!("report_v1", report);
}
