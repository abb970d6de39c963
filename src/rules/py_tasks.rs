//! What a Python task runner's command in CI runs: PDM scripts (`pdm run test`), Poe the Poet
//! tasks (`poe test`, also behind `uv run`/`poetry run`) and Hatch environment scripts
//! (`hatch run test`, `hatch run lint:style`), read from pyproject.toml (and hatch.toml).
//!
//! The file is read line by line, without a TOML library: a task is found in its table
//! (`[tool.pdm.scripts]`, `[tool.poe.tasks]`, `[tool.hatch.envs.ENV.scripts]`) as
//! `name = "…"`, `name = [ … ]`, `name = { cmd = "…" }`, `name.cmd = "…"`, or in its own
//! sub-table (`[tool.poe.tasks.name]` with `cmd`/`shell`/`sequence`). Every string of the
//! value is a command, cited at its line; a string without a space in a `composite` or
//! `sequence` names another task, and is read as `poe other` / `pdm run other`.
//!
//! `None` means "not such a runner, or no such task" (PDM runs an unknown name as a command,
//! which the caller then judges as written).

use super::tox_run::Line;
use crate::index::join_path as join;
use crate::index::Index;
use regex::Regex;
use std::sync::LazyLock;

/// `pdm run NAME`, `poe NAME` (also `uv run poe`, `poetry run poe`, `poetry poe`),
/// `hatch run [ENV:]NAME`, after `VAR=value` assignments; options before the name skipped.
static INVOCATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::pattern::regex(
        r"^(?:\w+=\S*\s+)*(?:(?:uv|poetry|pdm)\s+run\s+|poetry\s+)?(pdm\s+run|poe|hatch\s+run)\s+(?:-\S+\s+)*([\w.:-]+)",
    )
    .ok()
});

/// Values longer than this many lines are cut: a task is a few commands.
const MAX_VALUE_LINES: usize = 50;

/// The command lines of the task the command `seg` runs, found from `base`.
pub(super) fn commands(index: &Index, seg: &str, base: &str) -> Option<Vec<Line>> {
    let c = INVOCATION.as_ref()?.captures(seg.trim())?;
    let runner = c.get(1)?.as_str();
    let name = c.get(2)?.as_str();
    let (tables, runner): (Vec<String>, &str) = if runner == "poe" {
        (vec!["tool.poe.tasks".into()], "poe")
    } else if runner.starts_with("pdm") {
        (vec!["tool.pdm.scripts".into()], "pdm run")
    } else {
        let (env, _) = name.split_once(':').unwrap_or(("default", name));
        (
            vec![
                format!("tool.hatch.envs.{env}.scripts"),
                format!("envs.{env}.scripts"),
            ],
            "hatch run",
        )
    };
    let task = name.rsplit(':').next().unwrap_or(name);
    for file in ["pyproject.toml", "hatch.toml"] {
        for dir in [base, ""] {
            let path = join(dir, file);
            let Some(text) = index.text(&path) else {
                continue;
            };
            if let Some(lines) = task_lines(text, &tables, task) {
                return Some(
                    lines
                        .into_iter()
                        .map(|(line, value, lists_tasks)| {
                            let command = if lists_tasks && runner != "hatch run" {
                                as_command(runner, &value)
                            } else {
                                value
                            };
                            (path.clone(), line, command)
                        })
                        .collect(),
                );
            }
        }
    }
    None
}

/// An entry of a list of tasks that names another task runs it through the same runner.
fn as_command(runner: &str, value: &str) -> String {
    if value.contains(char::is_whitespace) || value.is_empty() {
        value.to_string()
    } else {
        format!("{runner} {value}")
    }
}

/// The strings of task `name` in one of `tables`, with their lines and whether they belong to
/// a list of tasks (`composite`, `sequence`, or Poe's array shorthand); `None` if the task is
/// not there.
fn task_lines(text: &str, tables: &[String], name: &str) -> Option<Vec<(u32, String, bool)>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut table = String::new();
    let mut found: Option<Vec<(u32, String, bool)>> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.starts_with('[') && !line.starts_with("[[") {
            table = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            i += 1;
            continue;
        }
        let own_table = tables.iter().any(|t| table == format!("{t}.{name}"));
        let in_table = tables.contains(&table);
        let Some((key, value)) = line.split_once('=') else {
            i += 1;
            continue;
        };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        let wanted = if own_table {
            matches!(key, "cmd" | "shell" | "script" | "sequence" | "composite")
        } else if in_table {
            key == name
                || key.strip_prefix(name).is_some_and(|rest| {
                    matches!(
                        rest,
                        ".cmd" | ".shell" | ".sequence" | ".composite" | ".script"
                    )
                })
        } else {
            false
        };
        // The value, over several lines while an array or a triple-quoted string is open.
        let mut value_lines = vec![(i as u32 + 1, value.to_string())];
        let mut whole = value.to_string();
        while still_open(&whole) && i + 1 < lines.len() && value_lines.len() < MAX_VALUE_LINES {
            i += 1;
            value_lines.push((i as u32 + 1, lines[i].to_string()));
            whole.push('\n');
            whole.push_str(lines[i]);
        }
        if wanted {
            let lists_tasks = key.ends_with("sequence")
                || key.ends_with("composite")
                || (key == name && value.trim_start().starts_with('['))
                || value.contains("composite")
                || value.contains("sequence");
            let out = found.get_or_insert_with(Vec::new);
            for (n, l) in value_lines {
                out.extend(strings(&l).into_iter().map(|s| (n, s, lists_tasks)));
            }
        }
        i += 1;
    }
    found
}

