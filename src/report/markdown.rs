//! The markdown summary: the GitHub job summary, `--format markdown` and `--markdown FILE`.
//!
//! It follows the hand-written audits it replaces: a headline (score, level, gate, DORA), an
//! executive summary with key strengths and primary gaps, a category table with bars, the DORA
//! table, a roadmap (Immediate / This sprint / This quarter) with evidence links and
//! copy-paste fixes, then every control in a collapsed block.
//!
//! Everything taken from the repository (paths, messages, notes, configuration-defined rule
//! texts) goes through [`crate::escape`]; our own rule texts are trusted markdown. The output
//! stays under [`SUMMARY_LIMIT`] bytes on any repository: the detail sections are cut with a
//! note when the budget runs out.

use super::{first_few, plural, CategoryReport, Control, Finding, Horizon, Report};
use crate::escape;
use crate::report::sarif::{capitalise, primary, repo_path};
use crate::report::text::bar;
use crate::rules::{Check, Effort, Evidence, Rule, Status};
use std::fmt::Write as _;

/// Bytes we allow ourselves: GitHub refuses step summaries over 1 MiB (1,048,576 bytes); the
/// margin leaves room for other steps' text appended to the same file.
pub const SUMMARY_LIMIT: usize = 1_000_000;

/// Gaps detailed under "This quarter"; the rest is left to "All controls". (The model caps the
/// earlier horizons: [`super::IMMEDIATE_MAX`], [`super::SPRINT_MAX`].)
const QUARTER_MAX: usize = 10;
/// Rows of the roadmap's at-a-glance table; the rest is counted under it.
const ROADMAP_TABLE_MAX: usize = 12;
/// Bullets in "Key strengths" and "Primary gaps".
const HIGHLIGHTS: usize = 6;
/// Evidence references shown per item before "+N more".
const REFS: usize = 3;
const MAX_MESSAGE: usize = 600;
const MAX_NOTE: usize = 160;
const MAX_PATH: usize = 240;
const MAX_SKIPPED: usize = 100;

/// Where links to files point (GitHub blob URLs when the runner tells us).
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// `https://github.com/owner/repo/blob/<sha>`; without it paths are shown as code.
    pub blob_base: Option<String>,
    /// The scanned root inside the repository (`""` for the root, `services/api`), put in
    /// front of every evidence path so links and names are repository-relative.
    pub path_prefix: String,
}

impl Links {
    /// `server/repository/blob/sha` when all three look like what the runner sets; anything
    /// else (a URL with spaces or quotes, a branch name instead of a commit) gives no links.
    pub fn github(server_url: &str, repository: &str, sha: &str) -> Option<String> {
        let server = server_url.trim().trim_end_matches('/');
        let server_ok = (server.starts_with("https://") || server.starts_with("http://"))
            && server.len() > 8
            && server
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~:/[]@".contains(c));
        let mut parts = repository.trim().split('/');
        let name_ok = |s: Option<&str>| {
            s.is_some_and(|s| {
                !s.is_empty()
                    && s != "."
                    && s != ".."
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
            })
        };
        let repo_ok = name_ok(parts.next()) && name_ok(parts.next()) && parts.next().is_none();
        let sha = sha.trim();
        let sha_ok = matches!(sha.len(), 40 | 64) && sha.chars().all(|c| c.is_ascii_hexdigit());
        (server_ok && repo_ok && sha_ok)
            .then(|| format!("{server}/{}/blob/{sha}", repository.trim()))
    }

    /// Links from `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA` when set.
    pub fn from_env() -> Links {
        let var = |k: &str| std::env::var(k).unwrap_or_default();
        Links {
            blob_base: Links::github(
                &var("GITHUB_SERVER_URL"),
                &var("GITHUB_REPOSITORY"),
                &var("GITHUB_SHA"),
            ),
            path_prefix: String::new(),
        }
    }

    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Links {
        self.path_prefix = prefix.into();
        self
    }

    /// A reference to one evidence item: a link when we can build one, else the path as code.
    fn evidence(&self, e: &Evidence, in_table: bool) -> String {
        let full = repo_path(&self.path_prefix, &e.path);
        let shown = if full.is_empty() { "." } else { full.as_str() };
        let label = match e.line {
            Some(l) => format!("{}:{l}", escape::truncate(shown, MAX_PATH)),
            None => escape::truncate(shown, MAX_PATH).into_owned(),
        };
        match &self.blob_base {
            Some(base) => {
                let anchor = e.line.map(|l| format!("#L{l}")).unwrap_or_default();
                format!(
                    "[{}]({base}/{}{anchor})",
                    escape::markdown(&label),
                    escape::url_path(&full)
                )
            }
            None if in_table => escape::code_span_in_table(&label),
            None => escape::code_span(&label),
        }
    }

    /// Up to [`REFS`] references, then "+N more".
    fn evidence_list(&self, evidence: &[Evidence], in_table: bool) -> String {
        let mut ordered: Vec<&Evidence> = Vec::with_capacity(evidence.len());
        if let Some(p) = primary(evidence) {
            ordered.push(p);
        }
        ordered.extend(evidence.iter().filter(|e| Some(*e) != primary(evidence)));
        // Only the location is shown: two notes on one line are one reference.
        let mut seen = std::collections::HashSet::new();
        ordered.retain(|e| seen.insert((e.path.as_str(), e.line)));
        let mut out: Vec<String> = ordered
            .iter()
            .take(REFS)
            .map(|e| self.evidence(e, in_table))
            .collect();
        if ordered.len() > REFS {
            out.push(format!("+{} more", ordered.len() - REFS));
        }
        out.join(" · ")
    }
}

/// Repository-derived text for a markdown line or table cell.
fn md(s: &str, max: usize) -> String {
    escape::markdown(&escape::truncate(s.trim(), max))
}

/// A control or finding message as a sentence.
fn sentence(s: &str) -> String {
    md(&capitalise(s.trim()), MAX_MESSAGE)
}

fn is_custom(rule: Option<&Rule>) -> bool {
    rule.is_some_and(|r| matches!(r.check, Check::Custom(_)))
}

/// A rule title: ours are trusted markdown, configuration-defined ones are repository text.
fn title(rules: &[Rule], id: &str, fallback: &str) -> String {
    let rule = crate::rules::find(rules, id);
    let t = rule.map(|r| r.title).unwrap_or(fallback);
    if is_custom(rule) {
        md(t, 200)
    } else {
        t.replace('|', "\\|").replace(['\n', '\r'], " ")
    }
}

fn score_text(score: Option<f64>) -> String {
    score
        .map(|s| format!("{s:.1}/10"))
        .unwrap_or_else(|| "N/A".into())
}

