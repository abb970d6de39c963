//! Delivery performance: DORA-style proxies computed from git history alone.
//!
//! Git has no deployment or incident records, so every figure here is a proxy: release tags
//! (or changes landing on the default branch) stand for deployments, reverts, hotfixes and
//! quick patch releases for failures. Each rule states its figure and the DORA band it falls
//! in; elite or high passes. Shallow clones and short histories are N/A, never a wrong number.

use super::release::history_anchor;
use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};
use crate::history::{human_duration, median, History, Tag, DAY, HOUR};
use std::collections::{BTreeSet, HashMap};

/// Deployment frequency looks at the last 90 days (as DORA's survey and Four Keys do).
const FREQUENCY_DAYS: i64 = 90;
/// The other metrics look at the last year.
const WINDOW_DAYS: i64 = 365;
/// A revert, hotfix or patch release within this long after a release marks it failed.
const FAILURE_HOURS: i64 = 48;
/// Fewer samples than this give no median worth reporting.
const MIN_SAMPLES: usize = 5;
/// Fewer releases than this give no failure rate; the default branch is used instead.
const MIN_RELEASES: usize = 5;

/// DORA's performance bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Band {
    Elite,
    High,
    Medium,
    Low,
}

impl Band {
    fn label(self) -> &'static str {
        match self {
            Band::Elite => "elite",
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
        }
    }

    fn passes(self) -> bool {
        matches!(self, Band::Elite | Band::High)
    }

    /// Band for a figure where lower is better, given the elite/high/medium upper bounds.
    fn lower_is_better(value: f64, elite: f64, high: f64, medium: f64) -> Band {
        if value < elite {
            Band::Elite
        } else if value < high {
            Band::High
        } else if value < medium {
            Band::Medium
        } else {
            Band::Low
        }
    }

    /// Band for a figure where higher is better, given the elite/high/medium lower bounds.
    fn higher_is_better(value: f64, elite: f64, high: f64, medium: f64) -> Band {
        if value >= elite {
            Band::Elite
        } else if value >= high {
            Band::High
        } else if value >= medium {
            Band::Medium
        } else {
            Band::Low
        }
    }
}

/// Pass for elite/high, fail otherwise; the figure goes in the message and the note.
fn verdict(figure: String, band: Band, anchor: Option<Evidence>) -> Outcome {
    banded(figure, band, "DORA band", anchor)
}

/// Like [`verdict`], naming where the bands come from.
fn banded(figure: String, band: Band, source: &str, anchor: Option<Evidence>) -> Outcome {
    let message = format!("{figure}: {} ({source})", band.label());
    let evidence = anchor
        .map(|e| e.note(format!("{figure}: {}", band.label())))
        .into_iter()
        .collect();
    if band.passes() {
        Outcome::pass(message, evidence)
    } else {
        Outcome::fail(message, evidence)
    }
}

/// Where pull-request and branch findings are anchored.
fn review_anchor(ctx: &Context) -> Option<Evidence> {
    ctx.index
        .first_existing(&[
            ".github/pull_request_template.md",
            ".github/PULL_REQUEST_TEMPLATE.md",
            ".github/CODEOWNERS",
            "CODEOWNERS",
            "CONTRIBUTING.md",
            ".github/CONTRIBUTING.md",
        ])
        .or_else(|| ctx.index.repo_anchor())
}

fn branch_name(h: &History) -> String {
    h.summary
        .default_branch
        .clone()
        .unwrap_or_else(|| "the default branch".into())
}

fn since(h: &History, days: i64) -> i64 {
    h.now() - days * DAY
}

/// Mainline commits that landed in the window, newest first, with what each brought in.
struct Landed {
    /// (mainline commit, commits it integrated other than itself)
    changes: Vec<(usize, Vec<usize>)>,
}

