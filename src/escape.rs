//! Escaping of untrusted text (paths, names and matched values from the scanned repository)
//! for every place we print it.

/// Markdown and HTML: the text renders as text, never as markup, a link or a table cell break.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '|' => out.push_str("&#124;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '~' | '{' | '}' | '+'
            | '-' | '.' | ':' | '@' | '$' | '^' | '=' => {
                out.push('\\');
                out.push(c);
            }
            // Bidirectional overrides and other invisible controls could disguise text.
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("&#x{:x};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside a markdown code span: backticks cannot be escaped there, so they are replaced.
pub fn code_span(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c if c.is_control() || is_bidi_control(c) => '�',
            c => c,
        })
        .collect();
    format!("`{cleaned}`")
}

/// Text from the repository (paths, matched text) for a terminal: control characters, which
/// could move the cursor or recolour the screen, and bidi overrides become `�`.
pub fn terminal(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                '�'
            } else {
                c
            }
        })
        .collect()
}

/// Right-to-left and other directional formatting characters.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Data of a workflow command (`::error file=…::DATA`).
pub fn workflow_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command (`file=VALUE`): data escaping plus `:` and `,`.
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// HTML text and attribute values (inside `<summary>`, `<td>`): markdown is not parsed there,
/// so backslash escapes would show; entities are used instead.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("&#x{:x};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span inside a GFM table cell: the table parser splits cells on `|` before code
/// spans are parsed, so pipes are escaped (GFM renders `\|` as `|` there).
pub fn code_span_in_table(s: &str) -> String {
    code_span(s).replace('|', "\\|")
}

/// A fenced code block whose fence no line of `body` can close (the fence is longer than any
/// backtick run inside). `lang` is ours (an info string), never repository text.
pub fn code_block(body: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+')
        .collect();
    format!(
        "{fence}{lang}\n{}\n{fence}\n",
        body.trim_end_matches(['\n', '\r'])
    )
}

/// Percent-encodes a repository-relative path for a URL or a SARIF URI: every byte but the
/// unreserved characters and `/` (so `a b/c#d` → `a%20b/c%23d`).
pub fn url_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// At most `max_bytes` of `s`, cut at a character boundary, with `…` when something was cut.
pub fn truncate(s: &str, max_bytes: usize) -> std::borrow::Cow<'_, str> {
    if s.len() <= max_bytes {
        return std::borrow::Cow::Borrowed(s);
    }
    let ellipsis = "…";
    let mut end = max_bytes.saturating_sub(ellipsis.len());
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}{ellipsis}", &s[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_has_no_control_or_bidi_characters() {
        assert_eq!(terminal("a\x1b[31mb\u{202e}c\nd"), "a�[31mb�c�d");
        assert_eq!(terminal("apps/web ünï"), "apps/web ünï");
    }

    #[test]
    fn markdown_neutralises_markup_links_and_tables() {
        let e = markdown("<img src=x onerror=alert(1)>|[a](javascript:x)`b`\n# h");
        assert!(!e.contains('<') && !e.contains('>'));
        assert!(!e.contains('|'));
        assert!(!e.contains('\n'));
        assert!(e.contains("\\[a\\]\\(javascript\\:x\\)"));
        assert!(e.contains("\\`b\\`"));
    }

    #[test]
    fn markdown_shows_bidi_controls_instead_of_applying_them() {
        assert_eq!(markdown("a\u{202e}b"), "a&#x202e;b");
    }

    #[test]
    fn code_span_cannot_be_closed_early() {
        assert_eq!(code_span("a`b\nc"), "`a'b c`");
    }

    #[test]
    fn workflow_commands_cannot_be_injected() {
        assert_eq!(workflow_data("50%\n::error::x"), "50%25%0A::error::x");
        assert_eq!(workflow_property("a,b:c\r"), "a%2Cb%3Ac%0D");
    }
    #[test]
    fn html_escapes_tags_and_quotes_without_backslashes() {
        assert_eq!(
            html("<b a='x'>\"&\n"),
            "&lt;b a=&#39;x&#39;&gt;&quot;&amp; "
        );
    }

    #[test]
    fn code_block_fence_outlasts_backticks_inside() {
        let b = code_block("a ```` b", "yaml");
        assert!(b.starts_with("`````yaml\n"), "{b}");
        assert!(b.ends_with("\n`````\n"), "{b}");
        assert_eq!(code_block("x", "y a m l`"), "```yaml\nx\n```\n");
    }

    #[test]
    fn url_path_encodes_everything_but_unreserved_and_slashes() {
        assert_eq!(url_path("a b/c#d(e)é.yml"), "a%20b/c%23d%28e%29%C3%A9.yml");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("abc", 3), "abc");
        let t = truncate("ééééé", 6);
        assert!(t.len() <= 6 && t.ends_with('…'), "{t}");
        assert_eq!(code_span_in_table("a|b"), "`a\\|b`");
    }
}
