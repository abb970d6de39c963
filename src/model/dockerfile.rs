//! Dockerfiles parsed into instructions with line numbers.
//!
//! Our own parser because the scanned files are real-world Dockerfiles: BuildKit heredocs
//! (`RUN <<EOF`), the `# escape=` directive of Windows images, comments inside continued
//! lines. It follows BuildKit's reading rules closely enough for rules to cite the line of an
//! instruction, and never fails: garbage gives garbage instructions, an unterminated heredoc
//! or continuation ends the list where the file ends.

use crate::index::Index;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    pub path: String,
    /// Parser directives at the top of the file (`# syntax=…`, `# escape=…`), keys lowercased.
    pub directives: Vec<Directive>,
    /// The escape character: `\` unless `# escape=` set a backtick.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Build stages in file order (one per `FROM`).
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Instruction {
    /// Upper-cased keyword (`RUN`, `FROM`, …); whatever the first word is on garbage lines.
    pub keyword: String,
    /// 1-based line where the instruction starts.
    pub line: u32,
    /// Last line it spans (continuations and heredoc bodies included).
    pub end_line: u32,
    /// Leading `--name[=value]` options (FROM, RUN, COPY, ADD, HEALTHCHECK only).
    pub flags: Vec<Flag>,
    /// The arguments after keyword and flags, continuation lines joined as BuildKit does.
    pub args: String,
    /// Exec (JSON array) form, when the arguments are one.
    pub exec: Option<Vec<String>>,
    pub heredocs: Vec<Heredoc>,
    /// Index of the stage the instruction belongs to; None for `ARG` before the first `FROM`.
    pub stage: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Without the leading dashes, lowercased.
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    /// Line of the first body line.
    pub line: u32,
    pub body: String,
    /// False when the file ended before the terminator.
    pub terminated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Line of the `FROM`.
    pub line: u32,
    /// The base as written (`python:3.12-slim`, `${BASE}`, `builder`, `scratch`).
    pub base: String,
    /// `AS name`, lowercased (stage names are case-insensitive).
    pub name: Option<String>,
    pub platform: Option<String>,
    /// Range of this stage's instructions in [`Dockerfile::instructions`] (FROM included).
    pub start: usize,
    pub end: usize,
}

/// What a `FROM` builds on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An earlier stage, by index.
    Stage(usize),
    /// Uses a build argument that has no default: decided at build time.
    Variable,
    Image(ImageRef),
}

/// `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry and repository, as written.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(s: &str) -> ImageRef {
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (s, None),
        };
        // A colon after the last slash separates the tag; before it, it is a registry port.
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (
                rest[..slash + i].to_string(),
                Some(rest[slash + i + 1..].to_string()),
            ),
            None => (rest.to_string(), None),
        };
        ImageRef {
            name,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        }
    }

    /// Last path segment of the repository, lowercased: `bitnami/postgresql` → `postgresql`.
    pub fn short_name(&self) -> String {
        self.name
            .rsplit('/')
            .next()
            .unwrap_or(&self.name)
            .to_ascii_lowercase()
    }
}

impl Instruction {
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The shell text of a RUN: arguments plus heredoc bodies (what actually runs).
    pub fn script(&self) -> String {
        let mut s = match &self.exec {
            Some(words) => words.join(" "),
            None => self.args.clone(),
        };
        for h in &self.heredocs {
            s.push('\n');
            s.push_str(&h.body);
        }
        s
    }

    /// `KEY=value` pairs of ENV, ARG and LABEL (also the legacy `ENV KEY value`), unquoted.
    /// The value is None for `ARG NAME` without a default.
    pub fn key_values(&self) -> Vec<(String, Option<String>)> {
        let words = shell_words(&self.args);
        let Some(first) = words.first() else {
            return Vec::new();
        };
        if self.keyword == "ENV" && !first.raw.contains('=') {
            // Legacy form: everything after the key is the value.
            let rest = self.args.trim_start()[first.raw.len()..].trim();
            return vec![(first.text.clone(), Some(unquote(rest)))];
        }
        words
            .iter()
            .map(|w| match w.text.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w.text.clone(), None),
            })
            .collect()
    }

    /// The first word of the arguments (USER, WORKDIR, …), unquoted.
    pub fn first_word(&self) -> Option<String> {
        shell_words(&self.args).into_iter().next().map(|w| w.text)
    }
}

