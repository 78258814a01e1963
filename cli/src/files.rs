//! Writing files without following planted links: a report, a guide or the demo's output never
//! goes through a symbolic link, and a reader never sees half a file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Refuses `path` if it is a symbolic link, dangling or not.
pub(crate) fn refuse_link(path: &Path) -> anyhow::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        anyhow::bail!("`{}` is a symbolic link; refusing to write through it", path.display());
    }
    Ok(())
}

/// Writes `contents` to `path`: refuses a symbolic link there, writes a new file beside it
/// (created exclusively, so that no link planted under the temporary name is followed either),
/// flushes it to disk and renames it into place.
pub(crate) fn write_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    refuse_link(path)?;
    let name = path.file_name().with_context(|| format!("`{}` names no file", path.display()))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary: PathBuf = path.with_file_name(temporary_name);
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("cannot write `{}`", path.display()));
    }
    Ok(())
}

/// Reads a whole file of at most [`zhengwu_core::MAX_FILE_BYTES`]: a larger one (or one without
/// end, such as `/dev/zero`) is refused after that many bytes, not read into memory.
pub(crate) fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    let limit = zhengwu_core::MAX_FILE_BYTES;
    let file = std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).with_context(|| format!("cannot read `{}`", path.display()))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!("`{}` is larger than {} MiB; a file this size is not read", path.display(), limit >> 20);
    }
    Ok(bytes)
}

/// [`read_bytes`] as UTF-8 text.
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    String::from_utf8(read_bytes(path)?).with_context(|| format!("`{}` is not UTF-8 text", path.display()))
}

/// The lines of a JSON-lines file, read one at a time ([`zhengwu_core::each_line`]: memory stays
/// within one line): calls `each(number, line)` with the 1-based number and the text of the line
/// (without its newline), or why a line that is not UTF-8 is unreadable. A line longer than
/// [`zhengwu_core::MAX_EVENT_BYTES`] ends the reading with an error naming it.
pub(crate) fn each_line(
    path: &Path,
    each: impl FnMut(usize, Result<&str, String>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    zhengwu_core::each_line(reader, each).map_err(|error| match error.downcast::<zhengwu_core::LineFailure>() {
        Ok(failure) => anyhow::anyhow!("`{}`, {failure}", path.display()),
        Err(other) => other,
    })
}

/// `--naive-timestamps`: `utc` or a time zone.
pub(crate) fn naive_timestamps(text: &str) -> Result<zhengwu_arrow::NaiveTimestamps, String> {
    text.parse().map_err(|e: zhengwu_arrow::ShapeError| e.0)
}

/// Replays a Parquet file for one evaluation as of `as_of`, or (without it) as of its latest
/// entry time capped at now: `zhengwu_arrow::replay_parquet`, which folds complete cases away
/// as a file in case order moves on from them. The supervisor, and the instant to evaluate it as
/// of (`None`: no event was applied).
pub(crate) fn replay_parquet(
    new: impl Fn() -> zhengwu_supervision::Supervisor,
    path: &Path,
    naive: zhengwu_arrow::NaiveTimestamps,
    as_of: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> anyhow::Result<(zhengwu_supervision::Supervisor, Option<chrono::DateTime<chrono::FixedOffset>>)> {
    let as_of = as_of.map_or_else(
        || zhengwu_arrow::AsOf::Latest { now: crate::clock::now().fixed_offset() },
        zhengwu_arrow::AsOf::At,
    );
    let (supervisor, as_of, _) = zhengwu_arrow::replay_parquet(new, path, naive, as_of, Default::default())?;
    Ok((supervisor, as_of))
}
