//! The report: one model (serialized as the versioned JSON) that every renderer reads.

pub mod badge;
pub mod baseline;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::detect::{Profile, ProfileDetection, Stack};
use crate::rules::{Category, Effort, Evidence, Status};
use crate::score::Level;
use crate::walk::Skipped;
use schemars::JsonSchema;
use serde::Serialize;

/// Bumped on any incompatible change of the JSON report.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    /// The report format's version: bumped on any incompatible change.
    #[schemars(extend("const" = 1))]
    pub schema_version: u32,
    pub tool: ToolInfo,
    /// The scanned path as given on the command line.
    pub root: String,
    /// When the scanned folder is a package of a larger repository: its path there
    /// (`services/orders`). The repository root's shared files (`.github/`, SECURITY.md,
    /// CODEOWNERS, …) were scanned with it, and evidence in them has paths that start with
    /// `../`. Left out for a repository root and for `--standalone` scans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    pub profile: ProfileDetection,
    pub stacks: Vec<Stack>,
    /// The packages the scanned folder's workspace declares (npm, Yarn and pnpm workspaces,
    /// Lerna, Cargo, `go.work`, uv, Gradle, Maven, `.sln`), each of which can be scanned on
    /// its own.
    /// Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<crate::workspace::WorkspacePackage>,
    /// The overall score, 0-10, one decimal.
    #[schemars(range(min = 0, max = 10))]
    pub score: f64,
    pub level: Level,
    /// The score below which the run fails (exit code 1).
    #[schemars(range(min = 0, max = 10))]
    pub min_score: f64,
    /// The gate: the score is at least `min_score`, no required control fails (`rules.<id>.
    /// required`), and, with `--fail-on-regression`, the score is not below the baseline's.
    pub passed: bool,
    /// Required controls that fail (each one fails the gate). Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_failed: Vec<&'static str>,
    /// The comparison with `--baseline`, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<baseline::Comparison>,
    pub categories: Vec<CategoryReport>,
    /// Failed controls, most impactful first (rule weight × category weight).
    pub findings: Vec<Finding>,
    /// Controls left out by the configuration's `ignore:` list, with the reason given.
    pub ignored: Vec<Ignored>,
    /// `ignore:` entries that matched no failed control in this scan: stale or mistyped.
    /// Left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_unmatched: Vec<UnmatchedIgnore>,
    pub skipped: Vec<Skipped>,
    pub history: crate::history::Summary,
    pub stats: Stats,
}

/// A workspace package's own scan, in brief (`--each-package`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PackageScan {
    #[schemars(range(min = 0, max = 10))]
    pub score: f64,
    pub level: Level,
    pub profile: Profile,
    /// The package's score reaches `min_score` and no required control fails.
    pub passed: bool,
    /// How many gaps its scan found.
    pub findings: usize,
    /// Its most impactful gap (rule id and title), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_finding: Option<TopFinding>,
    /// Each category's score (null: not applicable), by category id.
    pub categories: std::collections::BTreeMap<&'static str, Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TopFinding {
    pub rule: &'static str,
    pub title: &'static str,
}

