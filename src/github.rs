//! Running as the GitHub Action (`devops-maturity action`, the image's default command).
//!
//! The runner starts the container as root with the workspace mounted at `GITHUB_WORKSPACE`
//! and passes each input as `INPUT_<NAME>` with hyphens kept (`INPUT_MIN-SCORE`). We:
//! 1. read and validate every input (an invalid value exits 2, it never falls back silently);
//! 2. scan, then write SARIF and JSON into the workspace, owned by the workspace's owner so
//!    later steps can replace or delete them;
//! 3. append the summary to `$GITHUB_STEP_SUMMARY` and the outputs to `$GITHUB_OUTPUT`;
//! 4. print the text report (inside `::stop-commands::` so repository text cannot issue
//!    workflow commands) and at most 10 `::error` and 10 `::warning` annotations;
//! 5. exit 1 when the score is below `min-score` — after every report is written, so an upload
//!    step with `if: ${{ !cancelled() }}` still finds the SARIF.

use crate::cli::{self, ProfileArg, ScanArgs};
use crate::escape;
use crate::exit;
use crate::report::{self, markdown, sarif, Finding, Report};
use crate::rules::Rule;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The runner keeps at most this many annotations of each type per step.
pub const MAX_ANNOTATIONS: usize = 10;
/// The runner truncates annotation messages beyond this.
const MAX_ANNOTATION_MESSAGE: usize = 4_000;

/// The action's inputs after validation. Paths are relative to the workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub path: PathBuf,
    pub config: Option<PathBuf>,
    /// `None`: the configuration file's `min-score`, else 0.
    pub min_score: Option<f64>,
    pub sarif_file: PathBuf,
    pub json_file: PathBuf,
    pub summary: bool,
    pub annotations: bool,
    pub profile: ProfileArg,
    /// The SARIF's `automationDetails.id`: the `category` input with `/` appended, else
    /// `devops-maturity/` for the workspace root and `devops-maturity/<path>/` for a folder.
    pub category: String,
    /// Lowest level of the SARIF's results.
    pub sarif_level: sarif::MinLevel,
    /// Where to write the markdown report as a file too (a PR comment or an artifact).
    pub markdown_file: Option<PathBuf>,
    /// Where to write the shields.io endpoint badge.
    pub badge_file: Option<PathBuf>,
    /// An earlier JSON report to compare with (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// A score below the baseline's fails the step.
    pub fail_on_regression: bool,
    /// Scan `path` without the workspace root's shared files.
    pub standalone: bool,
    /// Also score each workspace package `path` declares.
    pub each_package: bool,
}

/// An input's value: `INPUT_<NAME>` with hyphens as the runner sets it, then the underscore
/// form (what `runs.env` aliases and shells can set). Trimmed; empty means unset, because the
/// runner passes every declared input, with `""` when it has no value.
pub fn input(get: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    [
        format!("INPUT_{upper}"),
        format!("INPUT_{}", upper.replace('-', "_")),
    ]
    .iter()
    .find_map(|k| get(k))
    .map(|v| v.trim().to_string())
    .filter(|v| !v.is_empty())
}

/// YAML 1.2 core booleans, as `@actions/core`'s `getBooleanInput` accepts them.
fn boolean(name: &str, value: Option<String>, default: bool) -> Result<bool, String> {
    match value.as_deref() {
        None => Ok(default),
        Some("true" | "True" | "TRUE") => Ok(true),
        Some("false" | "False" | "FALSE") => Ok(false),
        Some(v) => Err(format!("{name}: {v:?} is not a boolean (true or false)")),
    }
}

/// `value` as a path relative to the workspace, refusing anything that leaves it.
pub fn workspace_relative(workspace: &Path, name: &str, value: &str) -> Result<PathBuf, String> {
    if value.contains(['\n', '\r', '\0']) {
        return Err(format!("{name}: the path contains a control character"));
    }
    let given = Path::new(value);
    let rel = if given.is_absolute() {
        // The workspace as given, or resolved (when it is reached through a symbolic link).
        let resolved = workspace.canonicalize().ok();
        given
            .strip_prefix(workspace)
            .ok()
            .or_else(|| resolved.as_deref().and_then(|r| given.strip_prefix(r).ok()))
            .ok_or_else(|| {
                format!(
                    "{name}: {value:?} is outside the workspace {}",
                    workspace.display()
                )
            })?
    } else {
        given
    };
    let mut out = PathBuf::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(p) => out.push(p),
            Component::ParentDir => {
                if !out.pop() {
                    return Err(format!("{name}: {value:?} leaves the workspace"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("{name}: {value:?} is not a workspace path"));
            }
        }
    }
    Ok(out)
}

