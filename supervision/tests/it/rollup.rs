//! Statistics roll up town → county → city through the organisation directory.

use zhengwu_core::{Decision, EventKind, Organization};
use zhengwu_supervision::{Dimension, Period};

use crate::{CaseLog, at, supervisor};

const CITY: &str = r#"
[[region]]
code = "530100"
name = "昆明市"
[[region]]
code = "530102"
name = "五华区"
[[region]]
code = "530103"
name = "盘龙区"
[[region]]
code = "530102001"
name = "华山街道"
[[department]]
id = "scjg"
name = "市场监督管理局"
region = "530100"
[[department]]
id = "zjj"
name = "住房和城乡建设局"
region = "530100"
"#;

fn in_region(mut log: CaseLog, region: &str) -> CaseLog {
    for event in &mut log.events {
        event.region = region.parse().unwrap();
    }
    log
}

#[test]
fn towns_roll_up_into_counties_and_the_city() {
    let org = Organization::from_toml(CITY).unwrap();
    let mut supervisor = supervisor();
    let mut town = CaseLog::opened("T1", "IM-001", "2025-03-03");
    town.add(
        "2025-03-03T11:00:00+08:00",
        EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("1".into()) },
    );
    supervisor.ingest_all(in_region(town, "530102001").events);
    supervisor.ingest_all(in_region(CaseLog::opened("T2", "SC-001", "2025-03-04"), "530102").events);
    supervisor.ingest_all(in_region(CaseLog::opened("T3", "SC-001", "2025-03-05"), "530103").events);
    let as_of = at("2025-03-06");
    let stats = supervisor.statistics(as_of, Dimension::Region, Period::All, Some(&org));
    let received = |code: &str| stats.row(code, "all").map_or(0, |c| c.received);
    assert_eq!([received("530102001"), received("530102"), received("530103"), received("530100")], [1, 2, 1, 3]);
    assert_eq!(stats.row("530100", "all").unwrap().immediate, 1);
    assert_eq!(stats.row("530100", "all").unwrap().running, 2);
    // Without a directory, each case counts in its own region only.
    let flat = supervisor.statistics(as_of, Dimension::Region, Period::All, None);
    assert_eq!(flat.rows.len(), 3);
    assert!(flat.row("530100", "all").is_none());
}
