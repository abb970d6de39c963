//! What a `docker compose` command line in CI runs.
//!
//! `docker compose up --exit-code-from svc` and `docker compose run svc [cmd]` hand CI's result
//! to one service: whatever that service runs (the `cmd` given to `run`, else its `command:` /
//! `entrypoint:`, else its image's CMD/ENTRYPOINT and the repository script they start) is a
//! CI command too, as much as a Makefile target or an npm script is.

use crate::index::join_path as join;
use crate::index::Index;
use crate::model::compose::{self, merged};
use crate::model::dockerfile::{self, shell_words, Dockerfile, Instruction};
use crate::model::yaml::Node;
use regex::Regex;
use std::sync::LazyLock;

/// A recipe line: file, line and text, as the CI rules cite them.
pub(super) type Line = (String, u32, String);

/// A `docker compose` command, as far as CI's result is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Invocation {
    /// Compose files named with `-f`/`--file`, as written (empty: the default files).
    pub files: Vec<String>,
    /// `up`, `run`, `build`, `down`…
    pub subcommand: String,
    /// The service whose exit code is the command's (`up --exit-code-from svc`, `run svc`).
    pub service: Option<String>,
    /// The command given to `run` after the service (empty: the service's own).
    pub command: Vec<String>,
}

static COMPOSE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::pattern::regex(
        r"(?:^|\s)(?:docker\s+compose|docker-compose|podman[\s-]compose)(?:\s+(.*))?$",
    )
    .ok()
});

/// Global options of `docker compose` that take a value.
const GLOBAL_VALUE_OPTS: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--env-file",
    "--profile",
    "--project-directory",
    "--ansi",
    "--progress",
    "--parallel",
];
/// Options of `up` that take a value.
const UP_VALUE_OPTS: &[&str] = &[
    "--exit-code-from",
    "--scale",
    "-t",
    "--timeout",
    "--wait-timeout",
    "--attach",
    "--no-attach",
    "--pull",
];
/// Options of `run` that take a value.
const RUN_VALUE_OPTS: &[&str] = &[
    "-e",
    "--env",
    "--env-from-file",
    "--name",
    "-u",
    "--user",
    "-w",
    "--workdir",
    "-v",
    "--volume",
    "-p",
    "--publish",
    "--entrypoint",
    "-l",
    "--label",
    "--cap-add",
    "--cap-drop",
    "--pull",
];

/// Parses one command (a shell segment) that runs `docker compose`.
pub(super) fn parse(seg: &str) -> Option<Invocation> {
    let re = COMPOSE.as_ref()?;
    let args = re.captures(seg)?.get(1).map_or("", |m| m.as_str());
    let words: Vec<String> = shell_words(args).into_iter().map(|w| w.text).collect();
    let mut inv = Invocation::default();
    let mut i = 0;
    // Global options, up to the subcommand.
    while let Some(w) = words.get(i) {
        i += 1;
        if let Some((opt, value)) = w.split_once('=').filter(|(o, _)| o.starts_with('-')) {
            if opt == "-f" || opt == "--file" {
                inv.files.push(value.to_string());
            }
            continue;
        }
        if GLOBAL_VALUE_OPTS.contains(&w.as_str()) {
            if let Some(v) = words.get(i) {
                if w == "-f" || w == "--file" {
                    inv.files.push(v.clone());
                }
            }
            i += 1;
            continue;
        }
        if w.starts_with('-') {
            continue;
        }
        inv.subcommand = w.clone();
        break;
    }
    match inv.subcommand.as_str() {
        "up" => {
            while let Some(w) = words.get(i) {
                i += 1;
                if let Some(v) = w.strip_prefix("--exit-code-from=") {
                    inv.service = Some(v.to_string());
                } else if w == "--exit-code-from" {
                    inv.service = words.get(i).cloned();
                    i += 1;
                } else if UP_VALUE_OPTS.contains(&w.as_str()) {
                    i += 1;
                }
            }
        }
        "run" => {
            while let Some(w) = words.get(i) {
                i += 1;
                if w.starts_with('-') {
                    if !w.contains('=') && RUN_VALUE_OPTS.contains(&w.as_str()) {
                        i += 1;
                    }
                    continue;
                }
                inv.service = Some(w.clone());
                inv.command = words[i.min(words.len())..].to_vec();
                break;
            }
        }
        _ => {}
    }
    Some(inv)
}

