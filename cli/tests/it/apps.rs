//! `zhengwu catalogue template`: the statutory applications' catalogue items.

use crate::{stdout, zhengwu};

#[test]
fn catalogue_template_writes_items_the_catalogue_reads_back() {
    let output =
        zhengwu(&["catalogue", "template", "suggestion", "--code", "530100-RDJY-zjj", "--department", "km-zjj"]);
    assert_eq!(output.status.code(), Some(0));
    let file = zhengwu_core::CatalogueFile::from_toml(&stdout(&output)).unwrap();
    let item = &file.items[0];
    assert_eq!((item.statute, item.legal_limit), (zhengwu_core::Statute::Proposal, zhengwu_core::TimeLimit::months(3)));
    assert_eq!(item.steps[0].code, "huiban");
    // The service guide of the written catalogue states the limits in months.
    let dir = std::env::temp_dir().join(format!("zhengwu-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("catalogue.toml");
    std::fs::write(&path, stdout(&output)).unwrap();
    let guide = zhengwu(&["catalogue", "guide", "530100-RDJY-zjj", "--catalogue", path.to_str().unwrap()]);
    assert!(stdout(&guide).contains("3个月"), "{}", stdout(&guide));
    let petition = zhengwu(&["catalogue", "template", "petition", "--code", "XF", "--department", "cgj", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&petition)).unwrap();
    let codes: Vec<&str> = value["item"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["XF-DJ", "XF-BL", "XF-FC", "XF-FH"]);
    assert_eq!(zhengwu(&["catalogue", "template", "fair", "--code", "X", "--department", "Y"]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