impl PackageScan {
    pub fn of(report: &Report) -> Self {
        PackageScan {
            score: report.score,
            level: report.level,
            profile: report.profile.value,
            passed: report.passed,
            findings: report.findings.len(),
            top_finding: report.findings.first().map(|f| TopFinding {
                rule: f.rule,
                title: f.title,
            }),
            categories: report
                .categories
                .iter()
                .map(|c| (c.id.id(), c.score))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

impl ToolInfo {
    pub fn current() -> Self {
        ToolInfo {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CategoryReport {
    pub id: Category,
    pub title: &'static str,
    pub weight: f64,
    pub score: Option<f64>,
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Control {
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    pub weight: u8,
    /// Marked `required` in the configuration: a failure fails the gate. Left out when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    pub evidence: Vec<Evidence>,
    pub message: String,
    /// Carried to the finding; not repeated in the control.
    #[serde(skip)]
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    pub rule: &'static str,
    pub title: &'static str,
    pub category: Category,
    pub weight: u8,
    /// Rule weight × category weight: the order of the roadmap.
    pub impact: f64,
    pub effort: Effort,
    /// Where the roadmap places the gap (see [`assign_horizons`]).
    #[schemars(description = "Where the roadmap places the gap.")]
    pub horizon: Horizon,
    pub security: bool,
    pub message: String,
    /// How to fix it: the rule's remediation, in one or two sentences.
    pub remediation: &'static str,
    pub evidence: Vec<Evidence>,
    /// A fix built from this repository's own files (for a missing CI pipeline: a workflow
    /// with its stacks, package manager and scripts), used instead of the rule's generic
    /// snippet. Left out when the rule has none for this repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// When a gap should be closed on the roadmap: quick wins now, larger work later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Horizon {
    /// This week.
    Immediate,
    /// The next two weeks.
    Sprint,
    /// This quarter.
    Quarter,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Horizon::Immediate, Horizon::Sprint, Horizon::Quarter];

    /// Impact × effort: cheap fixes of anything that matters, and expensive fixes of critical
    /// gaps, come first; large work on minor practices comes last. The horizon a gap calls
    /// for on its own, before [`assign_horizons`] applies the capacity of each horizon.
    pub fn of(weight: u8, effort: Effort) -> Horizon {
        match effort {
            Effort::Minutes if weight >= 4 => Horizon::Immediate,
            Effort::Hours if weight >= 8 => Horizon::Immediate,
            Effort::Hours if weight <= 3 => Horizon::Quarter,
            Effort::Days if weight >= 9 => Horizon::Sprint,
            Effort::Days => Horizon::Quarter,
            _ => Horizon::Sprint,
        }
    }

    /// Gaps a horizon holds before the rest moves to the next one; the last takes everything.
    pub fn capacity(self) -> usize {
        match self {
            Horizon::Immediate => IMMEDIATE_MAX,
            Horizon::Sprint => SPRINT_MAX,
            Horizon::Quarter => usize::MAX,
        }
    }

    fn next(self) -> Horizon {
        match self {
            Horizon::Immediate => Horizon::Sprint,
            Horizon::Sprint | Horizon::Quarter => Horizon::Quarter,
        }
    }
}

/// Gaps placed in the immediate horizon at most; the rest moves to the sprint.
pub const IMMEDIATE_MAX: usize = 5;
/// Gaps placed in the sprint horizon at most; the rest moves to the quarter.
pub const SPRINT_MAX: usize = 10;

/// `3 packages`, `1 package`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first five items joined with `, `, and how many more there are.
pub(crate) fn first_few<S: AsRef<str>>(items: impl ExactSizeIterator<Item = S>) -> String {
    const SHOWN: usize = 5;
    let more = items.len().saturating_sub(SHOWN);
    let mut text: Vec<String> = items.take(SHOWN).map(|s| s.as_ref().to_string()).collect();
    if more > 0 {
        text.push(format!("+{more} more"));
    }
    text.join(", ")
}

/// Skipped files counted by kind of reason, most first: `960 text not kept, 5 binary`. The
/// kind is the reason up to its details (`: …` or ` (…)`).
pub(crate) fn skipped_kinds(skipped: &[crate::walk::Skipped]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for s in skipped {
        let end = [s.reason.find(':'), s.reason.find(" (")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(s.reason.len());
        *counts.entry(&s.reason[..end]).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    first_few(counts.iter().map(|(kind, n)| format!("{n} {kind}")))
}

/// The roadmap's order: most impactful first, the cheaper fix first on equal impact, then by
/// rule id. Findings are kept in this order, and each horizon lists its gaps in it.
pub fn by_impact(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.impact
        .total_cmp(&a.impact)
        .then(a.effort.cmp(&b.effort))
        .then(a.rule.cmp(b.rule))
}

/// Sets every finding's [`Finding::horizon`]: the horizon its weight and effort call for
/// ([`Horizon::of`]), taken in [`by_impact`] order until that horizon is full
/// ([`Horizon::capacity`]); a gap that does not fit moves to the next horizon. The one place
/// the roadmap is decided: the JSON carries the result and the markdown summary renders it.
pub fn assign_horizons(findings: &mut [Finding]) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| by_impact(&findings[a], &findings[b]));
    let mut placed = [0usize; Horizon::ALL.len()];
    for i in order {
        let f = &mut findings[i];
        let mut h = Horizon::of(f.weight, f.effort);
        while placed[h as usize] >= h.capacity() {
            h = h.next();
        }
        placed[h as usize] += 1;
        f.horizon = h;
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Ignored {
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Set for an inline `devops-maturity: ignore[...]` comment: the comment's line in `path`.
    /// Absent for an `ignore:` entry of the configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub reason: String,
}

/// An `ignore:` entry as written in the configuration (`rule` may be a glob).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnmatchedIgnore {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub skipped: u64,
    /// Wall time of the scan: the one field that differs between identical runs.
    pub duration_ms: u64,
}

impl Report {
    pub fn controls(&self) -> impl Iterator<Item = (&CategoryReport, &Control)> {
        self.categories
            .iter()
            .flat_map(|c| c.controls.iter().map(move |ctl| (c, ctl)))
    }

    /// The conditions of the gate that failed (empty: it passes).
    pub fn gate_failures(&self) -> Vec<GateFailure<'_>> {
        let mut failed = Vec::new();
        if self.score < self.min_score {
            failed.push(GateFailure::BelowMinimum {
                score: self.score,
                minimum: self.min_score,
            });
        }
        if let Some(b) = self.baseline.as_ref().filter(|b| b.fails()) {
            failed.push(GateFailure::BelowBaseline {
                score: self.score,
                baseline: b.score,
            });
        }
        for id in &self.required_failed {
            let title = self
                .controls()
                .find(|(_, c)| c.id == *id)
                .map_or("", |(_, c)| c.title);
            failed.push(GateFailure::Required { id, title });
        }
        failed
    }
}

/// A condition of the gate that failed.
pub enum GateFailure<'a> {
    BelowMinimum {
        score: f64,
        minimum: f64,
    },
    /// With `--fail-on-regression`.
    BelowBaseline {
        score: f64,
        baseline: f64,
    },
    Required {
        id: &'a str,
        title: &'a str,
    },
}

impl GateFailure<'_> {
    /// One sentence; `code` formats an identifier and `text` escapes a title (rule titles may
    /// come from the configuration) for the medium it is written to.
    pub fn describe(&self, code: impl Fn(&str) -> String, text: impl Fn(&str) -> String) -> String {
        match self {
            GateFailure::BelowMinimum { score, minimum } => {
                format!("{score:.1} is below the minimum score of {minimum:.1}")
            }
            GateFailure::BelowBaseline { score, baseline } => format!(
                "{score:.1} is below the baseline's {baseline:.1} ({})",
                code("fail-on-regression")
            ),
            GateFailure::Required { id, title } => {
                format!("required control {} fails ({})", code(id), text(title))
            }
        }
    }

    /// [`GateFailure::describe`] as plain text.
    pub fn plain(&self) -> String {
        self.describe(str::to_string, str::to_string)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A finding for tests; renderers' tests adjust the fields they care about.
    pub(crate) fn finding(rule: &'static str, weight: u8, effort: Effort, impact: f64) -> Finding {
        Finding {
            rule,
            title: "A gap",
            category: Category::Ci,
            weight,
            impact,
            effort,
            horizon: Horizon::Quarter,
            security: false,
            message: "missing".into(),
            remediation: "Add it.",
            evidence: vec![],
            fix: None,
        }
    }

    /// A one-category report (score 5.0, min-score 6.0) for renderers' tests.
    pub(crate) fn report(controls: Vec<Control>, findings: Vec<Finding>) -> Report {
        Report {
            schema_version: 1,
            tool: ToolInfo::current(),
            root: ".".into(),
            package: None,
            profile: ProfileDetection {
                value: crate::detect::Profile::Service,
                evidence: vec![],
            },
            stacks: vec![],
            packages: vec![],
            score: 5.0,
            level: crate::score::level(5.0),
            min_score: 6.0,
            passed: false,
            required_failed: vec![],
            categories: vec![CategoryReport {
                id: Category::Ci,
                title: Category::Ci.title(),
                weight: 3.0,
                score: Some(5.0),
                controls,
            }],
            findings,
            ignored: vec![],
            ignored_unmatched: vec![],
            baseline: None,
            skipped: vec![],
            history: Default::default(),
            stats: Stats {
                files: 1,
                bytes: 1,
                skipped: 0,
                duration_ms: 0,
            },
        }
    }

    #[test]
    fn skipped_files_are_counted_by_kind_of_reason() {
        let skipped = |reasons: &[&str]| -> Vec<crate::walk::Skipped> {
            reasons
                .iter()
                .enumerate()
                .map(|(i, r)| crate::walk::Skipped {
                    path: format!("f{i}"),
                    reason: r.to_string(),
                })
                .collect()
        };
        let list = skipped(&[
            "binary",
            "text not kept: over max-kept-text (33554432 bytes in all)",
            "larger than max-file-size (9 bytes > 1 bytes)",
            "text not kept: over max-kept-text (33554432 bytes in all)",
            "unreadable: permission denied",
            "larger than max-file-size (7 bytes > 1 bytes)",
            "text not kept: over max-kept-text (33554432 bytes in all)",
        ]);
        assert_eq!(
            skipped_kinds(&list),
            "3 text not kept, 2 larger than max-file-size, 1 binary, 1 unreadable"
        );
        assert_eq!(skipped_kinds(&[]), "");
    }

    #[test]
    fn horizons_weigh_impact_against_effort() {
        assert_eq!(Horizon::of(6, Effort::Minutes), Horizon::Immediate);
        assert_eq!(Horizon::of(3, Effort::Minutes), Horizon::Sprint);
        assert_eq!(Horizon::of(9, Effort::Hours), Horizon::Immediate);
        assert_eq!(Horizon::of(6, Effort::Hours), Horizon::Sprint);
        assert_eq!(Horizon::of(2, Effort::Hours), Horizon::Quarter);
        assert_eq!(Horizon::of(10, Effort::Days), Horizon::Sprint);
        assert_eq!(Horizon::of(7, Effort::Days), Horizon::Quarter);
    }

    #[test]
    fn every_finding_gets_a_horizon_and_full_horizons_spill_over() {
        let mut findings = vec![
            finding("quick-win", 6, Effort::Minutes, 18.0),
            finding("sprint-work", 6, Effort::Hours, 12.0),
            finding("quarter-work", 7, Effort::Days, 7.0),
        ];
        // Six more quick wins, less impactful than the first: the immediate horizon holds
        // five, so the least impactful one moves to the sprint.
        let names = ["q1", "q2", "q3", "q4", "q5", "q6"];
        for (i, name) in names.iter().enumerate() {
            findings.push(finding(name, 5, Effort::Minutes, 10.0 - i as f64));
        }
        assign_horizons(&mut findings);
        let of = |rule: &str| findings.iter().find(|f| f.rule == rule).unwrap().horizon;
        assert_eq!(of("quick-win"), Horizon::Immediate);
        assert_eq!(of("sprint-work"), Horizon::Sprint);
        assert_eq!(of("quarter-work"), Horizon::Quarter);
        for name in &names[..4] {
            assert_eq!(of(name), Horizon::Immediate, "{name}");
        }
        assert_eq!(of("q5"), Horizon::Sprint);
        assert_eq!(of("q6"), Horizon::Sprint);
        let immediate = findings.iter().filter(|f| f.horizon == Horizon::Immediate);
        assert_eq!(immediate.count(), IMMEDIATE_MAX);
    }

    #[test]
    fn a_full_sprint_spills_into_the_quarter() {
        let mut findings: Vec<Finding> = (0..30)
            .map(|i| finding("r", 6, Effort::Minutes, 30.0 - f64::from(i)))
            .collect();
        assign_horizons(&mut findings);
        let count = |h: Horizon| findings.iter().filter(|f| f.horizon == h).count();
        assert_eq!(count(Horizon::Immediate), IMMEDIATE_MAX);
        assert_eq!(count(Horizon::Sprint), SPRINT_MAX);
        assert_eq!(count(Horizon::Quarter), 30 - IMMEDIATE_MAX - SPRINT_MAX);
        // In impact order: the most impactful gaps are placed first.
        assert!(findings[..IMMEDIATE_MAX]
            .iter()
            .all(|f| f.horizon == Horizon::Immediate));
    }

    #[test]
    fn the_json_names_the_horizon_in_kebab_case_with_the_remediation() {
        let mut f = finding("r", 6, Effort::Minutes, 18.0);
        assign_horizons(std::slice::from_mut(&mut f));
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["horizon"], "immediate");
        assert_eq!(v["remediation"], "Add it.");
        assert!(v.get("snippet").is_none());
        let names: Vec<String> = Horizon::ALL
            .iter()
            .map(|h| {
                serde_json::to_value(h)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(names, ["immediate", "sprint", "quarter"]);
    }
}
