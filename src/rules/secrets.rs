//! Secret detection shared by the security rules: high-confidence credential formats, credential
//! literals assigned in CI configuration and env files, placeholder filtering and redaction.
//!
//! A secret value never leaves this module whole: findings carry the kind, the line and a
//! redacted prefix only.

use super::Signal;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// A credential format recognisable by its shape alone (a vendor prefix and a fixed alphabet).
pub struct Format {
    /// Human-readable kind, shown in findings.
    pub kind: &'static str,
    /// Content-signal id that finds the format in source code (whose text is not kept).
    pub signal: &'static str,
    pub pattern: &'static str,
    /// What a finding in source code shows instead of the value: the format's fixed prefix.
    pub shown: &'static str,
}

const AWS: &str = r"(?-u:\b)(?:AKIA|ASIA)[A-Z2-7]{16}(?-u:\b)";
/// A format's prefix followed by placeholder content (`AKIAIOSFODNN7EXAMPLE`, `ghp_xxxx…`,
/// `T00000000/B00000000/XXXX…`, `sk_live_abcdef…`). In source code the value is not visible, so
/// a file whose hits are all matched by this signal too holds placeholders only.
const PLACEHOLDER: &str = r"(?:(?-u:\b)(?:AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[rs]k_live_|AIza|npm_|pypi-|sk-ant-|sk-|SG\.)|hooks\.slack\.com/|discord(?:app)?\.com/api/webhooks/|api\.render\.com/deploy/|api\.vercel\.com/v1/integrations/deploy/|api\.netlify\.com/build_hooks/)[A-Za-z0-9_/.?=-]*?(?:EXAMPLE|[Ee]xample|xxxx|XXXX|0000|abcdef|ABCDEF|123456|\*\*\*\*)";
const GITHUB: &str =
    r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?-u:\b)";
const GITLAB: &str = r"(?-u:\b)glpat-[A-Za-z0-9_-]{20}(?-u:\b)";
const SLACK_TOKEN: &str = r"(?-u:\b)xox[abposr]-[0-9]{8,}-[0-9A-Za-z-]{8,}";
const SLACK_WEBHOOK: &str = r"https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,}";
const STRIPE: &str = r"(?-u:\b)[rs]k_live_[0-9A-Za-z]{16,}(?-u:\b)";
const GOOGLE: &str = r"(?-u:\b)AIza[0-9A-Za-z_-]{35}";
/// A PEM/PGP private key header followed by key material (a parser that only names the header
/// is not a key). Handles keys written across lines and inside string literals (`\n`).
const PRIVATE_KEY: &str = r#"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|[ \t\r\n"'+,`])*(?:[A-Za-z-]+: [^\n]*\n(?:\\[rn]|[ \t\r\n"'+,`])*){0,2}[A-Za-z0-9+/=]{40}"#;
const RENDER_HOOK: &str = r"https://api\.render\.com/deploy/srv-[a-z0-9]+\?key=[A-Za-z0-9_-]{6,}";
const VERCEL_HOOK: &str =
    r"https://api\.vercel\.com/v1/integrations/deploy/prj_[A-Za-z0-9]+/[A-Za-z0-9]{6,}";
const NETLIFY_HOOK: &str = r"https://api\.netlify\.com/build_hooks/[0-9a-f]{24}";
const DISCORD_WEBHOOK: &str = r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/[0-9]{15,20}/[A-Za-z0-9_-]{60,}";
const NPM: &str = r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)";
const PYPI: &str = r"(?-u:\b)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}";
const ANTHROPIC: &str = r"(?-u:\b)sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,}";
const OPENAI: &str =
    r"(?-u:\b)sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}";
const SENDGRID: &str = r"(?-u:\b)SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?-u:\b)";

// Lighter variants for source signals. All signals share one regex set evaluated over every
// source file, so long counted repetitions there cost every file; the vendor prefixes are
// distinctive enough with a shorter tail.
const GITHUB_SRC: &str =
    r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36}(?-u:\b)|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{20})";
