//! 输入上限: the documented bounds on inputs from elsewhere, checked before the work they would
//! cost is done.

/// The longest event accepted, as JSON (one line of a log): 1 MiB. An event is a few hundred
/// bytes; a line without end (`/dev/zero`) or with millions of materials is refused by this
/// bound rather than read into memory.
pub const MAX_EVENT_BYTES: usize = 1 << 20;

/// The longest configuration-like file the command line reads whole (a catalogue, a process, a
/// directory, rules, a scoring scheme, a schedule, a 公文, certificates and CRLs): 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most nodes a process may have: real approval processes have tens, the largest modeler
/// files a few hundred. The bound keeps a hostile file's cost small (the post-dominator
/// computation that matches forks to joins is not linear in every graph).
pub const MAX_PROCESS_NODES: usize = 1_000;

/// The most sequence flows a process may have.
pub const MAX_PROCESS_FLOWS: usize = 4 * MAX_PROCESS_NODES;

/// The longest condition or custom rule (CEL) accepted, in bytes. Process conditions and
/// supervision rules are a line or two; the `cel` parser reports positions in 16 bits and panics
/// on an error past column 65,535.
pub const MAX_EXPRESSION_BYTES: usize = 4_096;

/// The deepest nesting of brackets (`(`, `[`, `{`) in a condition or rule. The `cel` parser
/// recurses through a dozen grammar rules per level with large frames: fifteen levels overflow a
/// 2 MiB thread stack in a debug build. Eight is more than any real condition uses.
pub const MAX_EXPRESSION_NESTING: usize = 8;

/// The most operators (`+`, `&&`, `>=`, `.`, `!` …, each run of operator characters counted once)
/// in a condition or rule. A chain of operators is a tree as deep as the chain, which the `cel`
/// interpreter walks recursively: a hundred `+` overflow a 2 MiB thread stack in a debug build.
/// Forty is several times what a real condition holds.
pub const MAX_EXPRESSION_OPERATORS: usize = 40;

/// Checks a CEL source against [`MAX_EXPRESSION_BYTES`], [`MAX_EXPRESSION_NESTING`] and
/// [`MAX_EXPRESSION_OPERATORS`] before it is parsed; the error says which bound and where.
///
/// ```
/// assert!(zhengwu_core::check_expression("amount > 100 && (kind == 'a' || kind == 'b')").is_ok());
/// let deep = format!("{}1{} == 1", "(".repeat(20), ")".repeat(20));
/// assert_eq!(
///     zhengwu_core::check_expression(&deep).unwrap_err(),
///     "brackets nest 9 deep at byte 8; at most 8 levels are accepted"
/// );
/// ```
pub fn check_expression(source: &str) -> Result<(), String> {
    if source.len() > MAX_EXPRESSION_BYTES {
        return Err(format!(
            "the expression is {} bytes long; at most {MAX_EXPRESSION_BYTES} are accepted",
            source.len()
        ));
    }
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut previous_was_operator = false;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (index, byte) in source.bytes().enumerate() {
        let operator = quote.is_none() && b"+-*/%<>=!&|?:.".contains(&byte);
        if operator && !previous_was_operator {
            operators += 1;
            if operators > MAX_EXPRESSION_OPERATORS {
                return Err(format!(
                    "more than {MAX_EXPRESSION_OPERATORS} operators (operator {operators} at byte {index}); a \
                     longer chain is not accepted"
                ));
            }
        }
        previous_was_operator = operator;
        match quote {
            Some(open) => {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == open {
                    quote = None;
                }
            }
            None => match byte {
                b'\'' | b'"' => quote = Some(byte),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_EXPRESSION_NESTING {
                        return Err(format!(
                            "brackets nest {depth} deep at byte {index}; at most {MAX_EXPRESSION_NESTING} levels are \
                             accepted"
                        ));
                    }
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    Ok(())
}

/// Why [`each_line`] stopped reading.
#[derive(Debug)]
pub enum LineFailure {
    /// The reader failed.
    Read(std::io::Error),
    /// Line `line` (1-based) is longer than [`MAX_EVENT_BYTES`]: not an event log, or an event
    /// far beyond any real one. The input is not read further.
    TooLong {
        /// Its number.
        line: usize,
    },
}

impl std::fmt::Display for LineFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineFailure::Read(error) => write!(f, "cannot read: {error}"),
            LineFailure::TooLong { line } => {
                write!(f, "line {line}: longer than {MAX_EVENT_BYTES} bytes, which no event is; not read further")
            }
        }
    }
}

impl std::error::Error for LineFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LineFailure::Read(error) => Some(error),
            LineFailure::TooLong { .. } => None,
        }
    }
}

/// The lines of a JSON-lines input read one at a time, so that memory stays within one line
/// however long (or endless) the input: calls `each(number, line)` with the 1-based number and
/// the line without its `\n` (or `\r\n`), or why a line that is not UTF-8 is unreadable. A line
/// longer than [`MAX_EVENT_BYTES`] stops the reading with [`LineFailure::TooLong`]; an error
/// `each` returns stops it too.
///
/// ```
/// let mut seen = Vec::new();
/// zhengwu_core::each_line(&b"{\"a\":1}\r\n\xff\n"[..], |number, line| {
///     seen.push((number, line.map(str::to_owned)));
///     Ok::<(), zhengwu_core::LineFailure>(())
/// })?;
/// assert_eq!(seen[0], (1, Ok("{\"a\":1}".to_owned())));
/// assert!(seen[1].1.as_ref().unwrap_err().starts_with("the line is not UTF-8"));
///
/// let endless = std::io::repeat(b'x');
/// let failure = zhengwu_core::each_line(std::io::BufReader::new(endless), |_, _| Ok(())).unwrap_err();
/// assert!(matches!(failure, zhengwu_core::LineFailure::TooLong { line: 1 }));
/// # Ok::<(), zhengwu_core::LineFailure>(())
/// ```
pub fn each_line<R, E>(
    mut reader: R,
    mut each: impl FnMut(usize, Result<&str, String>) -> Result<(), E>,
) -> Result<(), E>
where
    R: std::io::BufRead,
    E: From<LineFailure>,
{
    let mut line = Vec::with_capacity(1024);
    let mut number = 0;
    loop {
        line.clear();
        let mut ended = false;
        loop {
            let buffer = reader.fill_buf().map_err(LineFailure::Read)?;
            if buffer.is_empty() {
                ended = true;
                break;
            }
            let (chunk, newline) = match buffer.iter().position(|&b| b == b'\n') {
                Some(end) => (&buffer[..end], true),
                None => (buffer, false),
            };
            if line.len() + chunk.len() > MAX_EVENT_BYTES {
                return Err(LineFailure::TooLong { line: number + 1 }.into());
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
