//! Documentation: README, contributing guide, ownership, licence, templates, architecture.

use super::{Applies, Category, Check, Context, Effort, Evidence, Outcome, Rule, Signal};

/// Places GitHub looks for community files, in its order of precedence.
const COMMUNITY_DIRS: &[&str] = &["", ".github/", "docs/"];

/// Files named `name` (any case, any extension) in the community locations.
fn community_file(ctx: &Context, stem: &str) -> Vec<Evidence> {
    let stem = stem.to_ascii_lowercase();
    ctx.index
        .files()
        .iter()
        .filter(|f| {
            let dir = &f.path[..f.path.len() - f.name().len()];
            let name = f.name().to_ascii_lowercase();
            COMMUNITY_DIRS.contains(&dir) && (name == stem || name.starts_with(&format!("{stem}.")))
        })
        .map(|f| Evidence::file(f.path.clone()))
        .collect()
}

fn readme(ctx: &Context) -> Outcome {
    let found = community_file(ctx, "readme");
    let Some(first) = found.first() else {
        return Outcome::fail("no README at the root, in .github/ or docs/", Vec::new());
    };
    let text = ctx.index.text(&first.path).unwrap_or("");
    let lower = text.to_ascii_lowercase();
    let sections = [
        (
            "setup",
            &[
                "install",
                "setup",
                "getting started",
                "quick start",
                "quickstart",
            ][..],
        ),
        ("usage", &["usage", "run", "example"][..]),
        ("tests", &["test"][..]),
    ];
    let missing: Vec<&str> = sections
        .iter()
        .filter(|(_, words)| !words.iter().any(|w| lower.contains(w)))
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        Outcome::pass("README covers setup, usage and tests", vec![first.clone()])
    } else {
        Outcome::fail(
            format!("README does not cover: {}", missing.join(", ")),
            vec![first
                .clone()
                .note(format!("missing {}", missing.join(", ")))],
        )
    }
}

fn license(ctx: &Context) -> Outcome {
    let mut found = community_file(ctx, "license");
    found.extend(community_file(ctx, "licence"));
    found.extend(community_file(ctx, "copying"));
    Outcome::present(
        found,
        "a licence file is present",
        "no LICENSE file: others cannot know how they may use the code",
        ctx.index.repo_anchor(),
    )
}

fn contributing(ctx: &Context) -> Outcome {
    Outcome::present(
        community_file(ctx, "contributing"),
        "a contributing guide is present",
        "no CONTRIBUTING guide",
        ctx.index.repo_anchor(),
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "docs-readme",
        title: "README explains setup, usage and tests",
        category: Category::Docs,
        weight: 6,
        applies: Applies::ALL,
        rationale: "The README is the first thing a new contributor or an on-call engineer reads; \
            without setup, usage and test instructions every newcomer rediscovers them.",
        passes_when: "A README (root, .github/ or docs/) mentions installation/setup, usage and tests.",
        remediation: "Add sections for setup, usage and running the tests to the README.",
        snippet: Some("## Getting started\n\n```sh\nmake setup   # install toolchain and dependencies\nmake run     # start locally\nmake test    # run the test suite\n```"),
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(readme),
    },
    Rule {
        id: "docs-license",
        title: "Licence declared",
        category: Category::Docs,
        weight: 3,
        applies: Applies::ALL,
        rationale: "Without a licence nobody may legally reuse the code, and dependency scanners \
            of your users flag it.",
        passes_when: "A LICENSE, LICENCE or COPYING file exists at the root, in .github/ or docs/.",
        remediation: "Add a LICENSE file (choosealicense.com helps pick one).",
        snippet: None,
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(license),
    },
    Rule {
        id: "docs-contributing",
        title: "Contributing guide",
        category: Category::Docs,
        weight: 3,
        applies: Applies::ALL,
        rationale: "A contributing guide states how changes are proposed, reviewed and tested, \
            which keeps reviews short and the bar consistent.",
        passes_when: "A CONTRIBUTING file exists at the root, in .github/ or docs/.",
        remediation: "Add CONTRIBUTING.md: how to set up, the branch and commit conventions, \
            how to run checks before opening a pull request.",
        snippet: Some("# CONTRIBUTING.md\n## Development\n1. `make setup`\n2. `make test lint`\n## Pull requests\n- One change per PR, conventional commit titles\n- CI must be green before review"),
        effort: Effort::Minutes,
        security: false,
        check: Check::Builtin(contributing),
    },
];

pub const SIGNALS: &[Signal] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn readme_with_sections_passes_and_cites_the_file() {
        let r = rule(RULES, "docs-readme");
        let o = assert_pass(r, &[("README.md", "# X\n## Install\n## Usage\n## Tests\n")]);
        assert_eq!(o.evidence[0].path, "README.md");
        let o = assert_fail(r, &[("README.md", "# X\nA thing.\n")]);
        assert!(o.message.contains("setup"), "{}", o.message);
        assert_fail(r, &[("src/a.txt", "")]);
    }

    #[test]
    fn licence_in_any_community_location() {
        let r = rule(RULES, "docs-license");
        assert_pass(r, &[(".github/LICENSE.md", "MIT")]);
        assert_pass(r, &[("COPYING", "GPL")]);
        // A licence of a vendored dependency is not the project's.
        let o = assert_fail(r, &[("README.md", "x"), ("vendor/a/LICENSE", "MIT")]);
        assert_eq!(o.evidence[0].path, "README.md");
    }

    #[test]
    fn contributing_guide() {
        let r = rule(RULES, "docs-contributing");
        assert_pass(r, &[("docs/CONTRIBUTING.md", "x")]);
        assert_fail(r, &[("README.md", "x")]);
    }
}
