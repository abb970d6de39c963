//! Walks the tree once, in parallel, and reads each file at most once.
//!
//! Hidden files are included (`.github/` is evidence), `.git/` is not, `.gitignore` is honoured
//! even without a `.git` folder, and symlinks are never followed: a link to a file inside the
//! root is indexed under its own path, anything else is reported as skipped.

use crate::index::{IndexedFile, PathFacts};
use crate::rules::signals::SignalMatcher;
use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file that was not read (or whose text the rules do not see), and why. Nothing is dropped
/// silently.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

pub struct WalkOptions<'a> {
    pub root: &'a Path,
    pub threads: usize,
    pub max_file_size: u64,
    /// Total bytes of file text kept in memory for the rules ([`KeptText`]).
    pub max_kept_text: u64,
    pub exclude: &'a GlobSet,
    /// Root-relative paths of the reports this run writes (never evidence).
    pub reports: &'a [String],
    pub signals: &'a SignalMatcher,
    /// Called once per file seen (for progress).
    pub on_file: &'a (dyn Fn() + Sync),
    /// When set, only the entries directly under the root it accepts (by name and whether
    /// they are folders) are walked: how a package scan reads the repository's shared files.
    pub root_entries: Option<fn(&str, bool) -> bool>,
}

#[derive(Default)]
pub struct WalkOutput {
    pub files: Vec<IndexedFile>,
    pub dirs: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// The default names of this tool's reports (CLI examples and the action's outputs). A report
/// scores whatever it quotes, so it is never evidence, wherever it lies.
pub const REPORT_NAMES: [&str; 3] = [
    "devops-maturity.json",
    "devops-maturity.sarif",
    "devops-maturity.md",
];

/// Bytes inspected for a NUL to decide a file is binary (git's heuristic).
const BINARY_SNIFF: usize = 8000;

pub fn walk(opts: &WalkOptions) -> anyhow::Result<WalkOutput> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("cannot open the root {}: {e}", opts.root.display()))?;
    if !root.is_dir() {
        anyhow::bail!("{} is not a directory", opts.root.display());
    }
    let out = Mutex::new(WalkOutput::default());
    let kept = KeptText::new(opts.max_kept_text);
    let mut builder = Builder {
        root: &root,
        opts,
        out: &out,
        kept: &kept,
    };
    // The walker reads each folder's ignore files itself, following symlinks: a committed
    // `.gitignore -> /dev/zero` would grow memory without bound. Folders whose ignore file is
    // not a regular file inside the root are not entered (and are listed as skipped); if the
    // root's own is one, ignore files are not used at all.
    let refused = Arc::new(Mutex::new(Vec::new()));
    let root_bad = unsafe_ignore_file(&root, &root);
    if let Some((name, why)) = &root_bad {
        lock(&refused).push(Skipped {
            path: ".".to_string(),
            reason: format!("ignore files not applied: the root's {name} is {why}"),
        });
    }
    let (filter_root, filter_refused) = (root.clone(), Arc::clone(&refused));
    let root_entries = opts.root_entries;
    WalkBuilder::new(&root)
        .hidden(false)
        .parents(false)
        .require_git(false)
        .git_global(false)
        .git_ignore(root_bad.is_none())
        .ignore(root_bad.is_none())
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            if let (Some(accept), 1) = (root_entries, e.depth()) {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                // A name that is not UTF-8 is no shared file's name.
                if !e.file_name().to_str().is_some_and(|n| accept(n, is_dir)) {
                    return false;
                }
            }
            if e.file_type().is_some_and(|t| t.is_dir()) {
                if let Some((name, why)) = unsafe_ignore_file(&filter_root, e.path()) {
                    lock(&filter_refused).push(Skipped {
                        path: relative(&filter_root, e.path()),
                        reason: format!("folder not scanned: its {name} is {why}"),
                    });
                    return false;
                }
            }
            true
        })
        .build_parallel()
        .visit(&mut builder);
    let mut out = out.into_inner().unwrap_or_else(|p| p.into_inner());
    out.skipped.append(&mut lock(&refused));
    // Paths are unique, so an unstable sort gives the same order, faster.
    out.files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    kept.give_back(&mut out);
    out.dirs.sort();
    out.skipped.sort();
    Ok(out)
}

