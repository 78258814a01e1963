//! The simulated prefecture-level city: regions, 40 departments with their officials, 450 service
//! items with their processes, and the enterprises that apply.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use zhengwu_core::{
    CatalogueFile, ClockStart, Decision, Department, DepartmentId, FeeItem, ItemKind, Material, Official, Organization,
    OrganizationFile, Region, RegionCode, Role, ServiceItem, Statute, TimeLimit, Yuan,
};
use zhengwu_credit::{CreditCode, CreditRecord, PublicationRules, RecordKind, ScoringModel, Standing};
use zhengwu_workflow::{Assignee, ExchangePolicy, Process, ProcessBuilder};

use crate::rng::Rng;

/// The city's counties (GB/T 2260 codes of 昆明市), each with three towns.
const COUNTIES: [(&str, &str); 14] = [
    ("530102", "五华区"),
    ("530103", "盘龙区"),
    ("530111", "官渡区"),
    ("530112", "西山区"),
    ("530113", "东川区"),
    ("530114", "呈贡区"),
    ("530115", "晋宁区"),
    ("530124", "富民县"),
    ("530125", "宜良县"),
    ("530126", "石林彝族自治县"),
    ("530127", "嵩明县"),
    ("530128", "禄劝彝族苗族自治县"),
    ("530129", "寻甸回族彝族自治县"),
    ("530181", "安宁市"),
];

/// The 40 city departments (部门编码, name).
pub(crate) const DEPARTMENTS: [(&str, &str); 40] = [
    ("fgw", "市发展和改革委员会"),
    ("jyj", "市教育体育局"),
    ("kjj", "市科学技术局"),
    ("gxj", "市工业和信息化局"),
    ("mzj", "市民政局"),
    ("sfj", "市司法局"),
    ("czj", "市财政局"),
    ("rsj", "市人力资源和社会保障局"),
    ("zrzyj", "市自然资源和规划局"),
    ("sthjj", "市生态环境局"),
    ("zjj", "市住房和城乡建设局"),
    ("jtj", "市交通运输局"),
    ("slj", "市水务局"),
    ("nyj", "市农业农村局"),
    ("swj", "市商务局"),
    ("wlj", "市文化和旅游局"),
    ("wjw", "市卫生健康委员会"),
    ("tyjrj", "市退役军人事务局"),
    ("yjj", "市应急管理局"),
    ("sjj", "市审计局"),
    ("scjg", "市市场监督管理局"),
    ("tjj", "市统计局"),
    ("ylbzj", "市医疗保障局"),
    ("gzw", "市国有资产监督管理委员会"),
    ("lyj", "市林业和草原局"),
    ("cgj", "市城市管理局"),
    ("rfb", "市人民防空办公室"),
    ("mzzj", "市民族宗教事务委员会"),
    ("gaj", "市公安局"),
    ("swju", "国家税务总局昆明市税务局"),
    ("xfj", "市信访局"),
    ("zwfw", "市政务服务管理局"),
    ("gjj", "市住房公积金管理中心"),
    ("ddj", "市档案局"),
    ("qxj", "市气象局"),
    ("dzj", "市地震局"),
    ("ycj", "市烟草专卖局"),
    ("ylj", "市园林绿化局"),
    ("xfjy", "市消防救援支队"),
    ("bgt", "市人民政府办公室"),
];

/// Departments that behave badly, so that rules fire: slow (late cases), repeated 补正,
/// backdating (events entered days later), over-charging.
pub(crate) const SLOW: [&str; 3] = ["zjj", "zrzyj", "jtj"];
pub(crate) const REPEATED_SUPPLEMENT: [&str; 2] = ["sthjj", "wjw"];
pub(crate) const BACKDATING: [&str; 2] = ["cgj", "slj"];
pub(crate) const OVERCHARGING: [&str; 2] = ["wlj", "gzw"];
/// Departments that are slow to issue and deliver granted licences (行政许可法 Art. 44).
pub(crate) const LATE_DELIVERY: [&str; 1] = ["swj"];

