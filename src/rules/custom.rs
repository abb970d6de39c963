//! Rules defined in configuration (`custom-rules:`). A `file-contains` check becomes a content
//! signal, so it is evaluated during the walk like the built-in ones and sees source files too.

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::config::{CustomRuleConfig, FileContains};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::sync::Arc;

pub enum CustomCheck {
    FileExists { globs: GlobSet, shown: String },
    FileContains { signal: &'static str, shown: String },
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
        let check = match (&c.check.file_exists, &c.check.file_contains) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(format!(
                    "custom-rules.{}: check needs exactly one of file-exists or file-contains",
                    c.id
                ))
            }
            (Some(globs), None) => {
                let mut b = GlobSetBuilder::new();
                for g in globs {
                    b.add(Glob::new(g).map_err(|e| format!("custom-rules.{}: {e}", c.id))?);
                }
                CustomCheck::FileExists {
                    globs: b
                        .build()
                        .map_err(|e| format!("custom-rules.{}: {e}", c.id))?,
                    shown: globs.join(", "),
                }
            }
            (None, Some(FileContains { glob, regex })) => {
                Glob::new(glob).map_err(|e| format!("custom-rules.{}: {e}", c.id))?;
                regex::RegexBuilder::new(regex)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| format!("custom-rules.{}: invalid regex: {e}", c.id))?;
                let id = leak(format!("custom:{}", c.id));
                let signal: &'static Signal = Box::leak(Box::new(Signal {
                    id,
                    files: Box::leak(vec![leak(glob.clone())].into_boxed_slice()),
                    pattern: leak(regex.clone()),
                    skip_tests: false,
                }));
                signals.push(signal);
                CustomCheck::FileContains {
                    signal: id,
                    shown: format!("/{regex}/ in {glob}"),
                }
            }
        };
        let passes_when = match &check {
            CustomCheck::FileExists { shown, .. } => format!("a file matches {shown}"),
            CustomCheck::FileContains { shown, .. } => format!("a file has {shown}"),
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

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl CustomCheck {
    pub fn run(&self, ctx: &Context) -> Outcome {
        match self {
            CustomCheck::FileExists { globs, shown } => {
                let found: Vec<Evidence> = ctx
                    .index
                    .files()
                    .iter()
                    .filter(|f| globs.is_match(&f.path))
                    .map(|f| Evidence::file(f.path.clone()))
                    .collect();
                Outcome::present(
                    found,
                    format!("found a file matching {shown}"),
                    format!("no file matches {shown}"),
                    ctx.index.repo_anchor(),
                )
            }
            CustomCheck::FileContains { signal, shown } => Outcome::present(
                ctx.index.signal_evidence(signal),
                format!("found {shown}"),
                format!("no file has {shown}"),
                ctx.index.repo_anchor(),
            ),
        }
    }
}
