//! The AFL++ harness: `zhengwu-fuzz <target>` runs one target of `zhengwu_fuzz::TARGETS` in
//! AFL's persistent mode. Built and run with cargo-afl (see `fuzz/README.md`):
//!
//! ```text
//! cargo afl build --release -p zhengwu-fuzz --features afl
//! cargo afl fuzz -i fuzz/corpus/bpmn -o target/fuzz/bpmn -- target/release/zhengwu-fuzz bpmn
//! ```

#[allow(clippy::print_stderr)]
fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(target) = zhengwu_fuzz::target(&name) else {
        let names: Vec<&str> = zhengwu_fuzz::TARGETS.iter().map(|t| t.name).collect();
        eprintln!("usage: zhengwu-fuzz <target>; targets: {}", names.join(", "));
        std::process::exit(2);
    };
    let run = target.run;
    // Without afl's abort-on-any-panic hook: a panic that escapes a target is still a crash
    // (the macro aborts on it), but one the library catches and turns into an error (the
    // parquet crate's on damaged pages, see zhengwu-arrow) is handled input, as in production.
    afl::fuzz_nohook!(|data: &[u8]| run(data));
}
