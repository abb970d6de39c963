//! The command line: `scan` (default), `rules`, `explain`, `init`, and `action` (the
//! container action's entry point).

pub mod progress;

use crate::config;
use crate::detect::Profile;
use crate::exit;
use crate::report::{self, Report};
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
    Scan(ScanArgs),
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
    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Also write SARIF (for GitHub code scanning) to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Also write the markdown summary to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Repository profile; auto detects it.
    #[arg(long, value_enum, default_value_t = ProfileArg::Auto)]
    pub profile: ProfileArg,
    /// Worker threads [default: available cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Print nothing but errors (reports to files are still written).
    #[arg(long, short)]
    pub quiet: bool,
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

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        None => run_scan(&cli.scan),
        Some(Command::Scan(args)) => run_scan(&args),
        Some(Command::Rules { format }) => {
            print!("{}", list_rules(&rules::builtin(), format));
            exit::OK
        }
        Some(Command::Explain { rule }) => match rules::find(&rules::builtin(), &rule) {
            Some(r) => {
                print!("{}", explain(r));
                exit::OK
            }
            None => {
                eprintln!("error: no rule {rule:?}; `devops-maturity rules` lists them");
                exit::USAGE
            }
        },
        Some(Command::Init { path, force }) => init(&path, force),
        Some(Command::Action) => crate::github::run_action(),
    }
}

/// Defaults of the scan the action and the CLI share.
pub fn scan_options(args: &ScanArgs) -> ScanOptions {
    let threads = args.threads.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    ScanOptions {
        root: args.path.clone().unwrap_or_else(|| PathBuf::from(".")),
        config: args.config.clone(),
        min_score: args.min_score,
        profile: args.profile.profile(),
        threads,
        progress: !args.quiet && !args.no_progress && progress::allowed(),
    }
}

/// Maps a scan error to its message and exit code.
pub fn scan_error_exit(e: &ScanError) -> i32 {
    eprintln!("error: {e}");
    match e {
        ScanError::Config(_) => exit::USAGE,
        ScanError::Failed(_) => exit::SCAN_FAILED,
    }
}

fn run_scan(args: &ScanArgs) -> i32 {
    let scan::Scanned { report, rules } = match scan::scan(&scan_options(args)) {
        Ok(s) => s,
        Err(e) => return scan_error_exit(&e),
    };
    if let Err(code) = write_reports(&report, &rules, args) {
        return code;
    }
    if !args.quiet {
        let out = match args.format {
            Format::Text => report::text::render(&report, report::text::use_colour()),
            Format::Json => report::json::render(&report),
            Format::Markdown => report::markdown::render(&report, &rules, &Default::default()),
            Format::Sarif => report::sarif::render(&report, &rules),
        };
        print!("{out}");
    }
    verdict_exit(&report)
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
pub fn write_reports(report: &Report, rules: &[Rule], args: &ScanArgs) -> Result<(), i32> {
    if let Some(p) = &args.json {
        write_file(p, &report::json::render(report))?;
    }
    if let Some(p) = &args.sarif {
        write_file(p, &report::sarif::render(report, rules))?;
    }
    if let Some(p) = &args.markdown {
        write_file(
            p,
            &report::markdown::render(report, rules, &Default::default()),
        )?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), i32> {
    std::fs::write(path, text).map_err(|e| {
        eprintln!("error: cannot write {}: {e}", path.display());
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
    if let Some(s) = r.snippet {
        out.push('\n');
        out.push_str(s.trim_end());
        out.push('\n');
    }
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
