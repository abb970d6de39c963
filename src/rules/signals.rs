//! Content signals: regular expressions that rules ask the index about ("which source files
//! initialise Sentry?", "how many console.log calls?"). They are evaluated once per file,
//! during the walk, so source files need not be kept in memory.

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};
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
    /// Extension -> the combination of signals for (production file, test file), as indexes
    /// into `combos`: the walk's per-file lookup, with no allocation and no glob match unless
    /// a non-extension glob matches the path.
    ext_combos: HashMap<String, [usize; 2]>,
    /// The distinct signal combinations of `ext_combos`; 0 is the empty one.
    combos: Vec<Combo>,
    /// Every other glob, matched against the whole path.
    globs: GlobSet,
    /// Glob index -> signal index.
    glob_owner: Vec<usize>,
    /// Per signal, `(?m)` and ASCII word boundaries applied.
    patterns: Vec<String>,
    regexes: Vec<OnceLock<Regex>>,
    /// Other applicable-signal lists (paths a non-extension glob matches) -> their combo.
    sets: RwLock<HashMap<Vec<usize>, Arc<Combo>>>,
}

/// A list of applicable signals and, compiled on first use (once, even when several walker
/// threads need it at the same moment), the automaton that tells which of them may match.
struct Combo {
    signals: Vec<usize>,
    set: OnceLock<Option<SetFilter>>,
}

type CacheFn = Box<dyn Fn() -> (Cache, PatternSet) + Send + Sync>;

/// A prefilter over a combination of signals: a lazy DFA whose language includes each
/// signal's (Unicode classes are widened to "the ASCII part, or any non-ASCII character",
/// which compiles to a few states instead of thousands). It may report a signal that does
/// not match; the signal's own regex then finds nothing, so the hits are exact. Compiling it
/// costs a fraction of a `RegexSet` (no captures, no reverse automaton, small classes): the
/// sets were a third of the instructions of a 10k-file scan.
struct SetFilter {
    dfa: DFA,
    /// Per-thread search cache and result set: no allocation per file.
    pool: Pool<(Cache, PatternSet), CacheFn>,
}

impl SetFilter {
    fn new(patterns: &[&str]) -> Option<Self> {
        let mut hirs = Vec::with_capacity(patterns.len());
        for p in patterns {
            let hir = regex_syntax::ParserBuilder::new().build().parse(p).ok()?;
            hirs.push(widen(&hir));
        }
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None))
            .build_many_from_hir(&hirs)
            .ok()?;
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .ok()?;
        let for_pool = dfa.clone();
        let create: CacheFn = Box::new(move || {
            (
                for_pool.create_cache(),
                PatternSet::new(for_pool.pattern_len()),
            )
        });
        Some(SetFilter {
            dfa,
            pool: Pool::new(create),
        })
    }

    /// Calls `f` with the set of patterns that may match `text` (all of them if the lazy DFA
    /// gives up, which only widens the filter).
    fn may_match(&self, text: &str, mut f: impl FnMut(usize)) {
        let mut guard = self.pool.get();
        let (cache, set) = &mut *guard;
        set.clear();
        match self
            .dfa
            .try_which_overlapping_matches(cache, &Input::new(text), set)
        {
            Ok(()) => set.iter().for_each(|p| f(p.as_usize())),
            Err(_) => (0..self.dfa.pattern_len()).for_each(f),
        }
    }
}