impl Dockerfile {
    /// The stage that becomes the image (the last one), if any.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        let end = stage.end.min(self.instructions.len());
        let start = stage.start.min(end);
        &self.instructions[start..end]
    }

    /// `ARG`s before the first `FROM`, with their defaults.
    pub fn global_args(&self) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for ins in self.instructions.iter().take_while(|i| i.stage.is_none()) {
            if ins.is("ARG") {
                for (k, v) in ins.key_values() {
                    if let Some(v) = v {
                        out.insert(k, v);
                    }
                }
            }
        }
        out
    }

    /// What a stage builds on; stage names resolve to earlier stages only (as BuildKit does).
    pub fn base(&self, stage: &Stage) -> Base {
        let written = stage.base.trim();
        let resolved = if written.contains('$') {
            match substitute(written, &self.global_args()) {
                Some(s) if !s.trim().is_empty() => s,
                _ => return Base::Variable,
            }
        } else {
            written.to_string()
        };
        let lower = resolved.to_ascii_lowercase();
        if lower == "scratch" {
            return Base::Scratch;
        }
        if let Some(earlier) = self.stages[..stage.index.min(self.stages.len())]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            return Base::Stage(earlier.index);
        }
        Base::Image(ImageRef::parse(&resolved))
    }

    /// The stage and the earlier stages it is built `FROM`, final first: what ends up in the
    /// image's layers (USER, files and caches of these stages are inherited).
    pub fn lineage<'a>(&'a self, stage: &'a Stage) -> Vec<&'a Stage> {
        let mut out = vec![stage];
        let mut cur = stage;
        while let Base::Stage(i) = self.base(cur) {
            match self.stages.get(i) {
                // Base() only resolves strictly earlier stages, so this terminates.
                Some(s) if s.index < cur.index => {
                    out.push(s);
                    cur = s;
                }
                _ => break,
            }
        }
        out
    }

    /// Instructions of a stage and of the stages it inherits from, in build order.
    pub fn effective_instructions<'a>(&'a self, stage: &'a Stage) -> Vec<&'a Instruction> {
        let mut out = Vec::new();
        for s in self.lineage(stage).into_iter().rev() {
            out.extend(self.stage_instructions(s));
        }
        out
    }
}

/// Is this file name a Dockerfile? `Dockerfile`, `Containerfile`, `api.Dockerfile`,
/// `Dockerfile.prod` (any case), but not the `Dockerfile.dockerignore` ignore files.
pub fn is_dockerfile_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.ends_with(".dockerignore") || n.ends_with(".containerignore") {
        return false;
    }
    // Documentation and templates about Dockerfiles are not Dockerfiles.
    if [
        ".md",
        ".txt",
        ".rst",
        ".j2",
        ".jinja",
        ".tmpl",
        ".tpl",
        ".template",
        ".erb",
        ".mustache",
    ]
    .iter()
    .any(|e| n.ends_with(e))
    {
        return false;
    }
    n == "dockerfile"
        || n == "containerfile"
        || n.ends_with(".dockerfile")
        || n.ends_with(".containerfile")
        || n.starts_with("dockerfile.")
        || n.starts_with("containerfile.")
}

/// Trees whose Dockerfiles are not the project's images.
fn is_vendored(path: &str) -> bool {
    path.split('/').any(|seg| {
        matches!(
            seg,
            "node_modules" | "vendor" | "third_party" | "third-party" | ".venv" | "venv" | "target"
        )
    })
}

/// Every Dockerfile of the project (vendored trees and test fixtures left out), parsed.
pub fn load_all(index: &Index) -> Vec<Dockerfile> {
    index
        .text_files()
        .filter(|f| is_dockerfile_name(f.name()) && !is_vendored(&f.path) && !f.is_test)
        .filter_map(|f| f.text().map(|t| parse(&f.path, t)))
        .collect()
}

/// Keywords that accept leading `--flags`.
const FLAGGED: &[&str] = &["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"];
/// Keywords whose arguments may open heredocs.
const HEREDOC: &[&str] = &["RUN", "COPY", "ADD"];