const PRIVATE_KEY_SRC: &str = r#"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:\\[rn]|[ \t\r\n"'+,`])*[A-Za-z0-9+/]{32}"#;
const DISCORD_WEBHOOK_SRC: &str =
    r"discord(?:app)?\.com/api/webhooks/[0-9]{15,20}/[A-Za-z0-9_-]{30}";
const PYPI_SRC: &str = r"(?-u:\b)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{16}";
const ANTHROPIC_SRC: &str = r"(?-u:\b)sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{20}";
const OPENAI_SRC: &str = r"(?-u:\b)sk-[A-Za-z0-9_-]+T3BlbkFJ";
const SENDGRID_SRC: &str = r"(?-u:\b)SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{16}";

pub const FORMATS: &[Format] = &[
    Format {
        kind: "AWS access key id",
        signal: "sec-fmt-aws",
        pattern: AWS,
        shown: "AKIA/ASIA",
    },
    Format {
        kind: "GitHub token",
        signal: "sec-fmt-github",
        pattern: GITHUB,
        shown: "gh*_",
    },
    Format {
        kind: "GitLab token",
        signal: "sec-fmt-gitlab",
        pattern: GITLAB,
        shown: "glpat-",
    },
    Format {
        kind: "Slack token",
        signal: "sec-fmt-slack-token",
        pattern: SLACK_TOKEN,
        shown: "xox",
    },
    Format {
        kind: "Slack webhook URL",
        signal: "sec-fmt-slack-webhook",
        pattern: SLACK_WEBHOOK,
        shown: "https://hooks.slack.com/",
    },
    Format {
        kind: "Stripe live key",
        signal: "sec-fmt-stripe",
        pattern: STRIPE,
        shown: "sk_live_",
    },
    Format {
        kind: "Google API key",
        signal: "sec-fmt-google",
        pattern: GOOGLE,
        shown: "AIza",
    },
    Format {
        kind: "private key",
        signal: "sec-fmt-private-key",
        pattern: PRIVATE_KEY,
        shown: "-----BEGIN",
    },
    Format {
        kind: "Render deploy hook with key",
        signal: "sec-fmt-render-hook",
        pattern: RENDER_HOOK,
        shown: "https://api.render.com/deploy/",
    },
    Format {
        kind: "Vercel deploy hook",
        signal: "sec-fmt-vercel-hook",
        pattern: VERCEL_HOOK,
        shown: "https://api.vercel.com/v1/integrations/deploy/",
    },
    Format {
        kind: "Netlify build hook",
        signal: "sec-fmt-netlify-hook",
        pattern: NETLIFY_HOOK,
        shown: "https://api.netlify.com/build_hooks/",
    },
    Format {
        kind: "Discord webhook URL",
        signal: "sec-fmt-discord-webhook",
        pattern: DISCORD_WEBHOOK,
        shown: "https://discord.com/api/webhooks/",
    },
    Format {
        kind: "npm token",
        signal: "sec-fmt-npm",
        pattern: NPM,
        shown: "npm_",
    },
    Format {
        kind: "PyPI token",
        signal: "sec-fmt-pypi",
        pattern: PYPI,
        shown: "pypi-",
    },
    Format {
        kind: "Anthropic API key",
        signal: "sec-fmt-anthropic",
        pattern: ANTHROPIC,
        shown: "sk-ant-",
    },
    Format {
        kind: "OpenAI API key",
        signal: "sec-fmt-openai",
        pattern: OPENAI,
        shown: "sk-",
    },
    Format {
        kind: "SendGrid API key",
        signal: "sec-fmt-sendgrid",
        pattern: SENDGRID,
        shown: "SG.",
    },
];