/// The same expression with every Unicode class widened to its ASCII part plus every
/// non-ASCII character: a superset of the language, with a small automaton.
fn widen(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let mut ranges: Vec<ClassUnicodeRange> = Vec::new();
            let mut non_ascii = false;
            for r in c.iter() {
                if r.start() <= '\x7f' {
                    ranges.push(ClassUnicodeRange::new(r.start(), r.end().min('\x7f')));
                }
                if r.end() > '\x7f' {
                    non_ascii = true;
                }
            }
            if non_ascii {
                ranges.push(ClassUnicodeRange::new('\u{80}', '\u{10FFFF}'));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(widen(&r.sub)),
        }),
        HirKind::Capture(c) => widen(&c.sub),
        HirKind::Concat(v) => Hir::concat(v.iter().map(widen).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(widen).collect()),
        _ => hir.clone(),
    }
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
            .map(|s| format!("(?m){}", crate::pattern::ascii(s.pattern)))
            .collect();
        // Syntax is checked now, so a bad pattern is an error here and compiling later cannot
        // fail (custom patterns are also size-checked when the configuration is loaded).
        for p in &patterns {
            regex_syntax::Parser::new().parse(p)?;
        }
        let skip: Vec<bool> = signals.iter().map(|s| s.skip_tests).collect();
        let mut combos = vec![Combo::new(Vec::new())];
        let mut ext_combos = HashMap::new();
        for (ext, list) in &by_ext {
            let mut ids = [0usize; 2];
            for (k, is_test) in [false, true].into_iter().enumerate() {
                let sigs: Vec<usize> = list
                    .iter()
                    .copied()
                    .filter(|&s| !(is_test && skip[s]))
                    .collect();
                ids[k] = match combos.iter().position(|c| c.signals == sigs) {
                    Some(i) => i,
                    None => {
                        combos.push(Combo::new(sigs));
                        combos.len() - 1
                    }
                };
            }
            ext_combos.insert(ext.clone(), ids);
        }
        Ok(SignalMatcher {
            ids: signals.iter().map(|s| s.id).collect(),
            skip_tests: skip,
            globs: globs.build()?,
            glob_owner,
            by_ext,
            ext_combos,
            combos,
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
        if let Some(c) = self.combos.iter().find(|c| c.signals == applicable) {
            return self.scan_combo(path, text, c);
        }
        let combo = self.combo_for(applicable);
        self.scan_combo(path, text, &combo)
    }

    /// [`Self::scan`] of the signals [`Self::applicable`] to the file: the walk's fast path.
    /// The extension picks a precomputed combination; only a path that a non-extension glob
    /// matches takes the general route.
    pub fn scan_file(&self, path: &str, text: &str, is_test: bool) -> Vec<(usize, u32, u32)> {
        if !self.globs.is_empty() && self.globs.is_match(path) {
            return self.scan(path, text, &self.applicable(path, is_test));
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let combo = match name.rfind('.') {
            Some(dot) => self
                .ext_combos
                .get(&name[dot + 1..])
                .map_or(0, |ids| ids[usize::from(is_test)]),
            None => 0,
        };
        self.scan_combo(path, text, &self.combos[combo])
    }

    fn scan_combo(&self, path: &str, text: &str, combo: &Combo) -> Vec<(usize, u32, u32)> {
        let applicable = &combo.signals;
        if applicable.is_empty() {
            return Vec::new();
        }
        let Some(set) = combo.set.get_or_init(|| {
            let patterns: Vec<&str> = applicable
                .iter()
                .filter_map(|&s| self.patterns.get(s).map(String::as_str))
                .collect();
            SetFilter::new(&patterns)
        }) else {
            return Vec::new();
        };
        let mut matched = Vec::new();
        set.may_match(text, |k| matched.push(k));
        if matched.is_empty() {
            return Vec::new();
        }
        // Pattern ids come out of the set in order.
        matched.sort_unstable();
        let production = production_part(path, text);
        let mut out = Vec::new();
        for k in matched {
            let s = applicable[k];
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
        let r = crate::pattern::regex(pattern).ok()?;
        Some(cell.get_or_init(|| r))
    }

    fn combo_for(&self, applicable: &[usize]) -> Arc<Combo> {
        if let Some(c) = read(&self.sets).get(applicable) {
            return Arc::clone(c);
        }
        let mut sets = self.sets.write().unwrap_or_else(|p| p.into_inner());
        Arc::clone(
            sets.entry(applicable.to_vec())
                .or_insert_with(|| Arc::new(Combo::new(applicable.to_vec()))),
        )
    }
}

impl Combo {
    fn new(signals: Vec<usize>) -> Self {
        Combo {
            signals,
            set: OnceLock::new(),
        }
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