/// 🟢 at 7 and above, 🟡 from 4, 🔴 below, ⚪ not applicable (same bands as the terminal).
pub fn status_emoji(score: Option<f64>) -> &'static str {
    match score {
        None => "⚪",
        Some(s) if s >= 7.0 => "🟢",
        Some(s) if s >= 4.0 => "🟡",
        Some(_) => "🔴",
    }
}

fn status_word(score: Option<f64>) -> &'static str {
    match score {
        None => "N/A",
        Some(s) if s >= 7.0 => "Strong",
        Some(s) if s >= 4.0 => "Fair",
        Some(_) => "Weak",
    }
}

fn control_icon(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅",
        Status::Fail => "❌",
        Status::Na => "➖",
    }
}

/// Impact of a gap as the audits word it, from [`Finding::impact`] (rule weight × category
/// weight): the measure the roadmap is ordered by, so the labels never rise down the list.
/// A weight-9 rule of a category of average weight (2.0) is critical.
pub fn impact_label(impact: f64) -> &'static str {
    match impact {
        i if i >= 18.0 => "Critical",
        i if i >= 12.0 => "High",
        i if i >= 6.0 => "Medium",
        _ => "Low",
    }
}

fn level_meaning(number: u8) -> &'static str {
    match number {
        1 => "few practices are automated; delivery depends on people remembering steps",
        2 => "the basics exist but are not applied consistently",
        3 => "the core practices are in place and automated",
        4 => "practices are automated and measured",
        _ => "practices are automated, measured and continuously improved",
    }
}

/// The heading of a horizon's part of the roadmap.
fn heading(h: Horizon) -> &'static str {
    match h {
        Horizon::Immediate => "🔴 Immediate (this week)",
        Horizon::Sprint => "🟡 This sprint (next 2 weeks)",
        Horizon::Quarter => "🟢 This quarter",
    }
}

/// A horizon in a table cell.
fn horizon_cell(h: Horizon) -> &'static str {
    match h {
        Horizon::Immediate => "🔴 Immediate",
        Horizon::Sprint => "🟡 This sprint",
        Horizon::Quarter => "🟢 This quarter",
    }
}

/// Order inside a horizon: most impactful first, the cheaper fix first on equal impact.
fn by_impact(a: &&Finding, b: &&Finding) -> std::cmp::Ordering {
    super::by_impact(a, b)
}

fn spill<'f>(from: &mut Vec<&'f Finding>, max: usize) -> Vec<&'f Finding> {
    if from.len() > max {
        from.split_off(max)
    } else {
        Vec::new()
    }
}

/// The roadmap: findings grouped by the [`Finding::horizon`] the report model placed them in
/// ([`super::assign_horizons`]), each horizon ordered by impact; the quarter is cut at
/// [`QUARTER_MAX`] and what is left over is returned last.
pub fn roadmap(findings: &[Finding]) -> (Vec<(Horizon, Vec<&Finding>)>, Vec<&Finding>) {
    let mut horizons: Vec<(Horizon, Vec<&Finding>)> = Horizon::ALL
        .iter()
        .map(|&h| {
            let mut items: Vec<&Finding> = findings.iter().filter(|f| f.horizon == h).collect();
            items.sort_by(by_impact);
            (h, items)
        })
        .collect();
    let rest = match horizons.last_mut() {
        Some((_, quarter)) => spill(quarter, QUARTER_MAX),
        None => Vec::new(),
    };
    (horizons, rest)
}

/// The language of a snippet for syntax highlighting, from the file its first line names.
fn snippet_lang(snippet: &str) -> &'static str {
    let first = snippet.lines().next().unwrap_or("").to_ascii_lowercase();
    let name = first
        .trim_start_matches(['#', '/', '-', '<', '!', ' ', ';', '*'])
        .split_whitespace()
        .next()
        .unwrap_or("");
    let ext = name.rsplit('.').next().unwrap_or("");
    if name.ends_with("dockerfile") || name.starts_with("dockerfile") {
        return "dockerfile";
    }
    match ext {
        "yml" | "yaml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "py" => "python",
        "js" | "mjs" | "cjs" => "js",
        "ts" => "ts",
        "go" => "go",
        "rs" => "rust",
        "sh" | "bash" => "sh",
        "tf" | "hcl" => "hcl",
        "md" => "markdown",
        "ini" | "cfg" => "ini",
        "sql" => "sql",
        "rb" | "gemspec" => "ruby",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "cs" => "csharp",
        "xml" | "props" | "csproj" => "xml",
        _ if name == "makefile" => "makefile",
        _ => "",
    }
}

/// The job summary with the default size limit.
pub fn render(report: &Report, rules: &[Rule], links: &Links) -> String {
    render_limited(report, rules, links, SUMMARY_LIMIT)
}

/// The summary in at most `max_bytes` bytes (the detail sections are cut first).
pub fn render_limited(report: &Report, rules: &[Rule], links: &Links, max_bytes: usize) -> String {
    let mut out = String::new();
    headline(&mut out, report);
    since_baseline(&mut out, report, rules);
    executive(&mut out, report, rules, links);
    categories(&mut out, report, rules);
    workspace_packages(&mut out, report, rules);
    dora(&mut out, report, links);
    roadmap_section(&mut out, report, rules, links);
    // What is left goes to the details; the footer and the truncation notes are reserved.
    let reserve = 2_048;
    let budget = max_bytes.saturating_sub(out.len() + reserve);
    let details = details(report, rules, links, budget);
    out.push_str(&details);
    footer(&mut out, report);
    if out.len() > max_bytes {
        // Only reachable with a tiny limit: cut at a line and say so.
        let note = "\n\n> ✂️ Summary truncated to stay within GitHub's step summary limit.\n";
        let mut end = max_bytes.saturating_sub(note.len());
        while end > 0 && !out.is_char_boundary(end) {
            end -= 1;
        }
        let end = out[..end].rfind('\n').unwrap_or(0);
        out.truncate(end);
        out.push_str(note);
    }
    out
}

