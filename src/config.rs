//! `.devops-maturity.yml`: parsed with yaml_serde, unknown keys rejected, every error
//! reported with file, line and column.

use crate::detect::Profile;
use crate::rules::Category;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DEFAULT_FILE_NAMES: [&str; 2] = [".devops-maturity.yml", ".devops-maturity.yaml"];
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;
/// Largest `max-file-size` accepted. The configuration can come from the scanned repository
/// (a pull request may change it), and peak memory is about threads × this.
pub const MAX_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;
/// File text kept in memory for the rules, in all. Parsed YAML takes several times its text,
/// so this bounds most of a scan's memory whatever the repository holds.
pub const DEFAULT_MAX_KEPT_TEXT: u64 = 32 * 1024 * 1024;
/// Largest `max-kept-text` accepted (the configuration may come from a pull request).
pub const MAX_MAX_KEPT_TEXT: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Fail (exit 1) below this overall score.
    #[schemars(range(min = 0, max = 10))]
    pub min_score: Option<f64>,
    /// `auto`, `service`, `library` or `cli`.
    #[schemars(extend("enum" = ["auto", "service", "library", "cli", null]))]
    pub profile: Option<String>,
    /// Extra globs to leave out of the scan (on top of .gitignore).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are not read (and are listed as skipped).
    #[schemars(range(max = MAX_MAX_FILE_SIZE))]
    pub max_file_size: Option<u64>,
    /// Bytes of file text kept in memory for the rules, in all. Past it, files give their
    /// text up (listed as skipped): other files before configuration, the largest first.
    #[schemars(range(max = MAX_MAX_KEPT_TEXT))]
    pub max_kept_text: Option<u64>,
    /// Settings per category, by category id.
    #[serde(default)]
    #[schemars(schema_with = "category_map_schema")]
    pub categories: BTreeMap<String, CategoryConfig>,
    /// Settings per rule, by rule id (`devops-maturity rules` lists them).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleConfig>,
    /// Controls to leave out of the score; a reason is required.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// Rules of your own.
    #[serde(default)]
    pub custom_rules: Vec<CustomRuleConfig>,
    /// Action owners or repositories whose tags you trust (`my-org/*`,
    /// `docker/build-push-action`): `actions-pinned-sha` accepts them by tag, as it does
    /// GitHub's own `actions/*`. Globs over `owner/repo`.
    #[serde(default)]
    pub trusted_actions: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// Weight of the category in the overall score.
    #[schemars(range(min = 0, max = 100))]
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// `false` leaves the rule out.
    pub enabled: Option<bool>,
    /// Weight of the rule in its category.
    #[schemars(range(min = 1, max = 10))]
    pub weight: Option<u8>,
    /// `true`: a failure of this control fails the run (exit 1) whatever the score.
    pub required: Option<bool>,
}

/// The schema of `categories:`: an object keyed by category id. Built from [`Category::ALL`]
/// so that it cannot drift from the categories `validate` accepts.
fn category_map_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": category_id_schema(g),
        "additionalProperties": g.subschema_for::<CategoryConfig>(),
    })
}

/// A category id (`ci`, `supply-chain`, …), as `categories:` keys and custom rules take it.
fn category_id_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let ids: Vec<&str> = Category::ALL.iter().map(|c| c.id()).collect();
    schemars::json_schema!({ "type": "string", "enum": ids })
}

/// A control to leave out of the score: everywhere, or only for evidence under `path`.
///
/// `rule` is a rule id or a glob over rule ids (`compose-*`); `path` is a file or folder
/// path, or a glob with the semantics of `exclude` (`*.yaml`, `services/api/**`). Both globs
/// are checked while parsing, so a bad one is reported with its line and column.
#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// A rule id, or a glob over rule ids (`compose-*`).
    #[serde(deserialize_with = "glob_string")]
    pub rule: String,
    /// Only evidence under this file or folder path, or matching this glob.
    #[serde(default, deserialize_with = "optional_glob_string")]
    pub path: Option<String>,
    /// Why the control does not apply (required, not blank).
    #[schemars(regex(pattern = r"\S"))]
    pub reason: String,
}