/// Whether a value is unfinished at its end: an unclosed `[`/`{` or `"""`.
fn still_open(value: &str) -> bool {
    if value.matches("\"\"\"").count() % 2 == 1 || value.matches("'''").count() % 2 == 1 {
        return true;
    }
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in value.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => break,
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// The quoted strings of one line (basic and literal TOML strings; `\"` kept as written).
fn strings(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => break,
            '"' | '\'' => {
                let mut s = String::new();
                let mut escaped = false;
                for d in chars.by_ref() {
                    if d == c && !escaped {
                        break;
                    }
                    escaped = d == '\\' && !escaped && c == '"';
                    s.push(d);
                }
                let s = s.trim().to_string();
                if !s.is_empty() {
                    out.push(s);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYPROJECT: &str = "[project]\nname = \"x\"\n\n[tool.pdm.scripts]\ntest = \"pytest -q\"\nlint = {cmd = \"ruff check .\"}\nall = {composite = [\"lint\", \"test\"]}\n\n[tool.poe.tasks]\ntest = \"pytest\"\ntypes.shell = \"mypy src\"\ncheck = [\n  \"types\",\n  \"test\",\n]\n\n[tool.poe.tasks.docs]\nhelp = \"Build the docs\"\ncmd = \"sphinx-build docs out\"\n\n[tool.hatch.envs.default.scripts]\ntest = \"pytest {args}\"\ncov = [\n  \"coverage run -m pytest\",\n  \"coverage report\",\n]\n\n[tool.hatch.envs.lint.scripts]\nstyle = \"ruff check .\"\n";

    fn run(seg: &str) -> Option<Vec<(u32, String)>> {
        let index = Index::from_files(&[("pyproject.toml", PYPROJECT)]);
        commands(&index, seg, "").map(|v| v.into_iter().map(|(_, l, t)| (l, t)).collect())
    }

    #[test]
    fn pdm_scripts_inline_tables_and_composites() {
        assert_eq!(run("pdm run test"), Some(vec![(5, "pytest -q".into())]));
        assert_eq!(
            run("pdm run -v lint"),
            Some(vec![(6, "ruff check .".into())])
        );
        assert_eq!(
            run("pdm run all"),
            Some(vec![(7, "pdm run lint".into()), (7, "pdm run test".into())])
        );
        // Not a script: PDM runs it as a command, judged as written by the caller.
        assert_eq!(run("pdm run pytest"), None);
    }

    #[test]
    fn poe_tasks_dotted_keys_arrays_and_sub_tables() {
        assert_eq!(run("poe test"), Some(vec![(10, "pytest".into())]));
        assert_eq!(run("uv run poe types"), Some(vec![(11, "mypy src".into())]));
        assert_eq!(
            run("poetry run poe check"),
            Some(vec![(13, "poe types".into()), (14, "poe test".into())])
        );
        // The sub-table's command, not its help text.
        assert_eq!(
            run("poe docs"),
            Some(vec![(19, "sphinx-build docs out".into())])
        );
    }

    #[test]
    fn hatch_scripts_by_environment() {
        assert_eq!(
            run("hatch run test"),
            Some(vec![(22, "pytest {args}".into())])
        );
        assert_eq!(
            run("hatch run cov"),
            Some(vec![
                (24, "coverage run -m pytest".into()),
                (25, "coverage report".into())
            ])
        );
        assert_eq!(
            run("hatch run lint:style"),
            Some(vec![(29, "ruff check .".into())])
        );
        assert_eq!(run("hatch run lint:test"), None);
        assert_eq!(run("hatch build"), None);
    }

    #[test]
    fn an_unclosed_value_is_bounded() {
        let text = format!("[tool.poe.tasks]\ntest = [\n{}", "  \"x\",\n".repeat(500));
        let lines = task_lines(&text, &["tool.poe.tasks".to_string()], "test").unwrap();
        assert!(lines.len() < MAX_VALUE_LINES, "{}", lines.len());
    }
}
