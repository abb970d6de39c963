//! The rule registry. A [`Rule`] is one unit carrying everything that describes it
//! (id, title, category, weight, applicability, rationale, remediation) and its check;
//! SARIF metadata, `rules`, `explain` and the docs are all generated from it.

mod category;
pub mod custom;
pub mod signals;

/// A Node package manager's options before a script's name: flags, workspace selectors and
/// folders with their values (`--filter web`, `-C apps/web`, `-w apps/api`, `--prefix ui`),
/// `yarn workspace web` and `yarn workspaces foreach`. Regex fragments carry no spaces, so
/// they mean the same in `(?x)` patterns.
macro_rules! node_options {
    () => {
        r"(?:(?:--(?:filter|workspace|prefix|dir|cwd)|(?-i:-[FwC]))(?:=|\s+)\S+\s+|workspace\s+\S+\s+|workspaces\s+foreach\s+|-\S+\s+)"
    };
}

/// A Node package manager invoking a script, up to the script's name (`pnpm --filter web run`).
macro_rules! node_script_run {
    () => {
        concat!(
            r"\b(?:npm|pnpm|yarn|bun)\s+",
            node_options!(),
            r"*(?:run\s+)?"
        )
    };
}

mod ci;
mod compose_run;
mod containers;
mod delivery;
mod deployment;
mod docs;
mod dx;
mod iac;
mod observability;
mod py_tasks;
mod release;
mod reliability;
mod secrets;
mod security;
mod starter;
mod supply_chain;
mod testing;
mod tox_run;

#[cfg(test)]
pub(crate) mod testkit;

pub use category::Category;
pub use signals::Signal;

use crate::detect::{Profile, Stack, StackId};
use crate::history::History;
use crate::index::Index;
use schemars::JsonSchema;
use serde::Serialize;

/// How long a fix usually takes; orders the roadmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Effort {
    /// Minutes: add a file or a line.
    Minutes,
    /// Hours: a workflow job, a config file with some thought.
    Hours,
    /// Days: new infrastructure or a practice to adopt.
    Days,
}

impl Effort {
    pub fn label(self) -> &'static str {
        match self {
            Effort::Minutes => "< 1 hour",
            Effort::Hours => "a few hours",
            Effort::Days => "days",
        }
    }
}

/// Which repositories a rule applies to. Anything else is "not applicable" and left out of
/// the score: a library is not penalised for having no health endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Applies {
    /// Profiles the rule applies to; empty means every profile.
    pub profiles: &'static [Profile],
    /// Stacks the rule applies to (any of them); empty means every repository.
    pub stacks: &'static [StackId],
}

impl Applies {
    pub const ALL: Applies = Applies {
        profiles: &[],
        stacks: &[],
    };
    pub const SERVICE: Applies = Applies {
        profiles: &[Profile::Service],
        stacks: &[],
    };

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.profiles.is_empty() {
            let names: Vec<&str> = self.profiles.iter().map(|p| p.id()).collect();
            parts.push(format!("profiles: {}", names.join(", ")));
        }
        if !self.stacks.is_empty() {
            let names: Vec<&str> = self.stacks.iter().map(|s| s.id()).collect();
            parts.push(format!("stacks: {}", names.join(", ")));
        }
        if parts.is_empty() {
            "every repository".to_string()
        } else {
            parts.join("; ")
        }
    }
}

/// The check of a rule: a function of the scan context.
pub type CheckFn = fn(&Context) -> Outcome;

/// One control. Every text here is shown to users (SARIF help, `explain`, docs).
#[derive(Clone)]
pub struct Rule {
    /// Stable kebab-case id; never renamed once published.
    pub id: &'static str,
    pub title: &'static str,
    pub category: Category,
    /// 1 (nice to have) to 10 (critical), like Scorecard's risk weights.
    pub weight: u8,
    pub applies: Applies,
    /// Why the practice matters.
    pub rationale: &'static str,
    /// What the rule accepts as a pass.
    pub passes_when: &'static str,
    /// How to fix a failure, in one or two sentences.
    pub remediation: &'static str,
    /// A copy-paste snippet, with the file it belongs in as the first comment line: the
    /// generic fix, shown where no variant in `snippets` fits the repository.
    pub snippet: Option<&'static str>,
    /// Stack-specific variants of the fix (same first-line convention), one per stack, in
    /// `StackId` order. Rules whose fix is code in one language leave `snippet` empty and list
    /// a variant per stack instead, so no repository is told to paste another language.
    pub snippets: &'static [(StackId, &'static str)],
    pub effort: Effort,
    /// True for rules about vulnerabilities or secrets (SARIF security-severity, tags).
    pub security: bool,
    pub check: Check,
}