impl IgnoreEntry {
    /// The entry with its globs compiled, for matching many rules and paths.
    pub fn matcher(&self) -> IgnoreMatcher<'_> {
        IgnoreMatcher {
            entry: self,
            rule: compile(&self.rule),
            path: self.path.as_deref().and_then(compile),
        }
    }
}

/// The glob `s` compiled, when it is one (validated when the configuration was parsed).
fn compile(s: &str) -> Option<globset::GlobMatcher> {
    let s = s.trim_end_matches('/');
    is_glob(s)
        .then(|| globset::Glob::new(s).ok())
        .flatten()
        .map(|g| g.compile_matcher())
}

/// An [`IgnoreEntry`] ready to match rule ids and evidence paths.
pub struct IgnoreMatcher<'a> {
    pub entry: &'a IgnoreEntry,
    rule: Option<globset::GlobMatcher>,
    path: Option<globset::GlobMatcher>,
}

impl IgnoreMatcher<'_> {
    /// Does the entry's `rule` name `id`: the same id, or a glob matching it?
    pub fn matches_rule(&self, id: &str) -> bool {
        self.entry.rule == id || self.rule.as_ref().is_some_and(|g| g.is_match(id))
    }

    /// Does the entry cover evidence at `evidence_path` (root-relative, `/`-separated)? An
    /// entry without a path covers everything. A path covers itself and, as a folder,
    /// everything under it; a glob covers what it matches and everything under a folder it
    /// matches (`services/ap?` covers `services/api/Dockerfile`), so both forms agree.
    pub fn matches_path(&self, evidence_path: &str) -> bool {
        let Some(p) = self.entry.path.as_deref() else {
            return true;
        };
        let prefix = p.trim_end_matches('/');
        if evidence_path == prefix
            || evidence_path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
        {
            return true;
        }
        let Some(glob) = &self.path else {
            return false;
        };
        let mut candidate = evidence_path;
        loop {
            if glob.is_match(candidate) {
                return true;
            }
            match candidate.rfind('/') {
                Some(i) => candidate = &candidate[..i],
                None => return false,
            }
        }
    }
}

/// A string that, when it uses glob syntax, must be a valid glob. Checked inside the
/// deserializer (a visitor, not after it) so that the parser attaches the scalar's line and
/// column to the error.
struct GlobString(String);

impl<'de> Deserialize<'de> for GlobString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = GlobString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string (a path, id or glob)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<GlobString, E> {
                let pattern = v.trim_end_matches('/');
                if is_glob(pattern) {
                    globset::Glob::new(pattern)
                        .map_err(|e| E::custom(format!("invalid glob: {e}")))?;
                }
                Ok(GlobString(v.to_string()))
            }
        }
        d.deserialize_str(Visitor)
    }
}

fn glob_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    GlobString::deserialize(d).map(|g| g.0)
}

fn optional_glob_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    Option::<GlobString>::deserialize(d).map(|g| g.map(|g| g.0))
}

/// A rule of your own: a file that must exist, or a pattern a file must contain.
#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomRuleConfig {
    /// Kebab-case; reported as `custom:ID`.
    #[schemars(regex(pattern = r"^[a-z0-9-]+$"))]
    pub id: String,
    pub title: String,
    /// The category it scores in (`ci`, `docs`, …).
    #[schemars(schema_with = "category_id_schema")]
    pub category: String,
    /// Weight of the rule in its category.
    #[serde(default = "default_custom_weight")]
    #[schemars(range(min = 1, max = 10))]
    pub weight: u8,
    /// How to fix a failure.
    pub remediation: Option<String>,
    pub check: CustomCheckConfig,
}

fn default_custom_weight() -> u8 {
    5
}

