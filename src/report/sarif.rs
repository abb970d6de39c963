//! SARIF 2.1.0 for GitHub code scanning.
//!
//! Decisions (GitHub's rules are summarised in the README):
//! - One run, tool `devops-maturity`, **every** rule in `tool.driver.rules` even when nothing
//!   fails, so an alert closes when a later analysis no longer reports it.
//! - One result per failed control (not per evidence item): a control is one verdict, and the
//!   other evidence is listed in the message. The result has exactly one location, the most
//!   specific evidence item (the first with a line, else the first), repo-relative, with
//!   `startLine` ≥ 1 (1 when the evidence names a file without a line). A failed control with no
//!   evidence at all is anchored at the first file any control cited; in an empty repository it
//!   is left out of the SARIF (it is still in the summary and the JSON): GitHub rejects the whole
//!   upload when one result has no location.
//! - Fingerprints: we do **not** fill `primaryLocationLineHash`. upload-sarif computes it from
//!   the content of the anchored line (so line drift does not reopen an alert) and warns on every
//!   result whose pre-filled value differs from its own, which a rule-id hash always would. We
//!   add `partialFingerprints["devopsMaturity/v1"]` = hash(rule id, path) for other SARIF
//!   consumers; GitHub ignores keys other than `primaryLocationLineHash`.
//! - `automationDetails.id = "<category>/"` (an empty run id): a category that does not depend on
//!   the workflow or job name, so renaming them does not orphan alerts (it takes precedence over
//!   upload-sarif's `category` input). Uploads with the same tool and category replace each
//!   other, so the default names the scanned folder: `devops-maturity/` for the repository root,
//!   `devops-maturity/<folder>/` for a folder, and a monorepo matrix over folders keeps every
//!   folder's alerts. The user can set the category (`--sarif-category`, the `category` input).
//! - Limits: ≤ 5,000 results (GitHub keeps only the top 5,000; findings are ordered by impact),
//!   ≤ 25,000 rules, ≤ 10 tags per rule, names ≤ 255 and descriptions ≤ 1,024 characters,
//!   messages ≤ 4,000 characters, evidence notes bounded: the file stays far below 10 MB.

use super::{Finding, Report};
use crate::escape;
use crate::rules::{Check, Evidence, Rule};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, Run,
    RunAutomationDetails, Sarif, Tool, ToolComponent, Version,
};
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// The default category of a scan of the repository root: `category/` with an empty run id.
pub const AUTOMATION_ID: &str = "devops-maturity/";
/// The default category: this, then `/<scanned folder>` when it is not the repository root.
pub const CATEGORY_BASE: &str = "devops-maturity";
/// The longest category accepted, in characters.
pub const MAX_CATEGORY: usize = 255;
/// GitHub's documented schema URL for SARIF 2.1.0.
pub const SCHEMA_URL: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Our fingerprint key (GitHub only reads `primaryLocationLineHash`).
pub const FINGERPRINT_KEY: &str = "devopsMaturity/v1";
/// The base every artifact URI is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

pub const MAX_RESULTS: usize = 5_000;
pub const MAX_RULES: usize = 25_000;
pub const MAX_TAGS: usize = 10;
const MAX_NAME: usize = 255;
const MAX_DESCRIPTION: usize = 1_024;
const MAX_MESSAGE: usize = 4_000;
const MAX_NOTE: usize = 300;
const MAX_HELP: usize = 16_000;

/// SARIF level of a rule by weight: 8-10 error, 5-7 warning, 1-4 note.
pub fn level_name(weight: u8) -> &'static str {
    match weight {
        8.. => "error",
        5..=7 => "warning",
        _ => "note",
    }
}

/// `problem.severity` (non-security rules): error / warning / recommendation.
fn problem_severity(weight: u8) -> &'static str {
    match weight {
        8.. => "error",
        5..=7 => "warning",
        _ => "recommendation",
    }
}