/// Built-in checks are plain functions; configuration-defined rules carry their matchers.
#[derive(Clone)]
pub enum Check {
    Builtin(CheckFn),
    Custom(std::sync::Arc<custom::CustomCheck>),
}

impl Rule {
    pub fn run(&self, ctx: &Context) -> Outcome {
        if let Some(reason) = self.not_applicable_reason(ctx) {
            return Outcome::na(reason);
        }
        match &self.check {
            Check::Builtin(f) => f(ctx),
            Check::Custom(c) => c.run(ctx),
        }
    }

    fn not_applicable_reason(&self, ctx: &Context) -> Option<String> {
        let a = &self.applies;
        if !a.profiles.is_empty() && !a.profiles.contains(&ctx.profile) {
            return Some(format!(
                "applies to {} repositories; this one is a {}",
                a.profiles
                    .iter()
                    .map(|p| p.id())
                    .collect::<Vec<_>>()
                    .join("/"),
                ctx.profile.id()
            ));
        }
        if !a.stacks.is_empty() && !a.stacks.iter().any(|s| ctx.has_stack(*s)) {
            return Some(format!(
                "applies to {} projects; none detected",
                a.stacks
                    .iter()
                    .map(|s| s.id())
                    .collect::<Vec<_>>()
                    .join("/")
            ));
        }
        None
    }

    /// Defined in the scanned repository's configuration (untrusted text).
    pub fn is_custom(&self) -> bool {
        matches!(self.check, Check::Custom(_))
    }

    /// Remediation text followed by the snippet, as markdown.
    pub fn help_markdown(&self) -> String {
        // Built-in texts are ours and use markdown on purpose; a custom rule's texts come from
        // the scanned repository's configuration and are rendered as text.
        let text = |s: &'static str| -> std::borrow::Cow<'static, str> {
            if self.is_custom() {
                crate::escape::markdown(s).into()
            } else {
                s.into()
            }
        };
        let mut md = format!(
            "**{}**\n\n{}\n\n**Passes when:** {}\n\n**Remediation:** {}",
            text(self.title),
            text(self.rationale),
            text(self.passes_when),
            text(self.remediation)
        );
        for (label, snippet) in self.labelled_snippets() {
            md.push_str("\n\n");
            if let Some(label) = label {
                md.push_str(&format!("*{label}:*\n\n"));
            }
            // A fence longer than any backtick run inside: snippets may hold fenced blocks.
            md.push_str(crate::escape::code_block(snippet, "").trim_end());
        }
        md
    }

    /// The fix to show a repository with `detected` stacks: the variant of its primary stack
    /// (the first detected one, in `StackId::ALL` order, that has a variant), else the generic
    /// snippet. None when neither fits: another stack's code is no fix.
    pub fn snippet_for(&self, detected: &[StackId]) -> Option<&'static str> {
        StackId::ALL
            .iter()
            .filter(|s| detected.contains(s))
            .find_map(|s| self.snippets.iter().find(|(id, _)| id == s))
            .map(|(_, text)| *text)
            .or(self.snippet)
    }

    /// Every snippet for renderers that show them all (explain, SARIF help, docs): the stack
    /// variants labelled by stack, then the generic one, labelled only when variants exist.
    pub fn labelled_snippets(&self) -> Vec<(Option<&'static str>, &'static str)> {
        let mut out: Vec<(Option<&'static str>, &'static str)> = self
            .snippets
            .iter()
            .map(|(id, text)| (Some(stack_label(*id)), *text))
            .collect();
        if let Some(generic) = self.snippet {
            let label = (!out.is_empty()).then_some("Other stacks");
            out.push((label, generic));
        }
        out
    }

    /// Every snippet as plain text, labelled like [`Rule::labelled_snippets`]; empty when the
    /// rule has none.
    pub fn snippets_text(&self) -> String {
        let parts: Vec<String> = self
            .labelled_snippets()
            .into_iter()
            .map(|(label, text)| match label {
                Some(label) => format!("{label}:\n{}", text.trim_end()),
                None => text.trim_end().to_string(),
            })
            .collect();
        parts.join("\n\n")
    }
}

/// How a stack is named above its snippet variant.
pub fn stack_label(id: StackId) -> &'static str {
    match id {
        StackId::Node => "Node.js / TypeScript",
        StackId::Python => "Python",
        StackId::Go => "Go",
        StackId::Rust => "Rust",
        StackId::Java => "Java / Kotlin",
        StackId::Ruby => "Ruby",
        StackId::Dotnet => ".NET",
    }
}

