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
    afl::fuzz!(|data: &[u8]| run(data));
}
