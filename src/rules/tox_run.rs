//! What a `tox` or `nox` command line in CI runs.
//!
//! `tox -e typing` runs the `commands` of the `typing` environment and `nox -s lint` runs the
//! `session.run(…)` calls of the `lint` session: the environment decides whether CI tests,
//! type-checks or builds the docs, not the runner's name. This reads them the way a Makefile
//! target or an npm script is read ([`super::ci`] follows CI lines into these too):
//!
//! - tox: the configuration tox itself would use (tox.ini, setup.cfg `[tox:tox]`, pyproject.toml
//!   `legacy_tox_ini` or native `[tool.tox]`, tox.toml), `[testenv:NAME]` falling back to
//!   `[testenv]` (`env_run_base`), factor-conditional lines (`py312: …`) and
//!   `{[section]commands}` references; a plain `tox` runs `env_list`, `-m` a label. An
//!   environment named at run time (`-e ${{ matrix.env }}`) is read as the base environment,
//!   which is what tox runs for any name without a section of its own (`py312`).
//! - nox: the sessions of noxfile.py (`@nox.session`, `name=`, `tags=`), or the default ones
//!   (`nox.options.sessions`, else every session not marked `default=False`).
//!
//! `None` means "not tox/nox, or nothing to read": the caller then judges the command by its
//! name as before. `Some(lines)` is what runs, possibly nothing (`tox list`).

use crate::index::join_path as join;
use crate::index::Index;
use crate::model::dockerfile::shell_words;
use regex::Regex;
use std::sync::LazyLock;

/// A command line of a configuration file: file, line and text, as the CI rules cite them.
pub(super) type Line = (String, u32, String);

/// `tox …`/`nox …`, also behind a runner (`uvx tox`, `python -m nox`, `uv run tox`,
/// `.venv/bin/tox`), after `VAR=value` assignments.
static INVOCATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::pattern::regex(
        r"^(?:\w+=\S*\s+)*(?:(?:uvx|pipx\s+run|uv\s+tool\s+run|uv\s+run|poetry\s+run|pdm\s+run|rye\s+run|hatch\s+run|pixi\s+run)(?:\s+-\S+(?:\s+[^-\s]\S*)?)*\s+|python[\d.]*\s+-m\s+)?(?:\S*/)?(tox|nox)(?:\s+(.*))?$",
    )
    .ok()
});

/// What the tox or nox command `seg` (one shell command) runs, run in `cwd`.
pub(super) fn commands(index: &Index, seg: &str, cwd: &str) -> Option<Vec<Line>> {
    let c = INVOCATION.as_ref()?.captures(seg.trim())?;
    let args: Vec<String> = shell_words(c.get(2).map_or("", |m| m.as_str()))
        .into_iter()
        .map(|w| w.text)
        .collect();
    match c.get(1).map(|m| m.as_str()) {
        Some("tox") => tox(index, &args, cwd),
        _ => nox(index, &args, cwd),
    }
}

/// A name only known at run time (`${{ matrix.env }}`, `$TOXENV`).
fn dynamic(name: &str) -> bool {
    name.contains('$')
}

// ---------------------------------------------------------------------------------------------
// tox

/// Which environments a tox command runs.
#[derive(Debug, Default, PartialEq)]
struct ToxArgs {
    /// `-e a,b` (empty: the default `env_list`).
    envs: Vec<String>,
    /// `-m label …`.
    labels: Vec<String>,
    /// `-c FILE|DIR`.
    conf: Option<String>,
    /// A subcommand that runs no environment (`tox list`, `tox config`).
    runs_nothing: bool,
    /// Something this reading does not follow (`tox exec`, `-f factor`).
    unknown: bool,
}