/// Source code is seen only through signals: one per format, plus the AWS documentation key.
const SOURCE_GLOBS: &[&str] = &[
    "**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts,vue,svelte}",
    "**/*.{py,pyi,go,rs,java,kt,kts,scala,groovy,rb,cs,fs,vb,php}",
    "**/*.{c,h,cc,cpp,cxx,hpp,hh,swift,m,mm,ex,exs,erl,clj,dart,lua}",
];

macro_rules! format_signal {
    ($id:literal, $pattern:expr) => {
        Signal {
            id: $id,
            files: SOURCE_GLOBS,
            pattern: $pattern,
            // Keys in test code and fixtures are test data.
            skip_tests: true,
        }
    };
}

pub const PLACEHOLDER_SIGNAL: &str = "sec-fmt-placeholder";

/// Rust keeps unit tests in the file they test, at the end, after `#[cfg(test)]`.
pub const RUST_TESTS_SIGNAL: &str = "sec-rust-cfg-test";

pub const SIGNALS: &[Signal] = &[
    format_signal!("sec-fmt-aws", AWS),
    format_signal!("sec-fmt-placeholder", PLACEHOLDER),
    Signal {
        id: RUST_TESTS_SIGNAL,
        files: &["**/*.rs"],
        pattern: r"^\s*#\[cfg\(test\)\]",
        skip_tests: true,
    },
    format_signal!("sec-fmt-github", GITHUB_SRC),
    format_signal!("sec-fmt-gitlab", GITLAB),
    format_signal!("sec-fmt-slack-token", SLACK_TOKEN),
    format_signal!("sec-fmt-slack-webhook", SLACK_WEBHOOK),
    format_signal!("sec-fmt-stripe", STRIPE),
    format_signal!("sec-fmt-google", GOOGLE),
    format_signal!("sec-fmt-private-key", PRIVATE_KEY_SRC),
    format_signal!("sec-fmt-render-hook", RENDER_HOOK),
    format_signal!("sec-fmt-vercel-hook", VERCEL_HOOK),
    format_signal!("sec-fmt-netlify-hook", NETLIFY_HOOK),
    format_signal!("sec-fmt-discord-webhook", DISCORD_WEBHOOK_SRC),
    format_signal!("sec-fmt-npm", NPM),
    format_signal!("sec-fmt-pypi", PYPI_SRC),
    format_signal!("sec-fmt-anthropic", ANTHROPIC_SRC),
    format_signal!("sec-fmt-openai", OPENAI_SRC),
    format_signal!("sec-fmt-sendgrid", SENDGRID_SRC),
];

/// One secret found in kept text. Never holds the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: String,
    pub line: u32,
    /// First characters of the value and an ellipsis.
    pub redacted: String,
}

impl Finding {
    pub fn describe(&self) -> String {
        format!("{} `{}`", self.kind, self.redacted)
    }
}

/// Shows the start of a value only: four characters of a long value, fewer of a short one, so
/// the prefix never gives most of it away.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    let keep = if n >= 10 { 4 } else { n / 3 };
    let head: String = value.chars().take(keep).collect();
    format!("{head}…")
}

/// Words that mark a value as a stand-in, not a credential.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "changethis",
    "change-this",
    "change_this",
    "not-a-secret",
    "not_a_secret",
    "notsecret",
    "replace",
    "your-",
    "your_",
    "yourkey",
    "dummy",
    "redacted",
    "sample",
    "fake",
    "xxxx",
    "****",
    "...",
    "…",
    "<",
    "{{",
    "todo",
    "insert",
    "notreal",
    "not-a-real",
    "abcdef",
    "123456",
    "qwerty",
];

/// True for documentation stand-ins: marker words, or too few distinct characters to be random
/// (`ghp_xxxxxxxx…`, `T00000000/B00000000/XXXXXXXX`).
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let tail: Vec<char> = value.chars().rev().take(16).collect();
    let mut distinct = tail.clone();
    distinct.sort_unstable();
    distinct.dedup();
    tail.len() >= 8 && distinct.len() < 5
}

