//! Built-in regular expressions, compiled with ASCII character classes.
//!
//! The evidence the rules look for (commands, identifiers, configuration keys, headings) is
//! ASCII, but the regex crate's `\w`, `\d`, `\s` and `\b` are Unicode-aware. Unicode `\w` alone
//! is hundreds of ranges: compiling the rule patterns with it cost about a third of a
//! 10,000-file scan's instructions, and a Unicode word boundary makes the fast lazy DFA give up
//! on the first non-ASCII byte (a hostile repository of non-ASCII text once took 3 s per
//! 200 KiB file). [`ascii`] rewrites those classes to their ASCII forms; the patterns match the
//! same ASCII text. Users' own patterns (custom rules) keep Unicode semantics.

use regex::Regex;

/// Compiles a built-in pattern with ASCII classes ([`ascii`]).
pub fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii(pattern))
}

/// `pattern` with `\w`, `\d`, `\s` (and their negations) as ASCII classes and `\b`, `\B` as
/// ASCII word boundaries, inside and outside bracketed classes. Escapes are kept as written,
/// and comments of verbose (`x`) patterns are copied unchanged.
pub fn ascii(pattern: &str) -> String {
    let verbose = pattern
        .strip_prefix("(?")
        .and_then(|rest| rest.split_once(')'))
        .is_some_and(|(flags, _)| flags.contains('x') && !flags.contains(':'));
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut chars = pattern.chars().peekable();
    // Depth of bracketed classes (`[a[b]]` nests).
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let inside = depth > 0;
                let replacement = match (n, inside) {
                    ('w', false) => "[[:word:]]",
                    ('w', true) => "[:word:]",
                    ('d', false) => "[0-9]",
                    ('d', true) => "0-9",
                    ('s', false) => "[[:space:]]",
                    ('s', true) => "[:space:]",
                    ('W', false) => "[^[:word:]]",
                    ('D', false) => "[^0-9]",
                    ('S', false) => "[^[:space:]]",
                    ('b' | 'B', false) => {
                        out.push_str("(?-u:\\");
                        out.push(n);
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
                        continue;
                    }
                    _ => {
                        out.push('\\');
                        out.push(n);
                        continue;
                    }
                };
                out.push_str(replacement);
            }
            '[' if depth > 0 && chars.peek() == Some(&':') => {
                // A POSIX class (`[:alpha:]`) inside a bracket: copied to its `:]`.
                out.push('[');
                let mut prev = '[';
                for d in chars.by_ref() {
                    out.push(d);
                    if prev == ':' && d == ']' {
                        break;
                    }
                    prev = d;
                }
            }
            '[' => {
                depth += 1;
                out.push('[');
                // `]` first in a class (after an optional `^`) is a literal.
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push(']');
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            '#' if verbose && depth == 0 => {
                out.push('#');
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A built-in regex with a cheap gate in front: a second regex that matches the literals one
/// of which every match must contain (small classes, such as the case pairs of `(?i)`,
/// included). A text with none of them cannot match; the regex crate finds such literals with
/// SIMD, while a pattern like `(?im)^#+\s.*\bdeploy` gives its own search nothing to skip by
/// and walks every byte (8,000 READMEs: 16 ms without the gate, 2 ms with it). The gate is
/// derived from the parsed pattern, so it cannot drift from what the regex matches.
#[derive(Debug)]
pub struct Gated {
    gate: Option<Regex>,
    regex: Regex,
}

impl Gated {
    /// Compiles a built-in pattern with ASCII classes ([`ascii`]) and its gate, if it has one.
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        let pattern = ascii(pattern);
        let regex = Regex::new(&pattern)?;
        let gate = gate_pattern(&pattern).and_then(|g| Regex::new(&g).ok());
        Ok(Gated { gate, regex })
    }

    /// False only when the text cannot match: a search line by line asks this of the whole
    /// text first.
    pub fn may_match(&self, text: &str) -> bool {
        self.gate.as_ref().is_none_or(|g| g.is_match(text))
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.regex.is_match(text)
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<regex::Match<'t>> {
        self.may_match(text)
            .then(|| self.regex.find(text))
            .flatten()
    }

    /// The lines of `text` the regex matches, with their 0-based index: the gate is asked once,
    /// of the whole text, not of each line.
    pub fn matching_lines<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, &'t str)> {
        let lines = self.may_match(text).then(|| text.lines().enumerate());
        lines
            .into_iter()
            .flatten()
            .filter(|(_, l)| self.regex.is_match(l))
    }

    /// The regex itself, ungated.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }
}