/// Exactly one of the four checks (validated after parsing).
#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("oneOf" = [
    {"required": ["file-exists"]},
    {"required": ["file-contains"]},
    {"required": ["file-absent"]},
    {"required": ["file-not-contains"]}
]))]
pub struct CustomCheckConfig {
    /// Passes when a file matches any of these globs.
    pub file_exists: Option<Vec<String>>,
    /// Passes when a file matching the glob contains the regex.
    pub file_contains: Option<FileContains>,
    /// Passes when no file matches any of these globs; fails on each file that does.
    pub file_absent: Option<Vec<String>>,
    /// Passes when no file matching the glob contains the regex; fails at each match.
    pub file_not_contains: Option<FileContains>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileContains {
    pub glob: String,
    pub regex: String,
}

/// A configuration problem: exit code 2, with the place when there is one.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        path: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Longest configuration file we read: it is hand-written.
const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

impl Config {
    /// Loads `explicit`, or the default file in `root` when there is one.
    /// The `explicit` file, else the default file of the scanned folder `root`, else (for a
    /// package of a monorepo) the default file of the `repository` root: one configuration can
    /// serve every package.
    pub fn load(
        explicit: Option<&Path>,
        root: &Path,
        repository: Option<&Path>,
    ) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let found = |dir: &Path| {
            DEFAULT_FILE_NAMES
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file())
        };
        let (path, home) = match explicit {
            Some(p) => (p.to_path_buf(), root),
            None => match found(root)
                .map(|p| (p, root))
                .or_else(|| repository.and_then(|r| found(r).map(|p| (p, r))))
            {
                Some(found) => found,
                None => return Ok((Config::default(), None)),
            },
        };
        let shown = path.display().to_string();
        check_inside(&path, home).map_err(|message| ConfigError::Invalid {
            path: shown.clone(),
            message,
        })?;
        let text = read_limited(&path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let config = Config::parse(&text, &shown)?;
        Ok((config, Some(path)))
    }