struct Builder<'s> {
    root: &'s Path,
    opts: &'s WalkOptions<'s>,
    out: &'s Mutex<WalkOutput>,
    kept: &'s KeptText,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Builder<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            root: self.root,
            opts: self.opts,
            out: self.out,
            kept: self.kept,
            local: WalkOutput::default(),
            folder: FolderFacts::default(),
        })
    }
}

/// One per walker thread: collects locally, merges in batches and when the thread ends.
struct Visitor<'s> {
    root: &'s Path,
    opts: &'s WalkOptions<'s>,
    out: &'s Mutex<WalkOutput>,
    kept: &'s KeptText,
    local: WalkOutput,
    folder: FolderFacts,
}

/// The folder of the last file read: a walker thread reads a folder's files one after
/// another, so most files reuse its [`PathFacts`] and its open handle.
#[derive(Default)]
struct FolderFacts {
    folder: String,
    facts: PathFacts,
    /// The folder, opened once (`O_PATH`): its files are opened relative to it, so the kernel
    /// looks up one name instead of every folder on the path (15 % of the system time of
    /// reading a 100k-file tree). `None` when it could not be opened: files then open by path.
    #[cfg(unix)]
    handle: Option<std::os::fd::OwnedFd>,
}

impl FolderFacts {
    /// The facts of the file at `rel` (absolute `path`), moving to its folder if need be.
    fn of_file(&mut self, rel: &str, path: &Path) -> PathFacts {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if folder != self.folder {
            self.folder.clear();
            self.folder.push_str(folder);
            self.facts = PathFacts::of_folder(folder);
            #[cfg(unix)]
            {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
                self.handle = path
                    .parent()
                    .and_then(|dir| rustix::fs::open(dir, flags, Mode::empty()).ok());
            }
        }
        self.facts.with_name(name)
    }

    /// Opens a regular file of the current folder for reading. A name that is a symlink by
    /// now (swapped in since the folder was listed) is refused, not followed.
    fn open(&self, path: &Path) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        if let (Some(dir), Some(name)) = (&self.handle, path.file_name()) {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
            return rustix::fs::openat(dir, name, flags, Mode::empty())
                .map(std::fs::File::from)
                .map_err(std::io::Error::from);
        }
        std::fs::File::open(path)
    }
}

impl ignore::ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(entry) => visit_entry(
                self.root,
                &entry,
                self.opts,
                &mut self.folder,
                &mut self.local,
                self.kept,
            ),
            Err(err) => self.local.skipped.push(skipped_from_error(self.root, &err)),
        }
        if self.local.files.len() + self.local.skipped.len() + self.local.dirs.len() >= 512 {
            self.flush();
        }
        WalkState::Continue
    }
}

impl Visitor<'_> {
    fn flush(&mut self) {
        let mut g = self.out.lock().unwrap_or_else(|p| p.into_inner());
        g.files.append(&mut self.local.files);
        g.dirs.append(&mut self.local.dirs);
        g.skipped.append(&mut self.local.skipped);
    }
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Ignore files the walker reads in every folder.
const IGNORE_FILES: [&str; 2] = [".gitignore", ".ignore"];

/// An ignore file of `dir` that must not be opened: a FIFO or device (blocks or never ends),
/// or a symlink leaving the root or reaching one. Returns its name and why.
fn unsafe_ignore_file(root: &Path, dir: &Path) -> Option<(&'static str, &'static str)> {
    for name in IGNORE_FILES {
        let path = dir.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let ft = meta.file_type();
        if ft.is_file() || ft.is_dir() {
            // A regular file is bounded by the checkout; a folder fails to read harmlessly.
            continue;
        }
        if !ft.is_symlink() {
            return Some((name, "not a regular file (device, socket or pipe)"));
        }
        match path.canonicalize() {
            Ok(target) if target.starts_with(root) && target.is_file() => {}
            Ok(target) if !target.starts_with(root) => {
                return Some((name, "a symlink pointing outside the scanned root"))
            }
            Ok(_) => return Some((name, "a symlink to a special file")),
            // Broken or looping: the walker's open fails harmlessly.
            Err(_) => {}
        }
    }
    None
}