/// Fewest bytes (a class counts one) the shortest gate literal may have: shorter ones occur
/// everywhere and gate nothing.
const MIN_GATE_LEN: usize = 3;

/// Most alternatives a literal set may hold before it is given up.
const MAX_ALTERNATIVES: usize = 64;

/// Most characters a class may hold to count as part of a literal (`[Ss]`, `['"]`, `[\s(]`).
const MAX_CLASS_CHARS: u32 = 10;

/// The gate of a pattern: an alternation of literals one of which each match contains, as a
/// pattern; `None` when there is no such set whose literals are all at least
/// [`MIN_GATE_LEN`] long.
pub fn gate_pattern(pattern: &str) -> Option<String> {
    use regex_syntax::hir::Hir;
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let set = Literals::of(&hir).required?;
    if set.iter().any(|alt| units_len(alt) < MIN_GATE_LEN) {
        return None;
    }
    let gate = Hir::alternation(set.into_iter().map(Hir::concat).collect());
    // Only a gate the regex crate can search with SIMD is cheaper than the regex: past
    // Teddy's 64 literals (`(?i)` multiplies them) it would walk every byte as well.
    let mut prefixes = regex_syntax::hir::literal::Extractor::new();
    prefixes.kind(regex_syntax::hir::literal::ExtractKind::Prefix);
    let mut seq = prefixes.extract(&gate);
    seq.optimize_for_prefix_by_preference();
    seq.len()
        .is_some_and(|n| n <= MAX_ALTERNATIVES)
        .then(|| gate.to_string())
}

/// One alternative of a literal set: literals and small classes, in sequence.
type Units = Vec<regex_syntax::hir::Hir>;

/// Length of an alternative in bytes, a class counting one.
fn units_len(units: &Units) -> usize {
    use regex_syntax::hir::HirKind;
    units
        .iter()
        .map(|u| match u.kind() {
            HirKind::Literal(l) => l.0.len(),
            _ => 1,
        })
        .sum()
}

/// What is known about the strings a (sub)expression matches.
struct Literals {
    /// It matches exactly one of these.
    exact: Option<Vec<Units>>,
    /// Each of its matches contains one of these.
    required: Option<Vec<Units>>,
}

impl Literals {
    fn exact(set: Vec<Units>) -> Self {
        Literals {
            required: Some(set.clone()),
            exact: Some(set),
        }
    }

    fn none() -> Self {
        Literals {
            exact: None,
            required: None,
        }
    }