/// `security-severity` of a security rule: its weight on GitHub's 0-10 scale, so 9-10 read as
/// critical, 7-8 high, 4-6 medium and 1-3 low.
pub fn security_severity(weight: u8) -> String {
    format!("{:.1}", f64::from(weight.clamp(1, 10)))
}

/// The `automationDetails.id` of a category given by the user: trimmed, with `/` appended when
/// missing (so the whole value is the category and the run id is empty). Refuses an empty value,
/// control characters (bidirectional ones included) and more than [`MAX_CATEGORY`] characters.
pub fn category_id(category: &str) -> Result<String, String> {
    let c = category.trim();
    if c.trim_end_matches('/').is_empty() {
        return Err("the category is empty".into());
    }
    if let Some(ch) = c
        .chars()
        .find(|&ch| ch.is_control() || escape::is_bidi_control(ch))
    {
        return Err(format!(
            "the category contains a control character (U+{:04X})",
            u32::from(ch)
        ));
    }
    let n = c.chars().count();
    if n > MAX_CATEGORY {
        return Err(format!(
            "the category is {n} characters long, at most {MAX_CATEGORY} are accepted"
        ));
    }
    Ok(if c.ends_with('/') {
        c.to_string()
    } else {
        format!("{c}/")
    })
}

/// The default `automationDetails.id` of a scan of `scanned`, a folder relative to the
/// repository root: `devops-maturity/` for the root (`""`, `.`), else
/// `devops-maturity/<folder>/` with forward slashes and no `.` or empty segments.
pub fn default_category_id(scanned: &str) -> String {
    let scanned = scanned.replace('\\', "/");
    let segments: Vec<&str> = scanned
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segments.is_empty() {
        AUTOMATION_ID.to_string()
    } else {
        format!("{CATEGORY_BASE}/{}/", segments.join("/"))
    }
}

/// The `automationDetails.id`: the user's category when given, else the default for the scanned
/// folder (relative to the repository root). Both are validated by [`category_id`]; a default
/// only fails for a folder path that is too long or holds control characters.
pub fn automation_id(category: Option<&str>, scanned: &str) -> Result<String, String> {
    match category {
        Some(c) => category_id(c),
        None => category_id(&default_category_id(scanned)).map_err(|e| {
            format!("{e} (the default for the scanned folder); give a shorter one explicitly")
        }),
    }
}

/// The folder `path` relative to `base` (the current directory for the command line), for the
/// default category: lexically when `path` is relative and stays inside `base`, else through
/// the resolved paths. `None` when `path` is outside `base`.
pub fn relative_folder(path: &Path, base: &Path) -> Option<String> {
    let lexical = |p: &Path| -> Option<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    out.pop()?;
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(out.join("/"))
    };
    if path.is_relative() {
        if let Some(rel) = lexical(path) {
            return Some(rel);
        }
    }
    if let Some(rel) = path.strip_prefix(base).ok().and_then(lexical) {
        return Some(rel);
    }
    let real = base.join(path).canonicalize().ok()?;
    let real_base = base.canonicalize().ok()?;
    real.strip_prefix(real_base).ok().and_then(lexical)
}

/// How a SARIF log is written.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Prefix of every artifact URI, `path_prefix/<evidence path>`: the action scans `path`
    /// inside the repository while code scanning wants paths relative to the repository root.
    pub path_prefix: &'a str,
    /// `automationDetails.id` (see [`automation_id`]).
    pub automation_id: &'a str,
    /// The lowest result level written (`--sarif-level`): `note` writes every finding.
    pub min_level: MinLevel,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            path_prefix: "",
            automation_id: AUTOMATION_ID,
            min_level: MinLevel::Note,
        }
    }
}

/// The lowest level of the results written. Code scanning lists every result as an alert;
/// `warning` leaves out the notes (rules of weight 4 and less), `error` keeps weight 8-10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum MinLevel {
    #[default]
    Note,
    Warning,
    Error,
}

