//! The versioned JSON report.

use super::Report;

pub fn render(report: &Report) -> String {
    // Serializing plain data with string keys cannot fail; fall back to an error object anyway
    // rather than panic.
    serde_json::to_string_pretty(report)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}