/// The item names' stems, combined with the department's name.
const ITEM_STEMS: [&str; 12] =
    ["许可", "备案", "登记", "审批", "核准", "变更", "延续", "注销", "资质认定", "证明", "审查", "确认"];

/// An applicant enterprise with its credit standing on 1 January.
#[derive(Debug, Clone)]
pub(crate) struct Applicant {
    pub(crate) code: CreditCode,
    pub(crate) standing: Standing,
}

/// The simulated city.
#[derive(Debug)]
pub struct City {
    /// Regions, departments and officials.
    pub organization: Organization,
    /// The 450 service items, and the receipt items of 公文 exchange.
    pub catalogue: CatalogueFile,
    /// The process each item runs.
    pub(crate) processes: BTreeMap<String, Arc<Process>>,
    /// Enterprises applying, with their credit standing.
    pub(crate) applicants: Vec<Applicant>,
    /// The towns, where applicants live (cases roll up town → county → city).
    pub(crate) towns: Vec<RegionCode>,
    /// Units that receive the city's notices: city departments and county governments and bureaus.
    pub(crate) units: Vec<(DepartmentId, RegionCode)>,
    /// Credit records behind the standings.
    pub credit_records: Vec<CreditRecord>,
    /// The exchange windows.
    pub exchange_policy: ExchangePolicy,
}

impl City {
    /// The process the cases of an item run through (`None` for the 公文 receipt items, which
    /// the exchange drives).
    pub fn process(&self, item: &str) -> Option<&Arc<Process>> {
        self.processes.get(item)
    }

