//! Walking rules: hidden files in, .git out, .gitignore without .git, symlinks never followed
//! out of the root, loops end, oversize and binary files are listed as skipped.

use devops_maturity::rules::signals::SignalMatcher;
use devops_maturity::walk::{walk, WalkOptions, WalkOutput};
use globset::GlobSet;
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, content: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

fn run(root: &Path, max_file_size: u64, threads: usize) -> WalkOutput {
    let signals = SignalMatcher::new(&[]).unwrap();
    walk(&WalkOptions {
        root,
        threads,
        max_file_size,
        max_kept_text: u64::MAX,
        exclude: &GlobSet::empty(),
        reports: &["out/report.json".to_string()],
        signals: &signals,
        on_file: &|| {},
        root_entries: None,
    })
    .unwrap()
}

fn paths(out: &WalkOutput) -> Vec<&str> {
    out.files.iter().map(|f| f.path.as_str()).collect()
}

fn reason<'a>(out: &'a WalkOutput, path: &str) -> Option<&'a str> {
    out.skipped
        .iter()
        .find(|s| s.path == path)
        .map(|s| s.reason.as_str())
}

#[test]
fn hidden_included_git_excluded_gitignore_honoured_without_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".github/workflows/ci.yml", b"on: push\n");
    write(root, ".pre-commit-config.yaml", b"repos: []\n");
    write(root, ".husky/pre-commit", b"npm test\n");
    write(root, ".git/config", b"[core]\n");
    write(root, ".gitignore", b"dist/\n*.log\n");
    write(root, "dist/bundle.js", b"x");
    write(root, "debug.log", b"x");
    write(root, "src/app.py", b"print(1)\n");
    let out = run(root, 1 << 20, 2);
    assert_eq!(
        paths(&out),
        vec![
            ".github/workflows/ci.yml",
            ".gitignore",
            ".husky/pre-commit",
            ".pre-commit-config.yaml",
            "src/app.py"
        ]
    );
    assert!(out.dirs.contains(&".github/workflows".to_string()));
    assert!(!out
        .dirs
        .iter()
        .any(|d| d.starts_with(".git/") || d == ".git"));
}

#[test]
fn oversize_and_binary_files_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "big.txt", &vec![b'a'; 2000]);
    write(root, "logo.png", b"\x89PNG\r\n\x1a\n\0\0\0");
    write(root, "ok.txt", b"fine");
    let out = run(root, 1000, 1);
    assert_eq!(paths(&out), vec!["ok.txt"]);
    assert!(reason(&out, "big.txt")
        .unwrap()
        .contains("larger than max-file-size"));
    assert_eq!(reason(&out, "logo.png"), Some("binary"));
}

#[test]
fn non_utf8_content_is_read_lossily() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "latin1.txt", b"caf\xe9\n");
    let out = run(dir.path(), 1 << 20, 1);
    assert_eq!(out.files[0].text(), Some("caf\u{fffd}\n"));
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;

    #[test]
    fn symlinks_never_leave_the_root_and_loops_end() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "TOP-SECRET-OUTSIDE").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "real/Dockerfile", b"FROM scratch\n");
        symlink(outside.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        symlink(outside.path(), root.join("outside-dir")).unwrap();
        symlink("/etc/passwd", root.join("Dockerfile")).unwrap();
        symlink("..", root.join("parent")).unwrap();
        symlink("loop-b", root.join("loop-a")).unwrap();
        symlink("loop-a", root.join("loop-b")).unwrap();
        symlink("real", root.join("inside-dir")).unwrap();
        symlink("real/Dockerfile", root.join("Containerfile")).unwrap();
        let out = run(root, 1 << 20, 2);
        // A link to a file inside the root is read under its own name.
        assert_eq!(paths(&out), vec!["Containerfile", "real/Dockerfile"]);
        for f in &out.files {
            assert!(!f.text().unwrap_or("").contains("SECRET"));
            assert!(!f.text().unwrap_or("").contains("root:"));
        }
        for link in ["leak.txt", "outside-dir", "Dockerfile", "parent"] {
            let r = reason(&out, link).unwrap_or_else(|| panic!("{link} not reported"));
            assert!(r.contains("outside the scanned root"), "{link}: {r}");
        }
        assert_eq!(reason(&out, "loop-a"), Some("symlink loop"));
        assert!(reason(&out, "inside-dir").unwrap().contains("directory"));
    }

    #[test]
    fn non_utf8_file_names_are_indexed_lossily() {
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        fs::write(dir.path().join(name), "x").unwrap();
        let out = run(dir.path(), 1 << 20, 1);
        assert_eq!(paths(&out), vec!["caf\u{fffd}.md"]);
    }

    #[test]
    fn unreadable_files_are_reported_not_dropped() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "locked.txt", b"x");
        write(dir.path(), "locked-dir/a.txt", b"x");
        let locked = dir.path().join("locked.txt");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let locked_dir = dir.path().join("locked-dir");
        fs::set_permissions(&locked_dir, fs::Permissions::from_mode(0o000)).unwrap();
        let can_read_anyway = fs::read(&locked).is_ok(); // root ignores permissions
        let out = run(dir.path(), 1 << 20, 1);
        fs::set_permissions(&locked_dir, fs::Permissions::from_mode(0o755)).unwrap();
        if can_read_anyway {
            eprintln!("running as root: permission checks do not apply");
            return;
        }
        assert!(reason(&out, "locked.txt")
            .unwrap()
            .starts_with("unreadable"));
        assert!(reason(&out, "locked-dir")
            .unwrap()
            .starts_with("unreadable"));
    }
}