impl Landed {
    fn new(h: &History, days: i64) -> Landed {
        let start = since(h, days);
        let mut by_landing: HashMap<usize, Vec<usize>> = h.landings();
        let changes = h
            .mainline()
            .iter()
            .filter(|&&m| h.commit(m).commit_time >= start)
            .map(|&m| {
                let mut side = by_landing.remove(&m).unwrap_or_default();
                side.retain(|&i| i != m);
                (m, side)
            })
            .filter(|(m, side)| !is_bot_change(h, *m, side) && !h.commit(*m).is_pull_merge())
            .collect();
        Landed { changes }
    }

    fn merges<'a>(&'a self, h: &'a History) -> impl Iterator<Item = &'a (usize, Vec<usize>)> + 'a {
        self.changes
            .iter()
            .filter(move |(m, side)| h.commit(*m).is_merge() && !side.is_empty())
    }
}

/// A change made by a bot: its own author, or a merge of a bot's branch.
fn is_bot_change(h: &History, m: usize, side: &[usize]) -> bool {
    let c = h.commit(m);
    if c.is_bot() {
        return true;
    }
    if c.is_merge() {
        let s = c.subject.to_ascii_lowercase();
        if s.contains("dependabot/") || s.contains("renovate/") {
            return true;
        }
        return !side.is_empty() && side.iter().all(|&i| h.commit(i).is_bot());
    }
    false
}

/// Releases (release tags) whose time falls in the window, oldest first.
fn releases_since(h: &History, start: i64) -> Vec<&Tag> {
    h.releases()
        .into_iter()
        .filter(|t| t.time >= start && t.time <= h.now() + DAY)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Deployment frequency

fn deployment_frequency(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if let Some(why) = h.metrics_unavailable() {
        return Outcome::na(why);
    }
    let start = since(h, FREQUENCY_DAYS);
    let oldest = h.oldest_time().unwrap_or(start);
    // A history younger than the window is measured over its own age.
    let days = ((h.now() - oldest.max(start)) as f64 / DAY as f64).max(14.0);
    let weeks = days / 7.0;
    let releases = releases_since(h, start);
    let (count, figure) = if !releases.is_empty() {
        let n = releases.len();
        (
            n,
            format!(
                "{n} release tag(s) in the last {days:.0} days ({:.1}/week)",
                n as f64 / weeks
            ),
        )
    } else if crate::model::ci::files(ctx.index).is_empty() {
        // Without any pipeline, nothing deploys what lands on the branch.
        (
            0,
            format!(
                "no release tag in the last {days:.0} days and no CI configuration that could \
                 deploy from {}: no deployment is visible",
                branch_name(h)
            ),
        )
    } else {
        let n = Landed::new(h, FREQUENCY_DAYS).changes.len();
        (
            n,
            format!(
                "no release tag in the last {days:.0} days; {n} change(s) landed on {} \
                 ({:.1}/week), counted as deployments (continuous delivery from it)",
                branch_name(h),
                n as f64 / weeks
            ),
        )
    };
    let per_week = count as f64 / weeks;
    // Elite: about every working day; high: weekly; medium: monthly; low: rarer.
    let band = Band::higher_is_better(per_week, 5.0, 1.0, 7.0 / 30.0);
    verdict(figure, band, history_anchor(ctx))
}

// ---------------------------------------------------------------------------------------
// Lead time

fn lead_time(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if let Some(why) = h.metrics_unavailable() {
        return Outcome::na(why);
    }
    let start = since(h, WINDOW_DAYS);
    let releases = h.releases();
    // Release variant: commit -> the release tag that first shipped it (the very first
    // release read is skipped: it ships the whole pre-release history).
    let mut samples = Vec::new();
    let mut shipped = BTreeSet::new();
    for (i, c) in h.commits().iter().enumerate() {
        let Some(r) = h.released_in(i) else { continue };
        let tag = releases[r];
        if r == 0 || tag.time < start || c.is_bot() || c.is_merge() {
            continue;
        }
        let lead = tag.time - c.author_time;
        if lead > 0 {
            samples.push(lead);
            shipped.insert(r);
        }
    }
    if samples.len() >= MIN_SAMPLES {
        let n = samples.len();
        let m = median(&mut samples).unwrap_or(0);
        let figure = format!(
            "median {} from commit to the release tag that first contains it \
             ({n} commits, {} releases in the last {WINDOW_DAYS} days)",
            human_duration(m),
            shipped.len()
        );
        return verdict(figure, lead_band(m), history_anchor(ctx));
    }
    // Merge variant: commit -> merge into the default branch.
    let landed = Landed::new(h, WINDOW_DAYS);
    let mut samples = Vec::new();
    let mut merges = 0;
    for (m, side) in landed.merges(h) {
        let merged_at = h.commit(*m).commit_time;
        let before = samples.len();
        samples.extend(
            side.iter()
                .map(|&i| h.commit(i))
                .filter(|c| !c.is_bot() && !c.is_merge())
                .map(|c| merged_at - c.author_time)
                .filter(|&d| d > 0),
        );
        merges += usize::from(samples.len() > before);
    }
    if samples.len() >= MIN_SAMPLES {
        let n = samples.len();
        let m = median(&mut samples).unwrap_or(0);
        let figure = format!(
            "median {} from commit to merge into {} ({n} commits, {merges} merges in the \
             last {WINDOW_DAYS} days; no release tags to measure to)",
            human_duration(m),
            branch_name(h)
        );
        return verdict(figure, lead_band(m), history_anchor(ctx));
    }
    Outcome::na(format!(
        "lead time needs release tags or merge commits on {} in the last {WINDOW_DAYS} days \
         (squash or rebase merges hide when a change was first committed); too few samples",
        branch_name(h)
    ))
}

/// DORA: elite under a day, high under a week, medium under a month.
fn lead_band(secs: i64) -> Band {
    Band::lower_is_better(secs as f64, DAY as f64, 7.0 * DAY as f64, 30.0 * DAY as f64)
}

// ---------------------------------------------------------------------------------------
// Change failure and restore

/// Releases in the window that failed, each with the time the failure signal came.
struct ReleaseFailures<'h> {
    releases: Vec<&'h Tag>,
    /// Indices into `releases`.
    failed: BTreeSet<usize>,
}