    /// Generates the city deterministically from `rng`.
    pub(crate) fn generate(rng: &mut Rng, year: i32) -> Self {
        let city = RegionCode::new("530100").expect("valid region code");
        let mut file = OrganizationFile {
            regions: vec![Region { code: city.clone(), name: "昆明市".to_owned(), parent: None }],
            departments: Vec::new(),
            officials: Vec::new(),
            groups: Vec::new(),
        };
        let mut units = Vec::new();
        for (code, name) in COUNTIES {
            let county = RegionCode::new(code).expect("valid county code");
            file.regions.push(Region { code: county.clone(), name: name.to_owned(), parent: Some(city.clone()) });
            for town in 1..=3 {
                let town_code = RegionCode::new(&format!("{code}{town:03}")).expect("valid town code");
                file.regions.push(Region {
                    code: town_code,
                    name: format!("{name}第{town}街道"),
                    parent: Some(county.clone()),
                });
            }
            // The county government office and seven county bureaus receive city notices.
            for bureau in ["zfb", "scjg", "zjj", "jyj", "wjw", "gaj", "rsj", "mzj"] {
                let id = DepartmentId::new(format!("{code}-{bureau}"));
                file.departments.push(Department {
                    id: id.clone(),
                    name: format!("{name}{bureau}"),
                    region: county.clone(),
                });
                units.push((id, county.clone()));
            }
        }
        for (id, name) in DEPARTMENTS {
            let department = DepartmentId::new(id);
            file.departments.push(Department { id: department.clone(), name: name.to_owned(), region: city.clone() });
            units.push((department.clone(), city.clone()));
            for (suffix, role) in [
                ("w", Role::WindowClerk),
                ("h", Role::Handler),
                ("r", Role::Reviewer),
                ("a", Role::Approver),
                ("d", Role::DepartmentHead),
                ("j", Role::DocumentClerk),
            ] {
                file.officials.push(Official {
                    id: format!("{id}-{suffix}1").as_str().into(),
                    name: format!("{name}{}", role.chinese()),
                    department: department.clone(),
                    roles: vec![role],
                });
            }
        }
        file.officials.push(Official {
            id: "gov-head".into(),
            name: "市人民政府负责人".to_owned(),
            department: DepartmentId::new("bgt"),
            roles: vec![Role::GovernmentHead],
        });
        let towns: Vec<RegionCode> =
            file.regions.iter().filter(|r| r.code.as_str().len() == 9).map(|r| r.code.clone()).collect();
        let organization = Organization::new(file).expect("the generated directory is valid");

        let single = Arc::new(single_process());
        let immediate = Arc::new(immediate_process());
        let mut items = Vec::with_capacity(450);
        let mut processes = BTreeMap::new();
        for index in 0..450 {
            let (department, name) = DEPARTMENTS[index % 40];
            let stem = ITEM_STEMS[(index / 40) % ITEM_STEMS.len()];
            let code = format!("5301-{department}-{:03}", index / 40 + 1);
            let kind = match index % 10 {
                0 => ItemKind::Joint,
                1 | 6 => ItemKind::Immediate,
                _ => ItemKind::Promised,
            };
            let (legal, promised) = match kind {
                ItemKind::Joint => (45, 15 + rng.below(11) as u32),
                ItemKind::Immediate => (20, 0),
                _ => (20, 3 + rng.below(10) as u32),
            };
            let fees = if index % 4 == 3 {
                vec![FeeItem {
                    code: format!("F{index:03}"),
                    name: "工本费".to_owned(),
                    standard: Yuan { fen: i64::from(50 + 50 * (index % 7) as i32) * 100 },
                    basis: None,
                }]
            } else {
                Vec::new()
            };
            let process = match kind {
                ItemKind::Joint => {
                    let partners = [DEPARTMENTS[(index + 7) % 40].0, DEPARTMENTS[(index + 13) % 40].0];
                    Arc::new(joint_process(department, partners))
                }
                ItemKind::Immediate => immediate.clone(),
                _ => single.clone(),
            };
            processes.insert(code.clone(), process);
            items.push(ServiceItem {
                code: code.as_str().into(),
                name: format!("{}{stem}", name.trim_start_matches('市')),
                department: DepartmentId::new(department),
                kind,
                legal_limit: TimeLimit::working_days(legal),
                promised_limit: TimeLimit::working_days(promised),
                legal_basis: Some("《中华人民共和国行政许可法》".to_owned()),
                fees,
                materials: vec![
                    Material { code: "M01".to_owned(), name: "申请书".to_owned(), required: true },
                    Material { code: "M02".to_owned(), name: "营业执照".to_owned(), required: true },
                    Material { code: "M03".to_owned(), name: "场所证明".to_owned(), required: false },
                ],
                special_procedures: Vec::new(),
                steps: Vec::new(),
                regime: None,
                acceptance_limit: None,
                statute: Statute::AdministrativeLicensing,
                clock_start: ClockStart::Acceptance,
            });
        }
        let exchange_policy = ExchangePolicy::default();
        items.extend(exchange_policy.catalogue_items());
        // The other applications the platform supervises: 信访, 信息公开, 建议 and 提案.
        let id = |code: &str| DepartmentId::new(code);
        items.extend(zhengwu_workflow::templates::petition_items(
            crate::apps::PETITION_PREFIX,
            &zhengwu_workflow::templates::PetitionAuthorities {
                office: id("xfj"),
                handling: id("cgj"),
                review: id("bgt"),
                recheck: id("bgt"),
            },
        ));
        items.push(zhengwu_workflow::templates::information_disclosure_item(crate::apps::DISCLOSURE_ITEM, &id("bgt")));
        for unit in crate::apps::SUGGESTION_UNITS {
            let kind = zhengwu_workflow::templates::ProposalKind::DeputySuggestion;
            items.push(zhengwu_workflow::templates::proposal_item(
                &crate::apps::proposal_code("RDJY", unit),
                kind,
                &id(unit),
            ));
        }
        for unit in crate::apps::PROPOSAL_UNITS {
            let kind = zhengwu_workflow::templates::ProposalKind::CommitteeProposal;
            items.push(zhengwu_workflow::templates::proposal_item(
                &crate::apps::proposal_code("ZXTA", unit),
                kind,
                &id(unit),
            ));
        }

        let (applicants, credit_records) = applicants(rng, year);
        City {
            organization,
            catalogue: CatalogueFile { items },
            processes,
            applicants,
            towns,
            units,
            credit_records,
            exchange_policy,
        }
    }
}