/// Reads and validates every input.
pub fn read_inputs(
    get: &dyn Fn(&str) -> Option<String>,
    workspace: &Path,
) -> Result<Inputs, String> {
    let path_input = |name: &str, default: &str| -> Result<PathBuf, String> {
        let v = input(get, name).unwrap_or_else(|| default.to_string());
        workspace_relative(workspace, name, &v)
    };
    let min_score = match input(get, "min-score") {
        None => None,
        Some(v) => Some(cli::parse_min_score(&v).map_err(|e| format!("min-score: {e}"))?),
    };
    let profile = match input(get, "profile")
        .as_deref()
        .map(str::to_ascii_lowercase)
    {
        None => ProfileArg::Auto,
        Some(p) => match p.as_str() {
            "auto" => ProfileArg::Auto,
            "service" => ProfileArg::Service,
            "library" => ProfileArg::Library,
            "cli" => ProfileArg::Cli,
            _ => {
                return Err(format!(
                    "profile: {p:?} is not one of auto, service, library, cli"
                ))
            }
        },
    };
    let config = match input(get, "config") {
        None => None,
        Some(v) => Some(workspace_relative(workspace, "config", &v)?),
    };
    let sarif_file = path_input("sarif-file", "devops-maturity.sarif")?;
    let json_file = path_input("json-file", "devops-maturity.json")?;
    for (name, p) in [("sarif-file", &sarif_file), ("json-file", &json_file)] {
        if p.as_os_str().is_empty() {
            return Err(format!("{name}: a file name is required"));
        }
    }
    if sarif_file == json_file {
        return Err("sarif-file and json-file name the same file".into());
    }
    // Optional report files: a file name each, and never one another report is written to.
    let optional_report = |name: &str, taken: &[&PathBuf]| -> Result<Option<PathBuf>, String> {
        let Some(v) = input(get, name) else {
            return Ok(None);
        };
        let p = workspace_relative(workspace, name, &v)?;
        if p.as_os_str().is_empty() {
            return Err(format!("{name}: a file name is required"));
        }
        if taken.contains(&&p) {
            return Err(format!("{name} names the same file as another report"));
        }
        Ok(Some(p))
    };
    let markdown_file = optional_report("markdown-file", &[&sarif_file, &json_file])?;
    let mut taken = vec![&sarif_file, &json_file];
    taken.extend(markdown_file.as_ref());
    let badge_file = optional_report("badge-file", &taken)?;
    let baseline = match input(get, "baseline") {
        None => None,
        Some(v) => Some(workspace_relative(workspace, "baseline", &v)?),
    };
    let fail_on_regression = boolean(
        "fail-on-regression",
        input(get, "fail-on-regression"),
        false,
    )?;
    if fail_on_regression && baseline.is_none() {
        return Err("fail-on-regression: needs the baseline input (an earlier JSON report)".into());
    }
    let path = path_input("path", ".")?;
    let category = sarif::automation_id(input(get, "category").as_deref(), &shown(&path))
        .map_err(|e| format!("category: {e}"))?;
    Ok(Inputs {
        path,
        config,
        min_score,
        sarif_file,
        json_file,
        summary: boolean("summary", input(get, "summary"), true)?,
        annotations: boolean("annotations", input(get, "annotations"), true)?,
        profile,
        category,
        sarif_level: match input(get, "sarif-level") {
            None => sarif::MinLevel::Note,
            Some(v) => sarif::MinLevel::parse(&v).map_err(|e| format!("sarif-level: {e}"))?,
        },
        markdown_file,
        badge_file,
        baseline,
        fail_on_regression,
        standalone: boolean("standalone", input(get, "standalone"), false)?,
        each_package: boolean("each-package", input(get, "each-package"), false)?,
    })
}