fn release_failures(h: &History, start: i64) -> ReleaseFailures<'_> {
    let releases = releases_since(h, start);
    let mut failed = BTreeSet::new();
    let window = FAILURE_HOURS * HOUR;
    // A patch release of the same minor within 48 h: the release needed a fix.
    for (j, t) in releases.iter().enumerate() {
        let Some(v) = t.version else { continue };
        let patched = releases[j + 1..].iter().any(|n| {
            n.version
                .is_some_and(|w| w.major == v.major && w.minor == v.minor && w.patch > v.patch)
                && n.time - t.time <= window
        });
        if patched {
            failed.insert(j);
        }
    }
    // A revert or hotfix landing within 48 h of the latest release before it.
    let landed = Landed::new(h, WINDOW_DAYS);
    for (m, side) in &landed.changes {
        let c = h.commit(*m);
        let signal = c.is_revert()
            || c.is_hotfix()
            || side
                .iter()
                .any(|&i| h.commit(i).is_revert() || h.commit(i).is_hotfix());
        if !signal {
            continue;
        }
        if let Some(j) = releases.iter().rposition(|t| t.time < c.commit_time) {
            if c.commit_time - releases[j].time <= window {
                failed.insert(j);
            }
        }
    }
    ReleaseFailures { releases, failed }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Elite ≤ 5 %, high ≤ 15 %, medium ≤ 30 % (State of DevOps 2021-2023 ranges).
fn failure_band(pct: f64) -> Band {
    Band::lower_is_better(pct, 5.0 + 1e-9, 15.0 + 1e-9, 30.0 + 1e-9)
}

