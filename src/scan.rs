//! The pipeline: configuration → walk → index → detect → rules → score → report.

use crate::config::{Config, ConfigError, IgnoreMatcher};
use crate::detect::{self, Profile, ProfileDetection};
use crate::history::History;
use crate::index::Index;
use crate::report::{
    CategoryReport, Control, Finding, Ignored, Report, Stats, ToolInfo, UnmatchedIgnore,
};
use crate::repository::{self, Package};
use crate::rules::{self, signals::SignalMatcher, Category, Context, Outcome, Rule, Status};
use crate::score;
use crate::suppress::InlineIgnore;
use crate::walk::{self, WalkOptions};
use globset::{Glob, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct ScanOptions {
    pub root: PathBuf,
    /// The repository `root` is a package of: its shared files are indexed too.
    pub package: Option<Package>,
    pub config: Option<PathBuf>,
    /// Overrides the configuration's `min-score`.
    pub min_score: Option<f64>,
    /// Overrides the configuration's `profile` (None = config, then auto).
    pub profile: Option<Profile>,
    pub threads: usize,
    pub progress: bool,
    /// Report files this run writes. They are never read as evidence: a second run in the
    /// same folder must not score the first run's report.
    pub reports: Vec<PathBuf>,
    /// Also score each workspace package the scanned folder declares ([`score_packages`]).
    pub each_package: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Exit code 2.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Exit code 3.
    #[error("{0}")]
    Failed(String),
}

/// The loaded configuration with rules and signals built from it.
pub struct Setup {
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub rules: Vec<Rule>,
    signals: Vec<&'static rules::Signal>,
}

/// Loads configuration and builds the rule set (built-in + custom, with per-rule settings).
pub fn setup(
    root: &Path,
    config_path: Option<&Path>,
    repository: Option<&Path>,
) -> Result<Setup, ScanError> {
    let (config, path) = Config::load(config_path, root, repository)?;
    let shown = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let invalid = |message: String| ConfigError::Invalid {
        path: shown.clone(),
        message,
    };
    let (custom, custom_signals) = rules::custom::build(&config.custom_rules).map_err(invalid)?;
    let mut all = rules::builtin();
    for r in custom {
        if rules::find(&all, r.id).is_some() {
            return Err(invalid(format!("custom-rules: id {:?} is a built-in rule", r.id)).into());
        }
        all.push(r);
    }
    let known: Vec<&str> = all.iter().map(|r| r.id).collect();
    config.check_rule_ids(&known, &shown)?;
    for rule in &mut all {
        if let Some(w) = config.rules.get(rule.id).and_then(|c| c.weight) {
            rule.weight = w;
        }
    }
    let mut signals = rules::builtin_signals();
    signals.extend(custom_signals);
    Ok(Setup {
        config,
        config_path: path,
        rules: all,
        signals,
    })
}

/// A finished scan: the report and the rules it was made with (renderers describe them).
pub struct Scanned {
    pub report: Report,
    pub rules: Vec<Rule>,
}

/// The root-relative paths (with `/`) of those of `paths` that lie inside `root`. A path need
/// not exist yet; its folder is resolved when it does, so `./out/../r.json` and a path
/// through a symlinked folder are recognised too.
fn paths_inside(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    let Ok(root) = root.canonicalize() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in paths {
        let (Ok(abs), Some(name)) = (std::path::absolute(p), p.file_name()) else {
            continue;
        };
        let folder = abs
            .parent()
            .map(|d| d.canonicalize().unwrap_or(d.to_path_buf()));
        if let Some(rel) =
            folder.and_then(|d| d.join(name).strip_prefix(&root).ok().map(Path::to_path_buf))
        {
            out.push(walk::relative(Path::new(""), &rel));
        }
    }
    out
}

pub fn scan(opts: &ScanOptions) -> Result<Scanned, ScanError> {
    let started = Instant::now();
    if !opts.root.is_dir() {
        return Err(ScanError::Failed(format!(
            "cannot scan {}: not a readable directory",
            opts.root.display()
        )));
    }
    let setup = setup(
        &opts.root,
        opts.config.as_deref(),
        opts.package.as_ref().map(|p| p.root.as_path()),
    )?;
    let config = &setup.config;
    let profile_override = match opts.profile {
        Some(p) => Some(p),
        None => config.profile.as_deref().and_then(Profile::from_id),
    };
    let min_score = opts.min_score.or(config.min_score).unwrap_or(0.0);

    let mut exclude = GlobSetBuilder::new();
    for g in &config.exclude {
        // Validated when the configuration was loaded.
        if let Ok(glob) = Glob::new(g) {
            exclude.add(glob);
        }
    }
    let exclude = exclude
        .build()
        .map_err(|e| ScanError::Failed(format!("exclude globs: {e}")))?;
    let trusted_actions = config
        .trusted_actions()
        .map_err(|e| ScanError::Failed(format!("trusted-actions globs: {e}")))?;
    let matcher = SignalMatcher::new(&setup.signals)
        .map_err(|e| ScanError::Failed(format!("content signals: {e}")))?;

    let reports = paths_inside(&opts.root, &opts.reports);

    let timings = Timings::from_env();
    timings.mark("setup", started);
    let phase = Instant::now();
    let progress = crate::cli::progress::walk_bar(opts.progress);
    let on_file = || progress.inc(1);
    let walk_options = WalkOptions {
        root: &opts.root,
        threads: opts.threads,
        max_file_size: config.max_file_size(),
        max_kept_text: config.max_kept_text(),
        exclude: &exclude,
        reports: &reports,
        signals: &matcher,
        on_file: &on_file,
        root_entries: None,
    };
    let mut walked = walk::walk(&walk_options).map_err(|e| ScanError::Failed(e.to_string()))?;
    if let Some(package) = &opts.package {
        let shared = walk::walk(&WalkOptions {
            root: &package.root,
            reports: &paths_inside(&package.root, &opts.reports),
            root_entries: Some(repository::is_shared_entry),
            ..walk_options
        })
        .map_err(|e| ScanError::Failed(e.to_string()))?;
        add_shared(&mut walked, shared, package);
    }
    progress.finish_and_clear();
    timings.mark("walk", phase);

    let phase = Instant::now();
    let index = Index::new(walked, matcher.ids()).with_package(opts.package.clone());
    timings.mark("index", phase);
    let phase = Instant::now();
    let stacks = detect::stacks(&index);
    let profile = match profile_override {
        Some(value) => ProfileDetection {
            value,
            evidence: Vec::new(),
        },
        None => detect::profile(&index, &stacks),
    };
    timings.mark("detect", phase);
    let phase = Instant::now();
    let history = History::load(&opts.root);
    timings.mark("history", phase);
    let phase = Instant::now();
    let ctx = Context {
        index: &index,
        stacks: &stacks,
        profile: profile.value,
        history: &history,
        trusted_actions: Some(&trusted_actions),
    };
    let outcomes = run_rules(&setup.rules, config, &ctx, opts.threads, &timings);
    timings.mark("rules", phase);
    let (mut categories, mut ignored, ignored_unmatched) =
        assemble(&setup.rules, outcomes, config, &index);
    if index.package().is_some() {
        show_shared_paths(&index, &mut categories, &mut ignored);
    }
    warn_unmatched(&ignored_unmatched);
    warn_inline(&index, &setup.rules);
    let score = score::overall_score(categories.iter().map(|c| (c.score, c.weight)));
    let findings = findings(&setup.rules, &categories);
    let required_failed: Vec<&'static str> = categories
        .iter()
        .flat_map(|c| &c.controls)
        .filter(|c| c.required && c.status == Status::Fail)
        .map(|c| c.id)
        .collect();
    let stats = Stats {
        files: index.stats().files,
        bytes: index.stats().bytes,
        skipped: index.skipped().len() as u64,
        duration_ms: started.elapsed().as_millis() as u64,
    };
    let report = Report {
        baseline: None,
        schema_version: crate::report::SCHEMA_VERSION,
        tool: ToolInfo::current(),
        root: opts.root.display().to_string(),
        package: opts.package.as_ref().map(|p| p.prefix.clone()),
        profile,
        stacks,
        packages: crate::workspace::packages(&index),
        score,
        level: score::level(score),
        min_score,
        passed: score >= min_score && required_failed.is_empty(),
        required_failed,
        categories,
        findings,
        ignored,
        ignored_unmatched,
        skipped: index.skipped().to_vec(),
        history: history.summary.clone(),
        stats,
    };
    // Freeing a 100k-file index is ~25 ms of single-threaded work the caller never needs to
    // wait for: it happens on a detached thread (a process that exits first skips it). If no
    // thread can be started, the failed spawn drops the index here instead.
    let _ = std::thread::Builder::new().spawn(move || drop(index));
    let mut report = report;
    if opts.each_package {
        score_packages(opts, &mut report, PACKAGE_LIMITS);
    }
    Ok(Scanned {
        report,
        rules: setup.rules,
    })
}

/// How much work `--each-package` may do; packages past either limit are listed with the
/// reason instead of a score.
#[derive(Debug, Clone, Copy)]
struct PackageLimits {
    /// Each package is a scan of its own, and the root's shared files are read for each.
    packages: usize,
    /// Files read by all package scans together: a repository that declares many packages
    /// and shares a huge `.github/` would otherwise multiply the work.
    files: u64,
}

const PACKAGE_LIMITS: PackageLimits = PackageLimits {
    packages: 256,
    files: 1_000_000,
};

/// Scores each workspace package of `report` with a scan of its own: a package of the
/// repository (the scanned folder's, or the scanned folder when it has none), so the root's
/// shared files count, with the package's configuration or the root's and its own profile.
/// The gate stays the scanned folder's.
fn score_packages(opts: &ScanOptions, report: &mut Report, limits: PackageLimits) {
    let repository = opts
        .package
        .as_ref()
        .map_or(opts.root.as_path(), |p| p.root.as_path());
    let mut files_read = 0;
    let progress = crate::cli::progress::packages_bar(opts.progress, report.packages.len());
    for (i, package) in report.packages.iter_mut().enumerate() {
        progress.set_message(crate::escape::terminal(&package.path));
        progress.inc(1);
        if i >= limits.packages {
            package.error = Some(format!(
                "not scored: a run scores at most {} packages",
                limits.packages
            ));
            continue;
        }
        if files_read >= limits.files {
            package.error = Some(format!(
                "not scored: the package scans of a run read at most {} files",
                limits.files
            ));
            continue;
        }
        let root = opts.root.join(&package.path);
        let options = ScanOptions {
            package: Package::new(&root, repository),
            root,
            config: opts.config.clone(),
            min_score: opts.min_score,
            profile: None,
            threads: opts.threads,
            progress: false,
            reports: opts.reports.clone(),
            each_package: false,
        };
        match scan(&options) {
            Ok(scanned) => {
                files_read += scanned.report.stats.files + scanned.report.stats.skipped;
                package.scan = Some(crate::report::PackageScan::of(&scanned.report));
            }
            Err(e) => package.error = Some(format!("not scored: {e}")),
        }
    }
}

/// Adds the repository's shared files to a package's walk. The package's own file wins when
/// both have a path; what could not be read is listed by its path from the package.
fn add_shared(own: &mut walk::WalkOutput, shared: walk::WalkOutput, package: &Package) {
    let has = |files: &[crate::index::IndexedFile], path: &str| {
        files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok()
    };
    let mut other_folders = Vec::new();
    let mut added: Vec<_> = shared
        .files
        .into_iter()
        .filter(|f| !has(&own.files, &f.path))
        .filter(|f| {
            let runs = !is_workflow_path(&f.path)
                || crate::model::workflow::from_text(&f.path, f.text().unwrap_or(""))
                    .runs_for_folder(&package.prefix);
            if !runs {
                other_folders.push(walk::Skipped {
                    path: package.shown(&f.path),
                    reason: format!(
                        "a workflow of other folders: its `paths` filters leave out {}",
                        package.prefix
                    ),
                });
            }
            runs
        })
        .collect();
    own.skipped.append(&mut other_folders);
    for f in &mut added {
        f.shared = true;
    }
    own.files.append(&mut added);
    own.files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    own.dirs.extend(shared.dirs);
    own.dirs.sort();
    own.dirs.dedup();
    own.skipped
        .extend(shared.skipped.into_iter().map(|s| walk::Skipped {
            path: package.shown(&s.path),
            reason: s.reason,
        }));
    own.skipped.sort();
}

fn is_workflow_path(path: &str) -> bool {
    path.strip_prefix(".github/workflows/").is_some_and(|name| {
        !name.contains('/') && (name.ends_with(".yml") || name.ends_with(".yaml"))
    })
}

/// Evidence in shared files is reported by its path from the scanned folder.
fn show_shared_paths(index: &Index, categories: &mut [CategoryReport], ignored: &mut [Ignored]) {
    for e in categories
        .iter_mut()
        .flat_map(|c| &mut c.controls)
        .flat_map(|c| &mut c.evidence)
    {
        e.path = index.shown(&e.path);
    }
    // Inline comments (with a line) name a file; configuration entries keep their glob.
    for i in ignored.iter_mut().filter(|i| i.line.is_some()) {
        if let Some(path) = &mut i.path {
            *path = index.shown(path);
        }
    }
}

/// Runs every enabled rule; rules are independent, so they run on all threads.
fn run_rules(
    rules: &[Rule],
    config: &Config,
    ctx: &Context,
    threads: usize,
    timings: &Timings,
) -> Vec<Outcome> {
    let enabled = |r: &Rule| config.rules.get(r.id).and_then(|c| c.enabled) != Some(false);
    let run = |r: &Rule| {
        if !enabled(r) {
            return Outcome::na("disabled by configuration");
        }
        let started = Instant::now();
        // A panicking rule is a bug; it loses its own control, not the scan.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.run(ctx)))
            .unwrap_or_else(|_| Outcome::na(format!("internal error in rule {}", r.id)));
        timings.rule(r.id, started);
        outcome
    };
    // Rules differ a lot in cost: workers take the next rule from a shared counter rather
    // than fixed halves of the list.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = threads.clamp(1, rules.len().max(1));
    let mut slots: Vec<Option<Outcome>> = vec![None; rules.len()];
    let done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(rule) = rules.get(i) else { break };
                        done.push((i, run(rule)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, outcome) in done {
        slots[i] = Some(outcome);
    }
    slots
        .into_iter()
        .zip(rules)
        .map(|(o, r)| o.unwrap_or_else(|| Outcome::na(format!("internal error in rule {}", r.id))))
        .collect()
}

/// Phase and per-rule durations on stderr when `DEVOPS_MATURITY_TIMINGS` is set: how the
/// benchmark figures are broken down. Off by default so reports stay free of timing noise.
struct Timings {
    enabled: bool,
    rules: std::sync::Mutex<Vec<(&'static str, std::time::Duration)>>,
}

impl Timings {
    fn from_env() -> Timings {
        Timings {
            enabled: std::env::var_os("DEVOPS_MATURITY_TIMINGS").is_some(),
            rules: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn mark(&self, phase: &str, since: Instant) {
        if self.enabled {
            eprintln!("timing: {phase:<8} {:>8.1} ms", ms(since.elapsed()));
        }
    }

    fn rule(&self, id: &'static str, since: Instant) {
        if self.enabled {
            if let Ok(mut rules) = self.rules.lock() {
                rules.push((id, since.elapsed()));
            }
        }
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        let Ok(rules) = self.rules.get_mut() else {
            return;
        };
        if rules.is_empty() {
            return;
        }
        rules.sort_by_key(|r| std::cmp::Reverse(r.1));
        let total: std::time::Duration = rules.iter().map(|r| r.1).sum();
        eprintln!("timing: rules-sum {:>8.1} ms (all threads)", ms(total));
        for (id, took) in rules.iter().take(20) {
            eprintln!("timing: rule {id:<40} {:>8.1} ms", ms(*took));
        }
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Applies `ignore:` entries, then inline ignore comments, and groups controls by category, scored. Also returns the
/// entries that matched no failed control (see [`ignore_matches`]).
fn assemble(
    rules: &[Rule],
    outcomes: Vec<Outcome>,
    config: &Config,
    index: &Index,
) -> (Vec<CategoryReport>, Vec<Ignored>, Vec<UnmatchedIgnore>) {
    let mut ignored = Vec::new();
    let matchers: Vec<_> = config.ignore.iter().map(|e| e.matcher()).collect();
    let mut matched = vec![false; matchers.len()];
    let mut categories: Vec<CategoryReport> = Category::ALL
        .iter()
        .map(|&c| CategoryReport {
            id: c,
            title: c.title(),
            weight: config.category_weight(c),
            score: None,
            controls: Vec::new(),
        })
        .collect();
    for (rule, mut outcome) in rules.iter().zip(outcomes) {
        // Whether an entry matched is decided on the control as the rule left it, so the
        // answer does not depend on the order of the entries.
        for (i, m) in matchers.iter().enumerate() {
            if m.matches_rule(rule.id) && ignore_matches(&outcome, m) {
                matched[i] = true;
            }
        }
        for m in matchers.iter().filter(|m| m.matches_rule(rule.id)) {
            apply_ignore(&mut outcome, m);
            ignored.push(Ignored {
                rule: rule.id,
                path: m.entry.path.clone(),
                line: None,
                reason: m.entry.reason.clone(),
            });
        }
        apply_inline(&mut outcome, rule.id, index, &mut ignored);
        bound_texts(&mut outcome);
        if let Some(cat) = categories.iter_mut().find(|c| c.id == rule.category) {
            cat.controls.push(Control {
                id: rule.id,
                title: rule.title,
                status: outcome.status,
                weight: rule.weight,
                required: config.is_required(rule.id),
                evidence: outcome.evidence,
                message: outcome.message,
                fix: outcome.fix,
            });
        }
    }
    for cat in &mut categories {
        cat.controls.sort_by(|a, b| a.id.cmp(b.id));
        cat.score =
            score::category_score(cat.controls.iter().map(|c| (c.status, f64::from(c.weight))));
    }
    let unmatched = config
        .ignore
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(e, _)| UnmatchedIgnore {
            rule: e.rule.clone(),
            path: e.path.clone(),
            reason: e.reason.clone(),
        })
        .collect();
    (categories, ignored, unmatched)
}

/// One warning on stderr per `ignore:` entry that matched nothing, as cargo-deny does for
/// unused skips. The text comes from the configuration (repository content): one inert line.
fn warn_unmatched(unmatched: &[UnmatchedIgnore]) {
    for u in unmatched {
        let path = u
            .path
            .as_deref()
            .map(|p| format!(", path {p:?}"))
            .unwrap_or_default();
        eprintln!(
            "{}",
            crate::cli::one_line(&format!(
                "warning: ignore entry (rule {:?}{path}) matched no failed control; \
                 remove it or fix its rule or path",
                u.rule
            ))
        );
    }
}

/// Longest control message and evidence note kept in the report, in bytes. Rules quote
/// repository values (an image name, a step name); a 50 MB `FROM` line must not become a
/// 100 MB JSON report.
pub const MAX_MESSAGE_BYTES: usize = 1_000;
pub const MAX_NOTE_BYTES: usize = 500;

fn bound_texts(outcome: &mut Outcome) {
    if outcome.message.len() > MAX_MESSAGE_BYTES {
        outcome.message = crate::escape::truncate(&outcome.message, MAX_MESSAGE_BYTES).into_owned();
    }
    for e in &mut outcome.evidence {
        if let Some(note) = e.note.as_mut().filter(|n| n.len() > MAX_NOTE_BYTES) {
            *note = crate::escape::truncate(note, MAX_NOTE_BYTES).into_owned();
        }
    }
}

/// An ignore without a path takes the control out of the score; with a path (exact, folder
/// or glob) it removes the evidence locations the path covers, and the control is left out
/// once no failing evidence remains. Until then it still fails, on the remaining locations.
fn apply_ignore(outcome: &mut Outcome, m: &IgnoreMatcher) {
    if outcome.status != Status::Fail {
        return;
    }
    let reason = &m.entry.reason;
    match m.entry.path.as_deref() {
        None => {
            outcome.status = Status::Na;
            outcome.message = format!("ignored by configuration: {reason}");
        }
        Some(p) => {
            outcome.evidence.retain(|e| !m.matches_path(&e.path));
            if outcome.evidence.is_empty() {
                outcome.status = Status::Na;
                outcome.message = format!("ignored by configuration for {p}: {reason}");
            }
        }
    }
}

/// Inline ignore comments in the files a failing control points at: the evidence they cover
/// is removed (see [`InlineIgnore::covers`]), and the control is left out once none remains.
/// Each comment that silenced something is listed with its file and line.
fn apply_inline(
    outcome: &mut Outcome,
    rule: &'static str,
    index: &Index,
    ignored: &mut Vec<Ignored>,
) {
    if outcome.status != Status::Fail {
        return;
    }
    let mut used: Vec<(String, &InlineIgnore)> = Vec::new();
    outcome.evidence.retain(|e| {
        let comments = index
            .file(&e.path)
            .map_or(&[][..], |f| &f.inline_ignores[..]);
        let Some(comment) = comments.iter().find(|c| c.covers(rule, e.line)) else {
            return true;
        };
        if !used
            .iter()
            .any(|(p, c)| *p == e.path && c.line == comment.line)
        {
            used.push((e.path.clone(), comment));
        }
        false
    });
    if let (true, Some((path, comment))) = (outcome.evidence.is_empty(), used.first()) {
        outcome.status = Status::Na;
        outcome.message = format!(
            "ignored by an inline comment at {path}:{}: {}",
            comment.line, comment.reason
        );
    }
    ignored.extend(used.into_iter().map(|(path, comment)| Ignored {
        rule,
        path: Some(path),
        line: Some(comment.line),
        reason: comment.reason.clone(),
    }));
}

/// One warning on stderr per inline ignore comment that cannot apply: no reason, or a rule id
/// no rule has. Like a mistyped `ignore:` entry, it must not fail silently.
fn warn_inline(index: &Index, rules: &[Rule]) {
    for file in index.files() {
        for comment in &file.inline_ignores {
            let at = format!("{}:{}", file.path, comment.line);
            if comment.reason.is_empty() {
                eprintln!(
                    "{}",
                    crate::cli::one_line(&format!(
                        "warning: {at}: inline ignore without a reason is not applied; \
                         write the reason after the closing bracket"
                    ))
                );
            }
            for id in comment
                .rules
                .iter()
                .filter(|id| !rules.iter().any(|r| r.id == *id))
            {
                eprintln!(
                    "{}",
                    crate::cli::one_line(&format!(
                        "warning: {at}: inline ignore names {id:?}, which no rule has \
                         (see `devops-maturity rules`)"
                    ))
                );
            }
        }
    }
}

/// Does the entry (whose rule is this control's) have something to do here: the control
/// failed and the entry has no path, or covers at least one evidence location, or the control
/// failed with no location at all (then a path-scoped entry leaves it out too, see
/// [`apply_ignore`]).
fn ignore_matches(outcome: &Outcome, m: &IgnoreMatcher) -> bool {
    outcome.status == Status::Fail
        && (m.entry.path.is_none()
            || outcome.evidence.is_empty()
            || outcome.evidence.iter().any(|e| m.matches_path(&e.path)))
}

/// The failed controls that count. A category weighted 0 is still reported, but its gaps are
/// not findings: the user said it does not matter, so it raises no alert, annotation or roadmap
/// item.
fn findings(rules: &[Rule], categories: &[CategoryReport]) -> Vec<Finding> {
    let mut out: Vec<Finding> = categories
        .iter()
        .filter(|cat| cat.weight > 0.0)
        .flat_map(|cat| {
            cat.controls
                .iter()
                .filter(|c| c.status == Status::Fail)
                .filter_map(move |c| {
                    let rule = rules::find(rules, c.id)?;
                    Some(Finding {
                        rule: rule.id,
                        title: rule.title,
                        category: cat.id,
                        weight: c.weight,
                        impact: score::round1(f64::from(c.weight) * cat.weight),
                        effort: rule.effort,
                        // Placed below, once every finding is known.
                        horizon: crate::report::Horizon::of(c.weight, rule.effort),
                        security: rule.security,
                        message: c.message.clone(),
                        remediation: rule.remediation,
                        evidence: c.evidence.clone(),
                        fix: c.fix.clone(),
                    })
                })
        })
        .collect();
    out.sort_by(crate::report::by_impact);
    crate::report::assign_horizons(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_scans_stop_at_the_package_and_file_limits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("package.json", r#"{"workspaces": ["pkgs/*"]}"#);
        for name in ["a", "b", "c"] {
            write(&format!("pkgs/{name}/package.json"), "{}");
            write(&format!("pkgs/{name}/index.js"), "module.exports = 1;\n");
        }
        let opts = ScanOptions {
            root: root.to_path_buf(),
            package: None,
            config: None,
            min_score: None,
            profile: None,
            threads: 1,
            progress: false,
            reports: Vec::new(),
            each_package: false,
        };
        let outcome = |limits: PackageLimits| {
            let mut report = scan(&opts).unwrap().report;
            score_packages(&opts, &mut report, limits);
            report
                .packages
                .iter()
                .map(|p| match (&p.scan, &p.error) {
                    (Some(_), _) => "scored".to_string(),
                    (None, e) => e.clone().unwrap_or_default(),
                })
                .collect::<Vec<_>>()
        };
        let all = outcome(PACKAGE_LIMITS);
        assert_eq!(all, ["scored", "scored", "scored"]);
        let two = outcome(PackageLimits {
            packages: 2,
            files: 1_000,
        });
        assert_eq!(two[..2], ["scored", "scored"]);
        assert_eq!(two[2], "not scored: a run scores at most 2 packages");
        // The file budget is checked before each package: the first one spends it.
        let one_file = outcome(PackageLimits {
            packages: 10,
            files: 1,
        });
        assert_eq!(one_file[0], "scored");
        assert_eq!(
            one_file[1],
            "not scored: the package scans of a run read at most 1 files"
        );
    }

    #[test]
    fn report_paths_inside_the_root_are_found_even_before_they_exist() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("out")).unwrap();
        let outside = tempfile::tempdir().unwrap();
        let paths = [
            root.join("out/../r.json"),
            root.join("out/new.sarif"),
            root.join("missing/x.md"),
            outside.path().join("y.json"),
        ];
        assert_eq!(
            paths_inside(root, &paths),
            vec!["r.json", "out/new.sarif", "missing/x.md"]
        );
    }

    use crate::rules::Evidence;

    fn compose_failure() -> Outcome {
        Outcome::fail(
            "2 of 2 service(s) have no restart policy",
            vec![
                Evidence::at("compose.yaml", 3),
                Evidence::at("ops/docker-compose.yml", 5),
            ],
        )
    }

    fn config(text: &str) -> Config {
        Config::parse(text, "c.yml").unwrap()
    }

    #[test]
    fn a_glob_path_removes_only_the_evidence_it_covers() {
        let c = config("ignore: [{rule: compose-restart-policies, path: '*.yaml', reason: r}]");
        let mut o = compose_failure();
        apply_ignore(&mut o, &c.ignore[0].matcher());
        // Evidence elsewhere still fails, as with an exact path.
        assert_eq!(o.status, Status::Fail);
        let left: Vec<&str> = o.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(left, ["ops/docker-compose.yml"]);

        let c =
            config("ignore: [{rule: compose-restart-policies, path: '**/*compose*', reason: r}]");
        let mut o = compose_failure();
        apply_ignore(&mut o, &c.ignore[0].matcher());
        assert_eq!(o.status, Status::Na);
        assert!(
            o.message
                .contains("ignored by configuration for **/*compose*"),
            "{}",
            o.message
        );

        let c = config("ignore: [{rule: compose-restart-policies, path: '*.toml', reason: r}]");
        let mut o = compose_failure();
        apply_ignore(&mut o, &c.ignore[0].matcher());
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.evidence.len(), 2);
    }

    #[test]
    fn rule_globs_apply_and_entries_that_match_nothing_are_returned() {
        let rules = rules::builtin();
        let outcomes = || {
            rules
                .iter()
                .map(|r| match r.id {
                    "compose-restart-policies" => compose_failure(),
                    "compose-logging" => Outcome::pass("fine", vec![]),
                    _ => Outcome::na("not here"),
                })
                .collect::<Vec<_>>()
        };
        let c = config(
            "ignore:\n\
             - {rule: 'compose-*', path: 'compose.yaml', reason: a}\n\
             - {rule: compose-restart-policies, path: 'ops/**', reason: b}\n\
             - {rule: compose-restart-policies, path: '*.toml', reason: c}\n\
             - {rule: compose-logging, reason: d}\n\
             - {rule: 'dockerfile-*', reason: e}\n",
        );
        let (categories, ignored, unmatched) =
            assemble(&rules, outcomes(), &c, &Index::from_files(&[]));
        let control = categories
            .iter()
            .flat_map(|c| &c.controls)
            .find(|c| c.id == "compose-restart-policies")
            .unwrap();
        assert_eq!(control.status, Status::Na, "{control:?}");
        // The glob entry is listed for each rule it names, with the rule's id.
        assert!(ignored
            .iter()
            .any(|i| i.rule == "compose-healthchecks" && i.reason == "a"));
        let reasons: Vec<&str> = unmatched.iter().map(|u| u.reason.as_str()).collect();
        assert_eq!(reasons, ["c", "d", "e"]);
        assert_eq!(unmatched[2].rule, "dockerfile-*");

        // Whether an entry matched does not depend on the order: a path-less entry first
        // does not make the others unmatched.
        let c = config(
            "ignore:\n\
             - {rule: compose-restart-policies, reason: a}\n\
             - {rule: compose-restart-policies, path: '*.yaml', reason: b}\n",
        );
        let (_, _, unmatched) = assemble(&rules, outcomes(), &c, &Index::from_files(&[]));
        assert!(unmatched.is_empty(), "{unmatched:?}");
    }

    #[test]
    fn inline_comments_silence_the_evidence_they_sit_on() {
        let m = crate::suppress::MARKER;
        let rule = "compose-restart-policies";
        let compose = format!("services:\n  # {m} ignore[{rule}] one-shot migration job\n  db:\n");
        // Line 1 is two lines above the evidence at line 5: it does not cover it.
        let ops_far = format!("# {m} ignore[{rule}] far away\n");
        let index = Index::from_files(&[
            ("compose.yaml", &compose),
            ("ops/docker-compose.yml", &ops_far),
        ]);
        let mut ignored = Vec::new();
        let mut o = compose_failure();
        apply_inline(&mut o, rule, &index, &mut ignored);
        assert_eq!(o.status, Status::Fail);
        let left: Vec<&str> = o.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(left, ["ops/docker-compose.yml"]);
        assert_eq!(ignored.len(), 1);
        assert_eq!(
            (
                ignored[0].path.as_deref(),
                ignored[0].line,
                ignored[0].reason.as_str()
            ),
            (Some("compose.yaml"), Some(2), "one-shot migration job")
        );

        // Covering every location leaves the control out, saying where and why.
        let ops_near = format!("a\nb\nc\nd\nx: 1 # {m} ignore[other-rule, {rule}] dev only\n");
        let index = Index::from_files(&[
            ("compose.yaml", &compose),
            ("ops/docker-compose.yml", &ops_near),
        ]);
        let (mut ignored, mut o) = (Vec::new(), compose_failure());
        apply_inline(&mut o, rule, &index, &mut ignored);
        assert_eq!(o.status, Status::Na);
        assert_eq!(
            o.message,
            "ignored by an inline comment at compose.yaml:2: one-shot migration job"
        );
        assert_eq!(ignored.len(), 2);

        // Another rule's comment, or one without a reason, silences nothing.
        let other = format!("x\n# {m} ignore[compose-logging] r\n# {m} ignore[{rule}]\n");
        let index = Index::from_files(&[("compose.yaml", &other)]);
        let (mut ignored, mut o) = (Vec::new(), compose_failure());
        apply_inline(&mut o, rule, &index, &mut ignored);
        assert_eq!(
            (o.status, o.evidence.len(), ignored.len()),
            (Status::Fail, 2, 0)
        );
    }

    #[test]
    fn quoted_repository_values_are_bounded() {
        let huge = "x".repeat(1_000_000);
        let mut o = Outcome::fail(
            format!("image {huge} has no tag"),
            vec![Evidence::at("Dockerfile", 1).note(format!("{huge} has no tag"))],
        );
        bound_texts(&mut o);
        assert!(o.message.len() <= MAX_MESSAGE_BYTES);
        assert!(o.message.ends_with('…'));
        assert!(o.evidence[0].note.as_ref().unwrap().len() <= MAX_NOTE_BYTES);
        let mut short = Outcome::pass("fine", vec![Evidence::file("a").note("ok")]);
        bound_texts(&mut short);
        assert_eq!(short.message, "fine");
        assert_eq!(short.evidence[0].note.as_deref(), Some("ok"));
    }
}
