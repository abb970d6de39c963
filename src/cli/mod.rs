//! The command line: `scan` (default), `rules`, `explain`, `init`, `schema`, and `action` (the
//! container action's entry point).

pub mod progress;

use crate::config;
use crate::detect::Profile;
use crate::exit;
use crate::report::{self, Report};
use crate::repository::Package;
use crate::rules::{self, Rule};
use crate::scan::{self, ScanError, ScanOptions};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "devops-maturity",
    version,
    about = "Scores a repository's DevOps maturity (0-10) with evidence, and holds the line in CI.",
    long_about = "Scores a repository's DevOps maturity (0-10) with evidence, and holds the line in CI.\n\n\
        Exit codes: 0 scanned and score >= min-score; 1 score below min-score; \
        2 usage or configuration error; 3 the scan could not be completed.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scan options, when no subcommand is given (same as `scan`).
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan a repository (the default).
    Scan(Box<ScanArgs>),
    /// List every rule: id, category, weight and title.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Explain a rule: why it matters, what passes, how to fix it.
    Explain {
        /// Rule id, e.g. dockerfile-healthcheck.
        rule: String,
    },
    /// Print the fix for one rule's gap, built for the repository where it can be (a CI
    /// workflow from its stacks and scripts, a Dependabot file of its ecosystems …); the
    /// first line names the file, so `> FILE` works. Prints nothing when the rule passes.
    Fix {
        /// Rule id, e.g. ci-configured.
        rule: String,
        /// Repository to scan.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Configuration file [default: .devops-maturity.yml or .yaml in PATH].
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the JSON Schema of the JSON report or of the configuration file.
    Schema {
        #[arg(value_enum)]
        kind: crate::schema::Kind,
    },
    /// Write a commented .devops-maturity.yml with every option at its default.
    Init {
        /// Folder to write it in.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Run as the GitHub Action (reads INPUT_* variables).
    #[command(hide = true)]
    Action,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ScanArgs {
    /// Repository to scan.
    pub path: Option<PathBuf>,
    /// Configuration file [default: .devops-maturity.yml or .yaml in PATH].
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Exit 1 when the score is below this (0-10; overrides the configuration).
    #[arg(long, value_parser = parse_min_score)]
    pub min_score: Option<f64>,
    /// Report printed on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write the JSON report to FILE (`-`: stdout, instead of --format).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Also write SARIF (for GitHub code scanning) to FILE (`-`: stdout, instead of --format).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Code scanning category of the SARIF (its automationDetails.id, `/` appended) [default:
    /// devops-maturity/ for the current directory, devops-maturity/<PATH>/ for a folder in it].
    #[arg(long, value_name = "CATEGORY", value_parser = report::sarif::category_id)]
    pub sarif_category: Option<String>,
    /// Lowest level of SARIF results (note keeps every gap; warning drops rules of weight 4 and
    /// less; error keeps weight 8-10) [default: note].
    #[arg(long, value_name = "LEVEL", value_parser = report::sarif::MinLevel::parse)]
    pub sarif_level: Option<report::sarif::MinLevel>,
    /// Also write the markdown summary to FILE (`-`: stdout, instead of --format).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Also write a README badge (shields.io endpoint JSON: score and level) to FILE (`-`:
    /// stdout, instead of --format).
    #[arg(long, value_name = "FILE")]
    pub badge: Option<PathBuf>,
    /// Repository profile; auto detects it.
    #[arg(long, value_enum, default_value_t = ProfileArg::Auto)]
    pub profile: ProfileArg,
    /// An earlier JSON report (e.g. the base branch's) to compare with: score change, new and
    /// resolved gaps.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Exit 1 when the score is below the --baseline report's.
    #[arg(long, requires = "baseline")]
    pub fail_on_regression: bool,
    /// Worker threads [default: available cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Print nothing but errors (reports to files are still written).
    #[arg(long, short)]
    pub quiet: bool,
    /// Scan PATH alone. By default a folder inside a git repository (a monorepo's package)
    /// is scanned with the repository's shared files: `.github/`, other CI configuration,
    /// SECURITY.md, CODEOWNERS, LICENSE, Renovate and pre-commit configuration.
    #[arg(long)]
    pub standalone: bool,
    /// Also score each workspace package PATH declares (npm/Yarn/pnpm workspaces, Cargo,
    /// go.work, uv, Gradle, Maven, .sln), each as a package scan: a table in the reports.
    /// The gate stays PATH's score.
    #[arg(long)]
    pub each_package: bool,
    /// The repository PATH belongs to, when known (the action's workspace); otherwise the
    /// nearest folder above PATH that holds `.git`.
    #[arg(skip)]
    pub repository: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
    Sarif,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
    Markdown,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileArg {
    #[default]
    Auto,
    Service,
    Library,
    Cli,
}

impl ProfileArg {
    pub fn profile(self) -> Option<Profile> {
        match self {
            ProfileArg::Auto => None,
            ProfileArg::Service => Some(Profile::Service),
            ProfileArg::Library => Some(Profile::Library),
            ProfileArg::Cli => Some(Profile::Cli),
        }
    }
}

pub fn parse_min_score(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number from 0 to 10"))?;
    if (0.0..=10.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 10"))
    }
}

/// Runs the command line and returns the process exit code. A panic (a bug, whatever input
/// caused it) ends as exit code 3 with a one-line message, never as Rust's 101 with a message
/// that could carry repository text into the log unescaped.
pub fn run(cli: Cli) -> i32 {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error (a bug, please report it): {}",
            one_line(&format!("{what}{at}"))
        );
    }));
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli)))
        .unwrap_or(exit::SCAN_FAILED)
}

fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        None => run_scan(&cli.scan),
        Some(Command::Scan(args)) => run_scan(&args),
        Some(Command::Rules { format }) => {
            print_stdout(&list_rules(&rules::builtin(), format)).unwrap_or_else(|code| code)
        }
        Some(Command::Explain { rule }) => match rules::find(&rules::builtin(), &rule) {
            Some(r) => print_stdout(&explain(r)).unwrap_or_else(|code| code),
            None => {
                eprintln!("error: no rule {rule:?}; `devops-maturity rules` lists them");
                exit::USAGE
            }
        },
        Some(Command::Fix { rule, path, config }) => fix(&rule, path, config),
        Some(Command::Schema { kind }) => {
            print_stdout(&crate::schema::render(kind)).unwrap_or_else(|code| code)
        }
        Some(Command::Init { path, force }) => init(&path, force),
        Some(Command::Action) => crate::github::run_action(),
    }
}

/// `fix RULE PATH`: scan quietly, then print the rule's fix for this repository (its own, or
/// the rule's snippet for the stacks found) on stdout and what the control says on stderr.
fn fix(rule: &str, path: PathBuf, config: Option<PathBuf>) -> i32 {
    let Some(known) = rules::find(&rules::builtin(), rule).map(|r| r.id) else {
        eprintln!("error: no rule {rule:?}; `devops-maturity rules` lists them");
        return exit::USAGE;
    };
    let args = ScanArgs {
        path: Some(path),
        config,
        no_progress: true,
        quiet: true,
        ..Default::default()
    };
    let scan::Scanned { report, rules } = match scan::scan(&scan_options(&args)) {
        Ok(s) => s,
        Err(e) => return scan_error_exit(&e),
    };
    let Some(control) = report
        .categories
        .iter()
        .flat_map(|c| &c.controls)
        .find(|c| c.id == known)
    else {
        // Disabled in the configuration: there is no result to fix.
        eprintln!("{known}: disabled by the configuration");
        return exit::OK;
    };
    let said = one_line(&format!("{known}: {}", control.message));
    if control.status != rules::Status::Fail {
        eprintln!("{said}; nothing to fix");
        return exit::OK;
    }
    let stacks: Vec<_> = report.stacks.iter().map(|s| s.id).collect();
    let generic = rules::find(&rules, known).and_then(|r| r.snippet_for(&stacks));
    match (control.fix.as_deref(), generic) {
        (Some(own), _) => {
            eprintln!(
                "{said}\nthe fix below was built from this repository; review it before committing"
            );
            print_stdout(&format!("{}\n", own.trim_end())).unwrap_or_else(|code| code)
        }
        (None, Some(snippet)) => {
            eprintln!("{said}\nthe rule's generic fix: adapt it to the repository");
            print_stdout(&format!("{}\n", snippet.trim_end())).unwrap_or_else(|code| code)
        }
        (None, None) => {
            eprintln!("{said}\nno snippet for this rule; `devops-maturity explain {known}` says how to fix it");
            exit::OK
        }
    }
}