impl MinLevel {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "note" => Ok(MinLevel::Note),
            "warning" => Ok(MinLevel::Warning),
            "error" => Ok(MinLevel::Error),
            other => Err(format!("{other:?} is not one of note, warning, error")),
        }
    }

    /// Whether a finding of this rule weight is written.
    pub fn keeps(self, weight: u8) -> bool {
        let level = match level_name(weight) {
            "error" => MinLevel::Error,
            "warning" => MinLevel::Warning,
            _ => MinLevel::Note,
        };
        level >= self
    }
}

/// SARIF for the report with the default [`Options`]: URIs relative to the scanned root,
/// category [`AUTOMATION_ID`], every finding.
pub fn render(report: &Report, rules: &[Rule]) -> String {
    render_with(report, rules, &Options::default())
}

/// SARIF for the report, written as `options` say.
pub fn render_with(report: &Report, rules: &[Rule], options: &Options) -> String {
    let sarif = build(report, rules, options);
    serde_json::to_string_pretty(&sarif)
        .map(|mut s| {
            s.push('\n');
            s
        })
        // Plain data with string keys cannot fail to serialize; never panic anyway.
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}\n", e.to_string()))
}

/// The SARIF log as a value (for tests and other writers).
pub fn build(report: &Report, rules: &[Rule], options: &Options) -> Sarif {
    let Options {
        path_prefix,
        automation_id,
        min_level,
    } = *options;
    let rules = &rules[..rules.len().min(MAX_RULES)];
    let descriptors: Vec<ReportingDescriptor> = rules.iter().map(descriptor).collect();
    let fallback = report
        .controls()
        .flat_map(|(_, c)| c.evidence.iter())
        .next()
        .map(|e| e.path.clone());
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .filter(|f| min_level.keeps(f.weight))
        .filter_map(|f| {
            let index = rules.iter().position(|r| r.id == f.rule)?;
            result(f, index, path_prefix, fallback.as_deref())
        })
        .take(MAX_RESULTS)
        .collect();

    let driver = ToolComponent::builder()
        .name(report.tool.name)
        .version(report.tool.version)
        .semantic_version(report.tool.version)
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(descriptors)
        .build();
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation::builder()
            .description(Message::from("The root of the analysed repository."))
            .build(),
    );
    let run_properties = PropertyBag::builder()
        .additional_properties(BTreeMap::from([
            ("score".to_string(), json!(report.score)),
            ("level".to_string(), json!(report.level.name)),
            ("levelNumber".to_string(), json!(report.level.number)),
            ("minScore".to_string(), json!(report.min_score)),
            ("passed".to_string(), json!(report.passed)),
        ]))
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .automation_details(RunAutomationDetails::builder().id(automation_id).build())
        .original_uri_base_ids(base_ids)
        .results(results)
        .properties(run_properties)
        .build();
    Sarif::builder()
        .schema(SCHEMA_URL)
        .version(json!(Version::V2_1_0.to_string()))
        .runs(vec![run])
        .build()
}

fn text(s: &str, max: usize) -> String {
    escape::truncate(s.trim(), max).into_owned()
}

