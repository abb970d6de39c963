//! Content signals: regular expressions that rules ask the index about ("which source files
//! initialise Sentry?", "how many console.log calls?"). They are evaluated once per file,
//! during the walk, so source files need not be kept in memory.

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexSet};

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
pub struct SignalMatcher {
    ids: Vec<&'static str>,
    skip_tests: Vec<bool>,
    globs: GlobSet,
    /// Glob index -> signal index.
    glob_owner: Vec<usize>,
    set: RegexSet,
    regexes: Vec<Regex>,
}

/// Above this many matches in one file we stop counting: the count is a lower bound.
const MAX_COUNT_PER_FILE: u32 = 100_000;

impl SignalMatcher {
    pub fn new(signals: &[&Signal]) -> anyhow::Result<Self> {
        let mut globs = GlobSetBuilder::new();
        let mut glob_owner = Vec::new();
        for (i, s) in signals.iter().enumerate() {
            for g in s.files {
                globs.add(Glob::new(g)?);
                glob_owner.push(i);
            }
        }
        let patterns: Vec<String> = signals
            .iter()
            .map(|s| format!("(?m){}", ascii_word_boundaries(s.pattern)))
            .collect();
        let regexes = patterns
            .iter()
            .map(|p| Regex::new(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SignalMatcher {
            ids: signals.iter().map(|s| s.id).collect(),
            skip_tests: signals.iter().map(|s| s.skip_tests).collect(),
            globs: globs.build()?,
            glob_owner,
            set: RegexSet::new(&patterns)?,
            regexes,
        })
    }

    pub fn ids(&self) -> &[&'static str] {
        &self.ids
    }

    /// Signals whose file globs match this path.
    pub fn applicable(&self, path: &str, is_test: bool) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .globs
            .matches(path)
            .into_iter()
            .map(|g| self.glob_owner[g])
            .filter(|&s| !(is_test && self.skip_tests[s]))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Matches of the applicable signals in the text of `path`: (signal, first line, count).
    pub fn scan(&self, path: &str, text: &str, applicable: &[usize]) -> Vec<(usize, u32, u32)> {
        if applicable.is_empty() {
            return Vec::new();
        }
        let matched = self.set.matches(text);
        let production = production_part(path, text);
        let mut out = Vec::new();
        for &s in applicable {
            if !matched.matched(s) {
                continue;
            }
            let haystack = if self.skip_tests[s] { production } else { text };
            let mut first = None;
            let mut count = 0u32;
            for m in self.regexes[s].find_iter(haystack) {
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