/// Defaults of the scan the action and the CLI share.
pub fn scan_options(args: &ScanArgs) -> ScanOptions {
    let threads = args.threads.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let package = match (&args.repository, args.standalone) {
        (_, true) => None,
        (Some(repository), false) => Package::new(&root, repository),
        (None, false) => Package::enclosing(&root),
    };
    ScanOptions {
        root,
        package,
        config: args.config.clone(),
        min_score: args.min_score,
        profile: args.profile.profile(),
        threads,
        progress: !args.quiet && !args.no_progress && progress::allowed(),
        reports: [
            &args.json,
            &args.sarif,
            &args.markdown,
            &args.badge,
            &args.baseline,
        ]
        .into_iter()
        .flatten()
        .filter(|p| !is_stdout(p))
        .cloned()
        .collect(),
        each_package: args.each_package,
    }
}

/// Maps a scan error to its message and exit code.
pub fn scan_error_exit(e: &ScanError) -> i32 {
    eprintln!("error: {}", one_line(&e.to_string()));
    match e {
        ScanError::Config(_) => exit::USAGE,
        ScanError::Failed(_) => exit::SCAN_FAILED,
    }
}

/// The SARIF's `automationDetails.id`: `--sarif-category` (validated when parsed), else the
/// default for PATH relative to the current directory (the repository root in a CI step); a
/// folder outside the current directory gets the root's `devops-maturity/`.
pub fn sarif_automation_id(args: &ScanArgs) -> Result<String, String> {
    if let Some(id) = &args.sarif_category {
        return Ok(id.clone());
    }
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let folder = std::env::current_dir()
        .ok()
        .and_then(|cwd| report::sarif::relative_folder(&path, &cwd))
        .unwrap_or_default();
    report::sarif::automation_id(None, &folder)
}

fn run_scan(args: &ScanArgs) -> i32 {
    let to_stdout = [&args.json, &args.sarif, &args.markdown, &args.badge]
        .into_iter()
        .flatten()
        .filter(|p| is_stdout(p))
        .count();
    if to_stdout > 1 {
        eprintln!("error: only one of --json, --sarif, --markdown and --badge can be `-` (stdout)");
        return exit::USAGE;
    }
    let automation_id = if args.sarif.is_some() || args.format == Format::Sarif {
        match sarif_automation_id(args) {
            Ok(id) => id,
            Err(e) => {
                eprintln!("error: {}", one_line(&format!("--sarif-category: {e}")));
                return exit::USAGE;
            }
        }
    } else {
        report::sarif::AUTOMATION_ID.to_string()
    };
    let earlier = match args.baseline.as_deref().map(report::baseline::load) {
        Some(Err(e)) => {
            eprintln!("error: {}", one_line(&format!("--baseline: {e}")));
            return exit::USAGE;
        }
        Some(Ok(earlier)) => Some(earlier),
        None => None,
    };
    let scan::Scanned { mut report, rules } = match scan::scan(&scan_options(args)) {
        Ok(s) => s,
        Err(e) => return scan_error_exit(&e),
    };
    if let (Some(earlier), Some(file)) = (&earlier, &args.baseline) {
        apply_baseline(
            &mut report,
            earlier,
            &file.display().to_string(),
            args.fail_on_regression,
        );
    }
    // A package's SARIF is repository-relative, like the action's, so that shared files
    // (`../.github/...` from the package) resolve against the checkout.
    let sarif_options = report::sarif::Options {
        path_prefix: report.package.as_deref().unwrap_or(""),
        automation_id: &automation_id,
        min_level: args.sarif_level.unwrap_or_default(),
    };
    if let Err(code) = write_reports(&report, &rules, args, &sarif_options) {
        return code;
    }
    // A report sent to `-` was asked for by name: it replaces --format and --quiet.
    let stdout = match (&args.json, &args.sarif, &args.markdown, &args.badge) {
        (Some(p), _, _, _) if is_stdout(p) => Some((report::json::render(&report), true)),
        (_, Some(p), _, _) if is_stdout(p) => Some((
            report::sarif::render_with(&report, &rules, &sarif_options),
            true,
        )),
        (_, _, Some(p), _) if is_stdout(p) => Some((
            report::markdown::render(&report, &rules, &Default::default()),
            false,
        )),
        (_, _, _, Some(p)) if is_stdout(p) => Some((report::badge::render(&report), true)),
        _ => (!args.quiet).then(|| match args.format {
            Format::Text => (
                report::text::render(&report, report::text::use_colour()),
                false,
            ),
            Format::Json => (report::json::render(&report), true),
            Format::Markdown => (
                report::markdown::render(&report, &rules, &Default::default()),
                false,
            ),
            Format::Sarif => (
                report::sarif::render_with(&report, &rules, &sarif_options),
                true,
            ),
        }),
    };
    if let Some((out, json)) = stdout {
        if let Err(code) = print_stdout(&neutralise_commands(&out, json)) {
            return code;
        }
    }
    verdict_exit(&report)
}

