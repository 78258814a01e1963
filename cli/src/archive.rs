//! `zhengwu archive`: a concluded case packed from the store into one archival package, and a
//! package verified member by member.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use clap::Subcommand;
use zhengwu_archive::{HashAlgorithm, Package, Retention};

use crate::calendar::Format;

#[derive(Subcommand)]
pub(crate) enum ArchiveCommand {
    /// Packs a closed case from the store: its events, the signers' certificates, the documents
    /// given, the metadata and a manifest of hashes (see zhengwu-archive's README for the layout).
    Pack {
        /// The SQLite event log.
        #[arg(long)]
        store: PathBuf,
        /// The case to pack.
        #[arg(long)]
        case: String,
        /// Where to write the package (refused if it exists).
        #[arg(long)]
        out: PathBuf,
        /// 保管期限: permanent (永久), 30y (定期30年) or 10y (定期10年).
        #[arg(long)]
        retention: String,
        /// A document of the case (the decision, the licence, a material): stored under its file
        /// name (repeatable).
        #[arg(long)]
        document: Vec<PathBuf>,
        /// The manifest's hash: sm3 (default) or sha256.
        #[arg(long, default_value = "sm3")]
        hash: String,
        /// The archiving unit, for the metadata.
        #[arg(long)]
        packed_by: Option<String>,
        /// When the package is made (RFC 3339; default now): fixing it makes packing reproducible.
        #[arg(long)]
        packed_at: Option<DateTime<FixedOffset>>,
        /// The archiving unit's private key (PKCS#8 PEM): signs the manifest.
        #[arg(long, requires = "sign_cert")]
        sign_key: Option<PathBuf>,
        /// The archiving unit's certificate (PEM or DER).
        #[arg(long, requires = "sign_key")]
        sign_cert: Option<PathBuf>,
    },
    /// Verifies a package: its signature, every member's bytes against the manifest, then what
    /// the members say; exit 1 naming the first member changed or missing, or the signature
    /// broken.
    Verify {
        /// The package.
        file: PathBuf,
        /// A trusted certificate (root, and any issuing CA): every signer's chain is then checked
        /// too (repeatable, PEM or DER).
        #[arg(long)]
        trust: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub(crate) fn run(command: ArchiveCommand) -> anyhow::Result<ExitCode> {
    match command {
        ArchiveCommand::Pack {
            store,
            case,
            out,
            retention,
            document,
            hash,
            packed_by,
            packed_at,
            sign_key,
            sign_cert,
        } => {
            let retention = Retention::parse(&retention)?;
            let hash = HashAlgorithm::parse(&hash)?;
            let signer = crate::store::checkpoint_signer(sign_key.as_deref(), sign_cert.as_deref())?;
            let log = zhengwu_store::SqliteStore::open_read_only(&store)?;
            let events: Vec<_> = log.read_case(&case.as_str().into())?.into_iter().map(|stored| stored.event).collect();
            if events.is_empty() {
                anyhow::bail!("the store `{}` holds no case `{case}`", store.display());
            }
            let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
            let packed_at = packed_at.unwrap_or_else(|| crate::clock::now().with_timezone(&china));
            let mut package = Package::new(&events, retention, packed_at)?.hash(hash);
            if let Some(unit) = packed_by {
                package = package.packed_by(unit);
            }
            for path in &document {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .with_context(|| format!("`{}` has no file name in UTF-8", path.display()))?;
                package = package.document(name, crate::files::read_bytes(path)?)?;
            }
            if let Some(signer) = &signer {
                package = package.sign_with(signer);
            }
            let bytes = package.to_bytes()?;
            if out.exists() {
                anyhow::bail!("`{}` exists: a package is not overwritten", out.display());
            }
            crate::files::write_file(&out, &bytes)?;
            say(&format!(
                "{}: case `{case}`, {} events, {} documents, {} bytes",
                out.display(),
                events.len(),
                document.len(),
                bytes.len()
            ));
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Verify { file, trust, format } => verify(&file, &trust, format),
    }
}

#[allow(clippy::print_stdout)]
fn say(line: &str) {
    println!("{line}");
}

fn verify(file: &Path, trust: &[PathBuf], format: Format) -> anyhow::Result<ExitCode> {
    let bytes = crate::files::read_bytes(file)?;
    let store = crate::cert::anchors(trust)?;
    let result = zhengwu_archive::verify(&bytes, store.as_ref());
    match format {
        Format::Json => {
            let answer = match &result {
                Ok(verified) => serde_json::json!({"valid": true, "package": verified}),
                Err(error) => serde_json::json!({"valid": false, "reason": error.to_string()}),
            };
            say(&serde_json::to_string(&answer)?);
        }
        Format::Text => match &result {
            Ok(verified) => say(&format!(
                "{}: intact, case `{}` ({}), {} members ({}), {} events ({} signed){}{}",
                file.display(),
                verified.metadata.case_id,
                verified.metadata.retention_term,
                verified.members,
                verified.hash.name(),
                verified.events,
                verified.signed_events,
                verified.package_signer.as_ref().map(|s| format!(", packed and signed by `{s}`")).unwrap_or_default(),
                if verified.chains_checked {
                    ", signers trusted"
                } else {
                    ", signers' chains not checked (no --trust)"
                },
            )),
            Err(error) => say(&format!("{}: {error}", file.display())),
        },
    }
    Ok(if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The demo's 电子档案 section: the last `limit` cases the year closed, each packed (定期30年, SM3)
/// into `folder/{case}.zip` and verified; then one of them with a byte changed, to show the
/// refusal. Returns the section's lines.
pub(crate) fn demo_section(store: &zhengwu_store::SqliteStore, folder: &Path, limit: usize) -> anyhow::Result<String> {
    use std::collections::HashMap;
    crate::files::refuse_link(folder)?;
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create `{}`", folder.display()))?;
    let all = store.read_all()?;
    let mut cases: HashMap<&str, Vec<&zhengwu_core::CaseEvent>> = HashMap::new();
    let mut closed_order = Vec::new();
    for stored in &all {
        let event = &stored.event;
        cases.entry(event.case_id.as_str()).or_default().push(event);
        if matches!(event.kind, zhengwu_core::EventKind::Concluded { .. } | zhengwu_core::EventKind::Withdrawn { .. }) {
            closed_order.push(event.case_id.as_str());
        }
    }
    let chosen: Vec<&str> = closed_order.iter().rev().take(limit).copied().collect();
    let (mut bytes_total, mut verified, mut largest) = (0usize, 0usize, (0usize, String::new()));
    for case in &chosen {
        let mut events: Vec<zhengwu_core::CaseEvent> = cases[case].iter().map(|e| (*e).clone()).collect();
        events.sort_by_key(|e| e.sequence);
        let packed_at = events.last().map(|e| e.recorded_at).expect("a closed case has events");
        let bytes = Package::new(&events, Retention::ThirtyYears, packed_at)?.packed_by("昆明市档案馆").to_bytes()?;
        let name = format!("{}.zip", case.replace(['/', '\\'], "_"));
        crate::files::write_file(&folder.join(&name), &bytes)?;
        if zhengwu_archive::verify(&bytes, None).is_ok() {
            verified += 1;
        }
        bytes_total += bytes.len();
        if bytes.len() > largest.0 {
            largest = (bytes.len(), name);
        }
    }
    let mut lines = format!(
        "\n电子档案（{}）：最近办结的{}件各封装为一个包（定期30年，SM3清单），共{}字节，校验完整{}件\n",
        folder.display(),
        chosen.len(),
        bytes_total,
        verified
    );
    if !largest.1.is_empty() {
        let mut bytes = std::fs::read(folder.join(&largest.1))?;
        let middle = bytes.len() / 3;
        bytes[middle] ^= 0x01;
        let refusal = match zhengwu_archive::verify(&bytes, None) {
            Ok(_) => "未发现（错误）".to_owned(),
            Err(error) => error.to_string(),
        };
        lines.push_str(&format!("  篡改{}的一个字节后校验：{refusal}\n", largest.1));
    }
    Ok(lines)
}
