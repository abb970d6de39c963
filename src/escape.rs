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

#[cfg(test)]
mod tests {
    use super::*;

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
}