/// Writes to stdout. A reader that stops early (`| head`) closes the pipe: that is its
/// choice, not an error of ours, so the exit code stays the scan's. Any other write error
/// (a full disk behind a redirect) ends the run with exit code 3.
fn print_stdout(text: &str) -> Result<i32, i32> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(exit::OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            Err(exit::SCAN_FAILED)
        }
    }
}

/// Stdout may be a CI log: GitHub's runner executes a line that starts with `::` (after
/// whitespace) and a legacy `##[` anywhere in a line, whatever printed it — also when the CLI
/// runs in a plain `run:` step or inside `docker run`, where no variable says so. Repository
/// text in a report (a file named `::add-mask::x`, a workflow called `##[error]`) must never
/// form a command. JSON keeps its meaning: `[` inside a string becomes `\u005b` (`##[` can only
/// occur inside strings, and a JSON line never starts with `::`). Text and markdown get a
/// backslash, which markdown renders away. Azure Pipelines' `##vso[` and TeamCity's
/// `##teamcity[` service messages are broken the same way.
pub fn neutralise_commands(text: &str, json: bool) -> String {
    let bracket = if json { "\\u005b" } else { "\\[" };
    let defuse = |s: &str| {
        LOG_COMMAND_PREFIXES.iter().fold(s.to_string(), |acc, p| {
            acc.replace(&format!("{p}["), &format!("{p}{bracket}"))
        })
    };
    if json {
        return defuse(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive(['\n', '\r']) {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        out.push_str(indent);
        if body.starts_with("::") {
            out.push('\\');
        }
        out.push_str(&defuse(body));
    }
    out
}

/// CI log command prefixes recognised anywhere in a line (before their `[`).
const LOG_COMMAND_PREFIXES: [&str; 3] = ["##", "##vso", "##teamcity"];

/// An error message as one inert log line: control characters (a newline in a YAML key) are
/// shown escaped, and no workflow command can form (see [`neutralise_commands`]).
pub fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push(' '),
            c if c.is_control() || crate::escape::is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    neutralise_commands(&out, false)
}

/// Adds the comparison with the baseline to the report; with `fail_on_regression`, a lower
/// score than the baseline's fails the gate like a score below `min-score` does.
pub fn apply_baseline(
    report: &mut Report,
    earlier: &report::baseline::Earlier,
    file: &str,
    fail_on_regression: bool,
) {
    let comparison = report::baseline::compare(earlier, report, file, fail_on_regression);
    if comparison.fails() {
        report.passed = false;
    }
    report.baseline = Some(comparison);
}

pub fn verdict_exit(report: &Report) -> i32 {
    if report.passed {
        exit::OK
    } else {
        exit::BELOW_MIN_SCORE
    }
}

/// Writes the report files asked for; every file is written before the verdict is known,
/// so an upload step still gets them when the score is too low.
/// `sarif` says how the SARIF is written (its category: [`sarif_automation_id`]).
pub fn write_reports(
    report: &Report,
    rules: &[Rule],
    args: &ScanArgs,
    sarif: &report::sarif::Options,
) -> Result<(), i32> {
    if let Some(p) = args.json.as_ref().filter(|p| !is_stdout(p)) {
        write_file(p, &report::json::render(report))?;
    }
    if let Some(p) = args.sarif.as_ref().filter(|p| !is_stdout(p)) {
        write_file(p, &report::sarif::render_with(report, rules, sarif))?;
    }
    if let Some(p) = args.markdown.as_ref().filter(|p| !is_stdout(p)) {
        write_file(
            p,
            &report::markdown::render(report, rules, &Default::default()),
        )?;
    }
    if let Some(p) = args.badge.as_ref().filter(|p| !is_stdout(p)) {
        write_file(p, &report::badge::render(report))?;
    }
    Ok(())
}

/// `-` as a report file means stdout, as for most command-line tools.
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn write_file(path: &Path, text: &str) -> Result<(), i32> {
    std::fs::write(path, text).map_err(|e| {
        eprintln!(
            "error: {}",
            one_line(&format!("cannot write {}: {e}", path.display()))
        );
        exit::SCAN_FAILED
    })
}

pub fn list_rules(rules: &[Rule], format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "title": r.title,
                        "category": r.category.id(),
                        "weight": r.weight,
                        "applies_to": r.applies.describe(),
                        "security": r.security,
                        "effort": r.effort,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
        }
        ListFormat::Text => {
            let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let mut out = String::new();
            for r in rules {
                out.push_str(&format!(
                    "{:<width$}  {:<13} {:>2}  {}\n",
                    r.id,
                    r.category.id(),
                    r.weight,
                    r.title
                ));
            }
            out.push_str(&format!("{} rules\n", rules.len()));
            out
        }
        ListFormat::Markdown => crate::report::markdown::rules_doc(rules),
    }
}