fn change_failure_proxy(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if let Some(why) = h.metrics_unavailable() {
        return Outcome::na(why);
    }
    let start = since(h, WINDOW_DAYS);
    let rf = release_failures(h, start);
    if rf.releases.len() >= MIN_RELEASES {
        let (f, n) = (rf.failed.len(), rf.releases.len());
        let pct = percent(f, n);
        let figure = format!(
            "{f} of {n} releases in the last {WINDOW_DAYS} days were followed within \
             {FAILURE_HOURS} h by a revert, a hotfix or a patch release ({pct:.0} %)"
        );
        return verdict(figure, failure_band(pct), history_anchor(ctx));
    }
    let landed = Landed::new(h, WINDOW_DAYS);
    let n = landed.changes.len();
    if n < crate::history::MIN_COMMITS {
        return Outcome::na(format!(
            "only {} release(s) and {n} change(s) on {} in the last {WINDOW_DAYS} days: too few to measure failures",
            rf.releases.len(),
            branch_name(h)
        ));
    }
    let f = landed
        .changes
        .iter()
        .filter(|(m, _)| h.commit(*m).is_revert() || h.commit(*m).is_hotfix())
        .count();
    let pct = percent(f, n);
    let figure = format!(
        "{f} of {n} changes on {} in the last {WINDOW_DAYS} days are reverts or hotfixes \
         ({pct:.0} %; fewer than {MIN_RELEASES} releases to measure)",
        branch_name(h)
    );
    verdict(figure, failure_band(pct), history_anchor(ctx))
}

/// When commit `i` reached the default branch (its own time if it never did).
fn landed_at(h: &History, i: usize) -> i64 {
    h.landing(i)
        .map(|m| h.commit(m).commit_time)
        .unwrap_or(h.commit(i).commit_time)
}

fn time_to_restore_proxy(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if let Some(why) = h.metrics_unavailable() {
        return Outcome::na(why);
    }
    let start = since(h, WINDOW_DAYS);
    let mut samples = Vec::new();
    let mut reverts = 0;
    for (i, c) in h.commits().iter().enumerate() {
        let Some(target) = c.reverts.as_deref().and_then(|id| h.find(id)) else {
            continue;
        };
        let fixed = landed_at(h, i);
        if fixed < start || h.landing(i).is_none() {
            continue;
        }
        let d = fixed - landed_at(h, target);
        if d > 0 {
            samples.push(d);
            reverts += 1;
        }
    }
    let rf = release_failures(h, start);
    let mut patched = 0;
    for &j in &rf.failed {
        if let Some(next) = rf.releases.get(j + 1) {
            let d = next.time - rf.releases[j].time;
            if d > 0 {
                samples.push(d);
                patched += 1;
            }
        }
    }
    if samples.is_empty() {
        return Outcome::na(format!(
            "no revert (with git's \"This reverts commit\" line) and no release followed by a \
             fix in the last {WINDOW_DAYS} days: nothing to measure"
        ));
    }
    let n = samples.len();
    let m = median(&mut samples).unwrap_or(0);
    let figure = format!(
        "median {} to restore ({n} failure(s): {reverts} revert(s) measured from the reverted \
         change, {patched} failed release(s) measured to the next release)",
        human_duration(m)
    );
    // DORA: elite under an hour, high under a day, medium under a week.
    let band = Band::lower_is_better(m as f64, HOUR as f64, DAY as f64, 7.0 * DAY as f64);
    verdict(figure, band, history_anchor(ctx))
}

// ---------------------------------------------------------------------------------------
// Pull requests and branches

fn changes_through_pull_requests(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if let Some(why) = h.metrics_unavailable() {
        return Outcome::na(why);
    }
    let landed = Landed::new(h, WINDOW_DAYS);
    let n = landed.changes.len();
    if n < crate::history::MIN_COMMITS {
        return Outcome::na(format!(
            "only {n} change(s) landed on {} in the last {WINDOW_DAYS} days: too few to measure",
            branch_name(h)
        ));
    }
    let via = landed
        .changes
        .iter()
        .filter(|(m, _)| {
            let c = h.commit(*m);
            c.via_pull_request() || c.is_merge()
        })
        .count();
    let pct = percent(via, n);
    let figure = format!(
        "{via} of {n} changes on {} in the last {WINDOW_DAYS} days came through a pull/merge \
         request or a branch merge ({pct:.0} %)",
        branch_name(h)
    );
    // Our bands (DORA has none for this): elite ≥ 90 %, high ≥ 75 %, medium ≥ 50 %.
    let band = Band::higher_is_better(pct, 90.0, 75.0, 50.0);
    banded(figure, band, "our bands", review_anchor(ctx))
}

