//! Every corpus file and every input a fuzzing campaign found (`fuzz/regressions/<target>/`) run
//! through its target: a crash found once stays fixed.

use std::path::{Path, PathBuf};

fn files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

fn run_folder(kind: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(kind);
    let mut count = 0;
    for target in zhengwu_fuzz::TARGETS {
        for path in files(&root.join(target.name)) {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| (target.run)(&data));
            assert!(outcome.is_ok(), "target `{}` panicked on {}", target.name, path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn every_target_has_a_corpus_and_survives_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for target in zhengwu_fuzz::TARGETS {
        assert!(files(&root.join(target.name)).len() >= 2, "target `{}` has fewer than two seeds", target.name);
    }
    assert!(run_folder("corpus") >= 60);
}

#[test]
fn regressions_found_by_fuzzing_stay_fixed() {
    assert!(run_folder("regressions") >= 1);
}

#[test]
fn targets_are_named_once_and_found_by_name() {
    let mut names: Vec<&str> = zhengwu_fuzz::TARGETS.iter().map(|t| t.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), zhengwu_fuzz::TARGETS.len());
    assert_eq!(zhengwu_fuzz::target("bpmn").unwrap().name, "bpmn");
    assert!(zhengwu_fuzz::target("nothing").is_none());
}