pub fn explain(r: &Rule) -> String {
    let mut out = format!(
        "{id}: {title}\ncategory: {cat} ({cat_title}), weight {w}, applies to {applies}, effort {effort}\n\n\
         Why: {why}\n\nPasses when: {passes}\n\nRemediation: {fix}\n",
        id = r.id,
        title = r.title,
        cat = r.category.id(),
        cat_title = r.category.title(),
        w = r.weight,
        applies = r.applies.describe(),
        effort = r.effort.label(),
        why = r.rationale,
        passes = r.passes_when,
        fix = r.remediation,
    );
    let snippets = r.snippets_text();
    if !snippets.is_empty() {
        out.push('\n');
        out.push_str(&snippets);
        out.push('\n');
    }
    // Where the control does not apply, the two ways to say so (README "Configuration").
    out.push_str(&format!(
        "\nWhere it does not apply: a comment at the finding, `# {marker} ignore[{id}] <reason>`, \
         or an entry in .devops-maturity.yml, `ignore: [{{rule: {id}, reason: <reason>}}]`.\n",
        marker = crate::suppress::MARKER,
        id = r.id,
    ));
    out
}

fn init(dir: &Path, force: bool) -> i32 {
    let path = dir.join(config::DEFAULT_FILE_NAMES[0]);
    if path.exists() && !force {
        eprintln!(
            "error: {} exists; use --force to overwrite it",
            path.display()
        );
        return exit::USAGE;
    }
    match std::fs::write(&path, config::template()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            exit::OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::SCAN_FAILED
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ignore_comment_explain_prints_is_one_the_scan_honours() {
        for rule in crate::rules::builtin() {
            let text = explain(&rule);
            let comment = text
                .split('`')
                .find(|part| part.contains(crate::suppress::MARKER))
                .expect("explain shows the inline comment");
            let found = crate::suppress::find(&comment.replace("<reason>", "why"));
            assert_eq!(found.len(), 1, "{comment}");
            assert!(found[0].covers(rule.id, Some(2)), "{comment}");
        }
    }

    #[test]
    fn no_workflow_command_survives_on_stdout() {
        let t = neutralise_commands(
            "ok\n      ::error::x\r::add-mask::y\n  a ##[error]z\n",
            false,
        );
        assert_eq!(
            t,
            "ok\n      \\::error::x\r\\::add-mask::y\n  a ##\\[error]z\n"
        );
        assert_eq!(
            neutralise_commands("##vso[task.setvariable variable=x]1 ##teamcity[x]", false),
            "##vso\\[task.setvariable variable=x]1 ##teamcity\\[x]"
        );
        let j = neutralise_commands("{\n  \"path\": \"##[error]x ##vso[y]\"\n}\n", true);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["path"], "##[error]x ##vso[y]");
        assert!(!j.contains("##["));
    }

    #[test]
    fn error_messages_are_one_inert_line() {
        assert_eq!(
            one_line("unknown field `a\n::error::x\r##[error]y\u{202e}`"),
            "unknown field `a\\n::error::x\\r##\\[error]y\\u{202e}`"
        );
        assert_eq!(one_line("::error::start"), "\\::error::start");
    }
}