fn short_lived_branches(ctx: &Context) -> Outcome {
    let h = ctx.history;
    if let Some(why) = h.metrics_unavailable() {
        return Outcome::na(why);
    }
    let landed = Landed::new(h, WINDOW_DAYS);
    let mut samples: Vec<i64> = landed
        .merges(h)
        .filter_map(|(m, side)| {
            let first = side.iter().map(|&i| h.commit(i).author_time).min()?;
            Some((h.commit(*m).commit_time - first).max(0))
        })
        .collect();
    if samples.len() < 3 {
        return Outcome::na(format!(
            "{} merge commit(s) on {} in the last {WINDOW_DAYS} days: the history is squash- or \
             rebase-merged, so branch lifetimes are not visible in git",
            samples.len(),
            branch_name(h)
        ));
    }
    let n = samples.len();
    let m = median(&mut samples).unwrap_or(0);
    let figure = format!(
        "median branch lifetime {} from first commit to merge ({n} merged branches in the last \
         {WINDOW_DAYS} days)",
        human_duration(m)
    );
    // Trunk-based development: elite under a day, high under 3 days, medium under 2 weeks.
    let band = Band::lower_is_better(m as f64, DAY as f64, 3.0 * DAY as f64, 14.0 * DAY as f64);
    banded(
        figure,
        band,
        "trunk-based development bands",
        review_anchor(ctx),
    )
}

const FETCH_DEPTH: &str = "# .github/workflows/devops-maturity.yml: history metrics need the full history\n- uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2\n  with:\n    fetch-depth: 0";

