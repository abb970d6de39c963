//! The benchmark floor: a bare parallel walk with the scanner's `ignore` settings that reads
//! every file and does nothing else. `scripts/bench.sh` compares the scan against it.

use ignore::{WalkBuilder, WalkState};
use std::sync::atomic::{AtomicU64, Ordering};

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let files = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    WalkBuilder::new(&root)
        .hidden(false)
        .parents(false)
        .require_git(false)
        .git_global(false)
        .follow_links(false)
        .threads(0)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                if let Ok(e) = entry {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        if let Ok(b) = std::fs::read(e.path()) {
                            files.fetch_add(1, Ordering::Relaxed);
                            bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
                        }
                    }
                }
                WalkState::Continue
            })
        });
    println!(
        "{} files, {} bytes",
        files.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed)
    );
}