/// Parses a Dockerfile. Never fails.
pub fn parse(path: &str, text: &str) -> Dockerfile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut df = Dockerfile {
        path: path.to_string(),
        escape: '\\',
        ..Default::default()
    };
    let mut i = 0;
    // Parser directives: only at the very top, before any blank line, comment or instruction.
    while i < lines.len() {
        let Some((name, value)) = directive(lines[i]) else {
            break;
        };
        if name == "escape" && (value == "`" || value == "\\") {
            df.escape = value.chars().next().unwrap_or('\\');
        }
        df.directives.push(Directive {
            name,
            value,
            line: i as u32 + 1,
        });
        i += 1;
    }
    let mut stage: Option<usize> = None;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        // Join continued lines; comment and blank lines inside a continuation are dropped.
        let mut logical = String::new();
        let mut cur = i;
        loop {
            match continued(lines[cur], df.escape) {
                Some(body) => {
                    logical.push_str(body);
                    let mut next = cur + 1;
                    while next < lines.len() && {
                        let t = lines[next].trim();
                        t.is_empty() || t.starts_with('#')
                    } {
                        next += 1;
                    }
                    if next >= lines.len() {
                        break; // A continuation at the end of the file ends the instruction.
                    }
                    cur = next;
                }
                None => {
                    logical.push_str(lines[cur]);
                    break;
                }
            }
        }
        i = cur + 1;
        let mut ins = instruction(&logical);
        ins.line = start as u32 + 1;
        ins.end_line = cur as u32 + 1;
        if HEREDOC.contains(&ins.keyword.as_str()) {
            for (name, chomp) in heredoc_markers(&ins.args) {
                let body_start = i;
                let mut body = Vec::new();
                let mut terminated = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let cmp = if chomp { l.trim_start_matches('\t') } else { l };
                    if cmp.trim_end() == name {
                        terminated = true;
                        break;
                    }
                    body.push(if chomp { cmp } else { l });
                }
                ins.end_line = (i as u32).max(ins.line);
                ins.heredocs.push(Heredoc {
                    name,
                    line: body_start as u32 + 1,
                    body: body.join("\n"),
                    terminated,
                });
                if !terminated {
                    break;
                }
            }
        }
        if ins.keyword == "FROM" {
            let idx = df.stages.len();
            let words = shell_words(&ins.args);
            let base = words.first().map(|w| w.text.clone()).unwrap_or_default();
            let name = match (words.get(1), words.get(2)) {
                (Some(a), Some(n)) if a.text.eq_ignore_ascii_case("as") => {
                    Some(n.text.to_ascii_lowercase())
                }
                _ => None,
            };
            if let Some(prev) = df.stages.last_mut() {
                prev.end = df.instructions.len();
            }
            df.stages.push(Stage {
                index: idx,
                line: ins.line,
                base,
                name,
                platform: ins.flag("platform").and_then(|f| f.value.clone()),
                start: df.instructions.len(),
                end: df.instructions.len() + 1,
            });
            stage = Some(idx);
        }
        ins.stage = stage;
        df.instructions.push(ins);
    }
    if let Some(last) = df.stages.last_mut() {
        last.end = df.instructions.len();
    }
    df
}

/// `# name=value` at the top of the file.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.trim().to_string()))
}

/// The line without its trailing escape character when it continues on the next line.
fn continued(line: &str, escape: char) -> Option<&str> {
    let t = line.trim_end_matches([' ', '\t']);
    t.strip_suffix(escape)
}

/// Splits a logical line into keyword, flags, arguments and exec form.
fn instruction(logical: &str) -> Instruction {
    let t = logical.trim_start();
    let (kw, rest) = match t.find(char::is_whitespace) {
        Some(i) => (&t[..i], t[i..].trim_start()),
        None => (t, ""),
    };
    let keyword = kw.to_ascii_uppercase();
    let mut flags = Vec::new();
    let mut args = rest;
    if FLAGGED.contains(&keyword.as_str()) {
        while let Some(f) = args.strip_prefix("--") {
            let end = f.find(char::is_whitespace).unwrap_or(f.len());
            let word = &f[..end];
            let (name, value) = match word.split_once('=') {
                Some((n, v)) => (n, Some(unquote(v))),
                None => (word, None),
            };
            flags.push(Flag {
                name: name.to_ascii_lowercase(),
                value,
            });
            args = f[end..].trim_start();
        }
    }
    let args = args.trim_end().to_string();
    let exec = exec_form(&args);
    Instruction {
        keyword,
        flags,
        args,
        exec,
        ..Default::default()
    }
}

/// A JSON array of strings, as in `CMD ["a", "b"]`; anything else is shell form.
pub fn exec_form(args: &str) -> Option<Vec<String>> {
    let t = args.trim();
    if !t.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(t).ok()
}