pub const RULES: &[Rule] = &[
    Rule {
        id: "delivery-deployment-frequency",
        title: "Deployment frequency (from release tags or merges)",
        category: Category::Delivery,
        weight: 7,
        applies: Applies::ALL,
        rationale: "Frequent small releases are DORA's first throughput key: each carries less \
            risk, feedback comes sooner, and releasing stays a routine instead of an event.",
        passes_when: "Release tags (semantic versions or release-/deploy- tags) per week over the \
            last 90 days — or, with no release tag in that time and a CI configuration, changes \
            landing on the default branch per week (continuous delivery from it) — reach DORA's high band (at least \
            weekly) or elite band (about every working day, 5/week). Medium (monthly) and low \
            fail. Bot changes are left out. N/A on a shallow clone or with fewer than 10 commits \
            or 14 days of history.",
        remediation:
            "Release smaller batches more often: automate releases so that cutting one \
            is a merge away. In CI, check out with `fetch-depth: 0` so the history can be measured.",
        snippet: Some(FETCH_DEPTH),
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(deployment_frequency),
    },
    Rule {
        id: "delivery-lead-time",
        title: "Lead time for changes (commit to release or merge)",
        category: Category::Delivery,
        weight: 6,
        applies: Applies::ALL,
        rationale: "The time from commit to release is how long users wait for a fix and how \
            much unreleased work piles up; DORA ties short lead times to both speed and stability.",
        passes_when:
            "The median time from a commit (author time) to the release tag that first \
            contains it over the last 365 days — or, without release tags, to its merge into the \
            default branch — is under a week (DORA high) or under a day (elite). Needs at least 5 \
            samples; bot commits and merge commits are left out. N/A on shallow or short histories.",
        remediation: "Shrink batches: merge small pull requests quickly and release what is on \
            the default branch often, ideally automatically.",
        snippet: Some(FETCH_DEPTH),
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(lead_time),
    },
    Rule {
        id: "delivery-change-failure-proxy",
        title: "Change failure rate (reverts, hotfixes, quick patch releases)",
        category: Category::Delivery,
        weight: 5,
        applies: Applies::ALL,
        rationale: "A change that must be reverted or hot-fixed shows what testing and review \
            missed; DORA's change failure rate is the share of releases that needed it.",
        passes_when: "With at least 5 releases in the last 365 days: at most 15 % of them (DORA \
            high; elite ≤ 5 %) were followed within 48 h by a revert (`Revert \"…\"`), a hotfix \
            or a patch release of the same minor version. Otherwise the share of reverts and \
            hotfixes among changes landing on the default branch. Medium (≤ 30 %) and low fail. \
            N/A on shallow or short histories.",
        remediation: "Catch failures before release: tests and review in CI, staged rollouts \
            and feature flags so a change can be switched off instead of reverted.",
        snippet: None,
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(change_failure_proxy),
    },
    Rule {
        id: "delivery-time-to-restore-proxy",
        title: "Time to restore (revert and patch-release delay)",
        category: Category::Delivery,
        weight: 4,
        applies: Applies::ALL,
        rationale: "How fast a bad change is undone bounds how long users suffer from it; DORA \
            calls it failed deployment recovery time.",
        passes_when: "The median over the last 365 days of (a) the time from a change landing on \
            the default branch to its revert landing and (b) the time from a failed release to \
            the next release is under a day (DORA high; elite under an hour). Medium (under a \
            week) and low fail. N/A when there was no failure to measure, or on shallow or short \
            histories.",
        remediation: "Make undoing cheap: revert first and investigate later, keep releases \
            automated so a fix ships in minutes, and document the rollback in a runbook.",
        snippet: None,
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(time_to_restore_proxy),
    },
    Rule {
        id: "delivery-changes-through-pull-requests",
        title: "Changes land through pull requests",
        category: Category::Delivery,
        weight: 6,
        applies: Applies::ALL,
        rationale: "A pull request gives every change a review and a CI run before it reaches \
            the default branch; direct pushes skip both.",
        passes_when: "Over the last 365 days, at least 75 % (elite ≥ 90 %) of the non-bot \
            changes on the default branch's first-parent line are merges (other than `git pull` \
            merges), squash merges titled `… (#123)` / `(!123)`, GitLab merge-request commits or \
            commits written by GitHub itself (merge buttons, rebase merges). These bands are \
            ours; DORA has none for this. Needs at least 10 changes; N/A on shallow or short \
            histories.",
        remediation: "Protect the default branch: require pull requests with a passing CI run \
            (a branch ruleset in the repository settings).",
        snippet: None,
        snippets: &[],
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(changes_through_pull_requests),
    },
    Rule {
        id: "delivery-short-lived-branches",
        title: "Short-lived branches",
        category: Category::Delivery,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Trunk-based development keeps branches alive for hours or a day: small \
            merges conflict less and reach users sooner. DORA links it to higher delivery \
            performance.",
        passes_when: "The median lifetime of branches merged into the default branch over the \
            last 365 days (first commit on the branch to the merge) is under 3 days (elite: \
            under a day). Medium (under 2 weeks) and longer fail. Needs at least 3 merge \
            commits: N/A for squash- or rebase-only histories, where git cannot see the branch.",
        remediation: "Split work into changes that can merge within a day or two; hide \
            unfinished features behind flags instead of long-running branches.",
        snippet: None,
        snippets: &[],
        effort: Effort::Days,
        security: false,
        check: Check::Builtin(short_lived_branches),
    },
];