struct Compiled {
    /// The literals every match of some format starts with (`AKIA`, `ghp_`, `-----BEGIN `…):
    /// a text with none of them holds no credential. One SIMD pass tells, where the set's own
    /// prefilter over its 238 expanded literals is several times slower.
    gate: Option<AhoCorasick>,
    set: RegexSet,
    each: Vec<Regex>,
}

static FORMAT_REGEXES: LazyLock<Option<Compiled>> = LazyLock::new(|| {
    let patterns: Vec<&str> = FORMATS.iter().map(|f| f.pattern).collect();
    Some(Compiled {
        gate: prefix_gate(&patterns),
        set: RegexSet::new(patterns.iter().map(|p| crate::pattern::ascii(p))).ok()?,
        each: patterns
            .iter()
            .map(|p| crate::pattern::regex(p))
            .collect::<Result<_, _>>()
            .ok()?,
    })
});

/// A searcher for the prefix literals of `patterns`, when each pattern has a finite set of
/// non-empty ones (extracted by the regex parser, so it cannot drift from the patterns).
fn prefix_gate(patterns: &[&str]) -> Option<AhoCorasick> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let mut literals: Vec<Vec<u8>> = Vec::new();
    for p in patterns {
        let hir = regex_syntax::Parser::new().parse(p).ok()?;
        for lit in extractor.extract(&hir).literals()? {
            if lit.as_bytes().is_empty() {
                return None;
            }
            // A prefix of a required prefix is required too; 16 bytes are distinctive enough.
            literals.push(lit.as_bytes()[..lit.len().min(16)].to_vec());
        }
    }
    literals.sort();
    literals.dedup();
    // A literal that another one starts adds nothing: `sk-ant-admin00-` is found by `sk-`.
    let kept: Vec<&Vec<u8>> = literals
        .iter()
        .filter(|l| {
            !literals
                .iter()
                .any(|o| o.len() < l.len() && l.starts_with(o))
        })
        .collect();
    // Leftmost-first lets the searcher use its SIMD (Teddy) prefilter; `Standard` cannot.
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(kept)
        .ok()
}

