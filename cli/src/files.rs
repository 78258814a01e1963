//! Writing files without following planted links: a report, a guide or the demo's output never
//! goes through a symbolic link, and a reader never sees half a file.

use std::io::{BufRead, Read, Write};
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

/// The lines of a JSON-lines file, read one at a time (memory stays within one line): calls
/// `each(number, line)` with the 1-based number and the text of the line (without its newline),
/// or why a line that is not UTF-8 is unreadable. A line longer than
/// [`zhengwu_core::MAX_EVENT_BYTES`] ends the reading with an error naming it.
pub(crate) fn each_line(
    path: &Path,
    mut each: impl FnMut(usize, Result<&str, String>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let limit = zhengwu_core::MAX_EVENT_BYTES;
    let file = std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::with_capacity(1024);
    let mut number = 0;
    loop {
        line.clear();
        let mut ended = false;
        loop {
            let buffer = reader.fill_buf().with_context(|| format!("cannot read `{}`", path.display()))?;
            if buffer.is_empty() {
                ended = true;
                break;
            }
            let (chunk, newline) = match buffer.iter().position(|&b| b == b'\n') {
                Some(end) => (&buffer[..end], true),
                None => (buffer, false),
            };
            if line.len() + chunk.len() > limit {
                // Not an event log (or an event far beyond any real one): stop here rather than
                // read on to an end that may never come.
                anyhow::bail!(
                    "`{}`, line {}: longer than {limit} bytes, which no event is; the file is not read further",
                    path.display(),
                    number + 1
                );
            }
            line.extend_from_slice(chunk);
            let used = chunk.len() + usize::from(newline);
            reader.consume(used);
            if newline {
                break;
            }
        }
        if ended && line.is_empty() {
            return Ok(());
        }
        number += 1;
        match std::str::from_utf8(&line) {
            Ok(text) => each(number, Ok(text.strip_suffix('\r').unwrap_or(text)))?,
            Err(error) => each(number, Err(format!("the line is not UTF-8: {error}")))?,
        }
        if ended {
            return Ok(());
        }
    }
}