/// 2,000 enterprises with valid 统一社会信用代码; 5 % on the red list, 3 % on the black list, 6 %
/// with a penalty in publication, 4 % in the 经营异常名录.
fn applicants(rng: &mut Rng, year: i32) -> (Vec<Applicant>, Vec<CreditRecord>) {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let rules = PublicationRules::default();
    let model = ScoringModel::default();
    let mut applicants = Vec::with_capacity(2000);
    let mut records = Vec::new();
    for n in 0..2000 {
        let mut body = *b"91530100000000000";
        for byte in body.iter_mut().skip(8) {
            *byte = ALPHABET[rng.below(10) as usize];
        }
        // The 组织机构代码's check character (position 17) must be right, then the 18th.
        let organization = zhengwu_credit::org_check_char(body[8..16].try_into().expect("8 bytes"));
        let Some(organization) = organization else { continue };
        body[16] = organization as u8;
        let Some(check) = zhengwu_credit::uscc_check_char(&body) else { continue };
        let text = format!("{}{check}", std::str::from_utf8(&body).expect("ASCII"));
        let Ok(code) = CreditCode::new(&text) else { continue };
        let roll = rng.below(100);
        let kind = match roll {
            0..=4 => Some(RecordKind::RedList),
            5..=7 => Some(RecordKind::BlackList),
            8..=13 => Some(RecordKind::Penalty { serious: false, special_field: false }),
            14..=17 => Some(RecordKind::AbnormalOperation),
            _ => None,
        };
        let mut own = Vec::new();
        if let Some(kind) = kind {
            let decided_on = start - chrono::Duration::days(30 + rng.below(300) as i64);
            own.push(CreditRecord {
                id: format!("CR{n:05}"),
                code: code.clone(),
                kind,
                decision_number: format!("昆信〔{}〕{}号", year - 1, n + 1),
                authority: "昆明市发展和改革委员会".to_owned(),
                decided_on,
                published_on: Some(decided_on + chrono::Duration::days(3)),
                until: None,
                repaired: None,
            });
        }
        let standing = model.standing(&rules, &code, &own, start);
        records.extend(own);
        applicants.push(Applicant { code, standing });
    }
    (applicants, records)
}

/// 承诺件: 受理 → 审核 → 审批 (one department).
fn single_process() -> Process {
    Process::new(
        ProcessBuilder::new("single", "单部门审批")
            .start("start")
            .task("review", "审核", Assignee::Role(Role::Handler))
            .task("approve", "审批", Assignee::Role(Role::Approver))
            .end("granted", "办结", Decision::Granted)
            .chain(&["start", "review", "approve", "granted"])
            .build(),
    )
    .expect("the single-department process is valid")
}

/// 即办件: decided at the window.
fn immediate_process() -> Process {
    Process::new(
        ProcessBuilder::new("immediate", "即办")
            .start("start")
            .task("decide", "当场办结", Assignee::Role(Role::WindowClerk))
            .end("granted", "办结", Decision::Granted)
            .chain(&["start", "decide", "granted"])
            .build(),
    )
    .expect("the immediate process is valid")
}

/// 并联审批: the lead department reviews, two partners decide in parallel, the lead concludes.
fn joint_process(lead: &str, partners: [&str; 2]) -> Process {
    Process::new(
        ProcessBuilder::new(&format!("joint-{lead}-{}-{}", partners[0], partners[1]), "并联审批")
            .start("start")
            .department_task("lead", "牵头部门审查", lead, TimeLimit::working_days(5))
            .fork("fork", TimeLimit::working_days(7))
            .department_task("p1", "协办部门审查", partners[0], TimeLimit::working_days(7))
            .department_task("p2", "协办部门审查", partners[1], TimeLimit::working_days(7))
            .join("join")
            .department_task("conclude", "统一出件", lead, TimeLimit::working_days(2))
            .end("granted", "办结", Decision::Granted)
            .chain(&["start", "lead", "fork"])
            .chain(&["fork", "p1", "join"])
            .chain(&["fork", "p2", "join"])
            .chain(&["join", "conclude", "granted"])
            .build(),
    )
    .expect("the joint process is valid")
}