/// Where a control's verdict comes from: a repo-relative path, a line when there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Evidence {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Evidence {
    pub fn file(path: impl Into<String>) -> Self {
        Evidence {
            path: path.into(),
            line: None,
            note: None,
        }
    }
    pub fn at(path: impl Into<String>, line: u32) -> Self {
        Evidence {
            path: path.into(),
            line: Some(line),
            note: None,
        }
    }
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Na,
}

/// A control result as a check returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// A fix built for this repository (a snippet, first line naming its file), shown instead
    /// of the rule's generic one.
    pub fix: Option<String>,
}

/// At most this many evidence items are kept per control; the message says how many there were.
pub const MAX_EVIDENCE: usize = 20;

impl Outcome {
    pub fn pass(message: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        Outcome::new(Status::Pass, message.into(), evidence)
    }
    pub fn fail(message: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        Outcome::new(Status::Fail, message.into(), evidence)
    }
    pub fn na(reason: impl Into<String>) -> Self {
        Outcome::new(Status::Na, reason.into(), Vec::new())
    }
    /// Pass when `found` has evidence, otherwise fail anchored at `anchor` (the most relevant
    /// existing file) with a note saying what is missing.
    pub fn present(
        found: Vec<Evidence>,
        pass_message: impl Into<String>,
        missing_message: impl Into<String>,
        anchor: Option<Evidence>,
    ) -> Self {
        if found.is_empty() {
            Outcome::fail(missing_message, anchor.into_iter().collect())
        } else {
            Outcome::pass(pass_message, found)
        }
    }
    fn new(status: Status, message: String, mut evidence: Vec<Evidence>) -> Self {
        evidence.sort();
        evidence.dedup();
        evidence.truncate(MAX_EVIDENCE);
        Outcome {
            status,
            message,
            evidence,
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<String>) -> Self {
        self.fix = fix;
        self
    }

    /// [`Outcome::with_fix`] for a failure; a pass or N/A needs no fix, and none is built.
    pub fn with_fix_on_fail(self, fix: impl FnOnce() -> Option<String>) -> Self {
        if self.status == Status::Fail {
            self.with_fix(fix())
        } else {
            self
        }
    }
}

/// What a check sees: the index and what was detected. Checks never touch the file system.
pub struct Context<'a> {
    pub index: &'a Index,
    pub stacks: &'a [Stack],
    pub profile: Profile,
    pub history: &'a History,
    /// `trusted-actions` from the configuration (`owner/repo` globs); `None`: none.
    pub trusted_actions: Option<&'a globset::GlobSet>,
}

impl Context<'_> {
    pub fn has_stack(&self, id: StackId) -> bool {
        self.stacks.iter().any(|s| s.id == id)
    }
}

/// Facts several rules derive from the whole index (which files are tests, which are package
/// manifests, what each CI command runs), computed once per scan and cached on the index: a
/// monorepo has 100k files and a dozen rules ask.
#[derive(Default)]
pub struct Derived {
    test_files: std::sync::OnceLock<Vec<testing::TestFile>>,
    app_sources: std::sync::OnceLock<Vec<(usize, StackId)>>,
    manifests: std::sync::OnceLock<Vec<(usize, observability::Eco)>>,
    package_scripts: std::sync::OnceLock<Vec<ci::PackageScripts>>,
    resolved_cmds: std::sync::OnceLock<deployment::ResolvedCmds>,
    stacks: std::sync::OnceLock<Vec<StackId>>,
    deploying_jobs: std::sync::OnceLock<Vec<(usize, Vec<Evidence>)>>,
}

/// Every built-in rule, in category order. Ids are unique (checked by a test).
pub fn builtin() -> Vec<Rule> {
    let groups: [&[Rule]; 13] = [
        ci::RULES,
        testing::RULES,
        security::RULES,
        supply_chain::RULES,
        containers::RULES,
        deployment::RULES,
        iac::RULES,
        observability::RULES,
        reliability::RULES,
        release::RULES,
        docs::RULES,
        dx::RULES,
        delivery::RULES,
    ];
    groups.iter().flat_map(|g| g.iter().cloned()).collect()
}

/// Every content signal the built-in rules ask the index for.
pub fn builtin_signals() -> Vec<&'static Signal> {
    let groups: [&[Signal]; 14] = [
        ci::SIGNALS,
        testing::SIGNALS,
        security::SIGNALS,
        secrets::SIGNALS,
        supply_chain::SIGNALS,
        containers::SIGNALS,
        deployment::SIGNALS,
        iac::SIGNALS,
        observability::SIGNALS,
        reliability::SIGNALS,
        release::SIGNALS,
        docs::SIGNALS,
        dx::SIGNALS,
        delivery::SIGNALS,
    ];
    groups.iter().flat_map(|g| g.iter()).collect()
}