/// The compose files a command in `cwd` reads: the `-f` files, else the default file and its
/// override. Paths that leave the repository or are only known at run time are left out.
pub(super) fn files(index: &Index, inv: &Invocation, cwd: &str) -> Vec<String> {
    if !inv.files.is_empty() {
        return inv
            .files
            .iter()
            .filter(|f| !f.contains('$'))
            .filter_map(|f| compose::normalize(&join(cwd, f)))
            .collect();
    }
    let first = |names: &[&str]| names.iter().map(|n| join(cwd, n)).find(|p| index.exists(p));
    first(&[
        "compose.yaml",
        "compose.yml",
        "docker-compose.yml",
        "docker-compose.yaml",
    ])
    .into_iter()
    .chain(first(&[
        "compose.override.yaml",
        "compose.override.yml",
        "docker-compose.override.yml",
        "docker-compose.override.yaml",
    ]))
    .collect()
}

/// What the service CI waits for runs, with the file and line of each command: the `run`
/// command given on the CI line (as `Err`, to be followed like any command), else the
/// service's `entrypoint:`/`command:` lines, else its image's ENTRYPOINT/CMD — or, when these
/// start a script of the repository, the script's lines. None when the command is not a
/// `docker compose` one that hands its result to a service.
pub(super) fn service_commands(
    index: &Index,
    seg: &str,
    cwd: &str,
) -> Option<Result<Vec<Line>, String>> {
    let inv = parse(seg)?;
    let service = inv.service.as_deref()?;
    if !inv.command.is_empty() {
        return Some(Err(inv.command.join(" ")));
    }
    let mut own: Vec<Line> = Vec::new();
    let mut image: Option<(String, String)> = None;
    for path in files(index, &inv, cwd) {
        let Some(root) = index
            .yaml(&path)
            .and_then(|y| y.as_ref().ok())
            .and_then(|y| y.root())
        else {
            continue;
        };
        let Some(node) = root.get("services").and_then(|s| s.get(service)) else {
            continue;
        };
        // Later files override the keys they set.
        let lines: Vec<Line> = ["entrypoint", "command"]
            .iter()
            .filter_map(|k| merged(node, k))
            .flat_map(|n| node_lines(&path, n))
            .collect();
        if !lines.is_empty() {
            own = lines;
        }
        let file = compose::from_root(&path, root);
        if let Some((build, ctx)) = file.service(service).and_then(|s| {
            let b = s.build.as_ref()?;
            Some((file.build_dockerfile(b)?, file.build_context(b)?))
        }) {
            image = Some((build, ctx));
        }
    }
    let (df, context) = match image {
        Some((path, context)) => (
            index.text(&path).map(|t| dockerfile::parse(&path, t)),
            context,
        ),
        None => (None, String::new()),
    };
    let lines = if own.is_empty() {
        df.as_ref().map(image_commands).unwrap_or_default()
    } else {
        own
    };
    // A script the command starts, found in the repository through the image's COPY lines
    // (or next to the compose file), is what really runs.
    for (_, _, text) in &lines {
        if let Some(script) = started_script(index, df.as_ref(), &context, text) {
            if let Some(body) = script_lines(index, &script) {
                return Some(Ok(body));
            }
        }
    }
    Some(Ok(lines))
}