    fn of(hir: &regex_syntax::hir::Hir) -> Self {
        use regex_syntax::hir::{Class, HirKind};
        match hir.kind() {
            // Zero-width: the empty string, as far as substrings go.
            HirKind::Empty | HirKind::Look(_) => Literals::exact(vec![Vec::new()]),
            HirKind::Literal(_) => Literals::exact(vec![vec![hir.clone()]]),
            HirKind::Class(class) => {
                let chars: u32 = match class {
                    Class::Unicode(c) => c
                        .iter()
                        .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                        .sum(),
                    Class::Bytes(c) => c
                        .iter()
                        .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                        .sum(),
                };
                if chars <= MAX_CLASS_CHARS {
                    Literals::exact(vec![vec![hir.clone()]])
                } else {
                    Literals::none()
                }
            }
            HirKind::Capture(c) => Literals::of(&c.sub),
            HirKind::Repetition(r) => match (r.min, r.max) {
                (1, Some(1)) => Literals::of(&r.sub),
                (0, _) => Literals::none(),
                // At least one copy: what one copy requires, the whole requires.
                _ => {
                    let sub = Literals::of(&r.sub);
                    Literals {
                        exact: None,
                        required: best([sub.required, sub.exact]),
                    }
                }
            },
            HirKind::Concat(parts) => {
                // Adjacent exact parts join into longer literals; any run, or any part's own
                // requirement, is required by the whole: the most selective one is kept.
                let mut candidates = Vec::new();
                let mut run: Option<Vec<Units>> = Some(vec![Vec::new()]);
                let mut whole_exact = true;
                for part in parts {
                    let facts = Literals::of(part);
                    match facts.exact {
                        Some(set) => match cross(run.as_deref(), &set) {
                            Some(joined) => run = Some(joined),
                            None => {
                                whole_exact = false;
                                candidates.push(run.replace(set));
                            }
                        },
                        None => {
                            whole_exact = false;
                            candidates.push(run.replace(vec![Vec::new()]));
                        }
                    }
                    candidates.push(facts.required);
                }
                let exact = if whole_exact { run.clone() } else { None };
                candidates.push(run);
                Literals {
                    exact,
                    required: best(candidates),
                }
            }
            HirKind::Alternation(branches) => {
                let mut exact = Some(Vec::new());
                let mut required = Some(Vec::new());
                for facts in branches.iter().map(Literals::of) {
                    let own = best([facts.required, facts.exact.clone()]);
                    union_into(&mut exact, facts.exact);
                    union_into(&mut required, own);
                }
                Literals { exact, required }
            }
        }
    }
}

/// Adds `more` to `set`; no set when either is unknown or the union is past the limit.
fn union_into(set: &mut Option<Vec<Units>>, more: Option<Vec<Units>>) {
    *set = match (set.take(), more) {
        (Some(mut s), Some(m)) if s.len() + m.len() <= MAX_ALTERNATIVES => {
            s.extend(m);
            Some(s)
        }
        _ => None,
    };
}

/// Every alternative of `left` followed by every one of `right`, or `None` past the limit.
fn cross(left: Option<&[Units]>, right: &[Units]) -> Option<Vec<Units>> {
    let left = left?;
    if left.len() * right.len() > MAX_ALTERNATIVES {
        return None;
    }
    Some(
        left.iter()
            .flat_map(|l| right.iter().map(move |r| [l.as_slice(), r].concat()))
            .collect(),
    )
}