#[test]
fn thread_count_does_not_change_the_result() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        write(dir.path(), &format!("d{}/f{i}.txt", i % 7), b"x\n");
    }
    let a = run(dir.path(), 1 << 20, 1);
    let b = run(dir.path(), 1 << 20, 8);
    assert_eq!(paths(&a), paths(&b));
    assert_eq!(a.dirs, b.dirs);
}

#[test]
fn own_reports_are_listed_as_skipped_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "devops-maturity.json", b"{\"rate-limit\": 1}");
    write(root, "sub/devops-maturity.md", b"# Incident response");
    write(root, "out/report.json", b"{}");
    write(root, "out/other.json", b"{}");
    let out = run(root, 1 << 20, 2);
    assert_eq!(paths(&out), vec!["out/other.json"]);
    for p in [
        "devops-maturity.json",
        "sub/devops-maturity.md",
        "out/report.json",
    ] {
        assert_eq!(
            reason(&out, p),
            Some("a devops-maturity report (this tool's output is not evidence)"),
            "{p}"
        );
    }
}

#[test]
fn kept_text_stays_within_its_limit_configuration_first_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".github/workflows/ci.yml", &[b'w'; 3000]);
    write(root, "services/api/Dockerfile", &[b'f'; 2000]);
    for i in 0..40 {
        write(
            root,
            &format!("data/blob{i:02}.json"),
            &vec![b'd'; 1000 + i],
        );
    }
    write(root, "src/main.rs", &[b'x'; 9000]);
    let walk_with = |limit: u64, threads: usize| {
        let signals = SignalMatcher::new(&[]).unwrap();
        walk(&WalkOptions {
            root,
            threads,
            max_file_size: 1 << 20,
            max_kept_text: limit,
            exclude: &GlobSet::empty(),
            reports: &[],
            signals: &signals,
            on_file: &|| {},
            root_entries: None,
        })
        .unwrap()
    };
    let summary = |out: &WalkOutput| {
        let kept: Vec<String> = out
            .files
            .iter()
            .filter(|f| f.text().is_some())
            .map(|f| f.path.clone())
            .collect();
        let lost: Vec<String> = out
            .skipped
            .iter()
            .filter(|s| s.reason.starts_with("text not kept"))
            .map(|s| s.path.clone())
            .collect();
        (kept, lost)
    };
    // 5,000 bytes of configuration, then the ten smallest blobs (1000..=1009 bytes) fit.
    let (kept, lost) = summary(&walk_with(15_100, 1));
    let mut expected = vec![".github/workflows/ci.yml".to_string()];
    expected.extend((0..10).map(|i| format!("data/blob{i:02}.json")));
    expected.push("services/api/Dockerfile".into());
    assert_eq!(kept, expected);
    assert_eq!(lost.len(), 30, "{lost:?}");
    assert!(lost.iter().all(|p| p.starts_with("data/blob")));
    // Every file is still indexed (size, lines); source code is never kept nor listed.
    assert_eq!(walk_with(15_100, 1).files.len(), 43);
    for threads in [2, 8] {
        assert_eq!(
            summary(&walk_with(15_100, threads)),
            (kept.clone(), lost.clone())
        );
    }
    let (all, none) = summary(&walk_with(u64::MAX, 4));
    assert_eq!((all.len(), none.len()), (42, 0));
}
