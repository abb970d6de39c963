//! The terminal report: headline, one line per category with a bar, top gaps with evidence.

use super::Report;
use crate::rules::Status;
use std::io::IsTerminal;

/// Colour when stdout is a terminal and NO_COLOR is unset (https://no-color.org).
pub fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A 10-cell bar for a 0-10 score.
pub fn bar(score: Option<f64>) -> String {
    match score {
        None => "·".repeat(10),
        Some(s) => {
            let full = (s.clamp(0.0, 10.0)).round() as usize;
            "█".repeat(full) + &"░".repeat(10 - full)
        }
    }
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn score(&self, s: Option<f64>, text: &str) -> String {
        match s {
            None => self.wrap("2", text),
            Some(s) if s >= 7.0 => self.wrap("32", text),
            Some(s) if s >= 4.0 => self.wrap("33", text),
            Some(_) => self.wrap("31", text),
        }
    }
}

use crate::escape::terminal as clean;

pub fn render(report: &Report, colour: bool) -> String {
    let p = Paint(colour);
    let mut out = String::new();
    // The minimum-score gate; the baseline gate has its own line.
    let verdict = if report.score >= report.min_score {
        p.wrap("32", "pass")
    } else {
        p.wrap("31;1", "FAIL")
    };
    out.push_str(&format!(
        "{} {}\n",
        p.wrap("1", "DevOps maturity:"),
        p.score(
            Some(report.score),
            &format!(
                "{:.1}/10 — level {} {}",
                report.score, report.level.number, report.level.name
            )
        )
    ));
    out.push_str(&format!(
        "profile {} · stacks {} · {} files · min-score {:.1}: {}\n",
        report.profile.value.id(),
        if report.stacks.is_empty() {
            "none detected".to_string()
        } else {
            report
                .stacks
                .iter()
                .map(|s| s.id.id())
                .collect::<Vec<_>>()
                .join(", ")
        },
        report.stats.files,
        report.min_score,
        verdict
    ));
    if !report.packages.is_empty() {
        out.push_str(&format!(
            "workspace of {}: {} · score one with `devops-maturity scan PATH`\n",
            crate::report::plural(report.packages.len(), "package", "packages"),
            clean(&crate::report::first_few(
                report.packages.iter().map(|p| p.path.as_str())
            ))
        ));
    }
    if let Some(package) = &report.package {
        out.push_str(&format!(
            "package {} of its repository · scanned with the repository's shared files \
             (--standalone leaves them out)\n",
            clean(package)
        ));
    }
    out.push('\n');
    if let Some(b) = &report.baseline {
        let mut line = format!(
            "baseline {:.1} → {:.1} ({}) · {} new {} · {} resolved",
            b.score,
            report.score,
            b.delta_text(),
            b.new_findings.len(),
            if b.new_findings.len() == 1 {
                "gap"
            } else {
                "gaps"
            },
            b.resolved.len()
        );
        if b.fails() {
            line.push_str(&format!(
                " · {}",
                p.wrap("31;1", "FAIL (--fail-on-regression)")
            ));
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    if !report.required_failed.is_empty() {
        out.push_str(&format!(
            "{} {}\n\n",
            p.wrap("31;1", "FAIL required:"),
            clean(&report.required_failed.join(", "))
        ));
    }
    for c in &report.categories {
        let passed = c
            .controls
            .iter()
            .filter(|x| x.status == Status::Pass)
            .count();
        let applicable = c.controls.iter().filter(|x| x.status != Status::Na).count();
        let score = c
            .score
            .map(|s| format!("{s:>4.1}"))
            .unwrap_or_else(|| " N/A".into());
        out.push_str(&format!(
            "  {:<36} {} {}  {}\n",
            c.title,
            p.score(c.score, &bar(c.score)),
            p.score(c.score, &score),
            p.wrap("2", &format!("{passed}/{applicable} controls"))
        ));
    }
    let scored: Vec<_> = report
        .packages
        .iter()
        .filter(|p| p.scan.is_some() || p.error.is_some())
        .collect();
    if !scored.is_empty() {
        out.push_str(&format!("\n{}\n", p.wrap("1", "Workspace packages")));
        for package in scored {
            let line = match (&package.scan, &package.error) {
                (Some(s), _) => format!(
                    "{} {}  level {} {} · {} · {}{}",
                    p.score(Some(s.score), &bar(Some(s.score))),
                    p.score(Some(s.score), &format!("{:>4.1}", s.score)),
                    s.level.number,
                    s.level.name,
                    s.profile.id(),
                    crate::report::plural(s.findings, "gap", "gaps"),
                    s.top_finding
                        .as_ref()
                        .map(|f| format!(", top: {}", f.rule))
                        .unwrap_or_default()
                ),
                (None, error) => clean(error.as_deref().unwrap_or("not scored")),
            };
            out.push_str(&format!("  {:<36} {line}\n", clean(&package.path)));
        }
    }
    if !report.findings.is_empty() {
        out.push_str(&format!("\n{}\n", p.wrap("1", "Top gaps")));
        for f in report.findings.iter().take(10) {
            let at = f
                .evidence
                .first()
                .map(|e| match e.line {
                    Some(l) => format!("{}:{l}", clean(&e.path)),
                    None => clean(&e.path),
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} {} — {}\n      {}\n",
                p.wrap("31", "✗"),
                p.wrap("1", f.rule),
                clean(&f.message),
                p.wrap("2", &at)
            ));
        }
        if report.findings.len() > 10 {
            out.push_str(&format!(
                "  … and {} more (--format markdown or --json for all)\n",
                report.findings.len() - 10
            ));
        }
    }
    if !report.skipped.is_empty() {
        out.push_str(&format!(
            "\n{} skipped: {} (see the JSON report's `skipped`)\n",
            super::plural(report.skipped.len(), "file", "files"),
            super::skipped_kinds(&report.skipped)
        ));
    }
    out.push_str("\n`devops-maturity explain RULE` tells why a rule matters and how to fix it.\n");
    out
}
