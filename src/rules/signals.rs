//! Content signals: regular expressions that rules ask the index about ("which source files
//! initialise Sentry?", "how many console.log calls?"). They are evaluated once per file,
//! during the walk, so source files need not be kept in memory.

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexSet};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// A pattern searched in the files matching `files`.
#[derive(Debug)]
pub struct Signal {
    /// Stable id rules use to ask for hits.
    pub id: &'static str,
    /// Globs over repo-relative paths, e.g. `**/*.{js,ts}`.
    pub files: &'static [&'static str],
    /// Regex (multi-line mode: `^`/`$` match at line boundaries).
    pub pattern: &'static str,
    /// Leave out test files and fixtures (for checks about production code).
    pub skip_tests: bool,
}

/// Where a signal matched in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the file in [`crate::index::Index::files`].
    pub file: usize,
    /// Line of the first match (1-based).
    pub line: u32,
    /// Number of matches in the file.
    pub count: u32,
}

/// All signals compiled for the walk: one glob pass and one regex-set pass per file.
///
/// Regexes are compiled on first use. A file is searched with a set of only the signals that
/// apply to it (a TypeScript file never runs the Python patterns): smaller sets make smaller,
/// faster automata, and a handful of distinct sets covers a whole repository.
pub struct SignalMatcher {
    ids: Vec<&'static str>,
    skip_tests: Vec<bool>,
    /// Globs that only test the extension (`**/*.ts`, `**/*.{js,ts}`): extension -> signals,
    /// sorted. One map lookup per file instead of a glob-set match (62 ms of CPU on 100k files).
    by_ext: HashMap<String, Vec<usize>>,
    /// Every other glob, matched against the whole path.
    globs: GlobSet,
    /// Glob index -> signal index.
    glob_owner: Vec<usize>,
    /// Per signal, `(?m)` and ASCII word boundaries applied.
    patterns: Vec<String>,
    regexes: Vec<OnceLock<Regex>>,
    /// Applicable signals -> the regex set over them.
    sets: RwLock<HashMap<Vec<usize>, Arc<RegexSet>>>,
}

/// Above this many matches in one file we stop counting: the count is a lower bound.
const MAX_COUNT_PER_FILE: u32 = 100_000;

impl SignalMatcher {
    pub fn new(signals: &[&Signal]) -> anyhow::Result<Self> {
        let mut globs = GlobSetBuilder::new();
        let mut glob_owner = Vec::new();
        let mut by_ext: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in signals.iter().enumerate() {
            for g in s.files {
                let glob = Glob::new(g)?;
                match extension_glob(g) {
                    Some(exts) => {
                        for e in exts {
                            by_ext.entry(e).or_default().push(i);
                        }
                    }
                    None => {
                        globs.add(glob);
                        glob_owner.push(i);
                    }
                }
            }
        }
        for v in by_ext.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        let patterns: Vec<String> = signals
            .iter()
            .map(|s| format!("(?m){}", ascii_word_boundaries(s.pattern)))
            .collect();
        // Syntax is checked now, so a bad pattern is an error here and compiling later cannot
        // fail (custom patterns are also size-checked when the configuration is loaded).
        for p in &patterns {
            regex_syntax::Parser::new().parse(p)?;
        }
        Ok(SignalMatcher {
            ids: signals.iter().map(|s| s.id).collect(),
            skip_tests: signals.iter().map(|s| s.skip_tests).collect(),
            globs: globs.build()?,
            glob_owner,
            by_ext,
            regexes: patterns.iter().map(|_| OnceLock::new()).collect(),
            patterns,
            sets: RwLock::new(HashMap::new()),
        })
    }

    pub fn ids(&self) -> &[&'static str] {
        &self.ids
    }