fn is_custom(rule: &Rule) -> bool {
    matches!(rule.check, Check::Custom(_))
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let mut tags = vec![
        rule.category.id().to_string(),
        "devops".to_string(),
        "maturity".to_string(),
    ];
    if rule.security {
        tags.push("security".to_string());
    }
    if is_custom(rule) {
        tags.push("custom".to_string());
    }
    // The `security` category already is the `security` tag: tags must be unique.
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    tags.truncate(MAX_TAGS);

    let mut props = BTreeMap::new();
    // Built-in rules detect files and settings that are there or not; configuration-defined
    // rules are only as precise as the user's globs and regexes.
    let precision = if is_custom(rule) { "medium" } else { "high" };
    props.insert("precision".to_string(), json!(precision));
    props.insert("category".to_string(), json!(rule.category.id()));
    props.insert("weight".to_string(), json!(rule.weight));
    props.insert("effort".to_string(), json!(rule.effort));
    if rule.security {
        props.insert(
            "security-severity".to_string(),
            json!(security_severity(rule.weight)),
        );
    } else {
        props.insert(
            "problem.severity".to_string(),
            json!(problem_severity(rule.weight)),
        );
    }

    let full = format!("{} {}", rule.rationale.trim(), rule.passes_when.trim());
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(text(rule.title, MAX_NAME))
        .short_description(&text(rule.title, MAX_DESCRIPTION))
        .full_description(&text(&full, MAX_DESCRIPTION))
        .help(
            MultiformatMessageString::builder()
                .text(text(&help_text(rule), MAX_HELP))
                .markdown(text(&rule.help_markdown(), MAX_HELP))
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(rule.weight)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(props)
                .build(),
        )
        .build()
}

fn help_text(rule: &Rule) -> String {
    let mut t = format!(
        "{}\n\n{}\n\nPasses when: {}\n\nRemediation: {}",
        rule.title, rule.rationale, rule.passes_when, rule.remediation
    );
    let snippets = rule.snippets_text();
    if !snippets.is_empty() {
        t.push_str("\n\n");
        t.push_str(&snippets);
    }
    t
}

/// Repo-relative, forward slashes, no `./`: what upload-sarif resolves against the checkout.
/// A path that climbs out of the scanned folder (a repository file shared with a package,
/// `../../.github/workflows/ci.yml`) climbs out of the prefix: `..` segments are resolved
/// against it, and any left over stay (they cannot be resolved without the root).
pub fn repo_path(prefix: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in prefix.split('/').chain(path.split('/')) {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The evidence item a result is anchored at: the first with a line, else the first.
pub fn primary(evidence: &[Evidence]) -> Option<&Evidence> {
    evidence
        .iter()
        .find(|e| e.line.is_some())
        .or(evidence.first())
}

fn describe(e: &Evidence, prefix: &str) -> String {
    let mut s = repo_path(prefix, &e.path);
    if let Some(l) = e.line {
        s.push_str(&format!(":{l}"));
    }
    if let Some(n) = &e.note {
        s.push_str(&format!(" ({})", escape::truncate(n, MAX_NOTE)));
    }
    s
}

/// The message of a failed control: its message (the first sentence is the alert title), the
/// anchor's note, then the other evidence.
pub fn message(control_message: &str, evidence: &[Evidence], prefix: &str) -> String {
    let mut m = capitalise(control_message.trim().trim_end_matches('.'));
    let anchor = primary(evidence);
    if let Some(note) = anchor.and_then(|e| e.note.as_deref()) {
        if !note.trim().is_empty() && !m.contains(note.trim()) {
            m.push_str(&format!(" ({})", escape::truncate(note.trim(), MAX_NOTE)));
        }
    }
    if !m.ends_with(['.', '!', '?']) {
        m.push('.');
    }
    let others: Vec<String> = evidence
        .iter()
        .filter(|e| Some(*e) != anchor)
        .map(|e| describe(e, prefix))
        .collect();
    if !others.is_empty() {
        m.push_str(&format!(" Also: {}.", others.join("; ")));
    }
    escape::truncate(&m, MAX_MESSAGE).into_owned()
}

/// Upper-cases the first letter: messages read as sentences in alert titles.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() => c.to_ascii_uppercase().to_string() + chars.as_str(),
        _ => s.to_string(),
    }
}