/// The most selective set: the longest shortest alternative, then the fewest alternatives.
fn best(sets: impl IntoIterator<Item = Option<Vec<Units>>>) -> Option<Vec<Units>> {
    let score = |s: &Vec<Units>| {
        let shortest = s.iter().map(units_len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(s.len()))
    };
    sets.into_iter().flatten().max_by_key(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_become_ascii_inside_and_outside_brackets() {
        assert_eq!(ascii(r"\w+\d\s"), r"[[:word:]]+[0-9][[:space:]]");
        assert_eq!(ascii(r"[\w.-]+[^\s,]"), r"[[:word:].-]+[^[:space:],]");
        assert_eq!(ascii(r"\W\D\S"), r"[^[:word:]][^0-9][^[:space:]]");
        assert_eq!(ascii(r"\bfoo\B"), r"(?-u:\b)foo(?-u:\B)");
        assert_eq!(ascii(r"\b{start}x"), r"(?-u:\b{start})x");
    }

    #[test]
    fn escapes_literal_brackets_and_posix_classes_are_kept() {
        for p in [
            r"\\w",
            r"\[\w\]",
            r"[]\w]",
            r"[^]\w]",
            r"[[:alpha:]\d]",
            r"\x{41}\p{L}",
        ] {
            let rewritten = ascii(p);
            assert!(Regex::new(&rewritten).is_ok(), "{p} → {rewritten}");
        }
        assert_eq!(ascii(r"\\w"), r"\\w");
        assert_eq!(ascii(r"\[\w\]"), r"\[[[:word:]]\]");
        assert_eq!(ascii(r"[]\w]"), r"[][:word:]]");
        assert_eq!(ascii(r"[[:alpha:]\d]"), r"[[:alpha:]0-9]");
    }

    #[test]
    fn word_boundaries_next_to_non_ascii_text() {
        let re = regex(r"\bSentry\.init\b").unwrap();
        assert!(re.is_match("é Sentry.init("));
        assert!(!re.is_match("xSentry.init"));
    }

    #[test]
    fn verbose_comments_are_copied() {
        let p = "(?x)\n  foo\\s+  # a [ in a comment\n  | \\bbar\n";
        let r = ascii(p);
        assert_eq!(
            r,
            "(?x)\n  foo[[:space:]]+  # a [ in a comment\n  | (?-u:\\b)bar\n"
        );
        assert!(Regex::new(&r).unwrap().is_match("foo  x"));
    }

    #[test]
    fn the_rewritten_pattern_matches_the_same_ascii_text() {
        let p = r"(?i)\bnpm\s+(?:run\s+)?test\b|[\w-]+\.spec\.\w+";
        let (unicode, ascii) = (Regex::new(p).unwrap(), regex(p).unwrap());
        for text in [
            "npm test",
            "NPM  run test",
            "npmtest",
            "app.spec.ts",
            "my-app.spec.js",
            "x npm test y",
            "npm testing",
        ] {
            assert_eq!(unicode.is_match(text), ascii.is_match(text), "{text}");
        }
    }
    #[test]
    fn gates_hold_the_literals_every_match_contains() {
        let gate = |p: &str| gate_pattern(&ascii(p));
        assert_eq!(gate(r"^\s*$"), None);
        assert_eq!(gate(r"\w+"), None);
        // Too short to gate anything.
        assert_eq!(gate(r"^(?:a|bc)\d"), None);
        for (pattern, yes, no) in [
            (
                r"(?im)^#{1,4}\s+.*\b(?:deploy(?:ment|ing)?|roll\s?back|release process)\b",
                "## How we DEPLOY",
                "## Install\nrun it\n",
            ),
            (r"^[ \t]*(?:puts|print|pp)[\s(]", "  pp(x)", "p x"),
            (
                r"console\.(?:log|error)\(",
                "console.error(",
                "console.warn(",
            ),
            (
                r"(?i)\bsecrets?\s+manager\b",
                "AWS SECRETS  Manager",
                "a secret vault",
            ),
        ] {
            let g = Regex::new(&gate(pattern).expect(pattern)).unwrap();
            assert!(g.is_match(yes), "{pattern}: {yes}");
            assert!(!g.is_match(no), "{pattern}: {no}");
        }
    }

    #[test]
    fn a_gated_regex_matches_what_the_regex_matches() {
        let patterns = [
            r"(?im)^#{1,4}\s+.*\b(?:deploy(?:ment|ing)?|roll\s?back|release process)\b",
            r"(?i)\b(?:runbook|on-?call|incident)s?\b",
            r"^[ \t]*(?:puts|print|pp)[\s(]",
            r"(?m)^\s*(?:npm|yarn)\s+(?:run\s+)?lint\b",
            r"(?i)k8s|kubernetes",
            r"\w+",
        ];
        let texts = [
            "",
            "## Deployment\n",
            "# RELEASE PROCESS\n",
            "## roll back\n",
            "# Runbooks\n",
            "On-Call rota",
            "  puts x",
            "npm run lint",
            "  yarn lint --fix",
            "KUBERNETES",
            // Unicode case folding: K (Kelvin sign) and ſ (long s) fold to k and s.
            "\u{212A}8s",
            "# RELEAſE PROCESS\n",
            "plain text with nothing",
        ];
        for p in patterns {
            let gated = Gated::new(p).unwrap();
            let plain = regex(p).unwrap();
            for t in texts {
                assert_eq!(gated.is_match(t), plain.is_match(t), "{p} on {t:?}");
                assert_eq!(
                    gated.find(t).map(|m| m.range()),
                    plain.find(t).map(|m| m.range()),
                    "{p} on {t:?}"
                );
                // The gate never rejects a text the regex matches.
                assert!(gated.may_match(t) || !plain.is_match(t), "{p} on {t:?}");
            }
        }
    }
}