/// High-confidence credential formats in a text, placeholders left out.
pub fn scan_formats(text: &str) -> Vec<Finding> {
    let Some(c) = FORMAT_REGEXES.as_ref() else {
        return Vec::new();
    };
    if c.gate.as_ref().is_some_and(|g| !g.is_match(text)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for i in c.set.matches(text).iter() {
        for m in c.each[i].find_iter(text) {
            let value = m.as_str();
            if is_placeholder(value) {
                continue;
            }
            out.push(Finding {
                kind: FORMATS[i].kind.to_string(),
                line: super::signals::line_of(text, m.start()),
                redacted: redact(value),
            });
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

/// Key names that hold credentials. The key must end with one of them: `TOKEN_URL` or
/// `SECRET_NAME` name things, they are not secrets.
const SECRET_KEY_ENDINGS: &[&str] = &[
    "API_KEY",
    "APIKEY",
    "SECRET_KEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "ENCRYPTION_KEY",
    "SIGNING_KEY",
    "MASTER_KEY",
    "ACCOUNT_KEY",
    "LICENSE_KEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
];

/// Variables that are public by design (bundled into browser code by their framework).
const PUBLIC_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "PUBLIC_",
    "EXPO_PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
];

/// True when a variable or key name says it holds a credential.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.trim().to_ascii_uppercase().replace(['-', '.'], "_");
    if k == "ID_TOKEN" || PUBLIC_PREFIXES.iter().any(|p| k.starts_with(p)) {
        return false;
    }
    SECRET_KEY_ENDINGS.iter().any(|e| k.ends_with(e))
}

/// Default credentials of database and broker images, and values too trivial to be a real
/// credential: what throwaway service containers in CI use.
const TRIVIAL_VALUES: &[&str] = &[
    "postgres",
    "postgresql",
    "password",
    "passw0rd",
    "root",
    "admin",
    "mysql",
    "mariadb",
    "guest",
    "redis",
    "mongo",
    "mongodb",
    "sa",
    "test",
    "testing",
    "secret",
    "pass",
    "user",
    "dev",
    "development",
    "local",
    "minioadmin",
    "localstack",
    "rabbitmq",
    "keycloak",
    "foobar",
];

/// The literal value of `key: value` / `KEY=value` as written, or None when it is not a
/// literal: references (`${{ secrets.X }}`, `${VAR}`, `$VAR`, `$(var)`, `%VAR%`), templates,
/// YAML structure (`|`, `>`, anchors, flow collections), function calls, paths.
pub fn literal_value(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let value = if let Some(rest) = raw.strip_prefix('"') {
        rest.split('"').next().unwrap_or("").to_string()
    } else if let Some(rest) = raw.strip_prefix('\'') {
        rest.split('\'').next().unwrap_or("").to_string()
    } else {
        // An unquoted value ends at a comment.
        let cut = raw.find(" #").map_or(raw, |i| &raw[..i]);
        cut.trim().to_string()
    };
    let v = value.trim();
    if v.chars().count() < 4 {
        return None;
    }
    const REF_STARTS: &[&str] = &[
        "$", "%", "{", "[", "|", ">", "&", "*", "!", "(", "/", "./", "~/",
    ];
    if REF_STARTS.iter().any(|s| v.starts_with(s))
        || v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.contains("((")
        || v.contains("secrets.")
    {
        return None;
    }
    // `credentials('id')`, `env.get("X")`: a lookup, not a value.
    if let Some(open) = v.find('(') {
        if v[..open]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            return None;
        }
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "read" | "write"
    ) || TRIVIAL_VALUES.contains(&lower.as_str())
        || is_placeholder(v)
    {
        return None;
    }
    Some(v.to_string())
}

/// Words a stand-in may add to the key's own words (`secret_for_refresh`).
const FILLER_WORDS: &[&str] = &["for", "my", "the", "of", "a", "an", "to"];

/// True when a value only repeats the words of its key (`TENANT_DB_PASSWORD=tenant_password`,
/// `DB_PASSWORD=dbpassword`, `AUTH_REFRESH_SECRET=secret_for_refresh`): a stand-in that names
/// what belongs there, not a credential.
pub fn repeats_key(key: &str, value: &str) -> bool {
    let lower_key = key.to_ascii_lowercase();
    let key_words: Vec<&str> = lower_key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let compact_key: String = key_words.concat();
    let lower = value.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Anything but letters, digits and separators (`S3cr3t!`) is not a key's wording.
    if words.is_empty()
        || !lower
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
    {
        return false;
    }
    let compact: String = words.concat();
    if compact_key.contains(&compact) {
        return true;
    }
    words
        .iter()
        .any(|w| key_words.contains(w) || compact_key == *w)
        && words
            .iter()
            .all(|w| key_words.contains(w) || FILLER_WORDS.contains(w))
}

/// The literal value assigned to a credential key, unless it is a reference, a default or a
/// stand-in (see [`literal_value`] and [`repeats_key`]).
pub fn key_literal(key: &str, raw: &str) -> Option<String> {
    literal_value(raw).filter(|v| !repeats_key(key, v))
}

/// `KEY: value`, `KEY=value`, `- KEY=value`, `export KEY=value`, `"KEY": "value"`.
static ASSIGNMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::pattern::regex(
        r#"^\s*(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?::\s+|:$|\s*=\s*)(.*)$"#,
    )
    .ok()
});

/// `scheme://user:password@host`, for connection strings with credentials.
static URL_CREDENTIALS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::pattern::regex(r"[a-z][a-z0-9+.-]*://([^:@/\s]+):([^@/\s]+)@([^/:\s?#]+)").ok()
});

/// Hosts of local and throwaway databases (CI service containers, compose services).
const LOCAL_HOSTS: &[&str] = &[
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
    "::1",
    "host.docker.internal",
    "db",
    "database",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "redis",
    "mongo",
    "mongodb",
    "rabbitmq",
];