fn result(
    f: &Finding,
    rule_index: usize,
    prefix: &str,
    fallback: Option<&str>,
) -> Option<SarifResult> {
    let (path, line) = match primary(&f.evidence) {
        Some(e) => (e.path.as_str(), e.line.unwrap_or(1).max(1)),
        None => (fallback?, 1),
    };
    let uri = repo_path(prefix, path);
    if uri.is_empty() {
        return None;
    }
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(escape::url_path(&uri))
                        .uri_base_id(SRCROOT)
                        .build(),
                )
                .region(Region::builder().start_line(i64::from(line)).build())
                .build(),
        )
        .build();
    let fingerprints = BTreeMap::from([(
        FINGERPRINT_KEY.to_string(),
        format!("{:016x}", fnv1a(&[f.rule, &uri])),
    )]);
    let props = PropertyBag::builder()
        .additional_properties(BTreeMap::from([
            ("category".to_string(), json!(f.category.id())),
            ("impact".to_string(), json!(f.impact)),
            ("effort".to_string(), json!(f.effort)),
        ]))
        .build();
    let level: serde_sarif::sarif::ResultLevel = match level_name(f.weight) {
        "error" => serde_sarif::sarif::ResultLevel::Error,
        "warning" => serde_sarif::sarif::ResultLevel::Warning,
        _ => serde_sarif::sarif::ResultLevel::Note,
    };
    Some(
        SarifResult::builder()
            .rule_id(f.rule)
            .rule_index(rule_index as i64)
            .level(level)
            .message(Message::from(&message(&f.message, &f.evidence, prefix)))
            .locations(vec![location])
            .partial_fingerprints(fingerprints)
            .properties(props)
            .build(),
    )
}