fn headline(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "# DevOps maturity: {:.1}/10 · Level {} {}\n",
        r.score, r.level.number, r.level.name
    );
    // Three gates: the minimum score, required controls, and (with --fail-on-regression) the
    // baseline's score.
    let has_min = r.min_score > 0.0;
    let below_min = has_min && r.score < r.min_score;
    let baseline_gate = r.baseline.as_ref().filter(|b| b.gate);
    let required = r.controls().filter(|(_, c)| c.required).count();
    let failures: Vec<String> = r
        .gate_failures()
        .iter()
        .map(|f| f.describe(escape::code_span, |t| md(t, MAX_NOTE)))
        .collect();
    let (gate, gate_cell) = if !failures.is_empty() {
        let cell = if below_min {
            format!("❌ fail (< {:.1})", r.min_score)
        } else if let Some(b) = baseline_gate.filter(|b| b.fails()) {
            format!("❌ fail (< baseline {:.1})", b.score)
        } else {
            "❌ fail (required control)".to_string()
        };
        (format!("❌ **Failed:** {}.", failures.join("; ")), cell)
    } else if !has_min && baseline_gate.is_none() && required == 0 {
        (
            "ℹ️ **No gate:** no `min-score` is set, so this check never fails on the score."
                .to_string(),
            "none".to_string(),
        )
    } else {
        let mut met = Vec::new();
        if has_min {
            met.push(format!("meets the minimum score of {:.1}", r.min_score));
        }
        if let Some(b) = baseline_gate {
            met.push(format!("is not below the baseline's {:.1}", b.score));
        }
        if required > 0 {
            met.push(format!("passes all {required} required controls"));
        }
        let floor = r.min_score.max(baseline_gate.map_or(0.0, |b| b.score));
        (
            format!("✅ **Passed:** {:.1} {}.", r.score, met.join(" and ")),
            if has_min || baseline_gate.is_some() {
                format!("✅ pass (≥ {floor:.1})")
            } else {
                "✅ pass".to_string()
            },
        )
    };
    let _ = writeln!(out, "{gate}\n");

    let dora = dora_headline(r).unwrap_or_else(|| "not measured".into());
    let _ = writeln!(
        out,
        "| Maturity score | Maturity level | DORA performance | Gate |\n|:--|:--|:--|:--|\n\
         | **{:.1}/10** `{}` | {} of 5 · **{}** | {} | {} |\n",
        r.score,
        bar(Some(r.score)),
        r.level.number,
        r.level.name,
        dora,
        gate_cell
    );
}

/// Most gaps listed by name in the baseline section; the rest are counted.
const MAX_BASELINE_ITEMS: usize = 15;

/// What changed since `--baseline`: the score, the categories that moved, the gaps opened
/// and closed. Absent without a baseline.
fn since_baseline(out: &mut String, r: &Report, rules: &[Rule]) {
    let Some(b) = &r.baseline else { return };
    let arrow = if b.delta > 0.0 {
        "▲"
    } else if b.delta < 0.0 {
        "▼"
    } else {
        "="
    };
    let _ = writeln!(
        out,
        "## Since the baseline\n\n{arrow} **{:.1}** now, **{:.1}** in {} ({}): {} opened, {} closed.\n",
        r.score,
        b.score,
        escape::code_span(&escape::truncate(&b.file, MAX_PATH)),
        b.delta_text(),
        plural(b.new_findings.len(), "gap", "gaps"),
        plural(b.resolved.len(), "gap", "gaps"),
    );
    if !b.categories.is_empty() {
        out.push_str("| Category | Before | Now |\n|:--|--:|--:|\n");
        for c in &b.categories {
            let name = crate::rules::Category::ALL
                .iter()
                .find(|k| k.id() == c.id)
                .map_or_else(|| md(&c.id, 80), |k| k.title().to_string());
            let _ = writeln!(
                out,
                "| {name} | {} | {} |",
                score_text(c.before),
                score_text(c.after)
            );
        }
        out.push('\n');
    }
    let list = |out: &mut String, heading: &str, icon: &str, ids: &[String]| {
        if ids.is_empty() {
            return;
        }
        let _ = writeln!(out, "**{heading}**\n");
        for id in ids.iter().take(MAX_BASELINE_ITEMS) {
            // Ids of resolved gaps come from the baseline file: escaped unless a rule has them.
            let name = match crate::rules::find(rules, id) {
                Some(_) => title(rules, id, id),
                None => md(id, 80),
            };
            let id_span = escape::code_span(&escape::truncate(id, 80));
            let _ = writeln!(out, "- {icon} {name} ({id_span})");
        }
        if ids.len() > MAX_BASELINE_ITEMS {
            let _ = writeln!(out, "- … and {} more", ids.len() - MAX_BASELINE_ITEMS);
        }
        out.push('\n');
    };
    list(out, "New gaps", "❌", &b.new_findings);
    list(out, "Closed gaps", "✅", &b.resolved);
}