pub fn find<'r>(rules: &'r [Rule], id: &str) -> Option<&'r Rule> {
    rules.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn rule_ids_are_unique_kebab_case_and_described() {
        let rules = builtin();
        let mut seen = HashSet::new();
        for r in &rules {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                r.id
            );
            assert!((1..=10).contains(&r.weight), "{} weight", r.id);
            for (what, text) in [
                ("title", r.title),
                ("rationale", r.rationale),
                ("passes_when", r.passes_when),
                ("remediation", r.remediation),
            ] {
                assert!(!text.trim().is_empty(), "{} has no {}", r.id, what);
            }
        }
    }

    /// Actions our snippets may still reference by tag: no release commit could be verified for
    /// them. Keep this empty; an entry here needs a reason in a comment.
    const SNIPPET_ACTIONS_BY_TAG: &[&str] = &[];

    /// Applying our own remediation must not create new findings: every GitHub Actions workflow
    /// in a snippet passes the workflow-hygiene rules, and every action is pinned to a commit.
    #[test]
    fn workflow_snippets_pass_our_own_workflow_rules() {
        let rules = builtin();
        let hygiene = [
            "actions-pinned-sha",
            "workflow-permissions",
            "ci-job-timeouts",
            "ci-concurrency",
        ]
        .map(|id| find(&rules, id).unwrap_or_else(|| panic!("no rule {id}")));
        let mut workflows = 0;
        for r in &rules {
            for (_, snippet) in r.labelled_snippets() {
                for line in snippet.lines() {
                    let item = line.trim_start().trim_start_matches("- ");
                    let Some(rest) = item.strip_prefix("uses:") else {
                        continue;
                    };
                    let value = rest.split_whitespace().next().unwrap_or("");
                    if value.starts_with("./") || value.starts_with("docker://") {
                        continue;
                    }
                    let (action, git_ref) = value
                        .rsplit_once('@')
                        .unwrap_or_else(|| panic!("{}: `{value}` has no @ref", r.id));
                    if SNIPPET_ACTIONS_BY_TAG.contains(&action) {
                        continue;
                    }
                    assert!(
                        crate::model::workflow::is_full_sha(git_ref),
                        "{}: `{value}` is not pinned to a 40-hex commit SHA",
                        r.id
                    );
                    assert!(
                        rest.split_once(" # ")
                            .is_some_and(|(_, tag)| !tag.trim().is_empty()),
                        "{}: `{value}` needs its release tag as a `# vX.Y.Z` comment",
                        r.id
                    );
                }
                let top_level = |key: &str| snippet.lines().any(|l| l.starts_with(key));
                if !(top_level("on:") && top_level("jobs:")) {
                    continue;
                }
                workflows += 1;
                let files = [(".github/workflows/x.yml", snippet)];
                for h in hygiene {
                    let o = testkit::run(h, &files);
                    // A workflow run only on tags has no superseded runs to cancel.
                    let ok = o.status == Status::Pass
                        || (h.id == "ci-concurrency" && o.status == Status::Na);
                    assert!(ok, "the snippet of {} fails {}: {o:?}", r.id, h.id);
                }
            }
        }
        assert!(workflows >= 6, "only {workflows} workflow snippets found");
    }

    /// Applying a stack variant must satisfy the rule it fixes: each source-code variant, put at
    /// the path its first line names in a tiny service of that stack, makes the rule pass.
    #[test]
    fn stack_snippets_pass_their_own_rule() {
        let manifest = |s: StackId| match s {
            StackId::Node => ("package.json", "{ \"name\": \"app\" }\n"),
            StackId::Python => ("pyproject.toml", "[project]\nname = \"app\"\n"),
            StackId::Go => ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            StackId::Rust => ("Cargo.toml", "[package]\nname = \"app\"\n"),
            StackId::Java => (
                "pom.xml",
                "<project>\n<artifactId>app</artifactId>\n</project>\n",
            ),
            StackId::Ruby => ("Gemfile", "source \"https://rubygems.org\"\n"),
            StackId::Dotnet => (
                "App.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n",
            ),
        };
        // Variants that are parts of files (a workflow step, a pom.xml plugin, a package.json
        // script) are applied by their category's own test, which knows where each part goes.
        const APPLIED_ELSEWHERE: &[&str] = &[
            "tests-coverage",           // testing: each_stacks_coverage_snippets_pass
            "tests-coverage-threshold", // testing: each_stacks_coverage_snippets_pass
            "dx-lint-config",           // dx: lint_snippets_pass_and_the_fix_covers_…
            "dx-devcontainer",          // dx: devcontainer_snippets_pass
            "release-version-declared", // release: version_snippets_pass
            "dockerfile-multi-stage",   // containers: multi_stage_snippets_pass
            "sec-rate-limiting",        // security: rate_limiting_snippets_pass
            "dx-seed-data",             // dx: seed_snippets_pass (needs a database)
        ];
        let mut checked = 0;
        for r in builtin() {
            let order: Vec<StackId> = r.snippets.iter().map(|(s, _)| *s).collect();
            let mut sorted = order.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(
                order, sorted,
                "{}: variants out of StackId order or repeated",
                r.id
            );
            if APPLIED_ELSEWHERE.contains(&r.id) {
                assert!(!r.snippets.is_empty(), "{} has no variants to apply", r.id);
                continue;
            }
            for &(stack, snippet) in r.snippets {
                let path = testkit::snippet_path(snippet);
                assert!(
                    path.contains('.') || path == "Dockerfile",
                    "{} ({stack:?}): no file on the first line",
                    r.id
                );
                let (manifest_path, manifest_text) = manifest(stack);
                let mut files = vec![("Procfile", "web: ./serve\n")];
                let merged = format!("{manifest_text}{snippet}\n");
                if path == manifest_path {
                    files.push((manifest_path, &merged));
                } else {
                    files.push((manifest_path, manifest_text));
                    files.push((path, snippet));
                }
                let index = Index::from_files(&files);
                let stacks = crate::detect::stacks(&index);
                let ids: Vec<StackId> = stacks.iter().map(|s| s.id).collect();
                assert_eq!(
                    ids,
                    [stack],
                    "{}: the tiny repository is not {stack:?}",
                    r.id
                );
                assert_eq!(r.snippet_for(&ids), Some(snippet), "{}", r.id);
                // The snippet, not the tiny repository around it, makes the rule pass.
                let without = [files[0], (manifest_path, manifest_text)];
                let before = testkit::run(&r, &without);
                assert_ne!(
                    before.status,
                    Status::Pass,
                    "{}: passes without the fix",
                    r.id
                );
                let o = testkit::run(&r, &files);
                // Source code must pass the rule; a configuration variant (a linter setting that
                // forbids print calls, eslint.config.js included) must at least not fail it.
                let name = path.rsplit('/').next().unwrap_or(path);
                let is_code = !name.contains(".config.")
                    && observability::stack_of_ext(name.rsplit('.').next().unwrap_or("")).is_some();
                let ok = o.status == Status::Pass || (!is_code && o.status == Status::Na);
                assert!(
                    ok,
                    "the {stack:?} snippet of {} does not pass it: {o:?}",
                    r.id
                );
                checked += 1;
            }
        }
        assert!(checked >= 30, "only {checked} stack variants checked");
    }

    #[test]
    fn snippet_for_prefers_the_primary_stack_then_the_generic_one() {
        let rules = builtin();
        let health = find(&rules, "obs-health-endpoint").unwrap();
        let pick = |stacks: &[StackId]| health.snippet_for(stacks).map(testkit::snippet_path);
        assert_eq!(pick(&[StackId::Node]), Some("app/api/health/route.ts"));
        assert_eq!(pick(&[StackId::Python]), Some("app/routes/health.py"));
        // Detection order decides, not the order the stacks are passed in.
        assert_eq!(
            pick(&[StackId::Python, StackId::Node]),
            Some("app/api/health/route.ts")
        );
        assert_eq!(
            pick(&[StackId::Rust, StackId::Go]),
            Some("internal/server/health.go")
        );
        // No variant and no generic snippet: no other stack's code.
        assert_eq!(pick(&[StackId::Java]), None);
        let ci = find(&rules, "ci-configured").unwrap();
        assert_eq!(ci.snippet_for(&[StackId::Node]), ci.snippet);
        // Every renderer that shows all variants labels them.
        let text = health.snippets_text();
        assert!(
            text.starts_with("Node.js / TypeScript:\n// app/api/health/route.ts"),
            "{text}"
        );
        assert!(
            text.contains("\n\nPython:\n# app/routes/health.py"),
            "{text}"
        );
        assert!(health.help_markdown().contains("*Go:*"));
        assert_eq!(ci.snippets_text(), ci.snippet.unwrap().trim_end());
    }

    #[test]
    fn signal_ids_are_unique_and_patterns_compile() {
        let mut seen = HashSet::new();
        for s in builtin_signals() {
            assert!(seen.insert(s.id), "duplicate signal id {}", s.id);
            crate::pattern::regex(s.pattern).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        }
    }
}