/// FNV-1a, 64 bits, over the parts separated by NUL: stable across Rust versions and
/// platforms (std's hasher is not).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let separated = parts
        .iter()
        .enumerate()
        .flat_map(|(i, p)| (i > 0).then_some(0u8).into_iter().chain(p.bytes()));
    for b in separated {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_level_keeps_results_at_or_above_it() {
        assert_eq!(MinLevel::parse(" Warning "), Ok(MinLevel::Warning));
        assert!(MinLevel::parse("info")
            .unwrap_err()
            .contains("note, warning, error"));
        for (weight, note, warning, error) in [
            (2, true, false, false),
            (4, true, false, false),
            (5, true, true, false),
            (7, true, true, false),
            (8, true, true, true),
            (10, true, true, true),
        ] {
            assert_eq!(MinLevel::Note.keeps(weight), note, "{weight}");
            assert_eq!(MinLevel::Warning.keeps(weight), warning, "{weight}");
            assert_eq!(MinLevel::Error.keeps(weight), error, "{weight}");
        }
    }

    #[test]
    fn levels_and_severities_follow_the_weight() {
        assert_eq!(level_name(10), "error");
        assert_eq!(level_name(8), "error");
        assert_eq!(level_name(7), "warning");
        assert_eq!(level_name(5), "warning");
        assert_eq!(level_name(4), "note");
        assert_eq!(security_severity(9), "9.0");
        assert_eq!(security_severity(0), "1.0");
        assert_eq!(problem_severity(3), "recommendation");
    }

    #[test]
    fn tags_are_unique_and_security_rules_get_a_security_severity() {
        let mut rule = crate::rules::builtin()
            .into_iter()
            .next()
            .expect("at least one rule");
        rule.category = crate::rules::Category::Security;
        rule.security = true;
        rule.weight = 7;
        let d = serde_json::to_value(descriptor(&rule)).unwrap();
        assert_eq!(
            d["properties"]["tags"],
            json!(["security", "devops", "maturity"])
        );
        assert_eq!(d["properties"]["security-severity"], "7.0");
        assert!(d["properties"].get("problem.severity").is_none());
        assert_eq!(d["defaultConfiguration"]["level"], "warning");
        rule.security = false;
        let d = serde_json::to_value(descriptor(&rule)).unwrap();
        assert!(d["properties"].get("security-severity").is_none());
        assert_eq!(d["properties"]["problem.severity"], "warning");
        assert_eq!(d["properties"]["precision"], "high");
    }

    #[test]
    fn repo_paths_join_the_prefix_without_dot_segments() {
        assert_eq!(repo_path("", "a/b.yml"), "a/b.yml");
        assert_eq!(repo_path(".", "./a"), "a");
        assert_eq!(repo_path("svc/api/", "Dockerfile"), "svc/api/Dockerfile");
        assert_eq!(repo_path("./svc", "."), "svc");
        // Shared repository files of a package scan.
        assert_eq!(
            repo_path("services/orders", "../../.github/workflows/ci.yml"),
            ".github/workflows/ci.yml"
        );
        assert_eq!(repo_path("", "../SECURITY.md"), "../SECURITY.md");
    }

    #[test]
    fn categories_default_to_the_scanned_folder_and_explicit_ones_are_normalised() {
        // Defaults: the root keeps `devops-maturity/`, a folder gets its own category.
        for root in ["", ".", "./", "/"] {
            assert_eq!(
                automation_id(None, root).unwrap(),
                AUTOMATION_ID,
                "{root:?}"
            );
        }
        assert_eq!(
            automation_id(None, "services/orders").unwrap(),
            "devops-maturity/services/orders/"
        );
        assert_eq!(
            automation_id(None, "./services//orders/").unwrap(),
            "devops-maturity/services/orders/"
        );
        assert_eq!(
            automation_id(None, "services\\api").unwrap(),
            "devops-maturity/services/api/"
        );
        // Explicit: trimmed, one trailing slash so the run id stays empty.
        assert_eq!(automation_id(Some("api"), "svc").unwrap(), "api/");
        assert_eq!(automation_id(Some(" a/b/ "), "").unwrap(), "a/b/");
        assert_eq!(category_id(&"x".repeat(255)).unwrap().len(), 256);
        // Refused: empty, control characters, more than 255 characters.
        for bad in ["", "  ", "/", "a\nb", "a\tb", "a\u{7f}", "a\u{202e}b"] {
            assert!(category_id(bad).is_err(), "{bad:?}");
        }
        let e = category_id(&"é".repeat(256)).unwrap_err();
        assert!(e.contains("256 characters"), "{e}");
        assert!(automation_id(None, &"d/".repeat(130)).is_err());
    }

    #[test]
    fn folders_are_made_relative_to_the_base() {
        let base = Path::new("/repo");
        let rel = |p: &str| relative_folder(Path::new(p), base);
        assert_eq!(rel(".").as_deref(), Some(""));
        assert_eq!(rel("./svc/api/").as_deref(), Some("svc/api"));
        assert_eq!(rel("svc/../web").as_deref(), Some("web"));
        assert_eq!(rel("/repo").as_deref(), Some(""));
        assert_eq!(rel("/repo/svc/./api").as_deref(), Some("svc/api"));
        assert_eq!(rel("/elsewhere/svc"), None);
    }

    #[test]
    fn the_anchor_prefers_evidence_with_a_line() {
        let ev = vec![Evidence::file("README.md"), Evidence::at("ci.yml", 4)];
        assert_eq!(primary(&ev).map(|e| e.path.as_str()), Some("ci.yml"));
        assert_eq!(
            primary(&ev[..1]).map(|e| e.path.as_str()),
            Some("README.md")
        );
        assert!(primary(&[]).is_none());
    }

    #[test]
    fn message_lists_the_other_evidence_once() {
        let ev = vec![
            Evidence::file("README.md").note("no setup section"),
            Evidence::at("ci.yml", 4).note("first unpinned action"),
        ];
        let m = message("actions are not pinned.", &ev, "svc");
        assert_eq!(
            m,
            "Actions are not pinned (first unpinned action). Also: svc/README.md (no setup section)."
        );
    }

    #[test]
    fn fingerprint_is_stable_and_separates_parts() {
        assert_eq!(fnv1a(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