/// Repo-relative path with `/` separators. Non-UTF-8 names are shown lossily.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn skipped_from_error(root: &Path, err: &ignore::Error) -> Skipped {
    let path = error_path(err)
        .map(|p| relative(root, &p))
        .unwrap_or_else(|| ".".to_string());
    let reason = match err.io_error() {
        Some(io) => format!("unreadable: {}", io.kind()),
        None if err.is_partial() => "partially unreadable".to_string(),
        None => {
            let text = err.to_string();
            if text.contains("loop") {
                "symlink loop".to_string()
            } else {
                // ignore's messages embed the absolute path; keep only the kind of problem.
                "unreadable".to_string()
            }
        }
    };
    Skipped { path, reason }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

fn visit_entry(
    root: &Path,
    entry: &ignore::DirEntry,
    opts: &WalkOptions,
    folder: &mut FolderFacts,
    out: &mut WalkOutput,
    kept: &KeptText,
) {
    let path = entry.path();
    if path == root {
        return;
    }
    let rel = relative(root, path);
    if opts.exclude.is_match(&rel) {
        return;
    }
    let Some(ft) = entry.file_type() else {
        out.skipped.push(Skipped {
            path: rel,
            reason: "unknown file type".into(),
        });
        return;
    };
    if ft.is_dir() {
        out.dirs.push(rel);
        return;
    }
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    if REPORT_NAMES.contains(&name) || opts.reports.contains(&rel) {
        out.skipped.push(Skipped {
            path: rel,
            reason: "a devops-maturity report (this tool's output is not evidence)".into(),
        });
        return;
    }
    if ft.is_symlink() {
        match symlink_target_inside(root, path) {
            Ok(target) if target.is_file() => {
                let facts = folder.of_file(&rel, path);
                read_file(rel, facts, std::fs::File::open(&target), opts, out, kept)
            }
            Ok(target) if target.is_dir() => out.skipped.push(Skipped {
                path: rel,
                reason:
                    "symlink to a directory (not followed; its target is scanned where it lives)"
                        .into(),
            }),
            Ok(_) => out.skipped.push(Skipped {
                path: rel,
                reason: "symlink to a special file".into(),
            }),
            Err(reason) => out.skipped.push(Skipped { path: rel, reason }),
        }
        return;
    }
    if !ft.is_file() {
        out.skipped.push(Skipped {
            path: rel,
            reason: "not a regular file (device, socket or pipe)".into(),
        });
        return;
    }
    let facts = folder.of_file(&rel, path);
    read_file(rel, facts, folder.open(path), opts, out, kept);
}

/// Resolves a symlink; only targets inside the root are accepted.
fn symlink_target_inside(root: &Path, link: &Path) -> Result<PathBuf, String> {
    match link.canonicalize() {
        Ok(target) if target.starts_with(root) => Ok(target),
        Ok(_) => Err("symlink points outside the scanned root (not followed)".into()),
        Err(e) if e.raw_os_error() == Some(40) => Err("symlink loop".into()),
        Err(_) => Err("broken symlink".into()),
    }
}