    /// Signals whose file globs match this path.
    pub fn applicable(&self, path: &str, is_test: bool) -> Vec<usize> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let by_ext = match name.rfind('.') {
            Some(dot) => self.by_ext.get(&name[dot + 1..]).map(Vec::as_slice),
            None => None,
        };
        let mut out: Vec<usize> = by_ext
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&s| !(is_test && self.skip_tests[s]))
            .collect();
        if !self.globs.is_empty() {
            out.extend(
                self.globs
                    .matches(path)
                    .into_iter()
                    .map(|g| self.glob_owner[g])
                    .filter(|&s| !(is_test && self.skip_tests[s])),
            );
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// Matches of the applicable signals in the text of `path`: (signal, first line, count).
    pub fn scan(&self, path: &str, text: &str, applicable: &[usize]) -> Vec<(usize, u32, u32)> {
        if applicable.is_empty() {
            return Vec::new();
        }
        let Some(set) = self.set_for(applicable) else {
            return Vec::new();
        };
        let matched = set.matches(text);
        let production = production_part(path, text);
        let mut out = Vec::new();
        for (k, &s) in applicable.iter().enumerate() {
            if !matched.matched(k) {
                continue;
            }
            let Some(regex) = self.regex(s) else { continue };
            let haystack = if self.skip_tests[s] { production } else { text };
            let mut first = None;
            let mut count = 0u32;
            for m in regex.find_iter(haystack) {
                if first.is_none() {
                    // A pattern may start with whitespace (`^\s*`) that spans earlier blank
                    // lines: cite the line where the match's text begins.
                    let lead = m.as_str().len() - m.as_str().trim_start().len();
                    first = Some(m.start() + lead);
                }
                count += 1;
                if count >= MAX_COUNT_PER_FILE {
                    break;
                }
            }
            if let Some(start) = first {
                out.push((s, line_of(haystack, start), count));
            }
        }
        out
    }
}

impl SignalMatcher {
    fn regex(&self, signal: usize) -> Option<&Regex> {
        let pattern = self.patterns.get(signal)?;
        let cell = self.regexes.get(signal)?;
        if let Some(r) = cell.get() {
            return Some(r);
        }
        // Parsed in `new`; a compile error here would be a size limit, and then the signal
        // simply finds nothing.
        let r = Regex::new(pattern).ok()?;
        Some(cell.get_or_init(|| r))
    }

    fn set_for(&self, applicable: &[usize]) -> Option<Arc<RegexSet>> {
        if let Some(set) = read(&self.sets).get(applicable) {
            return Some(Arc::clone(set));
        }
        let patterns: Vec<&str> = applicable
            .iter()
            .filter_map(|&s| self.patterns.get(s).map(String::as_str))
            .collect();
        let set = Arc::new(RegexSet::new(patterns).ok()?);
        let mut sets = self.sets.write().unwrap_or_else(|p| p.into_inner());
        Some(Arc::clone(sets.entry(applicable.to_vec()).or_insert(set)))
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

/// The extensions a glob of the form `**/*.ext` or `**/*.{a,b}` matches, or None for any
/// other glob. Such a glob matches exactly the paths ending in `.ext` (a `*` cannot reach a
/// dot-free suffix across a `/`), so the extension decides.
fn extension_glob(glob: &str) -> Option<Vec<String>> {
    let rest = glob.strip_prefix("**/*.")?;
    let plain = |e: &str| !e.is_empty() && e.bytes().all(|b| b.is_ascii_alphanumeric());
    if plain(rest) {
        return Some(vec![rest.to_string()]);
    }
    let list = rest.strip_prefix('{')?.strip_suffix('}')?;
    let exts: Vec<String> = list.split(',').map(str::to_string).collect();
    exts.iter().all(|e| plain(e)).then_some(exts)
}

/// The part of a file that is production code. Rust keeps unit tests in the same file, after
/// a top-level `#[cfg(test)]`; signals about production code must not see them.
fn production_part<'t>(path: &str, text: &'t str) -> &'t str {
    if !path.ends_with(".rs") {
        return text;
    }
    let cut = if text.starts_with("#[cfg(test)]") {
        Some(0)
    } else {
        text.find("\n#[cfg(test)]").map(|i| i + 1)
    };
    cut.map_or(text, |i| &text[..i])
}