    pub fn parse(text: &str, shown_path: &str) -> Result<Config, ConfigError> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = yaml_serde::from_str(text).map_err(|e| match e.location() {
            Some(loc) => ConfigError::Syntax {
                path: shown_path.to_string(),
                line: loc.line(),
                col: loc.column(),
                message: strip_location(&e.to_string()),
            },
            None => ConfigError::Invalid {
                path: shown_path.to_string(),
                message: e.to_string(),
            },
        })?;
        config.validate(shown_path)?;
        Ok(config)
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_string(),
            message,
        };
        if let Some(m) = self.min_score {
            if !(0.0..=10.0).contains(&m) {
                return Err(invalid(format!(
                    "min-score must be between 0 and 10, got {m}"
                )));
            }
        }
        if let Some(p) = &self.profile {
            if p != "auto" && Profile::from_id(p).is_none() {
                return Err(invalid(format!(
                    "profile must be auto, service, library or cli, got {p:?}"
                )));
            }
        }
        for (id, c) in &self.categories {
            if Category::from_id(id).is_none() {
                return Err(invalid(format!("categories: unknown category {id:?}")));
            }
            if let Some(w) = c.weight {
                if !(0.0..=100.0).contains(&w) || w.is_nan() {
                    return Err(invalid(format!("categories.{id}.weight must be 0-100")));
                }
            }
        }
        if let Some(m) = self.max_file_size {
            if m > MAX_MAX_FILE_SIZE {
                return Err(invalid(format!(
                    "max-file-size must be at most {MAX_MAX_FILE_SIZE} (256 MiB), got {m}"
                )));
            }
        }
        if let Some(m) = self.max_kept_text {
            if m > MAX_MAX_KEPT_TEXT {
                return Err(invalid(format!(
                    "max-kept-text must be at most {MAX_MAX_KEPT_TEXT} (1 GiB), got {m}"
                )));
            }
        }
        for (id, r) in &self.rules {
            if let Some(w) = r.weight {
                if !(1..=10).contains(&w) {
                    return Err(invalid(format!("rules.{id}.weight must be 1-10")));
                }
            }
            if r.required == Some(true) && r.enabled == Some(false) {
                return Err(invalid(format!(
                    "rules.{id}: a disabled rule cannot be required"
                )));
            }
        }
        for g in &self.exclude {
            globset::Glob::new(g).map_err(|e| invalid(format!("exclude: {e}")))?;
        }
        self.trusted_actions()
            .map_err(|e| invalid(format!("trusted-actions: {e}")))?;
        for (i, entry) in self.ignore.iter().enumerate() {
            if entry.reason.trim().is_empty() {
                return Err(invalid(format!(
                    "ignore[{i}] ({}): a reason is required",
                    entry.rule
                )));
            }
        }
        Ok(())
    }

    /// `trusted-actions` as one matcher over `owner/repo` (case-insensitive, like GitHub's
    /// names; `*` stays within one segment).
    pub fn trusted_actions(&self) -> Result<globset::GlobSet, globset::Error> {
        let mut set = globset::GlobSetBuilder::new();
        for g in &self.trusted_actions {
            set.add(
                globset::GlobBuilder::new(g)
                    .case_insensitive(true)
                    .literal_separator(true)
                    .build()?,
            );
        }
        set.build()
    }

    /// Is `rule` marked `required: true`?
    pub fn is_required(&self, rule: &str) -> bool {
        self.rules.get(rule).and_then(|r| r.required) == Some(true)
    }

    pub fn category_weight(&self, c: Category) -> f64 {
        self.categories
            .get(c.id())
            .and_then(|cc| cc.weight)
            .unwrap_or_else(|| c.default_weight())
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }

    pub fn max_kept_text(&self) -> u64 {
        self.max_kept_text.unwrap_or(DEFAULT_MAX_KEPT_TEXT)
    }

    /// Rule ids named in `rules:` and `ignore:` that no rule has, and `ignore:` globs that
    /// match no rule id: a typo would otherwise silently do nothing.
    pub fn check_rule_ids(&self, known: &[&str], path: &str) -> Result<(), ConfigError> {
        let unknown = self
            .rules
            .keys()
            .map(String::as_str)
            .find(|id| !known.contains(id));
        let error = |message: String| {
            Err(ConfigError::Invalid {
                path: path.to_string(),
                message,
            })
        };
        if let Some(id) = unknown {
            return error(format!(
                "unknown rule id {id:?} (see `devops-maturity rules`)"
            ));
        }
        for (i, entry) in self.ignore.iter().enumerate() {
            let matcher = entry.matcher();
            if !known.iter().any(|id| matcher.matches_rule(id)) {
                let rule = &entry.rule;
                return error(if is_glob(rule) {
                    format!("ignore[{i}]: glob {rule:?} matches no rule id (see `devops-maturity rules`)")
                } else {
                    format!("ignore[{i}]: unknown rule id {rule:?} (see `devops-maturity rules`)")
                });
            }
        }
        Ok(())
    }
}

/// Does `s` use glob syntax (`*`, `?`, `[`, `{`)? Anything else names one id or path literally.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

fn read_limited(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    // One byte more than allowed tells "too large" from "exactly the limit"; a silently
    // truncated file would give confusing errors or drop settings.
    file.take(MAX_CONFIG_SIZE + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_CONFIG_SIZE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {MAX_CONFIG_SIZE} bytes"),
        ));
    }
    Ok(text)
}

/// A configuration file inside the scanned folder is repository content: it is read only when
/// it really lives there and is a regular file. A symlink to `/etc/passwd` would otherwise be
/// echoed back in the parse error, and a FIFO would block the scan. A file outside the folder
/// was named by the user (`--config`) and is read as given.
fn check_inside(path: &Path, root: &Path) -> Result<(), String> {
    let Ok(canonical_root) = root.canonicalize() else {
        // The scan reports a missing root itself.
        return Ok(());
    };
    let lexical = lexical_absolute(path);
    let inside =
        lexical.starts_with(lexical_absolute(root)) || lexical.starts_with(&canonical_root);
    if !inside {
        return Ok(());
    }
    match path.canonicalize() {
        Ok(target) if !target.starts_with(&canonical_root) => {
            Err("a symlink to a file outside the scanned folder; not read".into())
        }
        Ok(target) if !target.is_file() => Err("not a regular file; not read".into()),
        // Inside and regular, or unreadable (reported by the read).
        _ => Ok(()),
    }
}

