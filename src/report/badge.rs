//! A README badge: the [shields.io endpoint] JSON for the score and level. Publish the file
//! where shields.io can fetch it (GitHub Pages, a gist, an artifact store) and point
//! `https://img.shields.io/endpoint?url=<its URL>` at it.
//!
//! [shields.io endpoint]: https://shields.io/badges/endpoint-badge

use super::Report;
use serde_json::json;

/// What the badge says before the score.
pub const LABEL: &str = "DevOps maturity";

/// The endpoint JSON: `{"schemaVersion": 1, "label", "message", "color"}`.
pub fn render(report: &Report) -> String {
    let badge = json!({
        "schemaVersion": 1,
        "label": LABEL,
        "message": format!("{:.1}/10 · {}", report.score, report.level.name),
        "color": colour(report.level.number),
    });
    format!("{badge:#}\n")
}

/// One colour per maturity level, from red (Initial) to bright green (Optimizing).
fn colour(level: u8) -> &'static str {
    match level {
        0 | 1 => "red",
        2 => "orange",
        3 => "yellow",
        4 => "green",
        _ => "brightgreen",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_score_and_level_in_the_level_colour() {
        let mut r = crate::report::tests::report(vec![], vec![]);
        for (score, message, colour) in [
            (1.0, "1.0/10 · Initial", "red"),
            (4.2, "4.2/10 · Managed", "orange"),
            (6.0, "6.0/10 · Defined", "yellow"),
            (8.5, "8.5/10 · Optimizing", "brightgreen"),
        ] {
            r.score = score;
            r.level = crate::score::level(score);
            let badge: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
            assert_eq!(
                badge,
                json!({"schemaVersion": 1, "label": LABEL, "message": message, "color": colour})
            );
        }
    }
}