/// One shell word: its text with quotes removed, and as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub raw: String,
    /// True when the word starts outside quotes (`<<EOF` is a heredoc, `"<<EOF"` is not).
    pub bare_start: bool,
}

/// Splits on unquoted whitespace, honouring single and double quotes and backslashes.
pub fn shell_words(s: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut raw = String::new();
    let mut bare_start = true;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                raw.push(c);
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    if let Some(n) = chars.next() {
                        raw.push(n);
                        text.push(n);
                    }
                } else {
                    text.push(c);
                }
            }
            None if c.is_whitespace() => {
                if !raw.is_empty() {
                    out.push(Word {
                        text: std::mem::take(&mut text),
                        raw: std::mem::take(&mut raw),
                        bare_start,
                    });
                }
                bare_start = true;
            }
            None => {
                if raw.is_empty() {
                    bare_start = c != '"' && c != '\'';
                }
                raw.push(c);
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if c == '\\' {
                    if let Some(n) = chars.next() {
                        raw.push(n);
                        text.push(n);
                    }
                } else {
                    text.push(c);
                }
            }
        }
    }
    if !raw.is_empty() {
        out.push(Word {
            text,
            raw,
            bare_start,
        });
    }
    out
}

fn unquote(s: &str) -> String {
    let words = shell_words(s);
    if words.len() == 1 {
        words.into_iter().next().map(|w| w.text).unwrap_or_default()
    } else {
        s.to_string()
    }
}

/// Heredoc delimiters opened on an instruction line: `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`,
/// in order, with whether leading tabs are stripped (`<<-`).
fn heredoc_markers(args: &str) -> Vec<(String, bool)> {
    let words = shell_words(args);
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = &words[k];
        k += 1;
        if !w.bare_start {
            continue;
        }
        let r = w.raw.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(after) = r.strip_prefix("<<") else {
            continue;
        };
        if after.starts_with('<') {
            continue; // `<<<` is a here-string.
        }
        let (chomp, after) = match after.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, after),
        };
        let mut name = delimiter(after);
        if name.is_empty() && after.is_empty() {
            // `<< EOF`: the delimiter is the next word.
            if let Some(next) = words.get(k) {
                name = delimiter(&next.raw);
                k += 1;
            }
        }
        if !name.is_empty() {
            out.push((name, chomp));
        }
    }
    out
}

/// The delimiter word at the start of `s`, quotes removed: `"EOF"` → EOF, `EOF>/x` → EOF.
fn delimiter(s: &str) -> String {
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &s[1..];
        return match inner.find(q) {
            Some(i) => inner[..i].to_string(),
            None => String::new(),
        };
    }
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect()
}

/// Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR-default}`; None when a variable
/// has no value.
pub fn substitute(s: &str, vars: &HashMap<String, String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let expr = &inner[..end];
            let (name, default) = match expr.find(['-', ':', '+']) {
                Some(j) => {
                    let d = &expr[j..];
                    let d = d.strip_prefix(":-").or_else(|| d.strip_prefix('-'));
                    (&expr[..j], d)
                }
                None => (expr, None),
            };
            match vars.get(name).filter(|v| !v.is_empty()) {
                Some(v) => out.push_str(v),
                None => out.push_str(default?),
            }
            rest = &inner[end + 1..];
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(vars.get(&after[..end])?);
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(df: &Dockerfile) -> Vec<(&str, u32)> {
        df.instructions
            .iter()
            .map(|i| (i.keyword.as_str(), i.line))
            .collect()
    }

    #[test]
    fn names_of_dockerfiles() {
        for n in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "Dockerfile.prod",
            "Dockerfile.dev",
        ] {
            assert!(is_dockerfile_name(n), "{n}");
        }
        for n in [
            ".dockerignore",
            "Dockerfile.dockerignore",
            "Dockerfile.md",
            "Dockerfile.j2",
            "docker-compose.yml",
            "Dockerfiles",
        ] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }

    #[test]
    fn continuations_comments_and_lines() {
        let df = parse(
            "Dockerfile",
            "# a comment\n\nfrom python:3.12 AS Build\nRUN apt-get update \\\n    # inside\n\n    && apt-get install -y curl\nuser app\n",
        );
        assert_eq!(kw(&df), vec![("FROM", 3), ("RUN", 4), ("USER", 8)]);
        let run = &df.instructions[1];
        assert_eq!(run.end_line, 7);
        assert_eq!(run.args, "apt-get update     && apt-get install -y curl");
        assert_eq!(df.stages[0].name.as_deref(), Some("build"));
        assert_eq!(df.instructions[2].first_word().as_deref(), Some("app"));
    }

    #[test]
    fn escape_directive_switches_the_continuation_character() {
        let df = parse(
            "Dockerfile",
            "# escape=`\n# syntax=docker/dockerfile:1\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n    && echo hi\nCOPY a C:\\app\\\n",
        );
        assert_eq!(df.escape, '`');
        assert_eq!(df.directives.len(), 2);
        assert_eq!(df.directives[1].name, "syntax");
        assert_eq!(kw(&df), vec![("FROM", 3), ("RUN", 4), ("COPY", 6)]);
        assert_eq!(df.instructions[1].args, "dir C:\\     && echo hi");
    }

    #[test]
    fn directives_only_at_the_top() {
        let df = parse("Dockerfile", "FROM x\n# escape=`\nRUN a \\\n b\n");
        assert!(df.directives.is_empty());
        assert_eq!(df.escape, '\\');
        assert_eq!(df.instructions[1].args, "a  b");
    }

    #[test]
    fn heredocs_are_bodies_not_instructions() {
        let df = parse(
            "Dockerfile",
            "FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nUSER root\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n\tkey=1\n\tCONF\nRUN cat <<A >/a && cat <<B >/b\na\nA\nb\nB\nUSER app\n",
        );
        assert_eq!(
            kw(&df),
            vec![
                ("FROM", 1),
                ("RUN", 2),
                ("COPY", 6),
                ("RUN", 9),
                ("USER", 14)
            ]
        );
        let run = &df.instructions[1];
        assert_eq!(run.heredocs[0].name, "EOF");
        assert_eq!(run.heredocs[0].line, 3);
        assert_eq!(run.end_line, 5);
        assert!(run.script().contains("apk add --no-cache curl"));
        let copy = &df.instructions[2];
        assert_eq!(copy.heredocs[0].body, "key=1");
        assert_eq!(df.instructions[3].heredocs.len(), 2);
        assert_eq!(df.instructions[3].heredocs[1].body, "b");
    }

    #[test]
    fn quoted_or_shifted_angles_are_not_heredocs() {
        let df = parse(
            "Dockerfile",
            "FROM a\nRUN echo \"<<EOF\" && echo $((1<<2)) && cat <<< hi\nUSER x\n",
        );
        assert_eq!(kw(&df), vec![("FROM", 1), ("RUN", 2), ("USER", 3)]);
        assert!(df.instructions[1].heredocs.is_empty());
    }

    #[test]
    fn unterminated_heredoc_keeps_what_came_before() {
        let df = parse(
            "Dockerfile",
            "FROM a\nUSER app\nRUN <<EOF\necho 1\nUSER root\n",
        );
        assert_eq!(kw(&df), vec![("FROM", 1), ("USER", 2), ("RUN", 3)]);
        let h = &df.instructions[2].heredocs[0];
        assert!(!h.terminated);
        assert_eq!(h.body, "echo 1\nUSER root");
    }

    #[test]
    fn exec_and_shell_forms() {
        let df = parse(
            "Dockerfile",
            "FROM a\nCMD [\"node\", \"server.js\"]\nENTRYPOINT /bin/run --x\nCMD [not json]\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\n",
        );
        assert_eq!(
            df.instructions[1].exec,
            Some(vec!["node".to_string(), "server.js".to_string()])
        );
        assert_eq!(df.instructions[2].exec, None);
        assert_eq!(df.instructions[3].exec, None);
        let hc = &df.instructions[4];
        assert_eq!(
            hc.flag("interval").and_then(|f| f.value.as_deref()),
            Some("5s")
        );
        assert!(hc.args.starts_with("CMD"));
    }

    #[test]
    fn stages_args_platform_and_bases() {
        let df = parse(
            "Dockerfile",
            "ARG GO=1.22\nARG BASE\nFROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS build\nRUN --mount=type=cache,target=/root/.cache go build\nFROM build AS test\nFROM $BASE\nFROM scratch\nCOPY --from=build /app /app\nFROM ghcr.io/x/y:1@sha256:abc\nFROM localhost:5000/img\n",
        );
        assert_eq!(df.instructions[0].stage, None);
        assert_eq!(df.stages.len(), 6);
        assert_eq!(df.stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!(
            df.base(&df.stages[0]),
            Base::Image(ImageRef {
                name: "golang".into(),
                tag: Some("1.22-alpine".into()),
                digest: None
            })
        );
        assert_eq!(
            df.instructions[3]
                .flag("mount")
                .and_then(|f| f.value.as_deref()),
            Some("type=cache,target=/root/.cache")
        );
        assert_eq!(df.base(&df.stages[1]), Base::Stage(0));
        assert_eq!(df.base(&df.stages[2]), Base::Variable);
        assert_eq!(df.base(&df.stages[3]), Base::Scratch);
        assert_eq!(df.stage_instructions(&df.stages[3]).len(), 2);
        let Base::Image(r) = df.base(&df.stages[4]) else {
            panic!()
        };
        assert_eq!(
            (r.tag.as_deref(), r.digest.as_deref()),
            (Some("1"), Some("sha256:abc"))
        );
        let Base::Image(r) = df.base(&df.stages[5]) else {
            panic!()
        };
        assert_eq!((r.name.as_str(), r.tag), ("localhost:5000/img", None));
        assert_eq!(df.lineage(&df.stages[1]).len(), 2);
    }

    #[test]
    fn env_and_arg_key_values() {
        let df = parse(
            "Dockerfile",
            "FROM a\nENV A=1 B=\"two words\"\nENV LEGACY some value\nARG TOKEN\nARG X=y\n",
        );
        assert_eq!(
            df.instructions[1].key_values(),
            vec![
                ("A".to_string(), Some("1".to_string())),
                ("B".to_string(), Some("two words".to_string()))
            ]
        );
        assert_eq!(
            df.instructions[2].key_values(),
            vec![("LEGACY".to_string(), Some("some value".to_string()))]
        );
        assert_eq!(df.instructions[3].key_values()[0].1, None);
        assert_eq!(df.instructions[4].key_values()[0].1.as_deref(), Some("y"));
    }

    #[test]
    fn substitution() {
        let vars: HashMap<String, String> = [("A".to_string(), "1".to_string())].into();
        assert_eq!(substitute("x:${A}-$A", &vars).as_deref(), Some("x:1-1"));
        assert_eq!(substitute("${B:-2}", &vars).as_deref(), Some("2"));
        assert_eq!(substitute("$B", &vars), None);
        assert_eq!(substitute("${A", &vars), None);
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in [
            "",
            "\\",
            "RUN \\",
            "RUN <<",
            "RUN <<\"",
            "RUN <<-",
            "FROM",
            "FROM a AS",
            "\u{feff}# escape=`\nFROM a `",
            "é\\\n\\\n\\",
            "RUN --\nCOPY --=\n{{ .Values }}\n\0\0",
            "ENV",
            "ENV =",
            "FROM ${\nFROM $\n",
            "ARG A=${B\nFROM ${A}\n",
            "CMD [\"unterminated",
            "RUN echo \"unterminated \\\n",
        ] {
            let df = parse("Dockerfile", text);
            for s in &df.stages {
                let _ = df.base(s);
                let _ = df.lineage(s);
                let _ = df.effective_instructions(s);
            }
            for i in &df.instructions {
                let _ = i.key_values();
                let _ = i.first_word();
                let _ = i.script();
            }
        }
        assert!(parse("Dockerfile", "").instructions.is_empty());
    }

    #[test]
    fn never_panics_on_random_input() {
        // Deterministic pseudo-random files over the characters the parser cares about.
        const ALPHABET: &[&str] = &[
            "FROM ", "RUN ", "COPY ", "ENV ", "ARG ", "AS ", "<<", "<<-", "EOF", "\\", "`", "\n",
            "\"", "'", "$", "{", "}", "[", "]", "=", "--", "#", " ", "\t", "é", "\r\n", ":", "@",
            "/",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(ALPHABET[(seed % ALPHABET.len() as u64) as usize]);
            }
            let df = parse("Dockerfile", &text);
            for s in &df.stages {
                let _ = df.base(s);
                let _ = df.effective_instructions(s);
            }
            for i in &df.instructions {
                assert!(i.end_line >= i.line, "{text:?}");
                let _ = i.key_values();
                let _ = i.script();
            }
        }
    }
}
