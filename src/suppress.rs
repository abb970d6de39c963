//! Inline ignore comments: a finding silenced where it is, in the file it points at.
//!
//! ```text
//! # devops-maturity: ignore[dockerfile-healthcheck] one-shot batch job, nothing to probe
//! HEALTHCHECK NONE
//! ```
//!
//! - The marker sits in a comment (`#`, `//`, `/*`, `*`, `<!--`, `--`, `;`, `%`, `{#`): text
//!   that merely mentions it in prose is not a directive.
//! - `ignore[a, b]` names rule ids; the rest of the line is the reason, which is required, as
//!   for `ignore:` entries in the configuration.
//! - It covers a failing control's evidence on its own line and on the next line; evidence that
//!   names the whole file (no line) is covered by such a comment anywhere in that file.
//!
//! Comments are found while the file is read (one `memmem` pass), so no file is read twice.

use memchr::memmem;
use std::sync::LazyLock;

/// What introduces a directive.
pub const MARKER: &str = "devops-maturity:";
/// Bounds for hostile input: a file full of markers costs a bounded amount of memory.
const MAX_PER_FILE: usize = 64;
const MAX_RULES: usize = 16;
const MAX_ID_BYTES: usize = 100;
const MAX_REASON_BYTES: usize = 300;

/// Comment openers a directive may follow (after optional spaces).
const COMMENT_OPENERS: [&str; 9] = ["#", "//", "/*", "*", "<!--", "--", ";", "%", "{#"];

/// One `devops-maturity: ignore[...] reason` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineIgnore {
    /// 1-based line of the comment.
    pub line: u32,
    /// Rule ids as written (checked against the rules by the scan).
    pub rules: Vec<String>,
    /// Empty when the comment gives none; such a comment is reported and not applied.
    pub reason: String,
}

impl InlineIgnore {
    /// Does this comment silence `rule`'s evidence at `line` (None: the whole file)?
    pub fn covers(&self, rule: &str, line: Option<u32>) -> bool {
        !self.reason.is_empty()
            && self.rules.iter().any(|r| r == rule)
            && line.is_none_or(|l| l == self.line || l == self.line.saturating_add(1))
    }
}

/// Every inline ignore comment in `text`, in line order.
pub fn find(text: &str) -> Vec<InlineIgnore> {
    static FINDER: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(MARKER));
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Lines are counted incrementally: markers come in ascending order.
    let (mut counted_to, mut line) = (0usize, 1u32);
    for at in FINDER.find_iter(bytes) {
        if out.len() == MAX_PER_FILE {
            break;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        line =
            line.saturating_add(memchr::memchr_iter(b'\n', &bytes[counted_to..at]).count() as u32);
        counted_to = at;
        // The marker is ASCII, so `at` and `at + MARKER.len()` are char boundaries; the line
        // ends at a newline or the end, also boundaries.
        if !opens_comment(text[line_start..at].trim_end()) {
            continue;
        }
        if let Some(ignore) = parse_directive(&text[at + MARKER.len()..line_end], line) {
            out.push(ignore);
        }
    }
    out
}

/// Does the text before the marker end with a comment opener that starts the line or follows
/// a space? A backtick before `#` is documentation quoting the syntax, not a comment.
fn opens_comment(before: &str) -> bool {
    COMMENT_OPENERS.iter().any(|opener| {
        before
            .strip_suffix(opener)
            .is_some_and(|rest| rest.chars().next_back().is_none_or(char::is_whitespace))
    })
}

/// `ignore[a, b] reason` after the marker; None for anything else (another tool's text).
fn parse_directive(rest: &str, line: u32) -> Option<InlineIgnore> {
    let rest = rest.trim_start().strip_prefix("ignore[")?;
    let (ids, reason) = rest.split_once(']')?;
    let rules = ids
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .take(MAX_RULES)
        .map(|id| crate::escape::truncate(id, MAX_ID_BYTES).into_owned())
        .collect();
    let reason = ["-->", "*/", "#}"]
        .iter()
        .fold(reason.trim(), |r, closer| {
            r.strip_suffix(closer).unwrap_or(r)
        })
        .trim_start_matches(|c: char| c == ':' || c == '-' || c == '—' || c.is_whitespace())
        .trim_end();
    Some(InlineIgnore {
        line,
        rules,
        reason: crate::escape::truncate(reason, MAX_REASON_BYTES).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marker is spliced in so this file holds no directive of its own (a self-scan would
    /// warn about the made-up rule ids).
    fn with_marker(text: &str) -> String {
        text.replace("@@", MARKER)
    }

    fn ignore(line: u32, rules: &[&str], reason: &str) -> InlineIgnore {
        InlineIgnore {
            line,
            rules: rules.iter().map(|r| r.to_string()).collect(),
            reason: reason.into(),
        }
    }

    #[test]
    fn finds_directives_in_comments_of_any_syntax_with_their_lines() {
        let text = "FROM alpine\n\
                    # @@ ignore[dockerfile-healthcheck] batch job\n\
                    RUN true  # @@ ignore[a, b ,c]: several\r\n\
                    // @@ ignore[x] - dash\n\
                    <!-- @@ ignore[docs-x] html comment -->\n\
                    /* @@ ignore[y] block */\n\
                    -- @@ ignore[z]\n";
        assert_eq!(
            find(&with_marker(text)),
            vec![
                ignore(2, &["dockerfile-healthcheck"], "batch job"),
                ignore(3, &["a", "b", "c"], "several"),
                ignore(4, &["x"], "dash"),
                ignore(5, &["docs-x"], "html comment"),
                ignore(6, &["y"], "block"),
                ignore(7, &["z"], ""),
            ]
        );
    }

    #[test]
    fn prose_and_other_directives_are_not_ignores() {
        let text = "Write @@ ignore[x] reason in a comment.\n\
                    # @@ explain x\n\
                    # @@ ignore[unterminated reason\n\
                    name: @@ ignore[x] y\n\
                    Quoted as `# @@ ignore[rule-id] reason` in prose.\n\
                    call();// @@ ignore[x] glued to code\n";
        assert_eq!(find(&with_marker(text)), vec![]);
    }

    #[test]
    fn lines_count_across_several_markers_and_multibyte_text() {
        let text = "é\n# @@ ignore[a] r1\nß\n\n# @@ ignore[b] r2";
        let found = find(&with_marker(text));
        assert_eq!(found.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(found[1].reason, "r2");
    }

    #[test]
    fn covers_its_line_the_next_line_and_whole_file_evidence() {
        let i = ignore(4, &["r"], "why");
        assert!(i.covers("r", Some(4)));
        assert!(i.covers("r", Some(5)));
        assert!(i.covers("r", None));
        assert!(!i.covers("r", Some(3)));
        assert!(!i.covers("r", Some(6)));
        assert!(!i.covers("other", Some(4)));
        // No reason: never applied.
        assert!(!ignore(4, &["r"], "").covers("r", Some(4)));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let many = with_marker("# @@ ignore[r] x\n").repeat(1000);
        assert_eq!(find(&many).len(), MAX_PER_FILE);
        let ids = with_marker(&format!("# @@ ignore[{}] x", "a,".repeat(1000)));
        assert_eq!(find(&ids)[0].rules.len(), MAX_RULES);
        let long = with_marker(&format!(
            "# @@ ignore[{}] {}",
            "i".repeat(5000),
            "r".repeat(5000)
        ));
        let found = find(&long);
        assert!(found[0].rules[0].len() <= MAX_ID_BYTES);
        assert!(found[0].reason.len() <= MAX_REASON_BYTES);
    }
}