/// The non-empty, non-comment lines of a script in the repository.
pub(super) fn script_lines(index: &Index, path: &str) -> Option<Vec<Line>> {
    let text = index.text(path)?;
    Some(
        text.lines()
            .enumerate()
            .map(|(i, l)| (i, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .map(|(i, l)| (path.to_string(), i as u32 + 1, l.to_string()))
            .collect(),
    )
}

/// The lines of a compose `command:`/`entrypoint:` value: a string (one entry per line of a
/// block scalar) or the exec-form list, joined.
fn node_lines(path: &str, n: &Node) -> Vec<Line> {
    if let Some(s) = n.as_str() {
        return s
            .lines()
            .enumerate()
            .map(|(i, l)| (i, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| (path.to_string(), n.line + i as u32, l.to_string()))
            .collect();
    }
    let words = n.strings();
    if words.is_empty() {
        return Vec::new();
    }
    let line = n.items().first().map_or(n.line, |i| i.line);
    vec![(path.to_string(), line, words.join(" "))]
}

/// The text of an ENTRYPOINT/CMD as a command line.
fn instruction_text(ins: &Instruction) -> String {
    match &ins.exec {
        Some(words) => words.join(" "),
        None => ins.args.trim().to_string(),
    }
}

/// The final stage's ENTRYPOINT and CMD (the last of each), in that order.
fn image_commands(df: &Dockerfile) -> Vec<Line> {
    let Some(stage) = df.final_stage() else {
        return Vec::new();
    };
    let ins = df.effective_instructions(stage);
    ["ENTRYPOINT", "CMD"]
        .iter()
        .filter_map(|k| ins.iter().rev().find(|i| i.is(k)))
        .map(|i| (df.path.clone(), i.line, instruction_text(i)))
        .filter(|(_, _, t)| !t.is_empty())
        .collect()
}

/// A container path: absolute, or relative to `workdir`.
fn absolute(path: &str, workdir: &str) -> String {
    if path.starts_with('/') {
        path.trim_end_matches('/').to_string()
    } else {
        format!(
            "{}/{}",
            workdir.trim_end_matches('/'),
            path.trim_start_matches("./")
        )
    }
}

/// The repository script a command starts: its first word when that is a path, or a `.sh`
/// argument (`bash /opt/start.sh`). Found through the image's COPY/ADD lines (the container
/// path back to the build context), else relative to the build context.
fn started_script(
    index: &Index,
    df: Option<&Dockerfile>,
    context: &str,
    command: &str,
) -> Option<String> {
    let words: Vec<String> = shell_words(command).into_iter().map(|w| w.text).collect();
    let first = words.first()?;
    let script = if first.contains('/') || first.ends_with(".sh") || first.ends_with(".bash") {
        first.clone()
    } else {
        words
            .iter()
            .skip(1)
            .take_while(|w| !w.starts_with('-') || w.len() <= 3)
            .find(|w| w.ends_with(".sh") || w.ends_with(".bash"))?
            .clone()
    };
    if script.contains('$') {
        return None;
    }
    if let Some(found) = df.and_then(|d| copied_from(index, d, context, &script)) {
        return Some(found);
    }
    if script.starts_with('/') {
        return None;
    }
    compose::normalize(&join(context, script.trim_start_matches("./"))).filter(|p| index.exists(p))
}

/// The build-context file that the final image has at container path `script`.
fn copied_from(index: &Index, df: &Dockerfile, context: &str, script: &str) -> Option<String> {
    let stage = df.final_stage()?;
    let ins = df.effective_instructions(stage);
    // The WORKDIR in effect at each instruction; the last one is where the command starts.
    let mut workdir = "/".to_string();
    let mut copies: Vec<(String, Vec<String>, bool)> = Vec::new();
    for i in &ins {
        if i.is("WORKDIR") {
            if let Some(w) = i.first_word() {
                workdir = absolute(&w, &workdir);
            }
        } else if (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none() {
            let words: Vec<String> = match &i.exec {
                Some(w) => w.clone(),
                None => shell_words(&i.args).into_iter().map(|w| w.text).collect(),
            };
            if let Some((dest, srcs)) = words.split_last() {
                if !srcs.is_empty() {
                    let dir = dest.ends_with('/') || srcs.len() > 1;
                    let dest = absolute(dest, &workdir);
                    copies.push((dest, srcs.to_vec(), dir));
                }
            }
        }
    }
    let target = absolute(script, &workdir);
    for (dest, srcs, dir) in copies.iter().rev() {
        for src in srcs {
            if src.contains('$') || src.contains("://") || src.contains('*') {
                continue;
            }
            let Some(src_path) = compose::normalize(&join(context, src.trim_start_matches("./")))
            else {
                continue;
            };
            let base = crate::index::file_name(src.trim_end_matches('/'));
            let candidate = if *dest == target && !dir {
                // `COPY start.sh /opt/start.sh`
                Some(src_path.clone())
            } else if let Some(rest) = target.strip_prefix(&format!("{dest}/")) {
                if index.exists(&src_path) {
                    // A file copied into a folder keeps its name.
                    (rest == base).then(|| src_path.clone())
                } else {
                    // A folder (or the whole context) copied: the rest of the path is inside.
                    Some(join(&src_path, rest))
                }
            } else {
                None
            };
            if let Some(c) = candidate.filter(|c| index.exists(c)) {
                return Some(c);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_up_with_exit_code_from_and_run_with_a_command() {
        let up = parse("docker compose -f docker-compose.relational.ci.yaml --env-file env-example-relational -p ci-relational up --build --exit-code-from api").unwrap();
        assert_eq!(up.files, vec!["docker-compose.relational.ci.yaml"]);
        assert_eq!(up.subcommand, "up");
        assert_eq!(up.service.as_deref(), Some("api"));
        let run = parse("docker-compose --file=ci.yml run --rm -e CI=1 backend pytest -x").unwrap();
        assert_eq!(run.files, vec!["ci.yml"]);
        assert_eq!(run.service.as_deref(), Some("backend"));
        assert_eq!(run.command, vec!["pytest", "-x"]);
        let detached = parse("docker compose up -d db mailcatcher").unwrap();
        assert_eq!(detached.service, None);
        assert!(parse("docker build .").is_none());
        // Hostile input: options without values, a lone subcommand.
        assert_eq!(parse("docker compose -f").unwrap().subcommand, "");
        assert_eq!(parse("docker compose run").unwrap().service, None);
        assert_eq!(
            parse("docker compose up --exit-code-from").unwrap().service,
            None
        );
    }
}