pub const SIGNALS: &[Signal] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testrepo::{git, Repo};
    use crate::rules::testkit::*;
    use crate::rules::Status;

    const FILES: &[(&str, &str)] = &[
        ("README.md", "# x\n"),
        ("CHANGELOG.md", "# Changelog\n"),
        (".github/workflows/ci.yml", "on: push\njobs: {}\n"),
    ];

    fn outcome(id: &str, h: &History) -> Outcome {
        run_with_history(rule(RULES, id), FILES, h)
    }

    #[track_caller]
    fn expect(id: &str, h: &History, status: Status, needles: &[&str]) -> Outcome {
        let o = outcome(id, h);
        assert_eq!(o.status, status, "{id}: {o:?}");
        for n in needles {
            assert!(o.message.contains(n), "{id}: {:?} lacks {n:?}", o.message);
        }
        o
    }

    /// 60 days of daily commits, a release every 4 days over the last 40 days (one of
    /// them patched 20 h later), as a release-tagging project.
    fn releasing_repo() -> Repo {
        let r = Repo::new();
        let mut minor = 0;
        for d in (1..=60).rev() {
            let day = d as f64;
            r.commit(day + 0.5, &format!("feat: change {d}"));
            if d <= 40 && d % 4 == 0 {
                minor += 1;
                r.tag(&format!("v1.{minor}.0"), day + 0.25);
                if minor == 3 {
                    r.commit(day - 0.1, "fix: crash on start");
                    r.tag(&format!("v1.{minor}.1"), day + 0.25 - 20.0 / 24.0);
                }
            }
        }
        r
    }

    #[test]
    fn release_tagging_project_scores_high() {
        let r = releasing_repo();
        let h = r.load();
        assert!(h.metrics_unavailable().is_none());
        // 10 minors + 1 patch in the last 90 days of a ~60.5-day history: 11 / (60.5/7) =
        // 1.3/week. The day count rounds to 60 or 61 depending on the clock while the test runs.
        let o = expect(
            "delivery-deployment-frequency",
            &h,
            Status::Pass,
            &["11 release tag(s) in the last ", "(1.3/week): high"],
        );
        assert_eq!(o.evidence[0].path, "CHANGELOG.md");
        assert!(o.evidence[0].note.as_deref().unwrap().contains("1.3/week"));
        // Commits wait 0.25, 1.25, 2.25 or 3.25 days for the next tag (the first release is
        // skipped), the fix 11.6 h for its patch: the 19th of 37 values is 1.25 days.
        expect(
            "delivery-lead-time",
            &h,
            Status::Pass,
            &[
                "median 30.0 h from commit to the release tag",
                "(37 commits, 10 releases",
                ": high",
            ],
        );
        // 1 of 11 releases patched within 48 h: 9 %.
        expect(
            "delivery-change-failure-proxy",
            &h,
            Status::Pass,
            &["1 of 11 releases", "(9 %)", ": high"],
        );
        // The failed release was followed by its patch 20 h later.
        expect(
            "delivery-time-to-restore-proxy",
            &h,
            Status::Pass,
            &["median 20.0 h", "1 failed release(s)", ": high"],
        );
        // Direct commits: no pull requests, no merges.
        expect(
            "delivery-changes-through-pull-requests",
            &h,
            Status::Fail,
            &["0 of 61 changes", ": low"],
        );
        expect(
            "delivery-short-lived-branches",
            &h,
            Status::Na,
            &["0 merge commit(s) on main", "squash"],
        );
    }

    #[test]
    fn rare_releases_fail() {
        let r = Repo::new();
        for d in (1..=100).rev().step_by(2) {
            r.commit(d as f64, &format!("feat: change {d}"));
            if d == 62 {
                r.tag("v0.1.0", 61.0);
            }
        }
        let h = r.load();
        // One release 61 days ago: 1 / (90/7) = 0.1/week: low.
        expect(
            "delivery-deployment-frequency",
            &h,
            Status::Fail,
            &["1 release tag(s) in the last 90 days (0.1/week): low"],
        );
    }

    #[test]
    fn merging_project_measures_branches_lead_time_and_restore() {
        let r = Repo::new();
        r.commit(40.0, "chore: init");
        for i in 0..12 {
            let d = 35.0 - 2.0 * i as f64;
            let b = format!("feature/{i}");
            r.git(&["checkout", "-q", "-b", &b]);
            r.commit(d, &format!("feat: part {i}"));
            r.commit(d - 0.2, &format!("test: part {i}"));
            r.git(&["checkout", "-q", "main"]);
            r.merge(
                d - 0.5,
                &b,
                &format!("Merge pull request #{i} from org/{b}"),
            );
        }
        let bad = r.commit(8.0, "feat: risky direct push");
        r.revert(7.5, &bad);
        let h = r.load();
        // 12 merges of 15 changes: 80 %: high.
        expect(
            "delivery-changes-through-pull-requests",
            &h,
            Status::Pass,
            &["12 of 15 changes", "(80 %)", ": high"],
        );
        // Branches live 0.5 day from first commit to merge: elite.
        let o = expect(
            "delivery-short-lived-branches",
            &h,
            Status::Pass,
            &[
                "median branch lifetime 12.0 h",
                "12 merged branches",
                ": elite (trunk-based development bands)",
            ],
        );
        assert_eq!(o.evidence[0].path, "README.md");
        // No tags: commit -> merge, 0.5 and 0.3 days: median 9.6 h.
        expect(
            "delivery-lead-time",
            &h,
            Status::Pass,
            &["median 9.6 h from commit to merge into main", ": elite"],
        );
        // One revert of 15 changes: 7 %: high.
        expect(
            "delivery-change-failure-proxy",
            &h,
            Status::Pass,
            &["1 of 15 changes on main", "(7 %", ": high"],
        );
        // Reverted 12 h after it landed: high.
        expect(
            "delivery-time-to-restore-proxy",
            &h,
            Status::Pass,
            &["median 12.0 h", "1 revert(s)", ": high"],
        );
        // 15 changes in 40 days, no tags: 15 / (40/7) = 2.6/week: high.
        expect(
            "delivery-deployment-frequency",
            &h,
            Status::Pass,
            &[
                "no release tag",
                "15 change(s) landed on main (2.6/week)",
                ": high",
            ],
        );
        // Without any CI, nothing deploys from main.
        let o = run_with_history(
            rule(RULES, "delivery-deployment-frequency"),
            &[("README.md", "x")],
            &h,
        );
        assert_eq!(o.status, Status::Fail);
        assert!(o.message.contains("no CI configuration"), "{}", o.message);
    }

    #[test]
    fn long_branches_and_bots_and_direct_pushes() {
        let r = Repo::new();
        r.commit(60.0, "chore: init");
        let bot = ("dependabot[bot]", "x[bot]@users.noreply.github.com");
        for i in 0..4 {
            let d = 50.0 - 10.0 * i as f64;
            let b = format!("feature/{i}");
            r.git(&["checkout", "-q", "-b", &b]);
            r.commit(d, &format!("feat: big {i}"));
            r.git(&["checkout", "-q", "main"]);
            r.commit(d - 1.0, "direct push");
            r.commit_full(d - 2.0, d - 2.0, bot, "Bump x (#1)");
            r.merge(d - 9.0, &b, &format!("Merge branch '{b}'"));
        }
        r.commit(5.0, "docs: notes");
        let h = r.load();
        // Branches live 9 days: medium.
        expect(
            "delivery-short-lived-branches",
            &h,
            Status::Fail,
            &[
                "median branch lifetime 9.0 days",
                "4 merged branches",
                ": medium",
            ],
        );
        // Bot squash commits are not counted: 4 merges of 10 human changes.
        expect(
            "delivery-changes-through-pull-requests",
            &h,
            Status::Fail,
            &["4 of 10 changes", "(40 %)", ": low"],
        );
        expect(
            "delivery-time-to-restore-proxy",
            &h,
            Status::Na,
            &["nothing to measure"],
        );
    }

    #[test]
    fn shallow_and_missing_history_are_not_applicable() {
        let r = releasing_repo();
        let dest = tempfile::tempdir().unwrap();
        let url = format!("file://{}", r.path().display());
        git(
            dest.path(),
            &["clone", "-q", "--depth", "1", &url, "c"],
            &[],
        );
        let h = History::load(&dest.path().join("c"));
        for rule in RULES {
            let o = run_with_history(rule, FILES, &h);
            assert_eq!(o.status, Status::Na, "{}", rule.id);
            assert!(
                o.message.contains("fetch-depth: 0"),
                "{}: {}",
                rule.id,
                o.message
            );
        }
        for rule in RULES {
            assert_eq!(run(rule, FILES).status, Status::Na, "{}", rule.id);
        }
    }
}
