//! Times the content-signal pass alone: every built-in signal over the files of a tree held
//! in memory, one thread, five rounds. `cargo run --release --example signal_bench -- DIR`
//! (figures in BENCHMARKS.md). Files of 1 MiB or more are left out, as the scan leaves them.
use devops_maturity::rules::signals::SignalMatcher;
use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).expect("usage: signal_bench DIR");
    let mut files = Vec::new();
    for e in ignore::WalkBuilder::new(&root)
        .hidden(false)
        .build()
        .flatten()
    {
        if e.file_type().is_some_and(|t| t.is_file()) {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                if t.len() < 1 << 20 {
                    let rel = e
                        .path()
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    files.push((rel, t));
                }
            }
        }
    }
    let signals = devops_maturity::rules::builtin_signals();
    let m = SignalMatcher::new(&signals).unwrap();
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    for round in 0..5 {
        let t = Instant::now();
        let mut hits = 0usize;
        for (p, text) in &files {
            let test = devops_maturity::index::is_test_path(p);
            hits += m.scan_file(p, text, test).len();
        }
        eprintln!(
            "round {round}: {} files, {} MB, {hits} hits, {:.1} ms",
            files.len(),
            bytes >> 20,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}
