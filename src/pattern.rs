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
}