/// Credentials embedded in a connection URL, unless the host is local or the password trivial.
fn url_credential(value: &str) -> Option<String> {
    let re = URL_CREDENTIALS.as_ref()?;
    let c = re.captures(value)?;
    let password = c.get(2)?.as_str();
    let host = c.get(3)?.as_str().to_ascii_lowercase();
    if LOCAL_HOSTS.contains(&host.as_str()) {
        return None;
    }
    literal_value(password)
}

/// `Password=…`/`Pwd=…` of an ADO.NET-style connection string, with its server.
static CONN_PASSWORD: LazyLock<Option<Regex>> =
    LazyLock::new(|| crate::pattern::regex(r"(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]*)").ok());
static CONN_SERVER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::pattern::regex(r"(?i)(?:^|;)\s*(?:server|data\s+source|host|address|addr)\s*=\s*([^;]*)")
        .ok()
});

/// The password of a connection string (`Server=tcp:x;User Id=sa;Password=…;`), unless its
/// server is local (LocalDB, localhost, a compose service such as `db`) or the password is a
/// stand-in.
fn connection_string_credential(value: &str) -> Option<String> {
    let password = CONN_PASSWORD.as_ref()?.captures(value)?.get(1)?.as_str();
    let server = CONN_SERVER
        .as_ref()
        .and_then(|re| re.captures(value))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let host = server
        .trim_start_matches("tcp:")
        .split([',', ':', '\\'])
        .next()
        .unwrap_or("");
    if host.is_empty()
        || matches!(host, "." | "(local)" | "(localdb)")
        || LOCAL_HOSTS.contains(&host)
    {
        return None;
    }
    literal_value(password)
}

/// A finding for `key` assigned `raw` at `line`: a literal in a credential-named key, or a
/// password inside a connection URL or connection string. None for anything else.
pub fn judge_assignment(key: &str, raw: &str, line: u32) -> Option<Finding> {
    if is_secret_key(key) {
        if let Some(v) = key_literal(key, raw) {
            return Some(Finding {
                kind: format!("credential literal in `{key}`"),
                line,
                redacted: redact(&v),
            });
        }
    }
    if let Some(p) = url_credential(raw) {
        return Some(Finding {
            kind: format!("password in the connection URL of `{key}`"),
            line,
            redacted: redact(&p),
        });
    }
    let unquoted = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    connection_string_credential(unquoted).map(|p| Finding {
        kind: format!("password in the connection string of `{key}`"),
        line,
        redacted: redact(&p),
    })
}

/// Credential literals assigned to credential-named keys, line by line (CI configuration, env
/// files, .NET appsettings). Comment lines are skipped.
pub fn scan_assignments(text: &str) -> Vec<Finding> {
    let Some(re) = ASSIGNMENT.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        let Some(c) = re.captures(line) else { continue };
        let (Some(key), Some(raw)) = (c.get(1), c.get(2)) else {
            continue;
        };
        out.extend(judge_assignment(key.as_str(), raw.as_str(), i as u32 + 1));
    }
    out
}