fn tox_args(args: &[String]) -> ToxArgs {
    let mut out = ToxArgs::default();
    let mut subcommand_seen = false;
    let mut i = 0;
    // Options of `-m`/`-f` take every following word up to the next option.
    let mut multi: Option<&str> = None;
    while let Some(w) = args.get(i) {
        i += 1;
        if w == "--" {
            break;
        }
        let (flag, glued) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ if w.starts_with("-e") && w.len() > 2 && !w.starts_with("--") => {
                ("-e", Some(w[2..].to_string()))
            }
            _ => (w.as_str(), None),
        };
        if flag.starts_with('-') {
            multi = None;
            let mut value = || {
                glued
                    .clone()
                    .or_else(|| args.get(i).cloned().inspect(|_| i += 1))
            };
            match flag {
                "-e" | "--env" => {
                    if let Some(v) = value() {
                        out.envs.extend(split_list(&v));
                    }
                }
                "-c" | "--conf" => out.conf = value(),
                "-m" | "--labels" => match glued {
                    Some(v) => out.labels.push(v),
                    None => multi = Some("-m"),
                },
                "-f" | "--factors" => {
                    out.unknown = true;
                    multi = Some("-f");
                }
                "-p" | "--parallel"
                    if args
                        .get(i)
                        .is_some_and(|v| v == "auto" || v == "all" || v.parse::<u32>().is_ok()) =>
                {
                    i += 1
                }
                "--root"
                | "--workdir"
                | "-x"
                | "--override"
                | "--installpkg"
                | "--discover"
                | "--hashseed"
                | "--result-json"
                | "--exit-and-dump-after"
                | "--runner"
                | "--colored"
                | "-i"
                | "--index-url"
                | "--parallel-live-output"
                    if glued.is_none() =>
                {
                    i += 1
                }
                _ => {}
            }
            continue;
        }
        match multi {
            Some("-m") => {
                out.labels.push(w.clone());
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        if !subcommand_seen {
            subcommand_seen = true;
            match w.as_str() {
                "run" | "r" | "run-parallel" | "p" | "legacy" | "le" => {}
                "exec" | "e" => out.unknown = true,
                "list" | "l" | "config" | "c" | "depends" | "de" | "quickstart" | "q"
                | "devenv" | "d" | "schema" => out.runs_nothing = true,
                _ => {}
            }
        }
    }
    out
}

/// `a, b` / `py3{12,13}-lint` / newline-separated: environment names, braces expanded.
fn split_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in value.chars() {
        match c {
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            ',' | ' ' | '\t' | '\n' if depth == 0 => {
                out.extend(expand(cur.trim()));
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    out.extend(expand(cur.trim()));
    out.retain(|s| !s.is_empty());
    out
}

/// Brace expansion of a generative name: `py3{12,13}-{a,b}` → py312-a, py312-b, py313-a, …
/// (bounded: a hostile configuration does not multiply without end).
fn expand(name: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (name.find('{'), name.find('}')) else {
        return vec![name.to_string()];
    };
    // Real generative names have a few groups; a hostile one is left as written.
    if close < open || dynamic(name) || name.len() > 200 || name.matches('{').count() > 6 {
        return vec![name.to_string()];
    }
    let (head, alts, tail) = (&name[..open], &name[open + 1..close], &name[close + 1..]);
    let mut out = Vec::new();
    for rest in expand(tail) {
        for a in alts.split(',') {
            out.push(format!("{head}{}{rest}", a.trim()));
            if out.len() >= 256 {
                return out;
            }
        }
    }
    out
}

/// One command of an environment, with the factor condition it is written under (`py: …`).
#[derive(Debug, Clone)]
struct Cmd {
    line: u32,
    text: String,
    condition: Option<String>,
}

/// The settings of one tox section (`[testenv]`, `[testenv:lint]`, `[env.lint]`…).
#[derive(Debug, Default)]
struct Section {
    /// Normalised: `testenv` (the base) or `testenv:NAME`.
    name: String,
    /// `commands_pre`, `commands`, `commands_post`, in that order; `None` when not set.
    commands: Option<Vec<Cmd>>,
    labels: Vec<String>,
}

#[derive(Debug, Default)]
struct ToxConfig {
    path: String,
    env_list: Vec<String>,
    /// `[tox] labels`: label → environments.
    labels: Vec<(String, Vec<String>)>,
    sections: Vec<Section>,
}

impl ToxConfig {
    fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The section of environment `env`: its own (also a generative `[testenv:py{12,13}]`).
    fn env_section(&self, env: &str) -> Option<&Section> {
        self.sections.iter().find(|s| {
            s.name.strip_prefix("testenv:").is_some_and(|n| {
                n == env || (n.contains('{') && expand(n).iter().any(|e| e == env))
            })
        })
    }

    /// The command lines environment `env` runs.
    fn env_commands(&self, env: &str) -> Vec<Line> {
        let known = !dynamic(env);
        let own = known.then(|| self.env_section(env)).flatten();
        let cmds = own
            .and_then(|s| s.commands.as_ref())
            .or_else(|| self.section("testenv").and_then(|s| s.commands.as_ref()));
        let Some(cmds) = cmds else {
            return Vec::new();
        };
        let factors: Vec<&str> = env.split('-').collect();
        let mut out = Vec::new();
        for c in cmds {
            self.push_command(c, known.then_some(factors.as_slice()), &mut out, 0);
        }
        out
    }

    /// A command that applies to an environment of `factors` (`None`: only known at run time,
    /// so only unconditional lines), with `{[section]commands}` replaced by that section's
    /// commands.
    fn push_command(&self, c: &Cmd, factors: Option<&[&str]>, out: &mut Vec<Line>, depth: u8) {
        let applies = match (&c.condition, factors) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(cond), Some(factors)) => factor_match(cond, factors),
        };
        if !applies {
            return;
        }
        let reference = c
            .text
            .strip_prefix("{[")
            .and_then(|r| r.strip_suffix("]commands}"));
        if let Some(section) = reference {
            if depth < 2 {
                let section = section.trim();
                let name = if section == "testenv" || section.starts_with("testenv:") {
                    section.to_string()
                } else {
                    format!("testenv:{section}")
                };
                for r in self
                    .section(&name)
                    .and_then(|s| s.commands.as_ref())
                    .into_iter()
                    .flatten()
                {
                    self.push_command(r, factors, out, depth + 1);
                }
            }
            return;
        }
        out.push((self.path.clone(), c.line, c.text.clone()));
    }

    /// Environments of `-m label`.
    fn labelled(&self, label: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .labels
            .iter()
            .filter(|(l, _)| l == label)
            .flat_map(|(_, envs)| envs.iter().cloned())
            .collect();
        for s in &self.sections {
            if let Some(env) = s.name.strip_prefix("testenv:") {
                if s.labels.iter().any(|l| l == label) {
                    out.extend(expand(env));
                }
            }
        }
        out
    }

    /// Every environment `tox -e ALL` runs.
    fn all_envs(&self) -> Vec<String> {
        let mut out = self.env_list.clone();
        for s in &self.sections {
            if let Some(env) = s.name.strip_prefix("testenv:") {
                out.extend(expand(env));
            }
        }
        out
    }
}

/// `py312,lint: cmd` / `!py: cmd` / `py312-django: cmd`: does the condition hold for `factors`?
fn factor_match(cond: &str, factors: &[&str]) -> bool {
    cond.split(',').any(|alt| {
        alt.trim().split('-').all(|f| match f.strip_prefix('!') {
            Some(neg) => !factors.contains(&neg),
            None => factors.contains(&f),
        })
    })
}

fn tox(index: &Index, args: &[String], cwd: &str) -> Option<Vec<Line>> {
    let a = tox_args(args);
    if a.unknown {
        return None;
    }
    let config = tox_config(index, cwd, a.conf.as_deref())?;
    if a.runs_nothing {
        return Some(Vec::new());
    }
    let mut envs = a.envs;
    for label in &a.labels {
        let labelled = config.labelled(label);
        if labelled.is_empty() {
            return None;
        }
        envs.extend(labelled);
    }
    if envs.is_empty() {
        envs = config.env_list.clone();
    }
    if envs.iter().any(|e| e == "ALL") {
        envs = config.all_envs();
    }
    if envs.is_empty() {
        // No env_list: tox runs the base environment (`py`).
        envs.push("py".to_string());
    }
    let mut out: Vec<Line> = Vec::new();
    for env in envs.iter().take(64) {
        for l in config.env_commands(env) {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    Some(out)
}

/// The tox configuration for a command run in `cwd`: `-c` if given, else the first file tox
/// would use, in `cwd` and then its parent folders.
fn tox_config(index: &Index, cwd: &str, conf: Option<&str>) -> Option<ToxConfig> {
    if let Some(c) = conf.filter(|c| !dynamic(c)) {
        let path = join(cwd, c.trim_end_matches('/'));
        if [".ini", ".cfg", ".toml"].iter().any(|e| path.ends_with(e)) {
            return read_tox(index, &path);
        }
        return find_tox(index, &path);
    }
    let mut dir = cwd
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    loop {
        if let Some(c) = find_tox(index, &dir) {
            return Some(c);
        }
        if dir.is_empty() || dir == "." {
            return None;
        }
        dir = crate::index::parent_dir(&dir).to_string();
    }
}

fn find_tox(index: &Index, dir: &str) -> Option<ToxConfig> {
    ["tox.ini", "setup.cfg", "pyproject.toml", "tox.toml"]
        .iter()
        .find_map(|n| read_tox(index, &join(dir, n)))
}

fn read_tox(index: &Index, path: &str) -> Option<ToxConfig> {
    let text = index.text(path)?;
    let name = crate::index::file_name(path);
    let config = match name {
        "setup.cfg" => {
            if !text.lines().any(|l| l.trim() == "[tox:tox]") {
                return None;
            }
            parse_ini(
                path,
                text.lines().enumerate().map(|(i, l)| (i as u32 + 1, l)),
            )
        }
        "pyproject.toml" => match legacy_tox_ini(text) {
            Some(lines) => parse_ini(path, lines.into_iter()),
            None if text
                .lines()
                .any(|l| l.trim_start().starts_with("[tool.tox")) =>
            {
                parse_toml(path, text, "tool.tox")
            }
            None => return None,
        },
        _ if name.ends_with(".toml") => parse_toml(path, text, ""),
        _ => parse_ini(
            path,
            text.lines().enumerate().map(|(i, l)| (i as u32 + 1, l)),
        ),
    };
    Some(config)
}

/// The INI text of pyproject.toml's `legacy_tox_ini = """…"""`, with its file lines.
fn legacy_tox_ini(text: &str) -> Option<Vec<(u32, &str)>> {
    let mut lines = text.lines().enumerate();
    let (i, first) = lines.find(|(_, l)| l.trim_start().starts_with("legacy_tox_ini"))?;
    let value = first.split_once('=')?.1.trim_start();
    let quote = if value.starts_with("\"\"\"") {
        "\"\"\""
    } else if value.starts_with("'''") {
        "'''"
    } else {
        return None;
    };
    let mut out = Vec::new();
    let rest = &value[3..];
    if let Some(end) = rest.find(quote) {
        out.push((i as u32 + 1, &rest[..end]));
        return Some(out);
    }
    if !rest.trim().is_empty() {
        out.push((i as u32 + 1, rest));
    }
    for (j, l) in lines {
        if let Some(end) = l.find(quote) {
            out.push((j as u32 + 1, &l[..end]));
            break;
        }
        out.push((j as u32 + 1, l));
    }
    Some(out)
}

/// A key of an INI section: (section, key, value lines).
type IniValue = (String, String, Vec<(u32, String)>);

/// tox's INI: `[tox]` (`[tox:tox]` in setup.cfg), `[testenv]`, `[testenv:NAME]`; values go
/// on over indented lines and over a trailing backslash.
fn parse_ini<'a>(path: &str, lines: impl Iterator<Item = (u32, &'a str)>) -> ToxConfig {
    let mut config = ToxConfig {
        path: path.to_string(),
        ..ToxConfig::default()
    };
    // (section, key) → value lines.
    let mut values: Vec<IniValue> = Vec::new();
    let mut section = String::new();
    let mut continued = false;
    for (n, raw) in lines {
        let t = raw.trim();
        if t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.is_empty() {
            continued = false;
            continue;
        }
        if !raw.starts_with([' ', '\t']) && t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].trim().to_string();
            values.push((section.clone(), String::new(), Vec::new()));
            continued = false;
            continue;
        }
        let value = t.split(" #").next().unwrap_or(t).trim_end();
        let Some(last) = values.last_mut().filter(|v| v.0 == section) else {
            continue;
        };
        if continued || raw.starts_with([' ', '\t']) {
            if last.1.is_empty() {
                continue;
            }
            match last.2.last_mut() {
                Some(prev) if continued => {
                    prev.1 = format!("{} {}", prev.1, value.trim_end_matches('\\').trim_end())
                }
                _ => last
                    .2
                    .push((n, value.trim_end_matches('\\').trim_end().to_string())),
            }
            continued = value.ends_with('\\');
            continue;
        }
        let Some((key, v)) = value.split_once('=') else {
            continue;
        };
        let key = key.trim().to_string();
        let v = v.trim();
        let mut entry = (section.clone(), key, Vec::new());
        if !v.is_empty() {
            entry
                .2
                .push((n, v.trim_end_matches('\\').trim_end().to_string()));
        }
        continued = v.ends_with('\\');
        values.push(entry);
    }
    for (section, key, lines) in values {
        let core = section == "tox" || section == "tox:tox";
        let joined = || {
            lines
                .iter()
                .map(|(_, l)| l.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        if core {
            match key.as_str() {
                "envlist" | "env_list" => config.env_list = split_list(&joined()),
                "labels" => {
                    for (_, l) in &lines {
                        if let Some((label, envs)) = l.split_once('=') {
                            config
                                .labels
                                .push((label.trim().to_string(), split_list(envs)));
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        if section != "testenv" && !section.starts_with("testenv:") {
            continue;
        }
        let s = match config.sections.iter_mut().position(|s| s.name == section) {
            Some(i) => &mut config.sections[i],
            None => {
                config.sections.push(Section {
                    name: section.clone(),
                    ..Section::default()
                });
                let last = config.sections.len() - 1;
                &mut config.sections[last]
            }
        };
        match key.as_str() {
            "commands_pre" | "commands" | "commands_post" => {
                let cmds = s.commands.get_or_insert_with(Vec::new);
                let at = if key == "commands_pre" { 0 } else { cmds.len() };
                let new: Vec<Cmd> = lines.into_iter().map(|(n, l)| ini_command(n, &l)).collect();
                cmds.splice(at..at, new);
            }
            "labels" => s.labels = split_list(&joined()),
            _ => {}
        }
    }
    config
}

/// A command line of tox's INI: `py312,lint: pytest` is conditional on factors; a leading
/// `-` only ignores the exit code.
fn ini_command(line: u32, text: &str) -> Cmd {
    static CONDITION: LazyLock<Option<Regex>> = LazyLock::new(|| {
        crate::pattern::regex(r"^(!?[\w.{}-]+(?:\s*,\s*!?[\w.{}-]+)*)\s*:\s+(.*)$").ok()
    });
    let (condition, command) = match CONDITION.as_ref().and_then(|re| re.captures(text)) {
        Some(c) => (
            c.get(1).map(|m| m.as_str().replace(' ', "")),
            c.get(2).map_or("", |m| m.as_str()),
        ),
        None => (None, text),
    };
    Cmd {
        line,
        text: command.trim_start_matches('-').trim().to_string(),
        condition,
    }
}

/// tox's native TOML (pyproject.toml `[tool.tox]`, tox.toml): `env_list`, `[env_run_base]`
/// and `[env.NAME]` with `commands = [["pytest", "-v"], …]`.
fn parse_toml(path: &str, text: &str, prefix: &str) -> ToxConfig {
    let mut config = ToxConfig {
        path: path.to_string(),
        ..ToxConfig::default()
    };
    let lines: Vec<&str> = text.lines().collect();
    // The current table relative to `prefix` (None: outside tox's tables).
    let mut table: Option<String> = prefix.is_empty().then(String::new);
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        i += 1;
        if t.starts_with("[[") {
            table = None;
            continue;
        }
        if t.starts_with('[') {
            let name = t.trim_matches(|c| c == '[' || c == ']').trim();
            table = if prefix.is_empty() {
                Some(name.to_string())
            } else if name == prefix {
                Some(String::new())
            } else {
                name.strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix('.'))
                    .map(str::to_string)
            };
            continue;
        }
        let Some(table) = &table else { continue };
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if !matches!(
            key,
            "env_list" | "envlist" | "commands" | "commands_pre" | "commands_post" | "labels"
        ) {
            continue;
        }
        // The value, over as many lines as its brackets take.
        let start = i as u32;
        let mut value = value.to_string();
        while !brackets_closed(&value) && i < lines.len() {
            value.push('\n');
            value.push_str(lines[i]);
            i += 1;
        }
        let section = if table.is_empty() {
            None
        } else if table == "env_run_base" {
            Some("testenv".to_string())
        } else {
            table
                .strip_prefix("env.")
                .map(|n| format!("testenv:{}", n.trim_matches(|c| c == '"' || c == '\'')))
        };
        match (section, key) {
            (None, "env_list" | "envlist") if table.is_empty() => config.env_list = strings(&value),
            (Some(section), _) => {
                let s = match config.sections.iter().position(|s| s.name == section) {
                    Some(p) => &mut config.sections[p],
                    None => {
                        config.sections.push(Section {
                            name: section,
                            ..Section::default()
                        });
                        let last = config.sections.len() - 1;
                        &mut config.sections[last]
                    }
                };
                if key == "labels" {
                    s.labels = strings(&value);
                } else {
                    let cmds = s.commands.get_or_insert_with(Vec::new);
                    let new = toml_commands(&value, start);
                    let at = if key == "commands_pre" { 0 } else { cmds.len() };
                    cmds.splice(at..at, new);
                }
            }
            _ => {}
        }
    }
    config
}

/// One piece of a TOML (or Python literal) value: a string, or a bracket opening or closing,
/// with the line it is on and the bracket depth (strings inside `{…}` inline tables are left
/// out: `{ replace = "posargs" }` is not a word of the command).
#[derive(Debug, PartialEq)]
enum Token {
    Str {
        line: u32,
        depth: usize,
        text: String,
    },
    Open {
        line: u32,
        depth: usize,
    },
    Close {
        depth: usize,
    },
}

fn scan(value: &str, first: u32) -> (Vec<Token>, i32) {
    let mut out = Vec::new();
    let mut line = first;
    let mut depth = 0i32;
    let mut braces = 0usize;
    let mut chars = value.chars();
    let level = |d: i32| usize::try_from(d).unwrap_or(0);
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            // A comment runs to the end of the line.
            '#' if chars.by_ref().any(|n| n == '\n') => line += 1,
            '{' => braces += 1,
            '}' => braces = braces.saturating_sub(1),
            '[' if braces == 0 => {
                depth += 1;
                out.push(Token::Open {
                    line,
                    depth: level(depth),
                });
            }
            ']' if braces == 0 => {
                out.push(Token::Close {
                    depth: level(depth),
                });
                depth -= 1;
            }
            '"' | '\'' => {
                let (start, mut text) = (line, String::new());
                while let Some(n) = chars.next() {
                    match n {
                        _ if n == c => break,
                        '\\' if c == '"' => text.extend(chars.next()),
                        '\n' => {
                            line += 1;
                            text.push(n);
                        }
                        _ => text.push(n),
                    }
                }
                if braces == 0 {
                    out.push(Token::Str {
                        line: start,
                        depth: level(depth),
                        text,
                    });
                }
            }
            _ => {}
        }
    }
    (out, depth + i32::try_from(braces).unwrap_or(0))
}

/// True when every bracket of a value (outside strings and comments) is closed.
fn brackets_closed(value: &str) -> bool {
    scan(value, 0).1 <= 0
}

/// The string literals of a value, in order.
fn strings(value: &str) -> Vec<String> {
    scan(value, 0)
        .0
        .into_iter()
        .filter_map(|t| match t {
            Token::Str { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// `[["pytest", "-v"], ["mypy", "src"]]` starting on line `first`: one command per inner
/// list, on the line it opens.
fn toml_commands(value: &str, first: u32) -> Vec<Cmd> {
    let mut out = Vec::new();
    let mut current: Option<(u32, Vec<String>)> = None;
    for t in scan(value, first).0 {
        match t {
            Token::Open { line, depth: 2 } => current = Some((line, Vec::new())),
            Token::Str { depth: 2, text, .. } => {
                if let Some((_, words)) = current.as_mut() {
                    words.push(text);
                }
            }
            Token::Close { depth: 2 } => {
                if let Some((line, words)) = current.take().filter(|(_, w)| !w.is_empty()) {
                    out.push(Cmd {
                        line,
                        text: words.join(" "),
                        condition: None,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// nox

#[derive(Debug, Default)]
struct NoxArgs {
    sessions: Vec<String>,
    tags: Vec<String>,
    noxfile: Option<String>,
    runs_nothing: bool,
    unknown: bool,
}

fn nox_args(args: &[String]) -> NoxArgs {
    let mut out = NoxArgs::default();
    let mut multi: Option<&str> = None;
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        if w == "--" {
            break;
        }
        let (flag, glued) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (w.as_str(), None),
        };
        if flag.starts_with('-') {
            multi = None;
            match flag {
                "-s" | "-e" | "--session" | "--sessions" => match glued {
                    Some(v) => out.sessions.push(v),
                    None => multi = Some("s"),
                },
                "-t" | "--tag" | "--tags" => match glued {
                    Some(v) => out.tags.push(v),
                    None => multi = Some("t"),
                },
                "-p" | "--python" | "--pythons" | "-P" | "--force-python" | "--extra-python"
                | "--extra-pythons" => multi = Some("skip"),
                "-k" | "--keywords" => out.unknown = true,
                "-f" | "--noxfile" => {
                    out.noxfile = glued.or_else(|| args.get(i).cloned().inspect(|_| i += 1))
                }
                "-l" | "--list" | "--list-sessions" | "--json" | "--version" | "-h" | "--help" => {
                    out.runs_nothing = true
                }
                "--envdir"
                | "-db"
                | "--default-venv-backend"
                | "-fb"
                | "--force-venv-backend"
                | "--report"
                | "--download-python"
                | "--script-mode"
                | "--verbose-level"
                    if glued.is_none() =>
                {
                    i += 1
                }
                _ => {}
            }
            continue;
        }
        match multi {
            Some("s") => out.sessions.push(w.clone()),
            Some("t") => out.tags.push(w.clone()),
            _ => {}
        }
    }
    out
}

#[derive(Debug, Default)]
struct Session {
    name: String,
    tags: Vec<String>,
    default: bool,
    commands: Vec<Line>,
}

fn nox(index: &Index, args: &[String], cwd: &str) -> Option<Vec<Line>> {
    let a = nox_args(args);
    if a.unknown || a.sessions.iter().chain(&a.tags).any(|s| dynamic(s)) {
        return None;
    }
    let path = join(cwd, a.noxfile.as_deref().unwrap_or("noxfile.py"));
    let text = index.text(&path)?;
    if a.runs_nothing {
        return Some(Vec::new());
    }
    let (sessions, defaults) = nox_sessions(&path, text);
    let chosen: Vec<&Session> = if !a.sessions.is_empty() {
        let picked: Vec<&Session> = sessions
            .iter()
            .filter(|s| a.sessions.iter().any(|w| session_named(w, &s.name)))
            .collect();
        if picked.is_empty() {
            return None;
        }
        picked
    } else if !a.tags.is_empty() {
        sessions
            .iter()
            .filter(|s| s.tags.iter().any(|t| a.tags.contains(t)))
            .collect()
    } else if let Some(defaults) = defaults {
        sessions
            .iter()
            .filter(|s| defaults.iter().any(|w| session_named(w, &s.name)))
            .collect()
    } else {
        sessions.iter().filter(|s| s.default).collect()
    };
    Some(
        chosen
            .into_iter()
            .flat_map(|s| s.commands.clone())
            .collect(),
    )
}

/// `tests`, `tests-3.12`, `tests(django='5.0')` all name the session `tests`.
fn session_named(wanted: &str, name: &str) -> bool {
    let wanted = wanted.trim_matches(|c| c == '"' || c == '\'');
    match wanted.strip_prefix(name) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with('(')
                || rest
                    .strip_prefix('-')
                    .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit() || c == 'p'))
        }
        None => false,
    }
}

/// The sessions of a noxfile and `nox.options.sessions`, if set.
fn nox_sessions(path: &str, text: &str) -> (Vec<Session>, Option<Vec<String>>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut sessions = Vec::new();
    let mut defaults = None;
    // The decorator being read: its text so far.
    let mut decorator: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let t = l.trim_start();
        i += 1;
        if t.starts_with("nox.options.sessions") {
            let mut value = t.split_once('=').map_or("", |(_, v)| v).to_string();
            while !brackets_closed(&value) && i < lines.len() {
                value.push_str(lines[i]);
                i += 1;
            }
            defaults = Some(strings(&value));
            continue;
        }
        if t.starts_with("@nox.session") || t.starts_with("@session") {
            let mut d = t.to_string();
            while d.matches('(').count() > d.matches(')').count() && i < lines.len() {
                d.push(' ');
                d.push_str(lines[i].trim());
                i += 1;
            }
            decorator = Some(d);
            continue;
        }
        let Some(d) = decorator.as_ref().filter(|_| t.starts_with("def ")) else {
            if !t.starts_with('@') && !t.is_empty() {
                decorator = None;
            }
            continue;
        };
        let head = &t[4..];
        let func: String = head
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let param: String = head[func.len()..]
            .trim_start_matches('(')
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let name = keyword_string(d, "name").unwrap_or(func);
        let tags = keyword_value(d, "tags").map(strings).unwrap_or_default();
        let default = keyword_value(d, "default").is_none_or(|v| !v.starts_with("False"));
        decorator = None;
        // The body: lines indented deeper than the `def`.
        let indent = l.len() - t.len();
        let mut body = Vec::new();
        while i < lines.len() {
            let b = lines[i];
            if !b.trim().is_empty() && b.len() - b.trim_start().len() <= indent {
                break;
            }
            body.push((i as u32 + 1, b));
            i += 1;
        }
        let commands = if param.is_empty() {
            Vec::new()
        } else {
            run_calls(path, &param, &body)
        };
        sessions.push(Session {
            name,
            tags,
            default,
            commands,
        });
    }
    (sessions, defaults)
}

/// The value text after `key=` in a decorator's arguments.
fn keyword_value<'a>(decorator: &'a str, key: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(p) = decorator[from..].find(key) {
        let at = from + p;
        from = at + key.len();
        let before = decorator[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = decorator[at + key.len()..].trim_start();
        if let Some(v) = rest.strip_prefix('=').filter(|v| !v.starts_with('=')) {
            return Some(v.trim_start());
        }
    }
    None
}

fn keyword_string(decorator: &str, key: &str) -> Option<String> {
    let v = keyword_value(decorator, key)?;
    let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    v[1..].split(q).next().map(str::to_string)
}

/// `session.run("pytest", "-v")` (and `run_always`) calls of a session body, as the command
/// they run: their string arguments, joined.
fn run_calls(path: &str, param: &str, body: &[(u32, &str)]) -> Vec<Line> {
    let mut out = Vec::new();
    let calls = [format!("{param}.run("), format!("{param}.run_always(")];
    let mut k = 0;
    while k < body.len() {
        let (n, l) = body[k];
        k += 1;
        let Some(start) = calls
            .iter()
            .find_map(|c| l.find(c.as_str()).map(|p| p + c.len()))
        else {
            continue;
        };
        // The call's arguments, over as many lines as its parentheses take (at most 40).
        let mut text = String::new();
        let mut rest = &l[start..];
        let mut depth = 1i32;
        let mut quote: Option<char> = None;
        let mut taken = 0;
        'call: loop {
            for c in rest.chars() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '(' | '[' | '{') => depth += 1,
                    (None, ')' | ']' | '}') => {
                        depth -= 1;
                        if depth == 0 {
                            break 'call;
                        }
                    }
                    _ => {}
                }
                text.push(c);
            }
            match body.get(k) {
                Some((_, next)) if taken < 40 => {
                    text.push('\n');
                    rest = next;
                    k += 1;
                    taken += 1;
                }
                _ => break,
            }
        }
        let words: Vec<String> = strings(&text);
        if !words.is_empty() {
            out.push((path.to_string(), n, words.join(" ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLASK_TOX: &str = "[tox]\nenvlist =\n    py3{13,12,11,10,9}\n    pypy310\n    py313-min\n    py39-dev\n    style\n    typing\n    docs\nskip_missing_interpreters = true\n\n[testenv]\npackage = wheel\nwheel_build_env = .pkg\nenvtmpdir = {toxworkdir}/tmp/{envname}\nconstrain_package_deps = true\nuse_frozen_constraints = true\ndeps =\n    -r requirements/tests.txt\n    min: -r requirements-skip/tests-min.txt\n    dev: -r requirements-skip/tests-dev.txt\ncommands = pytest -v --tb=short --basetemp={envtmpdir} {posargs}\n\n[testenv:style]\ndeps = pre-commit\nskip_install = true\ncommands = pre-commit run --all-files\n\n[testenv:typing]\ndeps = -r requirements/typing.txt\ncommands =\n    mypy\n    pyright\n    pyright --verifytypes flask --ignoreexternal\n\n[testenv:docs]\ndeps = -r requirements/docs.txt\ncommands = sphinx-build -E -W -b dirhtml docs docs/_build/dirhtml\n\n[testenv:update-actions]\nlabels = update\ndeps = gha-update\ncommands = gha-update\n";

    fn run(files: &[(&str, &str)], seg: &str, cwd: &str) -> Option<Vec<Line>> {
        commands(&Index::from_files(files), seg, cwd)
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|(_, _, t)| t.as_str()).collect()
    }

    #[test]
    fn flask_tox_envs_run_their_own_commands() {
        let files = [("tox.ini", FLASK_TOX)];
        let typing = run(&files, "tox run -e typing", "").unwrap();
        assert_eq!(
            typing,
            vec![
                ("tox.ini".to_string(), 32, "mypy".to_string()),
                ("tox.ini".to_string(), 33, "pyright".to_string()),
                (
                    "tox.ini".to_string(),
                    34,
                    "pyright --verifytypes flask --ignoreexternal".to_string()
                ),
            ]
        );
        // A Python env without a section of its own runs [testenv]; so does a name only
        // known at run time.
        let py = run(&files, "tox run -e py313-min", "").unwrap();
        assert_eq!(
            texts(&py),
            ["pytest -v --tb=short --basetemp={envtmpdir} {posargs}"]
        );
        assert_eq!(py[0].1, 22);
        let dynamic = run(&files, "tox run -e ${{ matrix.tox", "").unwrap();
        assert_eq!(dynamic, py);
        // Several envs, other spellings.
        let both = run(&files, "uvx tox r -e py312,docs -- -x", "").unwrap();
        assert_eq!(
            texts(&both),
            [
                "pytest -v --tb=short --basetemp={envtmpdir} {posargs}",
                "sphinx-build -E -W -b dirhtml docs docs/_build/dirhtml"
            ]
        );
        assert_eq!(
            texts(&run(&files, "python -m tox -estyle", "").unwrap()),
            ["pre-commit run --all-files"]
        );
        assert_eq!(
            texts(&run(&files, "tox -m update", "").unwrap()),
            ["gha-update"]
        );
        // A plain `tox` runs env_list: tests, pre-commit, type checks and docs.
        let all = run(&files, "tox", "").unwrap();
        assert_eq!(all.len(), 6, "{all:?}");
        // Listing runs nothing; installing tox or naming another tool is not tox.
        assert_eq!(run(&files, "tox list", ""), Some(Vec::new()));
        assert_eq!(run(&files, "toxic -e typing", ""), None);
        assert_eq!(run(&files, "detox", ""), None);
        // No configuration: nothing to read.
        assert_eq!(run(&[("README.md", "x")], "tox -e typing", ""), None);
    }

    #[test]
    fn generative_names_expand_within_bounds() {
        assert_eq!(
            expand("py3{12,13}-{lint,type}"),
            ["py312-lint", "py313-lint", "py312-type", "py313-type"]
        );
        assert_eq!(expand("py312"), ["py312"]);
        assert!(expand("a{1,2,3,4}{1,2,3,4}{1,2,3,4}{1,2,3,4}{1,2,3,4}").len() <= 256);
        let hostile = "{a,b}".repeat(5000);
        assert_eq!(expand(&hostile), std::slice::from_ref(&hostile));
    }

    #[test]
    fn tox_factor_conditions_and_references() {
        let ini = "[tox]\nenv_list = py312, lint\n\n[testenv]\ncommands =\n    py312: pytest tests\n    lint: ruff check .\n    - coverage report\n\n[testenv:all]\ncommands =\n    {[testenv]commands}\n";
        let files = [("tox.ini", ini)];
        assert_eq!(
            texts(&run(&files, "tox -e lint", "").unwrap()),
            ["ruff check .", "coverage report"]
        );
        assert_eq!(
            texts(&run(&files, "tox -e py312", "").unwrap()),
            ["pytest tests", "coverage report"]
        );
        // A name only known at run time keeps the unconditional lines only.
        assert_eq!(
            texts(&run(&files, "tox -e $TOXENV", "").unwrap()),
            ["coverage report"]
        );
        assert_eq!(run(&files, "tox -e all", "").unwrap().len(), 1);
    }

    #[test]
    fn tox_configuration_files_in_tox_order() {
        let legacy = "[build-system]\nrequires = [\"hatchling\"]\n\n[tool.tox]\nlegacy_tox_ini = \"\"\"\n[tox]\nenvlist = py312\n\n[testenv:lint]\ncommands = ruff check src\n\"\"\"\n";
        let l = run(&[("pyproject.toml", legacy)], "tox -e lint", "").unwrap();
        assert_eq!(
            l,
            vec![(
                "pyproject.toml".to_string(),
                10,
                "ruff check src".to_string()
            )]
        );
        let native = "[project]\nname = \"x\"\n\n[tool.tox]\nenv_list = [\"3.13\", \"type\"]\n\n[tool.tox.env_run_base]\ncommands = [[\"pytest\", { replace = \"posargs\", default = [\"tests\"], extend = true }]]\n\n[tool.tox.env.type]\ncommands = [\n  [\"mypy\", \"src\"],\n  [\"pyright\"],\n]\n";
        let n = run(&[("pyproject.toml", native)], "tox", "").unwrap();
        assert_eq!(
            n,
            vec![
                ("pyproject.toml".to_string(), 8, "pytest".to_string()),
                ("pyproject.toml".to_string(), 12, "mypy src".to_string()),
                ("pyproject.toml".to_string(), 13, "pyright".to_string()),
            ]
        );
        let toml = "env_list = [\"lint\"]\n\n[env.lint]\ncommands = [[\"ruff\", \"check\"]]\n";
        assert_eq!(
            texts(&run(&[("tox.toml", toml)], "tox", "").unwrap()),
            ["ruff check"]
        );
        // setup.cfg only with [tox:tox]; tox.ini first; found from a sub-folder and with -c.
        let cfg = "[tox:tox]\nenvlist = py\n\n[testenv]\ncommands = pytest\n";
        assert_eq!(
            texts(&run(&[("setup.cfg", cfg)], "tox", "").unwrap()),
            ["pytest"]
        );
        assert_eq!(
            run(&[("setup.cfg", "[metadata]\nname = x\n")], "tox", ""),
            None
        );
        let both = [
            ("tox.ini", "[testenv]\ncommands = mypy\n"),
            ("setup.cfg", cfg),
        ];
        assert_eq!(texts(&run(&both, "tox", "").unwrap()), ["mypy"]);
        assert_eq!(texts(&run(&both, "tox", "src/pkg").unwrap()), ["mypy"]);
        let nested = [("ci/tox.ini", "[testenv]\ncommands = pytest\n")];
        assert_eq!(
            texts(&run(&nested, "tox -c ci/tox.ini", "").unwrap()),
            ["pytest"]
        );
        assert_eq!(run(&nested, "tox", ""), None);
    }

    const NOXFILE: &str = "import nox\n\nnox.options.sessions = [\"tests\", \"lint\"]\n\n\n@nox.session(python=[\"3.11\", \"3.12\"])\ndef tests(session: nox.Session) -> None:\n    session.install(\"-e\", \".[test]\")\n    session.run(\n        \"pytest\",\n        *session.posargs,\n    )\n\n\n@nox.session(tags=[\"style\"])\ndef lint(session):\n    session.install(\"ruff\")\n    session.run(\"ruff\", \"check\", \".\")\n\n\n@nox.session(name=\"type-check\", tags=[\"style\"])\ndef typecheck(s):\n    s.run(\"mypy\", \"src\", env={\"MYPYPATH\": \"stubs\"})\n\n\n@nox.session(default=False)\ndef docs(session):\n    session.run(\"sphinx-build\", \"docs\", \"docs/_build\")\n";

    #[test]
    fn nox_sessions_run_their_session_run_calls() {
        let files = [("noxfile.py", NOXFILE)];
        let tests = run(&files, "nox -s tests-3.12", "").unwrap();
        assert_eq!(
            tests,
            vec![("noxfile.py".to_string(), 9, "pytest".to_string())]
        );
        assert_eq!(
            texts(&run(&files, "uvx nox --session type-check", "").unwrap()),
            ["mypy src"]
        );
        assert_eq!(
            texts(&run(&files, "nox -t style", "").unwrap()),
            ["ruff check .", "mypy src"]
        );
        // The default sessions; without nox.options.sessions, those not `default=False`.
        assert_eq!(
            texts(&run(&files, "nox", "").unwrap()),
            ["pytest", "ruff check ."]
        );
        let no_defaults = NOXFILE.replace("nox.options.sessions = [\"tests\", \"lint\"]\n", "");
        assert_eq!(
            texts(&run(&[("noxfile.py", &no_defaults)], "python -m nox", "").unwrap()),
            ["pytest", "ruff check .", "mypy src"]
        );
        // Unknown names and keyword selection are not followed.
        assert_eq!(run(&files, "nox -s ${{ matrix.session }}", ""), None);
        assert_eq!(run(&files, "nox -s nope", ""), None);
        assert_eq!(run(&files, "nox -k 'not docs'", ""), None);
        assert_eq!(run(&files, "nox --list", ""), Some(Vec::new()));
    }
}
