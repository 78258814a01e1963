use zhengwu_core::{Error, Organization, RegionCode, RegionLevel, Role};

#[test]
fn region_codes_have_levels_and_parents() {
    let cases = [
        ("530000", RegionLevel::Province, None),
        ("530100", RegionLevel::City, Some("530000")),
        ("530102", RegionLevel::County, Some("530100")),
        ("530102001", RegionLevel::Town, Some("530102")),
        ("441900003", RegionLevel::Town, Some("441900")),
    ];
    for (code, level, parent) in cases {
        let code: RegionCode = code.parse().unwrap();
        assert_eq!(code.level(), level, "{code}");
        assert_eq!(code.structural_parent().as_ref().map(RegionCode::as_str), parent, "{code}");
    }
}

#[test]
fn malformed_region_codes_say_why() {
    for (code, reason) in [
        ("53010", "expected 6 digits (GB/T 2260) or 9 digits (town)"),
        ("5301O2", "expected digits only"),
        ("050102", "the province part (first two digits) must be 11 or above"),
        ("530012", "a county code needs a city part (digits 3–4) other than 00"),
        ("530102000", "a town code needs a town part (digits 7–9) other than 000"),
    ] {
        assert_eq!(
            code.parse::<RegionCode>().unwrap_err(),
            Error::InvalidRegionCode { code: code.to_owned(), reason },
            "{code}"
        );
    }
}

const CITY: &str = r#"
[[region]]
code = "530100"
name = "昆明市"
[[region]]
code = "530102"
name = "五华区"
[[region]]
code = "530181"
name = "安宁市"
[[region]]
code = "530102001"
name = "华山街道"
[[department]]
id = "km-scjg"
name = "昆明市市场监督管理局"
region = "530100"
[[department]]
id = "wh-scjg"
name = "五华区市场监督管理局"
region = "530102"
[[official]]
id = "d0002"
name = "张伟"
department = "km-scjg"
roles = ["department_head", "approver"]
"#;

#[test]
fn organization_rolls_up_town_county_city() {
    let org = Organization::from_toml(CITY).unwrap();
    let town: RegionCode = "530102001".parse().unwrap();
    let chain: Vec<&str> = org.ancestors(&town).map(|r| r.code.as_str()).collect();
    assert_eq!(chain, ["530102001", "530102", "530100"]);
    let city: RegionCode = "530100".parse().unwrap();
    let mut children: Vec<&str> = org.children(&city).map(|r| r.name.as_str()).collect();
    children.sort();
    assert_eq!(children, ["五华区", "安宁市"]);
    assert_eq!(org.departments_in(&city).count(), 1);
    assert!(org.has_role(&"d0002".into(), &Role::DepartmentHead));
    assert!(!org.has_role(&"d0002".into(), &Role::GovernmentHead));
    assert_eq!(Role::DepartmentHead.chinese(), "部门负责人");
}

#[test]
fn organization_problems_are_all_listed() {
    let bad = r#"
    [[region]]
    code = "530100"
    name = "昆明市"
    [[region]]
    code = "530102"
    name = "五华区"
    parent = "530102001"
    [[region]]
    code = "530102001"
    name = "华山街道"
    [[region]]
    code = "530181"
    name = "安宁市"
    parent = "539900"
    [[department]]
    id = "x"
    name = "某局"
    region = "530199"
    [[official]]
    id = "o1"
    name = "王芳"
    department = "y"
    "#;
    let Err(Error::InvalidOrganization(problems)) = Organization::from_toml(bad) else {
        panic!("expected an invalid organization");
    };
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "region `530102`: parent `530102001` is 乡级 but the region is 县级; a parent must be of a higher level",
            "region `530181`: parent `539900` is not in the directory",
            "department `x`: region `530199` is not in the directory",
            "official `o1`: department `y` is not in the directory",
        ]
    );
}
