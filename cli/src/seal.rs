//! `zhengwu seal`: GB/T 38540 electronic seals and signatures (and GM/T 0031's v1), alone or in a
//! signed OFD document, verified in the standard's order.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use zhengwu_identity::{SealCheck, SealError, SealSignature, SealVerification, TrustStore, verify_file};

use crate::calendar::Format;

#[derive(Subcommand)]
pub(crate) enum SealCommand {
    /// Verifies an `SES_Seal` (.esl), an `SES_Signature` (SignedValue.dat) or every signature of
    /// a signed OFD document: the seal maker's signature and certificate, the seal's validity, the
    /// signer's authorisation, certificate and signature, the signed data (and in OFD each
    /// protected file); exit 1 naming the part that failed.
    Verify {
        /// The seal, signature or OFD document.
        file: PathBuf,
        /// For a bare signature: the protected data (in OFD, the `Signature.xml` it was made
        /// over), whose hash must be the signed `dataHash`.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The instant to judge validity at (RFC 3339); default the signature's time, and now
        /// for a seal alone.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// For a seal alone: when it was used, to judge its validity period at (a signature's
        /// own time is its time of use).
        #[arg(long)]
        used_at: Option<DateTime<Utc>>,
        /// A trusted certificate (root, issuing CA) the maker's and signer's certificates must
        /// chain to (repeatable); without, their issuers are not checked.
        #[arg(long)]
        trust: Vec<PathBuf>,
        /// For an OFD signature without a seal (a bare SM2 signature, no certificate inside): the
        /// signer's certificate (PEM or DER).
        #[arg(long)]
        signer_cert: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// One verified (or refused) thing in the file.
#[derive(serde::Serialize)]
struct Answer {
    what: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<zhengwu_identity::SealPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<SealVerification>,
}

fn answer(what: String, result: Result<SealVerification, SealError>) -> Answer {
    match result {
        Ok(verified) => Answer { what, valid: true, part: None, reason: None, verified: Some(verified) },
        Err(error) => Answer {
            what,
            valid: false,
            part: Some(error.part.clone()),
            reason: Some(error.to_string()),
            verified: None,
        },
    }
}

pub(crate) fn run(command: SealCommand) -> anyhow::Result<ExitCode> {
    let SealCommand::Verify { file, data, at, used_at, trust, signer_cert, format } = command;
    let signer = match &signer_cert {
        Some(path) => Some(
            zhengwu_identity::Certificate::from_bytes(&crate::files::read_bytes(path)?)
                .map_err(|e| anyhow::anyhow!("{e} (in `{}`)", path.display()))?,
        ),
        None => None,
    };
    let bytes = crate::files::read_bytes(&file)?;
    let store = crate::cert::anchors(&trust)?;
    let data = data.as_deref().map(crate::files::read_bytes).transpose()?;
    let answers = answers(&file, &bytes, data.as_deref(), (at, used_at), store.as_ref(), signer.as_ref());
    print(&answers, format)?;
    Ok(if answers.iter().all(|a| a.valid) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn answers(
    file: &Path,
    bytes: &[u8],
    data: Option<&[u8]>,
    (at, used_at): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    trust: Option<&TrustStore>,
    signer: Option<&zhengwu_identity::Certificate>,
) -> Vec<Answer> {
    // A seal alone is judged now unless told; a signature at its own time.
    let is_seal_alone = !bytes.starts_with(b"PK") && SealSignature::from_der(bytes).is_err();
    let at = if is_seal_alone { Some(at.unwrap_or_else(crate::clock::now)) } else { at };
    verify_file(bytes, &SealCheck { trust, at, used_at, data }, signer)
        .into_iter()
        .map(|check| answer(format!("{}: {}", file.display(), check.what), check.result))
        .collect()
}

#[allow(clippy::print_stdout)]
fn print(answers: &[Answer], format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string(answers)?),
        Format::Text => {
            for answer in answers {
                match (&answer.verified, &answer.reason) {
                    (Some(verified), _) if verified.maker.is_empty() => println!(
                        "{}: valid at {}, a signature without a seal by `{}`, signed data intact{}",
                        answer.what,
                        verified.at,
                        verified.signer.as_deref().unwrap_or_default(),
                        if verified.chains_checked { ", chain trusted" } else { ", chain not checked (no --trust)" },
                    ),
                    (Some(verified), _) => println!(
                        "{}: valid at {}, made by `{}`, {}{}{}{}",
                        answer.what,
                        verified.at,
                        verified.maker,
                        match verified.used_at {
                            Some(used) => format!("in force when used ({used})"),
                            None => format!(
                                "in force {} to {} (no time of use given)",
                                verified.valid_from, verified.valid_until
                            ),
                        },
                        verified.signer.as_ref().map(|s| format!(", signed by `{s}`")).unwrap_or_default(),
                        if verified.data_checked { ", signed data intact" } else { "" },
                        if verified.chains_checked { ", chains trusted" } else { ", chains not checked (no --trust)" },
                    ),
                    (None, reason) => println!("{}: invalid: {}", answer.what, reason.as_deref().unwrap_or_default()),
                }
            }
        }
    }
    Ok(())
}
