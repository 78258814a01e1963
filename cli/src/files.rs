//! Writing files without following planted links: a report, a guide or the demo's output never
//! goes through a symbolic link, and a reader never sees half a file.

use std::io::Write;
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