/// Decodes standard base64 (Kubernetes Secret `data:` values); None when it is not base64.
pub fn base64_decode(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('=');
    let mut bits = 0u32;
    let mut n = 0u32;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Env templates meant to be committed: `.env.example`, `.env.sample`, `example.env` …
pub fn is_env_template(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "example", "sample", "template", "dist", "defaults", "tmpl", "tpl",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Env files (`.env`, `.env.local`, `.env.production`, `prod.env`), templates excluded.
pub fn is_env_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env"))
        && !is_env_template(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_gate_is_built_and_lets_every_format_through() {
        let c = FORMAT_REGEXES.as_ref().expect("formats compile");
        let gate = c.gate.as_ref().expect("every format has prefix literals");
        // Each format's own prefix opens the gate; prose without one does not.
        for text in [
            "AKIA",
            "ASIA",
            "ghp_",
            "github_pat_",
            "glpat-",
            "xoxb-",
            "sk_live_",
            "rk_live_",
            "AIza",
            "-----BEGIN ",
            "https://hooks.slack.com/services/T",
            "npm_",
            "pypi-AgEIcHlwaS5vcmc",
            "sk-ant-api03-",
            "sk-proj-",
            "SG.",
            "https://api.netlify.com/build_hooks/",
            "https://discord.com/api/webhooks/",
        ] {
            assert!(gate.is_match(text), "{text}");
        }
        assert!(!gate.is_match("Deploy with `make release`; see https://example.com/docs."));
    }

    #[test]
    fn formats_are_found_with_line_and_redacted_prefix() {
        let key = format!("AKIA{}", "Q2RZ7HJK4LMN5PW3");
        let text = format!("a: 1\naws_access_key_id = {key}\n");
        let f = scan_formats(&text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 2);
        assert_eq!(f[0].kind, "AWS access key id");
        assert_eq!(f[0].redacted, "AKIA…");
        assert!(!f[0].describe().contains(&key));
    }

    #[test]
    fn documentation_placeholders_are_not_secrets() {
        for text in [
            "key: AKIAIOSFODNN7EXAMPLE",
            "url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
            "if line == \"-----BEGIN PRIVATE KEY-----\" {",
        ] {
            assert!(scan_formats(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn private_key_blocks_with_material_are_found() {
        let body = "MIIEowIBAAKCAQEA7bq9uJm3s0x1R2kLp0qV8y5cZ4Wn3Hd6Tf2gJ9bXeKs1";
        let pem =
            format!("x\n-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
        let f = scan_formats(&pem);
        assert_eq!((f.len(), f[0].line), (1, 2));
        let js = format!("const k = \"-----BEGIN PRIVATE KEY-----\\n{body}\\n\";");
        assert_eq!(scan_formats(&js).len(), 1);
    }

    #[test]
    fn every_format_pattern_compiles() {
        for f in FORMATS {
            crate::pattern::regex(f.pattern).unwrap_or_else(|e| panic!("{}: {e}", f.kind));
        }
        assert!(FORMAT_REGEXES.is_some());
        // Every format has its source signal.
        for f in FORMATS {
            assert!(SIGNALS.iter().any(|s| s.id == f.signal), "{}", f.signal);
        }
    }

    #[test]
    fn assignments_flag_literals_and_skip_references_defaults_and_placeholders() {
        let text = "env:\n  API_KEY: \"ci-test-key\"\n  TOKEN: ${{ secrets.TOKEN }}\n  \
            DB_PASSWORD: $DB_PASSWORD\n  POSTGRES_PASSWORD: postgres\n  SECRET_NAME: prod-db\n  \
            JWT_SECRET: change-me\n  id-token: write\n  # PASSWORD: hunter22\n  \
            password: ${VAR}\n  NEXT_PUBLIC_API_KEY: pk_abcdef123\n";
        let f = scan_assignments(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, 2);
        assert_eq!(f[0].redacted, "ci-t…");
        assert!(f[0].kind.contains("API_KEY"));
        // Template stand-ins, as project generators ship them in a committed .env.
        let template = "SECRET_KEY=changethis\nFIRST_SUPERUSER_PASSWORD=change_this\n\
                        POSTGRES_PASSWORD=change-this\nAPI_TOKEN=not-a-secret\n";
        assert_eq!(scan_assignments(template), vec![], "{template}");
    }

    #[test]
    fn values_that_repeat_their_key_are_stand_ins() {
        // brocoders/nestjs-boilerplate .env: development stand-ins named after their key…
        let env = "CORE_DB_PASSWORD=secret\nTENANT_DB_USER=tenant_user\n\
                   TENANT_DB_PASSWORD=tenant_password\nAUTH_JWT_SECRET=secret\n\
                   AUTH_REFRESH_SECRET=secret_for_refresh\nAUTH_FORGOT_SECRET=secret_for_forgot\n\
                   AUTH_CONFIRM_EMAIL_SECRET=secret_for_confirm_email\nDB_PASSWORD=dbpassword\n";
        assert_eq!(scan_assignments(env), vec![], "{env}");
        // …while a real token on the next line of the same file is still found, redacted.
        let token = format!("sntrys_{}", "eyJpYXQiOjE3NDc0OTUwMTcuMTg4ODE0LCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyJ9_h1wKd6UiDgXbKYvsQZRQ9THodcIZbSICRYtgCRs4vOc");
        let text = format!("{env}SENTRY_AUTH_TOKEN={token}\n");
        let f = scan_assignments(&text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].line, f[0].redacted.as_str()), (9, "sntr…"));
        assert!(!f[0].describe().contains(&token));
        // Words of another key, or key words with a real secret's characters, are not stand-ins.
        assert!(!repeats_key("TENANT_DB_PASSWORD", "tenant_password_2024"));
        assert!(!repeats_key("DB_PASSWORD", "Db-Passw0rd!"));
        assert!(!repeats_key("API_KEY", "prod_api_key_f83ka02"));
        assert!(repeats_key("TENANT_DB_PASSWORD", "tenant_password"));
        assert_eq!(scan_assignments("DB_PASSWORD=s3cr3t-Pr0d\n").len(), 1);
    }

    #[test]
    fn connection_urls_with_remote_passwords() {
        let f = scan_assignments(
            "DATABASE_URL: postgresql://postgres:postgres@localhost:5432/x\n\
             PROD_DB: postgres://app:Zq83hfPq2@db.prod.example.net/app\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 2);
        assert_eq!(f[0].redacted, "Zq8…");
    }

    #[test]
    fn appsettings_passwords_and_connection_strings() {
        let text = "{\n  \"ConnectionStrings\": {\n    \"CatalogConnection\": \"Server=(localdb)\\\\mssqllocaldb;Integrated Security=true;Initial Catalog=Microsoft.eShopOnWeb.CatalogDb;\",\n    \"Orders\": \"Server=tcp:shop-prod.database.windows.net,1433;User Id=shop;Password=Xr7!kq2Pz9;\",\n    \"Local\": \"Server=db;User Id=sa;Password=Xr7!kq2Pz9;\"\n  },\n  \"Smtp\": {\n    \"Password\": \"S3cr3t!Mail#42\",\n    \"Host\": \"smtp.example.net\"\n  },\n  \"Jwt\": { \"Key\": \"change-me\" }\n}\n";
        let f = scan_assignments(text);
        let lines: Vec<u32> = f.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![4, 8], "{f:?}");
        assert!(f[0].kind.contains("connection string of `Orders`"));
        assert_eq!(f[0].redacted, "Xr7!…");
        assert_eq!(f[1].redacted, "S3cr…");
        assert!(f.iter().all(|x| !x.describe().contains("Xr7!kq2Pz9")));
    }

    #[test]
    fn env_file_names() {
        for n in [".env", ".env.local", ".env.production", "prod.env"] {
            assert!(is_env_file(n), "{n}");
        }
        for n in [
            ".env.example",
            ".env.sample",
            ".env.template",
            "example.env",
            ".envrc",
        ] {
            assert!(!is_env_file(n), "{n}");
        }
    }

    #[test]
    fn base64_values_decode() {
        assert_eq!(base64_decode("cGFzc3dvcmQ=").as_deref(), Some("password"));
        assert_eq!(
            base64_decode("c2VjcmV0LXZhbHVl").as_deref(),
            Some("secret-value")
        );
        assert!(base64_decode("not base64!").is_none());
    }

    #[test]
    fn redaction_never_shows_most_of_a_value() {
        assert_eq!(redact("abcdefghijkl"), "abcd…");
        assert_eq!(redact("abcdef"), "ab…");
        assert_eq!(redact("ab"), "…");
    }
}