fn read_file(
    rel: String,
    facts: PathFacts,
    opened: std::io::Result<std::fs::File>,
    opts: &WalkOptions,
    out: &mut WalkOutput,
    kept: &KeptText,
) {
    (opts.on_file)();
    let bytes = match opened.and_then(|file| read_capped(file, opts.max_file_size)) {
        Ok(Read::Bytes(b)) => b,
        Ok(Read::TooLarge(size)) => {
            out.skipped.push(Skipped {
                path: rel,
                reason: format!(
                    "larger than max-file-size ({size} bytes > {} bytes)",
                    opts.max_file_size
                ),
            });
            return;
        }
        Err(e) => {
            out.skipped.push(Skipped {
                path: rel,
                reason: format!("unreadable: {}", e.kind()),
            });
            return;
        }
    };
    let size = bytes.len() as u64;
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        out.skipped.push(Skipped {
            path: rel,
            reason: "binary".into(),
        });
        return;
    }
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let hits = opts.signals.scan_file(&rel, &text, facts.test);
    // The path moves into the index: one allocation per file, made by `relative`.
    let mut file = IndexedFile::new(rel, size, text, facts);
    file.hits = hits;
    if let Some(text) = file.take_text() {
        kept.offer(&file.path, size, text);
    }
    out.files.push(file);
}

/// The text of files the rules read (everything but source code), within `limit` bytes in
/// all, so that memory stays bounded on any repository. Past the limit, files lose their text
/// in a fixed order, whatever order the threads read them in: other files before
/// configuration ([`crate::index::is_configuration`]), the largest first, then the last path.
/// What is kept is therefore the longest run, in the opposite order, that fits.
struct KeptText {
    limit: u64,
    state: Mutex<KeptState>,
}

/// Texts by (other than configuration, size, path).
type KeptKey = (bool, u64, String);

#[derive(Default)]
struct KeptState {
    total: u64,
    texts: BTreeMap<KeptKey, String>,
    /// The first key, in keeping order, that lost its text: every later key loses it too.
    cut: Option<KeptKey>,
}

fn keeping_key(path: &str, size: u64) -> KeptKey {
    (
        !crate::index::is_configuration(path),
        size,
        path.to_string(),
    )
}

impl KeptText {
    fn new(limit: u64) -> Self {
        KeptText {
            limit,
            state: Mutex::new(KeptState::default()),
        }
    }

    /// Keeps the text of the file at `path` (`size` bytes on disk) if it fits.
    fn offer(&self, path: &str, size: u64, text: String) {
        let key = keeping_key(path, size);
        let mut s = lock(&self.state);
        if s.cut.as_ref().is_some_and(|cut| key >= *cut) {
            return;
        }
        s.total += text.len() as u64;
        s.texts.insert(key, text);
        while s.total > self.limit {
            // Each key given up is smaller than the cut before it (all kept keys are).
            let Some((key, text)) = s.texts.pop_last() else {
                break;
            };
            s.total -= text.len() as u64;
            s.cut = Some(key);
        }
    }

    /// Puts the kept texts back into their files (sorted by path) and lists the files that
    /// lost theirs.
    fn give_back(self, out: &mut WalkOutput) {
        let limit = self.limit;
        let state = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut texts: Vec<(String, String)> = state
            .texts
            .into_iter()
            .map(|((_, _, path), text)| (path, text))
            .collect();
        texts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut texts = texts.into_iter().peekable();
        for file in &mut out.files {
            if texts.peek().is_some_and(|(path, _)| *path == file.path) {
                if let Some((_, text)) = texts.next() {
                    file.set_text(text);
                }
            } else if let Some(cut) = &state.cut {
                if file.wants_text() && keeping_key(&file.path, file.size) >= *cut {
                    out.skipped.push(Skipped {
                        path: file.path.clone(),
                        reason: format!("text not kept: over max-kept-text ({limit} bytes in all)"),
                    });
                }
            }
        }
    }
}

enum Read {
    Bytes(Vec<u8>),
    /// Over the cap: the size the open file reported.
    TooLarge(u64),
}

