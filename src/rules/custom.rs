//! Rules defined in configuration (`custom-rules:`): a file that must exist or must not, a
//! pattern some file must contain or no file may contain. A pattern becomes a content signal,
//! so it is evaluated during the walk like the built-in ones and sees source files too.

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::config::{CustomRuleConfig, FileContains};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::sync::Arc;

pub enum CustomCheck {
    FileExists {
        globs: GlobSet,
        shown: String,
    },
    FileContains {
        signal: &'static str,
        shown: String,
    },
    /// A policy: no file may match (`file-absent`).
    FileAbsent {
        globs: GlobSet,
        shown: String,
    },
    /// A policy: no file may contain the pattern (`file-not-contains`).
    FileNotContains {
        signal: &'static str,
        shown: String,
    },
}

/// Compiled custom regexes may use at most this much memory: a hostile configuration
/// cannot make the scan slow or huge (the regex crate is linear-time already).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Builds rules and the signals they need. Strings are leaked on purpose: rules live for
/// the whole process and their metadata is `&'static` like the built-in ones.
pub fn build(configs: &[CustomRuleConfig]) -> Result<(Vec<Rule>, Vec<&'static Signal>), String> {
    let mut rules = Vec::new();
    let mut signals = Vec::new();
    for c in configs {
        if c.id.is_empty()
            || !c
                .id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        {
            return Err(format!("custom-rules: id {:?} must be kebab-case", c.id));
        }
        let category = Category::from_id(&c.category)
            .ok_or_else(|| format!("custom-rules.{}: unknown category {:?}", c.id, c.category))?;
        if !(1..=10).contains(&c.weight) {
            return Err(format!("custom-rules.{}: weight must be 1-10", c.id));
        }
        let checks = &c.check;
        let given = [
            checks.file_exists.is_some(),
            checks.file_contains.is_some(),
            checks.file_absent.is_some(),
            checks.file_not_contains.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() != 1 {
            return Err(format!(
                "custom-rules.{}: check needs exactly one of file-exists, file-contains, \
                 file-absent or file-not-contains",
                c.id
            ));
        }
        let check = if let Some(globs) = &checks.file_exists {
            let (globs, shown) = glob_set(&c.id, globs)?;
            CustomCheck::FileExists { globs, shown }
        } else if let Some(globs) = &checks.file_absent {
            let (globs, shown) = glob_set(&c.id, globs)?;
            CustomCheck::FileAbsent { globs, shown }
        } else if let Some(contains) = &checks.file_contains {
            let (signal, shown) = pattern_signal(&c.id, contains, &mut signals)?;
            CustomCheck::FileContains { signal, shown }
        } else if let Some(contains) = &checks.file_not_contains {
            let (signal, shown) = pattern_signal(&c.id, contains, &mut signals)?;
            CustomCheck::FileNotContains { signal, shown }
        } else {
            unreachable!("exactly one check is set (counted above)")
        };
        let passes_when = match &check {
            CustomCheck::FileExists { shown, .. } => format!("a file matches {shown}"),
            CustomCheck::FileContains { shown, .. } => format!("a file has {shown}"),
            CustomCheck::FileAbsent { shown, .. } => format!("no file matches {shown}"),
            CustomCheck::FileNotContains { shown, .. } => format!("no file has {shown}"),
        };
        rules.push(Rule {
            id: leak(c.id.clone()),
            title: leak(c.title.clone()),
            category,
            weight: c.weight,
            applies: Applies::ALL,
            rationale: "Defined by this repository's configuration.",
            passes_when: leak(passes_when),
            remediation: leak(
                c.remediation
                    .clone()
                    .unwrap_or_else(|| "See the custom rule in .devops-maturity.yml.".into()),
            ),
            snippet: None,
            snippets: &[],
            effort: Effort::Hours,
            security: false,
            check: Check::Custom(Arc::new(check)),
        });
    }
    Ok((rules, signals))
}

/// The globs of a `file-exists` or `file-absent` check, compiled, and as shown in messages.
fn glob_set(id: &str, globs: &[String]) -> Result<(GlobSet, String), String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("custom-rules.{id}: {e}"))?);
    }
    let set = b.build().map_err(|e| format!("custom-rules.{id}: {e}"))?;
    Ok((set, globs.join(", ")))
}

/// The content signal of a `file-contains` or `file-not-contains` check (added to `signals`),
/// its id, and the pattern as shown in messages.
fn pattern_signal(
    id: &str,
    FileContains { glob, regex }: &FileContains,
    signals: &mut Vec<&'static Signal>,
) -> Result<(&'static str, String), String> {
    Glob::new(glob).map_err(|e| format!("custom-rules.{id}: {e}"))?;
    regex::RegexBuilder::new(regex)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("custom-rules.{id}: invalid regex: {e}"))?;
    let signal_id = leak(format!("custom:{id}"));
    signals.push(Box::leak(Box::new(Signal {
        id: signal_id,
        files: Box::leak(vec![leak(glob.clone())].into_boxed_slice()),
        pattern: leak(regex.clone()),
        skip_tests: false,
    })));
    Ok((signal_id, format!("/{regex}/ in {glob}")))
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl CustomCheck {
    pub fn run(&self, ctx: &Context) -> Outcome {
        match self {
            CustomCheck::FileExists { globs, shown } => Outcome::present(
                matching(ctx, globs),
                format!("found a file matching {shown}"),
                format!("no file matches {shown}"),
                ctx.index.repo_anchor(),
            ),
            CustomCheck::FileContains { signal, shown } => Outcome::present(
                ctx.index.signal_evidence(signal),
                format!("found {shown}"),
                format!("no file has {shown}"),
                ctx.index.repo_anchor(),
            ),
            CustomCheck::FileAbsent { globs, shown } => forbidden(
                matching(ctx, globs),
                &format!("a file matches {shown}"),
                &format!("no file matches {shown}"),
            ),
            CustomCheck::FileNotContains { signal, shown } => forbidden(
                ctx.index.signal_evidence(signal),
                &format!("found {shown}"),
                &format!("no file has {shown}"),
            ),
        }
    }
}

/// A policy check: fails on every place the forbidden thing was found, passes when none was.
fn forbidden(found: Vec<Evidence>, found_message: &str, clean_message: &str) -> Outcome {
    match found.len() {
        0 => Outcome::pass(clean_message, Vec::new()),
        1 => Outcome::fail(found_message, found),
        n => Outcome::fail(format!("{found_message} ({n} files)"), found),
    }
}

/// Every file whose path matches one of the globs.
fn matching(ctx: &Context, globs: &GlobSet) -> Vec<Evidence> {
    ctx.index
        .files()
        .iter()
        .filter(|f| globs.is_match(&f.path))
        .map(|f| Evidence::file(f.path.clone()))
        .collect()
}