/// `path` made absolute with `.` and `..` resolved by text, symlinks left alone.
fn lexical_absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// yaml_serde appends " at line L column C"; we print the position up front instead.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The commented file `devops-maturity init` writes: every option at its default.
pub fn template() -> String {
    // The first line lets editors (yaml-language-server) validate and complete the file.
    let mut out = format!(
        "# yaml-language-server: $schema={}\n",
        crate::schema::Kind::Config.id()
    );
    out.push_str(
        "# devops-maturity configuration. Every option is shown at its default.\n\
         # Docs: `devops-maturity rules`, `devops-maturity explain RULE`.\n\n\
         # Exit 1 when the overall score (0-10) is below this. 0 never fails.\n\
         min-score: 0\n\n\
         # auto detects from the repository: service (deployed), library or cli.\n\
         profile: auto\n\n\
         # Globs to leave out, on top of .gitignore.\n\
         exclude: []\n\n\
         # Files larger than this (bytes) are not read; they are listed as skipped.\n",
    );
    out.push_str(&format!("max-file-size: {DEFAULT_MAX_FILE_SIZE}\n\n"));
    out.push_str(
        "# File text kept in memory for the rules, in all (bytes). Past it, files give their\n\
         # text up, listed as skipped: other files before configuration, the largest first.\n",
    );
    out.push_str(&format!("max-kept-text: {DEFAULT_MAX_KEPT_TEXT}\n\n"));
    out.push_str("# Weight of each category in the overall score.\ncategories:\n");
    for c in Category::ALL {
        out.push_str(&format!(
            "  {}:\n    weight: {}\n",
            c.id(),
            c.default_weight()
        ));
    }
    out.push_str(
        "\n# Per-rule settings, e.g.:\n\
         #   dockerfile-healthcheck: {enabled: false}\n\
         #   ci-job-timeouts: {weight: 2}\n\
         #   sec-no-hardcoded-secrets: {required: true}   # a failure fails the run\n\
         rules: {}\n\n\
         # Controls to leave out of the score; a reason is required. rule and path take globs.\n\
         # A comment at the finding does the same for one place (README, Inline ignore comments).\n\
         #   - {rule: dockerfile-healthcheck, path: tools/Dockerfile, reason: build image only}\n\
         #   - {rule: \"compose-*\", path: \"*.yaml\", reason: local development only}\n\
         ignore: []\n\n\
         # Rules of your own. check is one of: file-exists or file-absent (globs), file-contains\n\
         # or file-not-contains ({glob, regex}); file-absent and file-not-contains are policies\n\
         # that fail at each file that matches.\n\
         #   - id: has-adr-folder\n\
         #     title: Architecture decisions are recorded\n\
         #     category: docs\n\
         #     weight: 3\n\
         #     check:\n\
         #       file-exists: [\"docs/adr/*.md\"]\n\
         #   - id: uses-structlog\n\
         #     title: Services log through structlog\n\
         #     category: observability\n\
         #     check:\n\
         #       file-contains: {glob: \"src/**/*.py\", regex: \"import structlog\"}\n\
         #   - id: no-latest-images\n\
         #     title: Kubernetes images are pinned\n\
         #     category: deployment\n\
         #     check:\n\
         #       file-not-contains: {glob: \"k8s/**/*.yaml\", regex: \"image: \\\\S+:latest\"}\n\
         custom-rules: []\n\n\
         # Action owners or repositories (globs over owner/repo) whose tags you trust:\n\
         # actions-pinned-sha accepts them by tag, as it does GitHub's own actions/*.\n\
         #   - my-org/*\n\
         trusted-actions: []\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_to_defaults() {
        // Editors find the schema from the first line.
        assert!(template()
            .starts_with("# yaml-language-server: $schema=https://raw.githubusercontent.com/"));
        let c = Config::parse(&template(), "t.yml").unwrap();
        assert_eq!(c.min_score, Some(0.0));
        assert_eq!(c.max_file_size(), DEFAULT_MAX_FILE_SIZE);
        assert_eq!(
            c.category_weight(Category::Ci),
            Category::Ci.default_weight()
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let e = Config::parse("min-score: 5\nprofle: cli\n", "c.yml").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("c.yml:2:1: unknown field `profle`"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_is_an_error_with_position() {
        let e = Config::parse("exclude:\n  - a\nmin-score: high\n", "c.yml").unwrap_err();
        assert!(e.to_string().starts_with("c.yml:3:12:"), "{e}");
    }

    #[test]
    fn semantic_errors_name_the_field() {
        for (text, needle) in [
            ("min-score: 11", "min-score"),
            ("profile: server", "profile"),
            ("categories: {cii: {weight: 1}}", "cii"),
            ("ignore: [{rule: x, reason: ' '}]", "reason is required"),
            ("exclude: ['a[']", "exclude"),
            ("trusted-actions: ['my-org/[']", "trusted-actions"),
        ] {
            let e = Config::parse(text, "c.yml").unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn max_file_size_is_capped() {
        let e = Config::parse("max-file-size: 18446744073709551615\n", "c.yml").unwrap_err();
        assert!(e.to_string().contains("at most"), "{e}");
        let c = Config::parse(&format!("max-file-size: {MAX_MAX_FILE_SIZE}\n"), "c.yml").unwrap();
        assert_eq!(c.max_file_size(), MAX_MAX_FILE_SIZE);
        let e = Config::parse("max-kept-text: 1099511627776\n", "c.yml").unwrap_err();
        assert!(
            e.to_string().contains("max-kept-text must be at most"),
            "{e}"
        );
        let c = Config::parse("max-kept-text: 0\n", "c.yml").unwrap();
        assert_eq!(c.max_kept_text(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_config_symlinked_out_of_the_root_is_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("c.yml"), "SECRET-OUTSIDE: 1\n").unwrap();
        let root = tempfile::tempdir().unwrap();
        let link = root.path().join(DEFAULT_FILE_NAMES[0]);
        std::os::unix::fs::symlink(outside.path().join("c.yml"), &link).unwrap();
        let e = Config::load(None, root.path(), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the scanned folder"), "{e}");
        assert!(!e.contains("SECRET"), "{e}");
        // Named explicitly, the link inside the root is refused as well...
        assert!(Config::load(Some(&link), root.path(), None).is_err());
        // ...while a file outside the root named by the user is read.
        std::fs::write(outside.path().join("ok.yml"), "min-score: 2\n").unwrap();
        let (c, _) = Config::load(Some(&outside.path().join("ok.yml")), root.path(), None).unwrap();
        assert_eq!(c.min_score, Some(2.0));
    }

    #[test]
    fn an_oversized_config_is_an_error_not_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.yml");
        let text = "# pad\n".repeat(MAX_CONFIG_SIZE as usize / 6 + 1) + "min-score: 1\n";
        std::fs::write(&p, text).unwrap();
        let e = Config::load(Some(&p), dir.path(), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("larger than"), "{e}");
    }

    #[test]
    fn ignore_without_reason_is_rejected() {
        let e = Config::parse("ignore:\n  - rule: x\n", "c.yml").unwrap_err();
        assert!(e.to_string().contains("reason"), "{e}");
    }

    fn entry(rule: &str, path: Option<&str>) -> IgnoreEntry {
        IgnoreEntry {
            rule: rule.into(),
            path: path.map(Into::into),
            reason: "r".into(),
        }
    }

    #[test]
    fn ignore_paths_match_exactly_as_folders_and_as_globs() {
        let covers =
            |path: &str, evidence: &str| entry("x", Some(path)).matcher().matches_path(evidence);
        // Exact and folder paths, as before.
        assert!(covers("tools/Dockerfile", "tools/Dockerfile"));
        assert!(covers("tools", "tools/ci/Dockerfile"));
        assert!(covers("tools/", "tools/ci/Dockerfile"));
        assert!(!covers("tools", "toolsx/Dockerfile"));
        assert!(!covers("tools/Dockerfile", "Dockerfile"));
        // Globs, with the semantics of `exclude` (`*` also crosses `/`).
        assert!(covers("*.yaml", "compose.yaml"));
        assert!(covers("*.yaml", "deploy/compose.yaml"));
        assert!(!covers("*.yaml", "compose.yml"));
        assert!(covers("**/docker-compose*.yml", "docker-compose.yml"));
        assert!(covers(
            "**/docker-compose*.yml",
            "ops/docker-compose.prod.yml"
        ));
        assert!(!covers("**/docker-compose*.yml", "ops/compose.yml"));
        assert!(covers("services/api/**", "services/api/Dockerfile"));
        assert!(covers("services/api/**", "services/api/v2/Dockerfile"));
        assert!(!covers("services/api/**", "services/web/Dockerfile"));
        // A glob that matches a folder covers what is in it, like a folder path.
        assert!(covers("services/ap?", "services/api/Dockerfile"));
        assert!(!covers("services/ap?", "services/apis/Dockerfile"));
        // No path: everything.
        assert!(entry("x", None).matcher().matches_path("any/where"));
    }

    #[test]
    fn ignore_rules_match_ids_and_globs() {
        let m = |rule: &str, id: &str| entry(rule, None).matcher().matches_rule(id);
        assert!(m("compose-logging", "compose-logging"));
        assert!(!m("compose-logging", "compose-logging-x"));
        assert!(m("compose-*", "compose-restart-policies"));
        assert!(m("dockerfile-*", "dockerfile-healthcheck"));
        assert!(!m("compose-*", "dockerfile-healthcheck"));
        assert!(m("{compose,dockerfile}-health*", "dockerfile-healthcheck"));
    }

    #[test]
    fn ignore_rule_globs_must_match_a_known_rule() {
        let known = [
            "compose-logging",
            "compose-restart-policies",
            "docs-license",
        ];
        let check = |text: &str| {
            Config::parse(text, "c.yml")
                .unwrap()
                .check_rule_ids(&known, "c.yml")
                .map_err(|e| e.to_string())
        };
        check("ignore: [{rule: 'compose-*', reason: r}]").unwrap();
        check("ignore: [{rule: docs-license, path: '*.md', reason: r}]").unwrap();
        let e = check("ignore: [{rule: 'compse-*', reason: r}]").unwrap_err();
        assert!(e.contains("\"compse-*\" matches no rule id"), "{e}");
        let e = check("ignore: [{rule: docs-licence, reason: r}]").unwrap_err();
        assert!(e.contains("unknown rule id \"docs-licence\""), "{e}");
    }

    #[test]
    fn invalid_ignore_globs_are_errors_with_position() {
        let e = Config::parse(
            "ignore:\n  - rule: docs-license\n    path: 'deploy/[a'\n    reason: r\n",
            "c.yml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("c.yml:3:11: "), "{e}");
        assert!(e.contains("invalid glob"), "{e}");
        let e = Config::parse("ignore:\n  - {reason: r, rule: 'compose-{a'}\n", "c.yml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.yml:2:23: "), "{e}");
        assert!(e.contains("invalid glob"), "{e}");
        // Without glob syntax a path is literal: no glob escapes to trip over.
        Config::parse("ignore: [{rule: x, path: 'odd\\', reason: r}]", "c.yml").unwrap();
    }

    #[test]
    fn a_disabled_rule_cannot_be_required() {
        let e = Config::parse(
            "rules:\n  docs-license: {enabled: false, required: true}\n",
            "c.yml",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "c.yml: rules.docs-license: a disabled rule cannot be required"
        );
        let c = Config::parse("rules:\n  docs-license: {required: true}\n", "c.yml").unwrap();
        assert!(c.is_required("docs-license"));
        assert!(!c.is_required("docs-readme"));
    }

    #[test]
    fn custom_rule_checks_parse() {
        let c = Config::parse(
            "custom-rules:\n  - id: a\n    title: A\n    category: docs\n    check:\n      file-exists: ['docs/*.md']\n  - id: b\n    title: B\n    category: ci\n    weight: 3\n    check:\n      file-contains: {glob: '*.yml', regex: 'x+'}\n",
            "c.yml",
        )
        .unwrap();
        assert_eq!(c.custom_rules.len(), 2);
        assert_eq!(c.custom_rules[1].weight, 3);
    }
}