/// `{"ci": 6.5, "docs": null, …}`: each category's score (null when not applicable), for
/// `fromJSON` in later steps.
fn category_scores(report: &Report) -> String {
    let map: serde_json::Map<String, serde_json::Value> = report
        .categories
        .iter()
        .map(|c| (c.id.id().to_string(), serde_json::json!(c.score)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The workspace's packages as a JSON array of paths from the repository root, ready for
/// `fromJSON` in a matrix over the `path` input; `[]` when none is declared.
fn workspace_packages(report: &Report, scanned: &Path) -> String {
    let scanned = shown(scanned);
    let paths: Vec<String> = report
        .packages
        .iter()
        .map(|p| crate::index::join_path(&scanned, &p.path))
        .collect();
    serde_json::json!(paths).to_string()
}

/// A path as we show it and as later steps use it: relative, forward slashes, `.` for the root.
fn shown(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// Fails when `rel` (inside `workspace`) resolves outside it through a symbolic link: the
/// repository is untrusted and could plant `devops-maturity.sarif -> /github/home/...`.
fn check_no_escape(workspace: &Path, rel: &Path, name: &str) -> Result<(), String> {
    let root = workspace
        .canonicalize()
        .map_err(|e| format!("cannot open the workspace {}: {e}", workspace.display()))?;
    let full = workspace.join(rel);
    if let Ok(meta) = std::fs::symlink_metadata(&full) {
        if meta.file_type().is_symlink() && name.ends_with("-file") {
            return Err(format!("{name}: {} is a symbolic link", shown(rel)));
        }
    }
    // The deepest existing ancestor must resolve inside the workspace.
    let mut probe = full.as_path();
    loop {
        if probe.exists() {
            let real = probe
                .canonicalize()
                .map_err(|e| format!("{name}: cannot resolve {}: {e}", probe.display()))?;
            if !real.starts_with(&root) {
                return Err(format!(
                    "{name}: {} resolves outside the workspace",
                    shown(rel)
                ));
            }
            return Ok(());
        }
        match probe.parent() {
            Some(p) => probe = p,
            None => return Ok(()),
        }
    }
}

/// 32 hex characters from the kernel's random source, or from the clock and pid when that is
/// unavailable (delimiters and stop tokens only need to be unguessable by the repository).
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !read {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let mixed = nanos ^ (u128::from(std::process::id()) << 64);
        bytes = mixed.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One `$GITHUB_OUTPUT` entry as a heredoc with a fresh random delimiter, the way
/// `@actions/core` writes them; safe for any value, single- or multi-line.
pub fn output_entry(name: &str, value: &str) -> String {
    let mut delimiter = format!("ghadelimiter_{}", random_token());
    while value.contains(&delimiter) {
        delimiter = format!("ghadelimiter_{}", random_token());
    }
    format!("{name}<<{delimiter}\n{value}\n{delimiter}\n")
}

/// uid and gid of the workspace directory: the runner's user on the host.
fn workspace_owner(workspace: &Path) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(workspace)
        .ok()
        .map(|m| (m.uid(), m.gid()))
}

/// Gives `path` to the workspace owner. Only root can, and only root needs to: as any other
/// user the files are already ours and the runner's.
fn give_to_owner(path: &Path, owner: Option<(u32, u32)>) {
    use std::os::unix::fs::MetadataExt;
    let Some((uid, gid)) = owner else { return };
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.uid() == uid && meta.gid() == gid {
        return;
    }
    if let Err(e) = std::os::unix::fs::chown(path, Some(uid), Some(gid)) {
        println!(
            "::debug::cannot give {} to {uid}:{gid}: {}",
            escape::workflow_data(&path.display().to_string()),
            escape::workflow_data(&e.to_string())
        );
    }
}

/// Writes a report file inside the workspace, creating its folders, all owned by the
/// workspace owner.
fn write_report(
    workspace: &Path,
    rel: &Path,
    name: &str,
    text: &str,
    owner: Option<(u32, u32)>,
) -> Result<(), String> {
    check_no_escape(workspace, rel, name)?;
    let full = workspace.join(rel);
    let mut created = Vec::new();
    let mut dir = full.parent();
    while let Some(d) = dir {
        if d.exists() || !d.starts_with(workspace) {
            break;
        }
        created.push(d.to_path_buf());
        dir = d.parent();
    }
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("{name}: cannot create {}: {e}", shown(rel)))?;
    }
    std::fs::write(&full, text).map_err(|e| format!("{name}: cannot write {}: {e}", shown(rel)))?;
    for d in created.iter().rev() {
        give_to_owner(d, owner);
    }
    give_to_owner(&full, owner);
    Ok(())
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

/// `::error`/`::warning` lines for the most impactful findings, at most `max_errors` errors and
/// [`MAX_ANNOTATIONS`] warnings. Level as in SARIF: weight 8+ is an error.
pub fn annotations(
    findings: &[Finding],
    rules: &[Rule],
    prefix: &str,
    max_errors: usize,
) -> Vec<String> {
    let (mut errors, mut warnings) = (0, 0);
    let mut out = Vec::new();
    for f in findings {
        let kind = if sarif::level_name(f.weight) == "error" {
            if errors == max_errors {
                continue;
            }
            errors += 1;
            "error"
        } else {
            if warnings == MAX_ANNOTATIONS {
                continue;
            }
            warnings += 1;
            "warning"
        };
        let mut props = Vec::new();
        if let Some(e) = sarif::primary(&f.evidence) {
            props.push(format!(
                "file={}",
                escape::workflow_property(&sarif::repo_path(prefix, &e.path))
            ));
            if let Some(l) = e.line {
                props.push(format!("line={}", l.max(1)));
            }
        }
        let title = crate::rules::find(rules, f.rule).map_or(f.title, |r| r.title);
        props.push(format!(
            "title={}",
            escape::workflow_property(&format!("{title} ({})", f.rule))
        ));
        let mut message = sarif::message(&f.message, &f.evidence, prefix);
        if let Some(r) = crate::rules::find(rules, f.rule) {
            message.push_str(&format!(" Fix: {}", r.remediation.trim()));
        }
        let message = escape::truncate(&message, MAX_ANNOTATION_MESSAGE);
        out.push(format!(
            "::{kind} {}::{}",
            props.join(","),
            escape::workflow_data(&message)
        ));
        if errors == max_errors && warnings == MAX_ANNOTATIONS {
            break;
        }
    }
    out
}

fn outputs(report: &Report, inputs: &Inputs) -> String {
    [
        ("score", format!("{:.1}", report.score)),
        ("level", report.level.name.to_string()),
        ("level-number", report.level.number.to_string()),
        ("passed", report.passed.to_string()),
        ("findings", report.findings.len().to_string()),
        // Empty without a baseline.
        (
            "score-delta",
            report
                .baseline
                .as_ref()
                .map(|b| format!("{:.1}", b.delta))
                .unwrap_or_default(),
        ),
        ("sarif-file", shown(&inputs.sarif_file)),
        ("sarif-category", inputs.category.clone()),
        ("json-file", shown(&inputs.json_file)),
        (
            "markdown-file",
            inputs
                .markdown_file
                .as_deref()
                .map(shown)
                .unwrap_or_default(),
        ),
        (
            "badge-file",
            inputs.badge_file.as_deref().map(shown).unwrap_or_default(),
        ),
        ("category-scores", category_scores(report)),
        ("packages", workspace_packages(report, &inputs.path)),
    ]
    .iter()
    .map(|(k, v)| output_entry(k, v))
    .collect()
}

/// Prints an error as the runner shows it (an annotation) and returns `code`.
fn fail(out: &mut dyn Write, title: &str, message: &str, code: i32) -> i32 {
    let _ = writeln!(
        out,
        "::error title={}::{}",
        escape::workflow_property(title),
        escape::workflow_data(message)
    );
    let _ = out.flush();
    code
}

/// The action's entry point; returns the process exit code.
pub fn run_action() -> i32 {
    let get = |k: &str| std::env::var(k).ok();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    run_with(&get, &mut out)
}

/// [`run_action`] with the environment and stdout given (for tests).
pub fn run_with(get: &dyn Fn(&str) -> Option<String>, out: &mut dyn Write) -> i32 {
    if get("GITHUB_ACTIONS").as_deref() != Some("true") {
        eprintln!(
            "warning: GITHUB_ACTIONS is not \"true\": running the action outside GitHub Actions; \
             reports are written, the summary and outputs only where their variables are set"
        );
    }
    let workspace = match get("GITHUB_WORKSPACE").filter(|w| !w.trim().is_empty()) {
        Some(w) => PathBuf::from(w),
        None => match std::env::current_dir() {
            Ok(d) => d,
            Err(e) => {
                return fail(
                    out,
                    "devops-maturity",
                    &format!("no workspace: {e}"),
                    exit::USAGE,
                )
            }
        },
    };
    if !workspace.is_dir() {
        let m = format!(
            "GITHUB_WORKSPACE {} is not a directory",
            workspace.display()
        );
        return fail(out, "devops-maturity", &m, exit::USAGE);
    }
    let inputs = match read_inputs(get, &workspace) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: invalid input: {e}");
            return fail(out, "devops-maturity: invalid input", &e, exit::USAGE);
        }
    };
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    // Relative paths (inputs, evidence, outputs) are workspace paths from here on.
    if let Err(e) = std::env::set_current_dir(&workspace) {
        let m = format!("cannot enter the workspace {}: {e}", workspace.display());
        return fail(out, "devops-maturity", &m, exit::SCAN_FAILED);
    }
    let paths = [
        ("path", Some(&inputs.path)),
        ("config", inputs.config.as_ref()),
        ("sarif-file", Some(&inputs.sarif_file)),
        ("json-file", Some(&inputs.json_file)),
        ("markdown-file", inputs.markdown_file.as_ref()),
        ("badge-file", inputs.badge_file.as_ref()),
        ("baseline", inputs.baseline.as_ref()),
    ];
    for (name, rel) in paths {
        if let Some(rel) = rel {
            if let Err(e) = check_no_escape(&workspace, rel, name) {
                eprintln!("error: invalid input: {e}");
                return fail(out, "devops-maturity: invalid input", &e, exit::USAGE);
            }
        }
    }

    let args = ScanArgs {
        path: Some(if inputs.path.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            inputs.path.clone()
        }),
        config: inputs.config.clone(),
        min_score: inputs.min_score,
        profile: inputs.profile,
        no_progress: true,
        quiet: true,
        // Not written by the scan (the action writes them below), but never read as evidence.
        json: Some(inputs.json_file.clone()),
        sarif: Some(inputs.sarif_file.clone()),
        markdown: inputs.markdown_file.clone(),
        badge: inputs.badge_file.clone(),
        // Loaded below; a report, so never evidence either.
        baseline: inputs.baseline.clone(),
        // A package of the checked-out repository shares its root's files (`.github/`, …),
        // whether or not the checkout has a `.git` folder.
        standalone: inputs.standalone,
        each_package: inputs.each_package,
        repository: Some(workspace.clone()),
        ..ScanArgs::default()
    };
    let earlier = match inputs.baseline.as_deref().map(report::baseline::load) {
        Some(Err(e)) => {
            eprintln!(
                "error: invalid input: baseline: {}",
                escape::workflow_data(&e)
            );
            return fail(
                out,
                "devops-maturity: invalid input",
                &format!("baseline: {e}"),
                exit::USAGE,
            );
        }
        Some(Ok(earlier)) => Some(earlier),
        None => None,
    };
    let crate::scan::Scanned { mut report, rules } =
        match crate::scan::scan(&cli::scan_options(&args)) {
            Ok(s) => s,
            Err(e) => {
                // The message can quote the repository's configuration: printed escaped only, so
                // it cannot start a workflow command on stdout or stderr.
                let message = e.to_string();
                eprintln!("error: {}", escape::workflow_data(&message));
                let (title, code) = match e {
                    crate::scan::ScanError::Config(_) => {
                        ("devops-maturity: invalid configuration", exit::USAGE)
                    }
                    crate::scan::ScanError::Failed(_) => {
                        ("devops-maturity: scan failed", exit::SCAN_FAILED)
                    }
                };
                return fail(out, title, &message, code);
            }
        };
    if let (Some(earlier), Some(file)) = (&earlier, &inputs.baseline) {
        cli::apply_baseline(
            &mut report,
            earlier,
            &shown(file),
            inputs.fail_on_regression,
        );
    }
    let prefix = shown(&inputs.path);
    let prefix = if prefix == "." { String::new() } else { prefix };

    // 1. Reports first: they must exist whatever happens next.
    let owner = workspace_owner(&workspace);
    // Rendered once, for the markdown file and the job summary, and only if one wants it.
    let summary = (inputs.summary || inputs.markdown_file.is_some()).then(|| {
        let links = markdown::Links::from_env().with_prefix(prefix.clone());
        markdown::render(&report, &rules, &links)
    });
    let mut files = vec![
        (
            "sarif-file",
            &inputs.sarif_file,
            sarif::render_with(
                &report,
                &rules,
                &sarif::Options {
                    path_prefix: &prefix,
                    automation_id: &inputs.category,
                    min_level: inputs.sarif_level,
                },
            ),
        ),
        (
            "json-file",
            &inputs.json_file,
            report::json::render(&report),
        ),
    ];
    if let (Some(rel), Some(md)) = (&inputs.markdown_file, &summary) {
        files.push(("markdown-file", rel, md.clone()));
    }
    if let Some(rel) = &inputs.badge_file {
        files.push(("badge-file", rel, report::badge::render(&report)));
    }
    for (name, rel, text) in &files {
        if let Err(e) = write_report(&workspace, rel, name, text, owner) {
            return fail(
                out,
                "devops-maturity: cannot write a report",
                &e,
                exit::SCAN_FAILED,
            );
        }
    }

    // 2. Job summary and outputs.
    if let Some(md) = summary.as_deref().filter(|_| inputs.summary) {
        if let Some(path) = get("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            if let Err(e) = append(Path::new(&path), md) {
                let _ = writeln!(
                    out,
                    "::warning title=devops-maturity::{}",
                    escape::workflow_data(&format!("cannot write the job summary: {e}"))
                );
            }
        }
    }
    if let Some(path) = get("GITHUB_OUTPUT").filter(|p| !p.is_empty()) {
        if let Err(e) = append(Path::new(&path), &outputs(&report, &inputs)) {
            return fail(
                out,
                "devops-maturity",
                &format!("cannot write the step outputs: {e}"),
                exit::SCAN_FAILED,
            );
        }
    }

    // 3. The log: the text report, inert, then the annotations.
    let token = random_token();
    let _ = writeln!(out, "::group::DevOps maturity report");
    let _ = writeln!(out, "::stop-commands::{token}");
    let _ = write!(out, "{}", report::text::render(&report, false));
    let _ = writeln!(out, "::{token}::");
    let _ = writeln!(out, "::endgroup::");
    let below = !report.passed;
    if below {
        // First, so the runner's cap of 10 errors never drops it. Each failed condition is
        // named: a min-score message for a failed required control would send users looking
        // in the wrong place.
        let _ = writeln!(
            out,
            "::error title={}::{}",
            escape::workflow_property("DevOps maturity gate failed"),
            escape::workflow_data(&format!(
                "DevOps maturity {:.1}/10: {}. The job summary lists the gaps by priority; \
                 SARIF: {}, JSON: {}.",
                report.score,
                report
                    .gate_failures()
                    .iter()
                    .map(report::GateFailure::plain)
                    .collect::<Vec<_>>()
                    .join("; "),
                shown(&inputs.sarif_file),
                shown(&inputs.json_file)
            ))
        );
    }
    if inputs.annotations {
        let max_errors = MAX_ANNOTATIONS - usize::from(below);
        for line in annotations(&report.findings, &rules, &prefix, max_errors) {
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = writeln!(
        out,
        "::notice title={}::{}",
        escape::workflow_property(&format!(
            "DevOps maturity {:.1}/10 (level {} {})",
            report.score, report.level.number, report.level.name
        )),
        escape::workflow_data(&format!(
            "{} gaps; the job summary has the roadmap. Reports: {} and {}.",
            report.findings.len(),
            shown(&inputs.sarif_file),
            shown(&inputs.json_file)
        ))
    );
    let _ = out.flush();
    cli::verdict_exit(&report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    #[test]
    fn inputs_read_hyphens_first_then_underscores() {
        let get = env(&[("INPUT_MIN-SCORE", " 7.5 "), ("INPUT_MIN_SCORE", "2")]);
        assert_eq!(input(&get, "min-score").as_deref(), Some("7.5"));
        let get = env(&[("INPUT_MIN_SCORE", "2")]);
        assert_eq!(input(&get, "min-score").as_deref(), Some("2"));
        let get = env(&[("INPUT_MIN-SCORE", "  ")]);
        assert_eq!(input(&get, "min-score"), None);
    }

    #[test]
    fn defaults_when_the_runner_passes_empty_values() {
        let ws = Path::new("/ws");
        let get = env(&[("INPUT_PATH", ""), ("INPUT_SUMMARY", "")]);
        let i = read_inputs(&get, ws).unwrap();
        assert_eq!(i.path, PathBuf::new());
        assert_eq!(i.min_score, None);
        assert_eq!(i.sarif_file, PathBuf::from("devops-maturity.sarif"));
        assert_eq!(i.json_file, PathBuf::from("devops-maturity.json"));
        assert!(i.summary && i.annotations);
        assert_eq!(i.profile, ProfileArg::Auto);
        assert_eq!(i.category, "devops-maturity/");
    }

    #[test]
    fn the_category_defaults_to_the_scanned_folder() {
        let ws = Path::new("/ws");
        let category = |pairs: &[(&str, &str)]| read_inputs(&env(pairs), ws).unwrap().category;
        assert_eq!(category(&[("INPUT_PATH", "/ws")]), "devops-maturity/");
        assert_eq!(
            category(&[("INPUT_PATH", "./services/orders/")]),
            "devops-maturity/services/orders/"
        );
        assert_eq!(
            category(&[("INPUT_PATH", "/ws/services/../web")]),
            "devops-maturity/web/"
        );
        assert_eq!(
            category(&[("INPUT_PATH", "svc"), ("INPUT_CATEGORY", " orders ")]),
            "orders/"
        );
        assert_eq!(category(&[("INPUT_CATEGORY", "dm/api/")]), "dm/api/");
    }

    #[test]
    fn invalid_values_are_errors_not_defaults() {
        let ws = Path::new("/ws");
        let cases = [
            ("INPUT_MIN-SCORE", "eleven", "min-score"),
            ("INPUT_MIN-SCORE", "11", "min-score"),
            ("INPUT_SUMMARY", "yes", "summary"),
            ("INPUT_ANNOTATIONS", "0", "annotations"),
            ("INPUT_PROFILE", "website", "profile"),
            ("INPUT_SARIF-FILE", "../x.sarif", "sarif-file"),
            ("INPUT_JSON-FILE", "/etc/passwd", "json-file"),
            ("INPUT_PATH", "a/../../b", "path"),
            ("INPUT_CONFIG", "/tmp/c.yml", "config"),
            ("INPUT_CATEGORY", "a\u{1b}[31mb", "category"),
            ("INPUT_CATEGORY", "a\nb", "category"),
            ("INPUT_CATEGORY", "/", "category"),
        ];
        for (k, v, name) in cases {
            let get = env(&[(k, v)]);
            let e = read_inputs(&get, ws).unwrap_err();
            assert!(e.starts_with(name), "{k}={v}: {e}");
        }
    }

    #[test]
    fn absolute_paths_inside_the_workspace_become_relative() {
        let ws = Path::new("/github/workspace");
        assert_eq!(
            workspace_relative(ws, "p", "/github/workspace/out/./x.sarif").unwrap(),
            PathBuf::from("out/x.sarif")
        );
        assert_eq!(
            workspace_relative(ws, "p", "a/../b").unwrap(),
            PathBuf::from("b")
        );
        assert!(workspace_relative(ws, "p", "/github/workspace-other/x").is_err());
        assert!(workspace_relative(ws, "p", "a\nb").is_err());
    }

    #[test]
    fn outputs_are_heredocs_with_unique_delimiters() {
        let e = output_entry("score", "7.5");
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 3);
        let delim = lines[0].strip_prefix("score<<").unwrap();
        assert!(delim.starts_with("ghadelimiter_") && delim.len() == 13 + 32);
        assert_eq!(lines[1], "7.5");
        assert_eq!(lines[2], delim);
        assert_ne!(random_token(), random_token());
    }

    #[test]
    fn annotations_are_capped_ordered_and_escaped() {
        use crate::rules::{Category, Effort, Evidence};
        let f = |w: u8, path: &str| Finding {
            rule: "r",
            title: "T, with: colon",
            category: Category::Ci,
            weight: w,
            impact: f64::from(w),
            effort: Effort::Minutes,
            horizon: crate::report::Horizon::Immediate,
            security: false,
            message: "50% done\n::error::injected".into(),
            remediation: "",
            evidence: vec![Evidence::at(path, 3)],
            fix: None,
        };
        let mut findings: Vec<Finding> = (0..15).map(|_| f(9, "a,b:c.yml")).collect();
        findings.extend((0..15).map(|_| f(5, "x.yml")));
        let lines = annotations(&findings, &[], "svc", 9);
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            9
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            10
        );
        assert_eq!(
            lines[0],
            "::error file=svc/a%2Cb%3Ac.yml,line=3,title=T%2C with%3A colon (r)::\
             50% done%0A::error::injected."
                .replace("50% done", "50%25 done")
        );
        assert!(lines.iter().all(|l| !l.contains('\n')));
    }
}