/// Reads a file of at most `cap` bytes: the bytes it holds up to the size it had when opened.
/// The size comes from the open file (no second path lookup) and sizes the buffer exactly, so
/// a file costs one `read`: the limit of `take` ends the read without the extra call that
/// would look for more bytes (10 % of a large scan's system time). A file that grows while we
/// read is read up to its earlier size, so memory stays bounded by the cap.
fn read_capped(file: std::fs::File, cap: u64) -> std::io::Result<Read> {
    use std::io::Read as _;
    let size = file.metadata()?.len();
    if size > cap {
        return Ok(Read::TooLarge(size));
    }
    // `size <= cap`, and the cap is at most 256 MiB (config), so this fits in memory.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(size).read_to_end(&mut bytes)?;
    Ok(Read::Bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> IndexedFile {
        let mut f = IndexedFile::new(
            path.to_string(),
            text.len() as u64,
            text.to_string(),
            PathFacts::of(path),
        );
        // The walk hands the text to the budget before the file reaches the output.
        f.take_text();
        f
    }

    /// Offers `files` in the given order, then gives the texts back: (kept, lost) paths.
    fn keep(limit: u64, files: &[(&str, &str)], order: &[usize]) -> (Vec<String>, Vec<String>) {
        let kept = KeptText::new(limit);
        for &i in order {
            let (path, text) = files[i];
            kept.offer(path, text.len() as u64, text.to_string());
        }
        let mut out = WalkOutput {
            files: files.iter().map(|(p, t)| file(p, t)).collect(),
            ..WalkOutput::default()
        };
        out.files.sort_by(|a, b| a.path.cmp(&b.path));
        kept.give_back(&mut out);
        let with_text = out
            .files
            .iter()
            .filter(|f| f.text().is_some())
            .map(|f| f.path.clone())
            .collect();
        let lost = out.skipped.iter().map(|s| s.path.clone()).collect();
        (with_text, lost)
    }

    #[test]
    fn the_same_files_keep_their_text_whatever_the_order_they_arrive_in() {
        let files = [
            ("docs/a.md", "aaaa"),                     // 4 bytes
            ("docs/b.md", "bbbbbbbb"),                 // 8
            ("docs/c.md", "cccccccccccc"),             // 12
            ("data/d.json", "dddd"),                   // 4, same size as a: the path decides
            ("package.json", "{\"x\":1234567890123}"), // configuration, 19 bytes
            ("src/main.rs", "fn main() {}"),           // source code: never kept, never listed
        ];
        // 19 (configuration first) + 4 + 4 = 27; `docs/b.md` would make 35.
        let expect = (
            vec![
                "data/d.json".to_string(),
                "docs/a.md".to_string(),
                "package.json".to_string(),
            ],
            vec!["docs/b.md".to_string(), "docs/c.md".to_string()],
        );
        let orders: [&[usize]; 4] = [
            &[0, 1, 2, 3, 4],
            &[4, 3, 2, 1, 0],
            &[2, 1, 0, 4, 3],
            &[1, 2, 4, 0, 3],
        ];
        for order in orders {
            assert_eq!(keep(30, &files, order), expect, "order {order:?}");
        }
    }

    #[test]
    fn a_small_file_arriving_after_the_cut_does_not_skip_the_queue() {
        // `late.md` (3 bytes) fits in the room left, but `big.md` (10) lost its text first:
        // keeping the later, larger-keyed file would depend on arrival order.
        let files = [
            ("a.md", "aaaaa"),
            ("big.md", "bbbbbbbbbb"),
            ("x/late.md", "lll"),
        ];
        let (kept, lost) = keep(9, &files, &[0, 1, 2]);
        // Root files are configuration and come first: a.md (5) fits, big.md (10) does not;
        // late.md (not configuration) comes after the cut.
        assert_eq!(kept, ["a.md"]);
        assert_eq!(lost, ["big.md", "x/late.md"]);
        assert_eq!(keep(9, &files, &[2, 1, 0]), (kept, lost));
    }

    #[test]
    fn under_the_limit_every_text_is_kept_and_nothing_is_listed() {
        let files = [("README.md", "# x\n"), ("docs/a.md", "a\n")];
        let (kept, lost) = keep(u64::MAX, &files, &[1, 0]);
        assert_eq!(kept, ["README.md", "docs/a.md"]);
        assert!(lost.is_empty());
        // A limit of 0 keeps nothing, and says so for each file.
        let (kept, lost) = keep(0, &files, &[0, 1]);
        assert!(kept.is_empty());
        assert_eq!(lost, ["README.md", "docs/a.md"]);
    }
}