fn executive(out: &mut String, r: &Report, rules: &[Rule], links: &Links) {
    out.push_str("## Executive summary\n\n");
    let controls: Vec<&Control> = r.controls().map(|(_, c)| c).collect();
    let passed = controls.iter().filter(|c| c.status == Status::Pass).count();
    let applicable = controls.iter().filter(|c| c.status != Status::Na).count();
    let scored: Vec<&CategoryReport> = r.categories.iter().filter(|c| c.score.is_some()).collect();
    let mut ranked = scored.clone();
    ranked.sort_by(|a, b| {
        b.score
            .unwrap_or(0.0)
            .total_cmp(&a.score.unwrap_or(0.0))
            .then(b.weight.total_cmp(&a.weight))
    });
    let name = |c: &&CategoryReport| format!("{} ({})", c.title, score_text(c.score));
    let strongest: Vec<String> = ranked
        .iter()
        .filter(|c| c.score.unwrap_or(0.0) >= 7.0)
        .take(2)
        .map(name)
        .collect();
    let weakest: Vec<String> = ranked
        .iter()
        .rev()
        .filter(|c| c.score.unwrap_or(10.0) < 7.0)
        .take(2)
        .map(name)
        .collect();
    let quick = r
        .findings
        .iter()
        .filter(|f| f.effort == Effort::Minutes)
        .count();

    let profile_from = r
        .profile
        .evidence
        .first()
        .map(|e| format!(", from {}", links.evidence(e, false)))
        .unwrap_or_default();
    let stacks = if r.stacks.is_empty() {
        "no stack detected".to_string()
    } else {
        let ids: Vec<&str> = r.stacks.iter().map(|s| s.id.id()).collect();
        format!("stacks: {}", ids.join(", "))
    };
    let _ = write!(
        out,
        "**Level {} ({})**: {}. {} of {} applicable controls pass in {} scored categories \
         (a {}{}; {}; {} scanned).",
        r.level.number,
        r.level.name,
        level_meaning(r.level.number),
        passed,
        applicable,
        scored.len(),
        r.profile.value.id(),
        profile_from,
        stacks,
        plural(r.stats.files as usize, "file", "files"),
    );
    if !r.profile.evidence.is_empty() {
        // Detected, not configured: the one fact that decides which controls apply.
        let _ = write!(
            out,
            " The profile decides which controls apply; if `{}` is wrong, set `profile:` in \
             `.devops-maturity.yml`.",
            r.profile.value.id()
        );
    }
    if let Some(package) = &r.package {
        let _ = write!(
            out,
            " Scanned as the package {} of its repository, with the repository's shared \
             files (CI, policies, templates) at the root.",
            escape::code_span(package)
        );
    }
    if let Some(first) = r.packages.first() {
        let scored = r
            .packages
            .iter()
            .any(|p| p.scan.is_some() || p.error.is_some());
        let _ = write!(
            out,
            " {} declares a workspace of {} ({}): {}",
            escape::code_span(&first.declared_in),
            plural(r.packages.len(), "package", "packages"),
            first_few(r.packages.iter().map(|p| escape::code_span(&p.path))),
            if scored {
                "each is scored on its own under *Workspace packages*."
            } else {
                "each can be scored on its own (`each-package`, or a matrix over the action's \
                 `path` fed by its `packages` output)."
            }
        );
    }
    if !strongest.is_empty() {
        let _ = write!(out, " Strongest: {}.", strongest.join(", "));
    }
    if !weakest.is_empty() {
        let _ = write!(out, " Weakest: {}.", weakest.join(", "));
    }
    if r.findings.is_empty() {
        out.push_str(" No gaps found.\n\n");
    } else {
        let _ = writeln!(
            out,
            " {} found, {} of them fixable in under an hour.\n",
            plural(r.findings.len(), "gap", "gaps"),
            quick
        );
    }

    // Strengths: the weightiest passing controls, one per category first for breadth.
    let mut passes: Vec<(&CategoryReport, &Control)> = r
        .controls()
        .filter(|(_, c)| c.status == Status::Pass)
        .collect();
    passes.sort_by(|a, b| {
        (f64::from(b.1.weight) * b.0.weight)
            .total_cmp(&(f64::from(a.1.weight) * a.0.weight))
            .then(a.1.id.cmp(b.1.id))
    });
    let mut picked: Vec<(&CategoryReport, &Control)> = Vec::new();
    for p in &passes {
        if picked.len() < HIGHLIGHTS && !picked.iter().any(|q| q.0.id == p.0.id) {
            picked.push(*p);
        }
    }
    for p in &passes {
        if picked.len() < HIGHLIGHTS && !picked.iter().any(|q| q.1.id == p.1.id) {
            picked.push(*p);
        }
    }
    if !picked.is_empty() {
        out.push_str("**Key strengths**\n\n");
        for (cat, c) in &picked {
            let refs = links.evidence_list(&c.evidence, false);
            let _ = write!(
                out,
                "- ✅ **{}:** {} — {}",
                cat.title,
                title(rules, c.id, c.title),
                sentence(&c.message)
            );
            if !refs.is_empty() {
                let _ = write!(out, " ({refs})");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if !r.findings.is_empty() {
        out.push_str("**Primary gaps**\n\n");
        for f in r.findings.iter().take(HIGHLIGHTS) {
            let refs = links.evidence_list(&f.evidence, false);
            let _ = write!(
                out,
                "- ⚠️ **{}:** {} — {}",
                f.category.title(),
                title(rules, f.rule, f.title),
                sentence(&f.message)
            );
            if !refs.is_empty() {
                let _ = write!(out, " ({refs})");
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

fn categories(out: &mut String, r: &Report, rules: &[Rule]) {
    out.push_str("## Scores by category\n\n");
    out.push_str(
        "| Category | Score | | Status | Passing | Top strength | Top gap |\n\
         |:--|--:|:--|:--|--:|:--|:--|\n",
    );
    for c in &r.categories {
        let pass = c.controls.iter().filter(|x| x.status == Status::Pass);
        let fail = c.controls.iter().filter(|x| x.status == Status::Fail);
        let applicable = c.controls.iter().filter(|x| x.status != Status::Na).count();
        let best = pass
            .clone()
            .max_by(|a, b| a.weight.cmp(&b.weight).then(b.id.cmp(a.id)));
        let worst = fail.max_by(|a, b| a.weight.cmp(&b.weight).then(b.id.cmp(a.id)));
        let cell = |c: Option<&Control>, icon: &str| {
            c.map(|c| format!("{icon} {}", title(rules, c.id, c.title)))
                .unwrap_or_else(|| "—".into())
        };
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} {} | {}/{} | {} | {} |",
            c.title,
            score_text(c.score),
            bar(c.score),
            status_emoji(c.score),
            status_word(c.score),
            pass.count(),
            applicable,
            cell(best, "✅"),
            cell(worst, "❌"),
        );
    }
    out.push('\n');
}

/// With `--each-package`: each workspace package's own score, weakest first.
fn workspace_packages(out: &mut String, r: &Report, rules: &[Rule]) {
    if r.packages
        .iter()
        .all(|p| p.scan.is_none() && p.error.is_none())
    {
        return;
    }
    out.push_str(
        "## Workspace packages\n\nEach package scanned on its own, with the repository's shared \
         files (CI, policies); weakest first. The gate is the score above.\n\n\
         | Package | Score | | Level | Profile | Gaps | Top gap |\n\
         |:--|--:|:--|:--|:--|--:|:--|\n",
    );
    let mut packages: Vec<_> = r.packages.iter().collect();
    packages.sort_by(|a, b| {
        let score = |p: &&crate::workspace::WorkspacePackage| p.scan.as_ref().map(|s| s.score);
        score(a)
            .unwrap_or(f64::INFINITY)
            .total_cmp(&score(b).unwrap_or(f64::INFINITY))
            .then_with(|| a.path.cmp(&b.path))
    });
    for p in packages {
        let path = escape::code_span(&p.path);
        match (&p.scan, &p.error) {
            (Some(s), _) => {
                let gap = s
                    .top_finding
                    .as_ref()
                    .map(|f| format!("❌ {}", title(rules, f.rule, f.title)))
                    .unwrap_or_else(|| "—".into());
                let _ = writeln!(
                    out,
                    "| {path} | {} | `{}` | {} · {} | {} | {} | {gap} |",
                    score_text(Some(s.score)),
                    bar(Some(s.score)),
                    s.level.number,
                    s.level.name,
                    s.profile.id(),
                    s.findings,
                );
            }
            (None, error) => {
                let why = error.as_deref().unwrap_or("not scored");
                let _ = writeln!(out, "| {path} | — | | | | | ⚠️ {} |", md(why, MAX_NOTE));
            }
        }
    }
    out.push('\n');
}

/// DORA's performance bands, best first, as the delivery controls name them.
const BANDS: [&str; 4] = ["elite", "high", "medium", "low"];

/// `(figure, band)` of a delivery control: their messages read `<figure>: <band> (DORA band)`.
fn dora_band(message: &str) -> Option<(&str, &'static str)> {
    let body = message.trim().strip_suffix("(DORA band)")?.trim_end();
    let (figure, band) = body.rsplit_once(": ")?;
    let band = BANDS.iter().find(|b| band.trim().eq_ignore_ascii_case(b))?;
    Some((figure.trim(), band))
}

fn band_cell(band: &str) -> String {
    let icon = match band {
        "elite" | "high" => "🟢",
        "medium" => "🟡",
        _ => "🔴",
    };
    format!("{icon} {}", capitalise(band))
}

/// The delivery controls that measured a DORA band, with their figure and band.
fn dora_metrics(r: &Report) -> Vec<(&Control, &str, &'static str)> {
    r.categories
        .iter()
        .filter(|c| c.id == crate::rules::Category::Delivery)
        .flat_map(|c| c.controls.iter())
        .filter(|c| c.status != Status::Na)
        .filter_map(|c| dora_band(&c.message).map(|(figure, band)| (c, figure, band)))
        .collect()
}

/// The overall DORA performance: the lower median of the measured bands (a conservative
/// middle: two elite and two medium metrics make "medium", not "high"). Needs two metrics.
fn dora_level(r: &Report) -> Option<&'static str> {
    if !r.history.available || r.history.shallow {
        return None;
    }
    let mut ranks: Vec<usize> = dora_metrics(r)
        .iter()
        .filter_map(|(_, _, band)| BANDS.iter().position(|b| b == band))
        .collect();
    if ranks.len() < 2 {
        return None;
    }
    // Worst first; the lower median is at (n - 1) / 2.
    ranks.sort_unstable_by(|a, b| b.cmp(a));
    Some(BANDS[ranks[(ranks.len() - 1) / 2]])
}

/// The headline cell: "**High** (git proxy)".
fn dora_headline(r: &Report) -> Option<String> {
    dora_level(r).map(|b| format!("**{}** (git proxy)", capitalise(b)))
}

/// One line on the history the metrics come from, from whatever the summary reports.
fn history_line(r: &Report) -> Option<String> {
    let v = serde_json::to_value(&r.history).ok()?;
    let num = |k: &str| v.get(k).and_then(|x| x.as_u64());
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(|s| md(s, 80));
    let mut parts = Vec::new();
    if let Some(c) = num("commits") {
        let mut p = plural(c as usize, "commit", "commits");
        if let Some(d) = num("span_days") {
            p.push_str(&format!(" over {}", plural(d as usize, "day", "days")));
        }
        if v.get("truncated").and_then(|x| x.as_bool()) == Some(true) {
            p.push_str(" (the most recent ones)");
        }
        parts.push(p);
    }
    if let Some(t) = num("semver_tags") {
        let mut p = plural(t as usize, "release tag", "release tags");
        if let Some(latest) = text("latest_semver_tag") {
            p.push_str(&format!(" (latest {latest})"));
        }
        parts.push(p);
    }
    if let Some(b) = text("default_branch") {
        parts.push(format!("default branch {b}"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn dora(out: &mut String, r: &Report, links: &Links) {
    out.push_str(
        "## DORA metrics

",
    );
    if !r.history.available || r.history.shallow {
        let why = r
            .history
            .message
            .as_deref()
            .map(|m| md(m.trim_end_matches('.'), MAX_MESSAGE))
            .unwrap_or_else(|| {
                if r.history.shallow {
                    "the clone is shallow".into()
                } else {
                    "no git history was found".into()
                }
            });
        let _ = writeln!(
            out,
            "> ℹ️ Not measured: {why}. The DORA proxies come from git history: check out with \
             `fetch-depth: 0` (actions/checkout) to get them.\n"
        );
        return;
    }
    let metrics = dora_metrics(r);
    if metrics.is_empty() {
        out.push_str("> ℹ️ Not enough history for any DORA metric yet.\n\n");
    } else {
        out.push_str("| Metric | Value | DORA level | Evidence |\n|:--|:--|:--|:--|\n");
        for (c, figure, band) in &metrics {
            let _ = writeln!(
                out,
                "| **{}** | {} | {} | {} |",
                c.title.replace('|', "\\|"),
                md(figure, 200),
                band_cell(band),
                links.evidence_list(&c.evidence, true)
            );
        }
        out.push('\n');
        if let Some(level) = dora_level(r) {
            let _ = writeln!(
                out,
                "**DORA level: {}** (the lower median of {} measured metrics).\n",
                capitalise(level),
                metrics.len()
            );
        }
    }
    // The other delivery controls (their own bands), then those that measured nothing, grouped
    // by reason: usually one reason (too little history) covers them all.
    let others: Vec<&Control> = r
        .categories
        .iter()
        .filter(|c| c.id == crate::rules::Category::Delivery)
        .flat_map(|c| c.controls.iter())
        .filter(|c| dora_band(&c.message).is_none())
        .collect();
    for c in others.iter().filter(|c| c.status != Status::Na) {
        let _ = writeln!(
            out,
            "- {} **{}:** {}",
            control_icon(c.status),
            c.title,
            sentence(&c.message)
        );
    }
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in others.iter().filter(|c| c.status == Status::Na) {
        match reasons.iter_mut().find(|(m, _)| *m == c.message) {
            Some((_, titles)) => titles.push(c.title),
            None => reasons.push((&c.message, vec![c.title])),
        }
    }
    for (message, titles) in reasons {
        let _ = writeln!(
            out,
            "- ➖ Not measured ({}): {}",
            titles.join("; "),
            sentence(message)
        );
    }
    let basis = history_line(r)
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n> Proxies from git history{basis}: release tags and merges on the default branch \
         stand in for deployments, reverts and hotfixes for failures. Not deployment records.\n"
    );
}

fn roadmap_section(out: &mut String, r: &Report, rules: &[Rule], links: &Links) {
    out.push_str("## Roadmap\n\n");
    if r.findings.is_empty() {
        out.push_str("Nothing to do: every applicable control passes. 🎉\n\n");
        return;
    }
    out.push_str(
        "Gaps placed by impact (rule weight × category weight) against the usual effort to fix \
         them, most impactful first. Each fix is a starting point to adapt, not a drop-in.\n\n",
    );
    let (horizons, rest) = roadmap(&r.findings);
    roadmap_table(out, &horizons, r.findings.len(), rules);
    // Fixes in the language of the repository's primary stack.
    let stacks: Vec<_> = r.stacks.iter().map(|s| s.id).collect();
    let mut n = 0;
    for (h, items) in horizons {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", heading(h));
        for f in items {
            n += 1;
            let rule = crate::rules::find(rules, f.rule);
            let _ = writeln!(
                out,
                "#### {n}. {} (Effort: {}, Impact: {})\n",
                title(rules, f.rule, f.title),
                f.effort.label(),
                impact_label(f.impact)
            );
            let _ = writeln!(
                out,
                "{} — `{}` · {} · weight {}\n",
                sentence(&f.message),
                f.rule,
                f.category.title(),
                f.weight
            );
            let refs = links.evidence_list(&f.evidence, false);
            if !refs.is_empty() {
                let _ = writeln!(out, "**Evidence:** {refs}\n");
            }
            if let Some(rule) = rule {
                let remediation = if is_custom(Some(rule)) {
                    md(rule.remediation, MAX_MESSAGE)
                } else {
                    rule.remediation.trim().to_string()
                };
                let _ = writeln!(
                    out,
                    "<details><summary>How to fix</summary>\n\n{remediation}\n"
                );
                if let Some(snippet) = f.fix.as_deref().or(rule.snippet_for(&stacks)) {
                    out.push_str(&escape::code_block(snippet, snippet_lang(snippet)));
                    out.push('\n');
                }
                out.push_str("</details>\n\n");
            }
        }
    }
    if !rest.is_empty() {
        let _ = writeln!(
            out,
            "…and {} of lower priority: see *All controls* below.\n",
            plural(rest.len(), "more gap", "more gaps")
        );
    }
}

/// The whole plan at a glance: the first [`ROADMAP_TABLE_MAX`] roadmap items, numbered as in
/// the detail below, then how many more gaps there are.
fn roadmap_table(
    out: &mut String,
    horizons: &[(Horizon, Vec<&Finding>)],
    total: usize,
    rules: &[Rule],
) {
    let items = horizons
        .iter()
        .flat_map(|(h, items)| items.iter().map(move |f| (*h, *f)));
    out.push_str("| # | Gap | Category | Horizon | Effort | Impact |\n|--:|:--|:--|:--|:--|:--|\n");
    let mut shown = 0;
    for (n, (h, f)) in items.take(ROADMAP_TABLE_MAX).enumerate() {
        shown += 1;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            n + 1,
            title(rules, f.rule, f.title),
            f.category.title(),
            horizon_cell(h),
            f.effort.label(),
            impact_label(f.impact)
        );
    }
    out.push('\n');
    if total > shown {
        let _ = writeln!(
            out,
            "…and {} below.\n",
            plural(total - shown, "more gap", "more gaps")
        );
    }
}

/// Every control, ignored entries and skipped files, within `budget` bytes.
fn details(r: &Report, rules: &[Rule], links: &Links, budget: usize) -> String {
    let mut out = String::new();
    let count = |s: Status| r.controls().filter(|(_, c)| c.status == s).count();
    let total = r.controls().count();
    let _ = writeln!(
        out,
        "<details><summary>All {} controls ({} pass, {} fail, {} not applicable)</summary>\n",
        total,
        count(Status::Pass),
        count(Status::Fail),
        count(Status::Na)
    );
    let mut shown = 0;
    let mut cut = false;
    'categories: for cat in &r.categories {
        if cat.controls.is_empty() {
            continue;
        }
        let head = format!(
            "#### {} {} — {}\n\n| | Control | Weight | Result | Evidence |\n|:--|:--|--:|:--|:--|\n",
            status_emoji(cat.score),
            cat.title,
            score_text(cat.score)
        );
        if out.len() + head.len() > budget {
            cut = true;
            break;
        }
        out.push_str(&head);
        for c in &cat.controls {
            let mut row = format!(
                "| {} | {} `{}` | {} | {} | {} |\n",
                control_icon(c.status),
                title(rules, c.id, c.title),
                c.id,
                c.weight,
                sentence(&c.message),
                links.evidence_list(&c.evidence, true)
            );
            if let Some(note) = c.evidence.iter().find_map(|e| e.note.as_deref()) {
                // The first note says what was seen; in the same cell as the evidence.
                row.truncate(row.len() - 3);
                let _ = writeln!(row, " — {} |", md(note, MAX_NOTE));
            }
            if out.len() + row.len() > budget {
                cut = true;
                break 'categories;
            }
            out.push_str(&row);
            shown += 1;
        }
        out.push('\n');
    }
    if cut {
        let _ = writeln!(
            out,
            "\n> ✂️ {} more controls are not shown: the summary stays under GitHub's 1 MiB \
             limit. The JSON report has all of them.\n",
            total - shown
        );
    }
    out.push_str("</details>\n\n");

    if !r.ignored.is_empty() && !cut {
        let mut section = String::from("### Ignored\n\n| Rule | Where | Reason |\n|:--|:--|:--|\n");
        for i in &r.ignored {
            let path = i.path.as_deref().map(|p| escape::truncate(p, MAX_PATH));
            let place = match (path, i.line) {
                (Some(p), Some(line)) => format!(
                    "{} (inline comment)",
                    escape::code_span_in_table(&format!("{p}:{line}"))
                ),
                (Some(p), None) => escape::code_span_in_table(&p),
                (None, _) => "(all)".into(),
            };
            let _ = writeln!(
                section,
                "| `{}` | {place} | {} |",
                i.rule,
                md(&i.reason, MAX_NOTE)
            );
        }
        section.push('\n');
        if !r.ignored_unmatched.is_empty() {
            let entries: Vec<String> = r
                .ignored_unmatched
                .iter()
                .map(|u| {
                    let rule = escape::code_span(&escape::truncate(&u.rule, MAX_PATH));
                    match &u.path {
                        Some(p) => {
                            format!(
                                "{rule} on {}",
                                escape::code_span(&escape::truncate(p, MAX_PATH))
                            )
                        }
                        None => rule,
                    }
                })
                .collect();
            let _ = writeln!(
                section,
                "> ⚠️ Matched no failed control (stale or mistyped?): {}\n",
                entries.join(", ")
            );
        }
        if out.len() + section.len() <= budget {
            out.push_str(&section);
        }
    }

    if !r.skipped.is_empty() {
        let mut section = format!(
            "<details><summary>{} skipped: {}</summary>\n\n| File | Reason |\n|:--|:--|\n",
            plural(r.skipped.len(), "file", "files"),
            md(&super::skipped_kinds(&r.skipped), MAX_NOTE)
        );
        for s in r.skipped.iter().take(MAX_SKIPPED) {
            let _ = writeln!(
                section,
                "| {} | {} |",
                escape::code_span_in_table(&escape::truncate(&s.path, MAX_PATH)),
                md(&s.reason, MAX_NOTE)
            );
        }
        if r.skipped.len() > MAX_SKIPPED {
            let _ = writeln!(
                section,
                "\n…and {} more (see `skipped` in the JSON report).",
                r.skipped.len() - MAX_SKIPPED
            );
        }
        section.push_str("\n</details>\n\n");
        if out.len() + section.len() <= budget {
            out.push_str(&section);
        } else {
            let _ = writeln!(
                out,
                "{} skipped: {} (see `skipped` in the JSON report).\n",
                plural(r.skipped.len(), "file", "files"),
                md(&super::skipped_kinds(&r.skipped), MAX_NOTE)
            );
        }
    }
    out
}

fn footer(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "---\n<sub>{} {} · `devops-maturity explain RULE` tells why a rule matters and how to \
         fix it.</sub>",
        r.tool.name, r.tool.version
    );
}

/// Reference documentation of every rule, generated from the rule metadata.
pub fn rules_doc(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule metadata (`devops-maturity rules --format markdown`).\n\n",
    );
    let _ = writeln!(
        out,
        "{} rules. Weight: 1 (nice to have) to 10 (critical); SARIF level error at 8+, \
         warning at 5-7, note below.\n",
        rules.len()
    );
    for cat in crate::rules::Category::ALL {
        let in_cat: Vec<&Rule> = rules.iter().filter(|r| r.category == cat).collect();
        if in_cat.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} (`{}`)\n", cat.title(), cat.id());
        out.push_str("| Rule | Title | Weight | Effort | Applies to |\n|:--|:--|--:|:--|:--|\n");
        for r in &in_cat {
            let _ = writeln!(
                out,
                "| [`{}`](#{}) | {} | {} | {} | {} |",
                r.id,
                r.id,
                r.title.replace('|', "\\|"),
                r.weight,
                r.effort.label(),
                r.applies.describe()
            );
        }
        out.push('\n');
        for r in in_cat {
            let security = if r.security { " · security" } else { "" };
            let _ = writeln!(
                out,
                "### {}\n\nCategory {} · weight {} · effort {} · applies to {}{}\n\n{}\n",
                r.id,
                cat.id(),
                r.weight,
                r.effort.label(),
                r.applies.describe(),
                security,
                r.help_markdown()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::report;

    fn control(id: &'static str, status: Status, weight: u8, ev: Vec<Evidence>) -> Control {
        Control {
            id,
            title: "A control",
            status,
            weight,
            required: false,
            evidence: ev,
            message: format!("message of {id}"),
            fix: None,
        }
    }

    fn finding(rule: &'static str, weight: u8, effort: Effort, impact: f64) -> Finding {
        Finding {
            horizon: Horizon::of(weight, effort),
            evidence: vec![Evidence::file("README.md")],
            ..crate::report::tests::finding(rule, weight, effort, impact)
        }
    }

    #[test]
    fn github_links_need_plausible_runner_values() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            Links::github("https://github.com/", "o/r", sha).as_deref(),
            Some("https://github.com/o/r/blob/0123456789abcdef0123456789abcdef01234567")
        );
        assert!(Links::github("https://github.com", "o/r", "main").is_none());
        assert!(Links::github("javascript:alert(1)", "o/r", sha).is_none());
        assert!(Links::github("https://x.y) [a](b", "o/r", sha).is_none());
        assert!(Links::github("https://github.com", "o/r/x", sha).is_none());
        assert!(Links::github("https://github.com", "../r", sha).is_none());
    }

    #[test]
    fn evidence_links_encode_the_path_and_escape_the_label() {
        let links = Links {
            blob_base: Some("https://g/o/r/blob/abc".into()),
            path_prefix: "svc".into(),
        };
        let e = Evidence::at("a b/[x](y).yml", 3);
        assert_eq!(
            links.evidence(&e, false),
            "[svc/a b/\\[x\\]\\(y\\)\\.yml\\:3](https://g/o/r/blob/abc/svc/a%20b/%5Bx%5D%28y%29.yml#L3)"
        );
        let plain = Links::default();
        assert_eq!(plain.evidence(&Evidence::file("a|b"), true), "`a\\|b`");
        assert_eq!(plain.evidence(&Evidence::file("a`b"), false), "`a'b`");
    }

    #[test]
    fn one_location_is_listed_once_whatever_its_notes() {
        let evidence = vec![
            Evidence::at("README.md", 11).note("setup"),
            Evidence::at("README.md", 11).note("usage"),
            Evidence::at("README.md", 24).note("tests"),
        ];
        assert_eq!(
            Links::default().evidence_list(&evidence, false),
            "`README.md:11` · `README.md:24`"
        );
    }

    #[test]
    fn roadmap_caps_each_horizon_and_spills_in_impact_order() {
        let mut findings: Vec<Finding> = (0..30)
            .map(|i| finding("r", 6, Effort::Minutes, 30.0 - f64::from(i)))
            .collect();
        crate::report::assign_horizons(&mut findings);
        let (h, rest) = roadmap(&findings);
        assert_eq!(h[0].1.len(), crate::report::IMMEDIATE_MAX);
        assert_eq!(h[1].1.len(), crate::report::SPRINT_MAX);
        assert_eq!(h[2].1.len(), QUARTER_MAX);
        assert_eq!(
            rest.len(),
            30 - crate::report::IMMEDIATE_MAX - crate::report::SPRINT_MAX - QUARTER_MAX
        );
        assert_eq!(h[1].1[0].impact, 25.0);
        assert!(h[2].1.windows(2).all(|w| w[0].impact >= w[1].impact));
        // The summary places every gap where the model did: one source of truth.
        for (horizon, items) in &h {
            assert!(items.iter().all(|f| f.horizon == *horizon));
        }
    }

    #[test]
    fn roadmap_table_lists_the_top_gaps_and_counts_the_rest() {
        let mut findings: Vec<Finding> = (0..15)
            .map(|i| finding("r", 6, Effort::Minutes, 30.0 - f64::from(i)))
            .collect();
        crate::report::assign_horizons(&mut findings);
        let md = render(&report(vec![], findings), &[], &Links::default());
        assert!(
            md.contains(
                "| # | Gap | Category | Horizon | Effort | Impact |\n|--:|:--|:--|:--|:--|:--|\n\
                 | 1 | A gap | CI pipeline | 🔴 Immediate | < 1 hour | Critical |\n"
            ),
            "{md}"
        );
        assert!(
            md.contains("| 6 | A gap | CI pipeline | 🟡 This sprint |"),
            "{md}"
        );
        assert!(md.contains("| 12 | A gap |"), "{md}");
        assert!(!md.contains("| 13 | A gap |"), "{md}");
        assert!(md.contains("…and 3 more gaps below.\n"), "{md}");
        // The table comes before the per-horizon detail.
        assert!(md.find("| 1 | A gap").unwrap() < md.find("### 🔴 Immediate").unwrap());
    }

    #[test]
    fn impact_labels_follow_the_order_of_the_roadmap() {
        // A weight-5 CI gap (× 3.5) outranks a weight-7 security gap (× 2.0): its label must
        // not read lower than the one after it.
        let mut findings = vec![
            finding("dep-audit", 7, Effort::Minutes, 14.0),
            finding("docker-build", 5, Effort::Minutes, 17.5),
            finding("secrets", 10, Effort::Minutes, 20.0),
            finding("readme", 9, Effort::Minutes, 6.75),
        ];
        crate::report::assign_horizons(&mut findings);
        let md = render(&report(vec![], findings), &[], &Links::default());
        let labels: Vec<&str> = md
            .lines()
            .filter(|l| l.contains("| 🔴 Immediate |"))
            .filter_map(|l| l.trim_end_matches(" |").rsplit("| ").next())
            .collect();
        assert_eq!(labels, ["Critical", "High", "High", "Medium"], "{md}");
        assert_eq!(impact_label(5.9), "Low");
    }

    #[test]
    fn roadmap_table_escapes_pipes_in_titles() {
        // A configuration-defined title is repository text; ours is trusted but may hold a `|`.
        let config = crate::config::Config::parse(
            "custom-rules:\n  - id: custom-x\n    title: 'Pipes | in <b>title</b>'\n    \
             category: ci\n    check: {file-exists: [x]}\n",
            "c.yml",
        )
        .unwrap();
        let (custom, _) = crate::rules::custom::build(&config.custom_rules).unwrap();
        let mut f = finding("custom-x", 8, Effort::Minutes, 24.0);
        f.title = custom[0].title;
        let mut builtin = finding("ci-y", 6, Effort::Minutes, 18.0);
        builtin.title = "Ours | too";
        let md = render(
            &report(vec![], vec![f, builtin]),
            &custom,
            &Links::default(),
        );
        let rows: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("| 1 |") || l.starts_with("| 2 |"))
            .collect();
        assert_eq!(rows.len(), 2, "{md}");
        for row in rows {
            // Six cells: seven unescaped pipes.
            let cells = row.replace("\\|", "").matches('|').count();
            assert_eq!(cells, 7, "{row}");
            assert!(!row.contains("<b>"), "{row}");
        }
    }

    #[test]
    fn repository_text_is_escaped_everywhere() {
        let evil = "<img src=x onerror=alert(1)> | [x](javascript:y)";
        let mut c = control(
            "ci-x",
            Status::Fail,
            8,
            vec![Evidence::at(evil, 2).note(evil)],
        );
        c.message = evil.to_string();
        let mut f = finding("ci-x", 8, Effort::Minutes, 24.0);
        f.message = evil.to_string();
        f.evidence = c.evidence.clone();
        let mut r = report(vec![c], vec![f]);
        r.skipped.push(crate::walk::Skipped {
            path: evil.into(),
            reason: evil.into(),
        });
        let md = render(&r, &[], &Links::default());
        // Code spans show their content literally; outside them nothing may stay markup.
        let outside: String = md.split('`').step_by(2).collect();
        assert!(!outside.contains("<img"), "{md}");
        assert!(!outside.contains("](javascript"), "{md}");
        // Every table row keeps its column count: no pipe from the repository splits a cell.
        for line in md
            .lines()
            .filter(|l| l.starts_with("| ✅") || l.starts_with("| ❌"))
        {
            let cells = line.replace("\\|", "").matches('|').count();
            assert_eq!(cells, 6, "{line}");
        }
    }

    #[test]
    fn the_summary_stays_within_its_byte_budget() {
        let many: Vec<Evidence> = (0..20)
            .map(|i| Evidence::at(format!("{}/{i}", "d".repeat(200)), i + 1).note("n".repeat(300)))
            .collect();
        let controls: Vec<Control> = (0..400)
            .map(|_| control("ci-x", Status::Fail, 5, many.clone()))
            .collect();
        let r = report(controls, vec![]);
        let full = render(&r, &[], &Links::default());
        assert!(full.len() <= SUMMARY_LIMIT);
        let small = render_limited(&r, &[], &Links::default(), 40_000);
        assert!(small.len() <= 40_000, "{}", small.len());
        assert!(small.contains("more controls are not shown"), "{small}");
        assert!(small.contains("</details>"));
        let tiny = render_limited(&r, &[], &Links::default(), 500);
        assert!(tiny.len() <= 500, "{}", tiny.len());
    }

    #[test]
    fn baseline_section_escapes_the_baseline_file_and_gates_on_a_drop() {
        let mut r = report(vec![], vec![]);
        r.min_score = 0.0;
        r.passed = false;
        r.baseline = Some(crate::report::baseline::Comparison {
            file: "base`.json".into(),
            score: 6.0,
            delta: -1.0,
            categories: vec![],
            new_findings: vec![],
            resolved: vec![
                "<img src=x onerror=alert(1)>".into(),
                "ci-configured".into(),
            ],
            gate: true,
        });
        let rules = crate::rules::builtin();
        let md = render(&r, &rules, &Links::default());
        assert!(md.contains("## Since the baseline"), "{md}");
        assert!(
            md.contains("❌ **Failed:** 5.0 is below the baseline's 6.0"),
            "{md}"
        );
        assert!(md.contains("fail (< baseline 6.0)"), "{md}");
        // Outside a code span the id is escaped; inside one it is inert text.
        assert!(md.contains("- ✅ &lt;img src\\=x"), "{md}");
        assert!(md.contains("(`<img src=x onerror=alert(1)>`)"), "{md}");
        assert!(
            md.contains("✅ CI pipeline configured (`ci-configured`)"),
            "{md}"
        );
        // Without the gate the drop is reported, and nothing fails on it.
        r.baseline.as_mut().unwrap().gate = false;
        r.passed = true;
        let md = render(&r, &rules, &Links::default());
        assert!(md.contains("No gate"), "{md}");
        assert!(md.contains("(−1.0): 0 gaps opened, 2 gaps closed"), "{md}");
    }

    #[test]
    fn headline_states_score_level_and_gate() {
        let r = report(vec![control("ci-x", Status::Pass, 5, vec![])], vec![]);
        let md = render(&r, &[], &Links::default());
        assert!(
            md.starts_with("# DevOps maturity: 5.0/10 · Level 3 Defined\n"),
            "{md}"
        );
        assert!(md.contains("❌ **Failed:** 5.0 is below the minimum score of 6.0."));
        assert!(md.contains("| CI pipeline | 5.0/10 | `█████░░░░░` | 🟡 Fair | 1/1 |"));
        assert!(md.contains("Not measured"), "{md}");
    }

    #[test]
    fn snippet_language_comes_from_the_named_file() {
        assert_eq!(snippet_lang("# .github/workflows/ci.yml\non: push"), "yaml");
        assert_eq!(snippet_lang("# Dockerfile\nFROM x"), "dockerfile");
        assert_eq!(snippet_lang("// src/app.ts\n"), "ts");
        assert_eq!(snippet_lang("## Getting started"), "");
        assert_eq!(
            snippet_lang("-- db/migrations/1_x.up.sql (golang-migrate)\n"),
            "sql"
        );
        assert_eq!(
            snippet_lang("<!-- pom.xml (build/plugins) -->\n<plugin/>"),
            "xml"
        );
        assert_eq!(snippet_lang("# db/migrate/1_create_users.rb\n"), "ruby");
        assert_eq!(snippet_lang("// Program.cs (ASP.NET Core)\n"), "csharp");
    }
}