/// `\b` and `\B` as ASCII word boundaries. A Unicode word boundary makes the regex crate's
/// fast lazy DFA give up on the first non-ASCII byte and fall back to its slow NFA: a hostile
/// repository of non-ASCII text took ~15 ms per KiB in a debug build (3 s per 200 KiB file,
/// about 20 times the ASCII boundary's cost). Identifiers in the code signals look for are
/// ASCII, so the match is the same.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(b @ ('b' | 'B')) => {
                out.push_str("(?-u:\\");
                out.push(b);
                // `\b{start}` and friends keep their braces inside the group.
                if chars.peek() == Some(&'{') {
                    for d in chars.by_ref() {
                        out.push(d);
                        if d == '}' {
                            break;
                        }
                    }
                }
                out.push(')');
            }
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    (text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGS: &[Signal] = &[
        Signal {
            id: "console",
            files: &["**/*.ts"],
            pattern: r"console\.(log|error)\(",
            skip_tests: true,
        },
        Signal {
            id: "sentry",
            files: &["**/*.ts", "**/*.py"],
            pattern: r"^import \* as Sentry",
            skip_tests: false,
        },
    ];

    #[test]
    fn extension_globs_take_the_fast_path_and_match_like_globset() {
        assert_eq!(extension_glob("**/*.ts"), Some(vec!["ts".to_string()]));
        assert_eq!(
            extension_glob("**/*.{js,ts}"),
            Some(vec!["js".to_string(), "ts".to_string()])
        );
        for other in [
            "**/*_test.go",
            "src/**/*.ts",
            "**/*.t?",
            "**/*.{js,*}",
            "*.ts",
        ] {
            assert_eq!(extension_glob(other), None, "{other}");
        }
        // Every built-in signal glob: the fast path agrees with a glob-set match.
        let signals = crate::rules::builtin_signals();
        let matcher = SignalMatcher::new(&signals).unwrap();
        for path in [
            "a.ts",
            "src/x.tsx",
            "x.TS",
            "pkg/a_test.go",
            "pkg/a.go",
            "ts",
            "dir.ts/file",
            "lib/a.rb",
            "a.py",
            "tests/test_a.py",
            "README.md",
        ] {
            let mut expected: Vec<usize> = Vec::new();
            for (i, s) in signals.iter().enumerate() {
                let set = {
                    let mut b = GlobSetBuilder::new();
                    for g in s.files {
                        b.add(Glob::new(g).unwrap());
                    }
                    b.build().unwrap()
                };
                if set.is_match(path) {
                    expected.push(i);
                }
            }
            assert_eq!(matcher.applicable(path, false), expected, "{path}");
        }
    }

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(
            ascii_word_boundaries(r"\bfoo\B\\b\d"),
            r"(?-u:\b)foo(?-u:\B)\\b\d"
        );
        assert_eq!(ascii_word_boundaries(r"\b{start}x"), r"(?-u:\b{start})x");
        let re = Regex::new(&ascii_word_boundaries(r"\bSentry\.init\b")).unwrap();
        assert!(re.is_match("é Sentry.init("));
        assert!(!re.is_match("xSentry.init"));
    }

    #[test]
    fn counts_and_first_line_per_applicable_signal() {
        let refs: Vec<&Signal> = SIGS.iter().collect();
        let m = SignalMatcher::new(&refs).unwrap();
        let text = "a\nconsole.log(1)\nimport * as Sentry from 'x'\nconsole.error(2)\n";
        let app = m.applicable("src/a.ts", false);
        assert_eq!(app, vec![0, 1]);
        assert_eq!(m.scan("src/a.ts", text, &app), vec![(0, 2, 2), (1, 3, 1)]);
        // Test files are left out of signals that skip tests.
        assert_eq!(m.applicable("src/a.ts", true), vec![1]);
        assert!(m.applicable("src/a.rs", false).is_empty());
    }

    #[test]
    fn line_is_where_the_match_text_starts_and_rust_tests_are_not_production() {
        const RS: &[Signal] = &[Signal {
            id: "print",
            files: &["**/*.rs"],
            pattern: r"^\s*println!",
            skip_tests: true,
        }];
        let refs: Vec<&Signal> = RS.iter().collect();
        let m = SignalMatcher::new(&refs).unwrap();
        let text = "fn a() {\n\n\n    println!(\"x\");\n}\n#[cfg(test)]\nmod t { fn b() { println!(); }\n    println!(); }\n";
        assert_eq!(m.scan("src/a.rs", text, &[0]), vec![(0, 4, 1)]);
        assert!(m
            .scan(
                "src/b.rs",
                "#[cfg(test)]\nfn t() {\n    println!();\n}\n",
                &[0]
            )
            .is_empty());
    }
}
