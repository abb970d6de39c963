//! The benchmark floor: a bare parallel walk with the scanner's `ignore` settings that reads
//! every file and does nothing else. `scripts/bench.sh` compares the scan against it.
//!
//! `walk_floor ROOT` opens each file by its path (what the floor describes);
//! `walk_floor --openat ROOT` opens it relative to its folder, as the scanner does since
//! session 7, so the scan can also be compared with a floor that uses the same trick.

use ignore::{WalkBuilder, WalkState};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let openat = args.first().is_some_and(|a| a == "--openat");
    if openat {
        args.remove(0);
    }
    let root = args.first().cloned().unwrap_or_else(|| ".".into());
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
            let (files, bytes) = (&files, &bytes);
            let mut folder = Folder::default();
            Box::new(move |entry| {
                if let Ok(e) = entry {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        let read = if openat {
                            folder.read(e.path())
                        } else {
                            std::fs::read(e.path())
                        };
                        if let Ok(b) = read {
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

/// The folder last read from, opened once.
#[derive(Default)]
struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    handle: Option<std::os::fd::OwnedFd>,
}

impl Folder {
    fn read(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let dir = path.parent().unwrap_or(Path::new("."));
            if dir != self.path {
                self.path = dir.to_path_buf();
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                self.handle = rustix::fs::open(dir, flags, Mode::empty()).ok();
            }
            if let (Some(handle), Some(name)) = (&self.handle, path.file_name()) {
                let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
                let file =
                    std::fs::File::from(rustix::fs::openat(handle, name, flags, Mode::empty())?);
                let size = file.metadata()?.len();
                let mut bytes = Vec::with_capacity(size as usize);
                file.take(size).read_to_end(&mut bytes)?;
                return Ok(bytes);
            }
        }
        std::fs::read(path)
    }
}
