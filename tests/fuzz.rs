//! Fuzzing on stable Rust. `cargo fuzz` needs nightly; this is the same idea without it: a
//! deterministic mutation fuzzer (seeded PRNG; byte, token and line mutations; splicing of seed
//! inputs; a corpus that keeps inputs with a new behaviour signature) over the parsers and
//! escapers that see untrusted text.
//!
//! - `cargo test --test fuzz` replays every saved regression input, then runs a short smoke of
//!   every target with a fixed seed (about [`SMOKE_SECONDS`] each).
//! - `FUZZ_SECONDS=300 cargo test --release --test fuzz -- --ignored --nocapture` is the long
//!   run (default 20 s per target, which `.ci/run` can afford; `FUZZ_SEED` to reproduce one). It prints executions per
//!   target and saves every crashing or slow input under `tests/fuzz-regressions/<target>/`,
//!   where the smoke test replays it from then on.
//!
//! Targets: `config` (Config::parse → custom rules → signal matcher), `yaml` (the positioned
//! YAML tree), `workflow` (one input as every YAML file the models read: workflows, compose,
//! Kubernetes, GitLab, pre-commit, dependabot — then every rule), `dockerfile` (the Dockerfile
//! model and its helpers, then every rule), `markdown_escape` (markdown, code spans, HTML, URL
//! paths, truncation), `workflow_escape` (workflow-command data and properties), `log_guard`
//! (what the CLI prints on stdout/stderr).

use devops_maturity::config::{Config, MAX_MAX_FILE_SIZE, MAX_MAX_KEPT_TEXT};
use devops_maturity::escape;
use devops_maturity::index::Index;
use devops_maturity::model::yaml::{self, Node, Value, MAX_ALIAS_NODES, MAX_DEPTH};
use devops_maturity::rules::{self, signals::SignalMatcher, Context};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Smoke run per target in plain `cargo test`.
const SMOKE_SECONDS: f64 = 2.5;
/// Smoke seed: the smoke run is the same sequence on every machine (only its length varies).
const SMOKE_SEED: u64 = 0x5EED_F00D_CAFE_0001;
/// Inputs are capped: the size attacks are covered by tests/hostile.rs.
const MAX_INPUT: usize = 48 * 1024;
/// One execution slower than this is a finding (debug builds included).
const SLOW: Duration = Duration::from_secs(5);
const MAX_CORPUS: usize = 4_000;

// ---------------------------------------------------------------------------------------------
// PRNG and mutations

/// splitmix64: tiny, fast, good enough to drive mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const INTERESTING: &[u8] = &[
    0, 0xff, 0x7f, 0x80, 0xc0, 0xe2, 0xef, b'\n', b'\r', b'\t', b' ', b'\\', b'"', b'\'', b'%',
    b':', b'[', b']', b'{', b'}', b'&', b'*', b'#', b'-', b'|', b'>', b'<', b'!', b'`', b'$', b'@',
    b'?', b',', b'=',
];

/// One random mutation of `data`, using `dict` tokens and `other` for splicing.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, dict: &[&str], other: &[u8]) {
    let len = data.len();
    match rng.below(12) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = INTERESTING[rng.below(INTERESTING.len())];
        }
        2 => {
            let i = rng.below(len + 1);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            data.splice(i..i, bytes);
        }
        3 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(64));
            data.drain(i..i + n);
        }
        4 if len > 0 => {
            // Duplicate a range elsewhere.
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(256));
            let chunk = data[i..i + n].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, chunk);
        }
        5 | 6 if !dict.is_empty() => {
            let tok = dict[rng.below(dict.len())].as_bytes().to_vec();
            let at = rng.below(len + 1);
            if rng.chance(30) && len > 0 {
                // Replace a range with the token.
                let n = rng.below((len - at).min(16) + 1);
                data.splice(at..at + n, tok);
            } else {
                data.splice(at..at, tok);
            }
        }
        7 => line_mutation(rng, data),
        8 if !other.is_empty() => {
            // Splice: our prefix, their suffix.
            let cut = rng.below(len + 1);
            let from = rng.below(other.len());
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        }
        9 if len > 0 => {
            // Repeat a short chunk many times: nesting, long runs, many keys.
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(8));
            let chunk = data[i..i + n].to_vec();
            let times = 2 + rng.below(200);
            let rep: Vec<u8> = chunk.iter().copied().cycle().take(n * times).collect();
            data.splice(i..i, rep);
        }
        10 if !dict.is_empty() => {
            let tok = dict[rng.below(dict.len())];
            let times = 2 + rng.below(64);
            let at = rng.below(len + 1);
            data.splice(at..at, tok.repeat(times).into_bytes());
        }
        _ => {
            // Truncate: unterminated everything.
            if len > 0 {
                data.truncate(rng.below(len));
            }
        }
    }
    data.truncate(MAX_INPUT);
}

fn line_mutation(rng: &mut Rng, data: &mut Vec<u8>) {
    let text = data.clone();
    let mut lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    if lines.is_empty() {
        return;
    }
    let i = rng.below(lines.len());
    let mut indented: Vec<u8>;
    match rng.below(5) {
        0 => {
            let l = lines[i];
            lines.insert(i, l);
        }
        1 => {
            lines.remove(i);
        }
        2 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
        }
        3 => {
            indented = b"  ".to_vec();
            indented.extend_from_slice(lines[i]);
            let joined: Vec<u8> = lines[..i]
                .concat()
                .into_iter()
                .chain(indented)
                .chain(lines[i + 1..].concat())
                .collect();
            *data = joined;
            return;
        }
        _ => {
            let l = lines[i];
            let trimmed = l.strip_prefix(b"  ").unwrap_or(l);
            lines[i] = trimmed;
        }
    }
    *data = lines.concat();
}

// ---------------------------------------------------------------------------------------------
// Targets

/// A target: seed inputs, a token dictionary, and a run that panics on a property violation
/// and returns a behaviour signature (new signatures grow the corpus).
struct Target {
    name: &'static str,
    seeds: fn() -> Vec<Vec<u8>>,
    dict: &'static [&'static str],
    run: fn(&[u8]) -> u64,
}

const TARGETS: &[Target] = &[
    Target {
        name: "config",
        seeds: config_seeds,
        dict: YAML_DICT,
        run: run_config,
    },
    Target {
        name: "yaml",
        seeds: yaml_seeds,
        dict: YAML_DICT,
        run: run_yaml,
    },
    Target {
        name: "workflow",
        seeds: yaml_seeds,
        dict: YAML_DICT,
        run: run_workflow,
    },
    Target {
        name: "dockerfile",
        seeds: dockerfile_seeds,
        dict: DOCKER_DICT,
        run: run_dockerfile,
    },
    Target {
        name: "markdown_escape",
        seeds: text_seeds,
        dict: TEXT_DICT,
        run: run_markdown_escape,
    },
    Target {
        name: "workflow_escape",
        seeds: text_seeds,
        dict: TEXT_DICT,
        run: run_workflow_escape,
    },
    Target {
        name: "log_guard",
        seeds: text_seeds,
        dict: TEXT_DICT,
        run: run_log_guard,
    },
];

const YAML_DICT: &[&str] = &[
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a\n",
    "- ",
    ": ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "\n  ",
    "\n    ",
    "---\n",
    "...\n",
    "!!str ",
    "!!binary ",
    "!custom ",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "~",
    "null",
    "true",
    "\"\\u202e\"",
    "\"\\n\"",
    "on: push\n",
    "jobs:\n",
    "steps:\n",
    "runs-on: x\n",
    "uses: a/b@v1\n",
    "run: |\n",
    "permissions: write-all\n",
    "services:\n",
    "image: x\n",
    "kind: Deployment\n",
    "spec:\n",
    "containers:\n",
    "name: ",
    "min-score: ",
    "custom-rules:\n",
    "check:\n",
    "file-contains: {glob: '**', regex: '(a+)+$'}\n",
    "file-exists: ['**']\n",
    "file-absent: ['**/*.pem']\n",
    "rules: {docs-license: {required: true}}\n",
    "file-not-contains: {glob: '*', regex: 'x*'}\n",
    "ignore:\n",
    "max-file-size: ",
    "max-kept-text: ",
    "18446744073709551615",
    "-1",
    ".nan",
    ".inf",
    "1e308",
    "::error::x",
    "##[error]",
    "\t",
    "\r\n",
    "\r",
    "#",
    "${{ github.event.issue.title }}",
];

const DOCKER_DICT: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ARG ",
    "ENV ",
    "USER ",
    "CMD ",
    "ENTRYPOINT ",
    "HEALTHCHECK ",
    "LABEL ",
    "WORKDIR ",
    "EXPOSE ",
    "ONBUILD ",
    "SHELL ",
    " AS ",
    "--from=",
    "--platform=",
    "--mount=type=cache,target=/x ",
    "--chown=",
    "<<EOF\n",
    "<<-EOT ",
    "EOF\n",
    "\\\n",
    "`\n",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "${A}",
    "${A:-b}",
    "$A",
    "[\"a\", \"b\"]",
    "[\"",
    "\"]",
    "scratch",
    "alpine:latest",
    "a@sha256:",
    "\n",
    "\r\n",
    " && ",
    " | sh",
    "curl ",
    "apt-get install -y ",
    "npm ci",
    "\t",
    "#",
    "=",
    "\"",
    "'",
];

const TEXT_DICT: &[&str] = &[
    "::",
    "::error::",
    "::add-mask::",
    "::stop-commands::",
    "##[",
    "##[error]",
    "%",
    "%0A",
    "%25",
    "%0D",
    "%3A",
    "%2C",
    "\n",
    "\r",
    "\r\n",
    "<",
    ">",
    "&",
    "&amp;",
    "&#124;",
    "|",
    "[",
    "]",
    "(",
    ")",
    "`",
    "```",
    "\\",
    "*",
    "_",
    "#",
    "!",
    "\u{202e}",
    "\u{2066}",
    "\u{200f}",
    "\u{7f}",
    "\u{1b}[31m",
    "\u{85}",
    "\u{2028}",
    "\u{fffd}",
    "é",
    "😀",
    "javascript:",
    "<img src=x onerror=alert(1)>",
    ",",
    ":",
    "\"",
    "'",
    "\t",
    " ",
];

fn as_text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn hash(parts: &[&[u8]]) -> u64 {
    // FNV-1a: stable across runs and platforms (file names of saved inputs).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

// --- config ---------------------------------------------------------------------------------

fn config_seeds() -> Vec<Vec<u8>> {
    [
        devops_maturity::config::template(),
        "min-score: 5\nprofile: service\nexclude: ['vendor/**']\nmax-file-size: 2048\n".into(),
        "categories:\n  ci: {weight: 3}\nrules:\n  docs-readme: {enabled: false, weight: 2}\n".into(),
        "ignore:\n  - {rule: docs-license, reason: internal}\n  - {rule: docs-readme, path: a/b, reason: x}\n".into(),
        "custom-rules:\n  - id: adr\n    title: ADRs\n    category: docs\n    weight: 3\n    check:\n      file-exists: ['docs/adr/*.md']\n  - id: log\n    title: Log\n    category: observability\n    remediation: do it\n    check:\n      file-contains: {glob: 'src/**/*.py', regex: 'import structlog'}\n".into(),
        "a: &a [x, x]\nb: &b [*a, *a]\nmin-score: *b\n".into(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

fn run_config(data: &[u8]) -> u64 {
    let text = as_text(data);
    match Config::parse(&text, "fuzz.yml") {
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("fuzz.yml"), "errors name the file: {msg}");
            hash(&[
                b"err",
                msg.get(..msg.len().min(24)).unwrap_or("").as_bytes(),
            ])
        }
        Ok(c) => {
            assert!(c.max_file_size() <= MAX_MAX_FILE_SIZE);
            assert!(c.max_kept_text() <= MAX_MAX_KEPT_TEXT);
            if let Some(m) = c.min_score {
                assert!((0.0..=10.0).contains(&m), "min-score {m}");
            }
            for cat in rules::Category::ALL {
                let w = c.category_weight(cat);
                assert!(w.is_finite() && w >= 0.0, "weight {w}");
            }
            let mut sig = vec![c.custom_rules.len() as u8, c.ignore.len() as u8];
            if !c.custom_rules.is_empty() {
                // Leaks a little per call (rules are 'static); inputs with custom rules are few.
                match rules::custom::build(&c.custom_rules) {
                    Ok((built, signals)) => {
                        assert_eq!(built.len(), c.custom_rules.len());
                        let mut all = rules::builtin_signals();
                        all.extend(signals);
                        sig.push(SignalMatcher::new(&all).is_ok() as u8);
                    }
                    Err(e) => {
                        assert!(!e.is_empty());
                        sig.push(9);
                    }
                }
            }
            hash(&[b"ok", &sig])
        }
    }
}

// --- yaml -----------------------------------------------------------------------------------

fn yaml_seeds() -> Vec<Vec<u8>> {
    [
        "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\npermissions:\n  contents: read\nconcurrency:\n  group: ci-${{ github.ref }}\n  cancel-in-progress: true\nenv:\n  A: 1\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    strategy:\n      matrix:\n        node: [18, 20]\n    steps:\n      - uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n          cache: npm\n      - run: |\n          npm ci\n          npm test -- --coverage\n  deploy:\n    needs: [test]\n    environment: production\n    if: github.ref == 'refs/heads/main'\n    runs-on: ubuntu-latest\n    container: node:20\n    services:\n      db:\n        image: postgres:16\n    steps:\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: x}\n",
        "services:\n  web:\n    build: .\n    image: app:latest\n    ports: ['8080:80']\n    environment:\n      - A=b\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost]\n    depends_on: [db]\n  db:\n    image: postgres@sha256:0123\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  strategy:\n    type: RollingUpdate\n  template:\n    spec:\n      securityContext: {runAsNonRoot: true}\n      containers:\n        - name: web\n          image: web:1.2.3\n          resources: {limits: {cpu: 1, memory: 1Gi}}\n          livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
        "stages: [test, deploy]\ntest:\n  stage: test\n  image: node:20\n  script: [npm ci, npm test]\n  cache: {paths: [node_modules]}\n",
        "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.18.0\n    hooks:\n      - id: gitleaks\n",
        "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n",
        "base: &base {a: 1, b: [x, y]}\nderived:\n  <<: *base\n  c: !!str 3\nlist: &l [*base, *base]\nmore: [*l, *l]\n",
        "%YAML 1.2\n---\na: |\n  literal\n  text\nb: >-\n  folded\n...\n--- [1, 2]\n",
        "\"quoted \\u202e key\": 'single ''quoted'''\n? complex key\n: value\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

fn check_tree(node: &Node, depth: usize, max_line: u32, count: &mut usize) {
    assert!(depth <= MAX_DEPTH + 1, "depth {depth}");
    assert!(
        node.line >= 1 && node.col >= 1,
        "position {}:{}",
        node.line,
        node.col
    );
    assert!(node.line <= max_line, "line {} > {max_line}", node.line);
    *count += 1;
    match &node.value {
        Value::Scalar { .. } => {}
        Value::Seq(items) => items
            .iter()
            .for_each(|n| check_tree(n, depth + 1, max_line, count)),
        Value::Map(entries) => {
            for (k, v) in entries {
                check_tree(k, depth + 1, max_line, count);
                check_tree(v, depth + 1, max_line, count);
            }
        }
    }
}

/// Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` each end one.
fn yaml_lines(text: &str) -> u32 {
    let b = text.as_bytes();
    let mut n = 1u32;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

fn run_yaml(data: &[u8]) -> u64 {
    let text = as_text(data);
    match yaml::parse(&text) {
        Err(e) => {
            assert!(e.line >= 1 || e.line == 0, "error line");
            hash(&[
                b"err",
                e.message
                    .get(..e.message.len().min(16))
                    .unwrap_or("")
                    .as_bytes(),
            ])
        }
        Ok(y) => {
            let max_line = yaml_lines(&text) + 1;
            let mut count = 0;
            for d in &y.docs {
                check_tree(d, 0, max_line, &mut count);
                let _ = d.scalars();
                let _ = d.strings();
            }
            assert!(
                count <= 2 * text.len() + 8 + MAX_ALIAS_NODES,
                "{count} nodes from {} bytes",
                text.len()
            );
            hash(&[
                b"ok",
                &[y.docs.len().min(8) as u8],
                &[(count.max(1).ilog2()) as u8],
            ])
        }
    }
}

// --- models and rules -----------------------------------------------------------------------

fn rule_set() -> &'static [rules::Rule] {
    static R: OnceLock<Vec<rules::Rule>> = OnceLock::new();
    R.get_or_init(rules::builtin)
}

/// The index rules see for in-memory files (the signal matcher is compiled once per process).
fn index_of(files: &[(&str, &str)]) -> Index {
    Index::from_files(files)
}

/// Every `line`/`*_line` number in a model's Debug output lies within the file.
fn lines_in_range(debug: &str, max_line: u32) {
    for (i, _) in debug.match_indices("line: ") {
        let rest = &debug[i + 6..];
        let rest = rest.strip_prefix("Some(").unwrap_or(rest);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u64>() {
            assert!(
                n >= 1 && n <= u64::from(max_line),
                "line {n} outside 1..={max_line}"
            );
        }
    }
}

/// Runs every built-in rule: no panic, and all evidence points at files of the index with
/// lines inside them.
fn run_rules(index: &Index) -> u64 {
    let stacks = devops_maturity::detect::stacks(index);
    let profile = devops_maturity::detect::profile(index, &stacks).value;
    let history = devops_maturity::history::History::default();
    let ctx = Context {
        index,
        stacks: &stacks,
        profile,
        history: &history,
        trusted_actions: None,
    };
    let mut sig = Vec::new();
    for rule in rule_set() {
        let o = rule.run(&ctx);
        sig.push(o.status as u8);
        for e in &o.evidence {
            let exists = index.exists(&e.path) || index.dir_exists(&e.path);
            assert!(
                exists,
                "{}: evidence {:?} is not in the index",
                rule.id, e.path
            );
            if let (Some(line), Some(f)) = (e.line, index.file(&e.path)) {
                // A lone `\r` ends a line for YAML (and SARIF), not for `str::lines`.
                let lines = f.lines.max(f.text().map_or(0, yaml_lines));
                assert!(
                    line >= 1 && line <= lines.max(1) + 1,
                    "{}: evidence line {line} outside {} ({} lines)",
                    rule.id,
                    e.path,
                    f.lines
                );
            }
        }
    }
    hash(&[&sig])
}

const YAML_PATHS: &[&str] = &[
    ".github/workflows/fuzz.yml",
    "docker-compose.yml",
    "k8s/deployment.yaml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".github/dependabot.yml",
];

fn run_workflow(data: &[u8]) -> u64 {
    let text = as_text(data);
    let mut files: Vec<(&str, &str)> = YAML_PATHS.iter().map(|p| (*p, text.as_str())).collect();
    files.push(("Dockerfile", "FROM node:20\nUSER node\n"));
    files.push((
        "package.json",
        "{\"name\": \"x\", \"scripts\": {\"test\": \"jest\"}}\n",
    ));
    let index = index_of(&files);
    let max_line = yaml_lines(&text) + 1;
    let wfs = index.workflows();
    for wf in wfs {
        lines_in_range(&format!("{wf:?}"), max_line);
        let _ = wf.run_lines().count();
        let _ = wf.all_uses();
    }
    for c in index.compose_files() {
        lines_in_range(&format!("{c:?}"), max_line);
    }
    lines_in_range(&format!("{:?}", index.k8s()), max_line);
    let jobs: usize = wfs.iter().map(|w| w.jobs.len()).sum();
    hash(&[
        &[wfs.len() as u8, jobs.min(16) as u8],
        &run_rules(&index).to_le_bytes(),
    ])
}

fn dockerfile_seeds() -> Vec<Vec<u8>> {
    [
        "# syntax=docker/dockerfile:1\nARG BASE=python:3.12-slim\nFROM ${BASE} AS build\nWORKDIR /app\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt\nCOPY . .\nFROM build AS test\nRUN pytest\nFROM gcr.io/distroless/python3@sha256:0123456789abcdef AS final\nCOPY --from=build /app /app\nUSER 65532\nHEALTHCHECK --interval=30s CMD [\"/app/health\"]\nEXPOSE 8080\nENTRYPOINT [\"python\", \"-m\", \"app\"]\n",
        "FROM alpine:3.19\nRUN apk add --no-cache curl \\\n    bash \\\n # comment inside\n    git\nRUN <<EOF\nset -e\necho hi\nEOF\nCOPY <<-EOT /etc/x\n\tbody\nEOT\nCMD echo done\n",
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nSHELL [\"powershell\"]\n",
        "FROM node:20 AS deps\nENV NODE_ENV=production PATH=/x:$PATH\nARG TOKEN\nRUN npm ci && npm cache clean --force\nFROM deps\nONBUILD RUN echo x\nLABEL a=b c=\"d e\"\nUSER root\n",
        "FROM a AS a\nFROM b AS b\nFROM a\nFROM c AS c\nFROM c\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

fn run_dockerfile(data: &[u8]) -> u64 {
    use devops_maturity::model::dockerfile::{self, ImageRef};
    let text = as_text(data);
    let index = index_of(&[
        ("Dockerfile", &text),
        ("svc/Containerfile", &text),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: docker build .\n",
        ),
        ("package.json", "{\"name\": \"x\"}\n"),
    ]);
    let max_line = yaml_lines(&text) + 1;
    let dfs = index.dockerfiles();
    let mut instructions = 0;
    for df in dfs {
        lines_in_range(&format!("{df:?}"), max_line);
        instructions += df.instructions.len();
        for ins in &df.instructions {
            assert!(
                ins.line <= ins.end_line,
                "line {} > end {}",
                ins.line,
                ins.end_line
            );
            if let Some(s) = ins.stage {
                assert!(s < df.stages.len(), "stage {s} of {}", df.stages.len());
            }
            let _ = ins.script();
            let _ = ins.key_values();
            let _ = ins.first_word();
            let _ = dockerfile::exec_form(&ins.args);
            let _ = dockerfile::shell_words(&ins.args);
            let _ = dockerfile::substitute(&ins.args, &df.global_args());
        }
        for st in &df.stages {
            assert!(st.start <= st.end && st.end <= df.instructions.len());
            let _ = df.base(st);
            let lineage = df.lineage(st);
            assert!(lineage.len() <= df.stages.len(), "lineage loops");
            let _ = df.effective_instructions(st);
            let _ = ImageRef::parse(&st.base).short_name();
        }
        let _ = df.final_stage();
    }
    hash(&[
        &[dfs.len() as u8, instructions.min(32) as u8],
        &run_rules(&index).to_le_bytes(),
    ])
}

// --- escapers -------------------------------------------------------------------------------

fn text_seeds() -> Vec<Vec<u8>> {
    [
        "plain text",
        "::error file=a,line=1::x\n::add-mask::secret\r\n##[error]legacy",
        "<img src=x onerror=alert(1)> [a](javascript:alert(1)) | `b` ``c`` *d* _e_",
        "100% of %0A and %25 and %%0D",
        "a\u{202e}b\u{2066}c\u{7f}d\u{1b}[31m",
        "{\n  \"path\": \"##[error]x\",\n  \"n\": [1, 2]\n}\n",
        "path/to/ﬁle name (copy) #1.md",
        "&amp; &lt; &#124; \\| \\\\",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Characters `escape::markdown` must never leave bare.
const MD_ESCAPED: &str = "\\`*_[](){}#!~+-.:@$^=";

/// Undoes `escape::markdown` (backslash escapes and our entities).
fn md_unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => out.push(it.next()?),
            '&' => {
                let mut ent = String::new();
                for d in it.by_ref() {
                    if d == ';' {
                        break;
                    }
                    ent.push(d);
                }
                out.push(match ent.as_str() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "#124" => '|',
                    "#39" => '\'',
                    hex => char::from_u32(u32::from_str_radix(hex.strip_prefix("#x")?, 16).ok()?)?,
                });
            }
            c => out.push(c),
        }
    }
    Some(out)
}

fn is_bidi_or_control(c: char) -> bool {
    c.is_control() || escape::is_bidi_control(c)
}

fn run_markdown_escape(data: &[u8]) -> u64 {
    let s = as_text(data);
    let m = escape::markdown(&s);
    let mut chars = m.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => {
                let ent: String = chars.by_ref().take_while(|&d| d != ';').collect();
                let known = ["lt", "gt", "amp", "quot", "#124"].contains(&ent.as_str())
                    || ent
                        .strip_prefix("#x")
                        .is_some_and(|h| u32::from_str_radix(h, 16).is_ok());
                assert!(known, "unknown entity &{ent}; in {m:?}");
            }
            '\\' => {
                let n = chars.next();
                assert!(
                    n.is_some_and(|n| MD_ESCAPED.contains(n)),
                    "stray backslash before {n:?} in {m:?}"
                );
            }
            '<' | '>' | '|' | '"' | '\n' | '\r' => panic!("raw {c:?} in {m:?}"),
            c if MD_ESCAPED.contains(c) => panic!("unescaped {c:?} in {m:?}"),
            c if is_bidi_or_control(c) => panic!("raw U+{:04X} in {m:?}", c as u32),
            _ => {}
        }
    }
    assert_eq!(
        md_unescape(&m).as_deref(),
        Some(s.replace(['\n', '\r'], " ").as_str()),
        "markdown escaping is not reversible"
    );

    let span = escape::code_span(&s);
    assert!(span.starts_with('`') && span.ends_with('`') && span.len() >= 2);
    assert_eq!(span.matches('`').count(), 2, "code span {span:?}");
    assert!(!span.chars().any(is_bidi_or_control), "code span {span:?}");
    let cell = escape::code_span_in_table(&s);
    let mut prev = ' ';
    for c in cell.chars() {
        assert!(c != '|' || prev == '\\', "bare pipe in table cell {cell:?}");
        prev = c;
    }

    let h = escape::html(&s);
    assert!(!h.contains(['<', '>', '"', '\'', '\n', '\r']), "html {h:?}");
    assert!(!h.chars().any(is_bidi_or_control), "html {h:?}");
    assert_eq!(
        md_unescape(&h.replace('\\', "\\\\")).map(|u| u.replace(['\n', '\r'], " ")),
        Some(s.replace(['\n', '\r'], " ")),
        "html escaping is not reversible"
    );

    let block = escape::code_block(&s, "te`xt\nx");
    let fence: String = block.chars().take_while(|&c| c == '`').collect();
    assert!(fence.len() >= 3);
    let body_lines: Vec<&str> = block.lines().collect();
    assert!(body_lines.len() >= 2, "code block {block:?}");
    for line in &body_lines[1..body_lines.len() - 1] {
        // CommonMark also ends lines at a lone \r.
        for part in line.split('\r') {
            let t = part.trim_start_matches(' ');
            assert!(
                !t.starts_with(fence.as_str()),
                "a body line closes the fence: {block:?}"
            );
        }
    }
    // The info string keeps only what cannot break out of it.
    assert_eq!(body_lines[0], format!("{fence}textx"), "info string");

    let u = escape::url_path(&s);
    assert!(u
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)));
    let mut decoded = Vec::new();
    let ub = u.as_bytes();
    let mut i = 0;
    while i < ub.len() {
        if ub[i] == b'%' {
            let hex = std::str::from_utf8(&ub[i + 1..i + 3]).unwrap();
            decoded.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            decoded.push(ub[i]);
            i += 1;
        }
    }
    assert_eq!(decoded, s.as_bytes(), "url_path is not reversible");

    for max in [0, 1, 3, 4, 10, 100] {
        let t = escape::truncate(&s, max);
        assert!(
            t.len() <= max.max(3),
            "truncate({max}) gave {} bytes",
            t.len()
        );
        let kept = t.strip_suffix('…').unwrap_or(&t);
        assert!(s.starts_with(kept));
    }
    hash(&[&[m.len().min(255) as u8]])
}

/// The runner's unescaping of command data (`ActionCommand.UnescapeData`, in its order).
fn runner_unescape_data(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

/// The runner's unescaping of property values (`ActionCommand.UnescapeProperty`).
fn runner_unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn percent_ok(s: &str, allowed: &[&str]) {
    for (i, _) in s.match_indices('%') {
        let next = s.get(i + 1..i + 3).unwrap_or("");
        assert!(allowed.contains(&next), "bare % at {i} in {s:?}");
    }
}

fn run_workflow_escape(data: &[u8]) -> u64 {
    let s = as_text(data);
    let d = escape::workflow_data(&s);
    assert!(!d.contains(['\n', '\r']), "data {d:?}");
    percent_ok(&d, &["25", "0A", "0D"]);
    assert_eq!(runner_unescape_data(&d), s, "data does not round-trip");
    let p = escape::workflow_property(&s);
    assert!(!p.contains(['\n', '\r', ':', ',']), "property {p:?}");
    percent_ok(&p, &["25", "0A", "0D", "3A", "2C"]);
    assert_eq!(
        runner_unescape_property(&p),
        s,
        "property does not round-trip"
    );
    // An annotation built from them is one command with exactly our properties.
    let line = format!("::error file={p},title={p}::{d}");
    assert_eq!(line.lines().count(), 1);
    let info = &line[2..2 + line[2..].find("::").unwrap()];
    assert_eq!(info.matches(',').count(), 1, "{line:?}");
    hash(&[&[d.len().min(255) as u8]])
}

fn run_log_guard(data: &[u8]) -> u64 {
    use devops_maturity::cli::{neutralise_commands, one_line};
    let s = as_text(data);
    for out in [neutralise_commands(&s, false), one_line(&s)] {
        for line in out.split(['\n', '\r']) {
            assert!(
                !line.trim_start().starts_with("::"),
                "command line {line:?}"
            );
            for p in ["##[", "##vso[", "##teamcity["] {
                assert!(!line.contains(p), "{p} in {line:?}");
            }
        }
    }
    let one = one_line(&s);
    assert!(!one.contains(['\n', '\r']), "one_line {one:?}");
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) {
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        let guarded = neutralise_commands(&pretty, true);
        assert!(!guarded.contains("##["));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&guarded).ok(),
            Some(v),
            "JSON meaning changed"
        );
    }
    hash(&[&[one.len().min(255) as u8]])
}

// ---------------------------------------------------------------------------------------------
// The engine

/// Panic messages of fuzzed code are captured, not printed (thousands could fire).
fn quiet_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if FUZZING.with(|f| f.get()) {
                let payload = info.payload();
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into());
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg} at {at}"));
            } else {
                default(info);
            }
        }));
    });
}

thread_local! {
    static FUZZING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs one input: Ok(signature) or Err(panic message).
fn execute(target: &Target, input: &[u8]) -> Result<u64, String> {
    FUZZING.with(|f| f.set(true));
    let r = catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    FUZZING.with(|f| f.set(false));
    r.map_err(|_| LAST_PANIC.with(|p| p.borrow().clone()))
}

struct Finding {
    kind: &'static str,
    message: String,
    input: Vec<u8>,
}

struct Stats {
    execs: u64,
    corpus: usize,
    findings: Vec<Finding>,
    slowest: Duration,
}

fn fuzz(target: &Target, seed: u64, budget: Duration, max_execs: u64) -> Stats {
    quiet_panics();
    let mut rng = Rng(seed ^ hash(&[target.name.as_bytes()]));
    let mut corpus: Vec<Vec<u8>> = (target.seeds)();
    corpus.extend(regressions(target.name).into_iter().map(|(_, b)| b));
    let mut seen: HashSet<u64> = HashSet::new();
    let mut crashes_seen: HashSet<String> = HashSet::new();
    let mut stats = Stats {
        execs: 0,
        corpus: 0,
        findings: Vec::new(),
        slowest: Duration::ZERO,
    };
    let started = Instant::now();
    // Seeds first, as they are.
    let mut queue: Vec<Vec<u8>> = corpus.clone();
    while started.elapsed() < budget && stats.execs < max_execs {
        let input = match queue.pop() {
            Some(i) => i,
            None => {
                let mut d = corpus[rng.below(corpus.len())].clone();
                let other = corpus[rng.below(corpus.len())].clone();
                for _ in 0..1 + rng.below(4) {
                    mutate(&mut rng, &mut d, target.dict, &other);
                }
                d
            }
        };
        let t = Instant::now();
        let result = execute(target, &input);
        let took = t.elapsed();
        stats.execs += 1;
        stats.slowest = stats.slowest.max(took);
        match result {
            Ok(sig) => {
                if took > SLOW {
                    stats.findings.push(Finding {
                        kind: "slow",
                        message: format!("one execution took {took:?}"),
                        input: input.clone(),
                    });
                }
                if seen.insert(sig) && corpus.len() < MAX_CORPUS {
                    corpus.push(input);
                }
            }
            Err(msg) => {
                // One saved input per distinct panic site.
                let site = msg.rsplit(" at ").next().unwrap_or("").to_string();
                if crashes_seen.insert(site) {
                    stats.findings.push(Finding {
                        kind: "crash",
                        message: msg,
                        input,
                    });
                }
            }
        }
    }
    stats.corpus = corpus.len();
    stats
}

fn regression_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target)
}

/// Saved inputs of a target, sorted by name.
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(regression_dir(target))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file())
        .filter_map(|e| std::fs::read(e.path()).ok().map(|b| (e.path(), b)))
        .collect();
    v.sort();
    v
}

fn save(dir: &Path, f: &Finding) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let p = dir.join(format!("{}-{:016x}.bin", f.kind, hash(&[&f.input])));
    let _ = std::fs::write(&p, &f.input);
    p
}

fn report(target: &Target, stats: &Stats, took: Duration, save_dir: &Path) -> Vec<String> {
    eprintln!(
        "[fuzz] {:<16} {:>9} execs in {:>6.1} s ({:>7.0}/s), corpus {:>5}, slowest {:?}, findings {}",
        target.name,
        stats.execs,
        took.as_secs_f64(),
        stats.execs as f64 / took.as_secs_f64().max(1e-9),
        stats.corpus,
        stats.slowest,
        stats.findings.len()
    );
    stats
        .findings
        .iter()
        .map(|f| {
            let p = save(save_dir, f);
            format!(
                "{} {}: {} (input saved to {})",
                target.name,
                f.kind,
                f.message,
                p.display()
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn regression_inputs_replay_cleanly() {
    quiet_panics();
    let mut failures = Vec::new();
    let mut count = 0;
    for target in TARGETS {
        for (path, input) in regressions(target.name) {
            count += 1;
            let t = Instant::now();
            if let Err(msg) = execute(target, &input) {
                failures.push(format!("{}: {msg}", path.display()));
            }
            if t.elapsed() > SLOW {
                failures.push(format!("{}: took {:?}", path.display(), t.elapsed()));
            }
        }
    }
    eprintln!("[fuzz] replayed {count} regression inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fuzz_smoke() {
    let budget = std::env::var("FUZZ_SMOKE_SECONDS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(SMOKE_SECONDS);
    let save_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings");
    let mut failures = Vec::new();
    for target in TARGETS {
        let t = Instant::now();
        let stats = fuzz(
            target,
            SMOKE_SEED,
            Duration::from_secs_f64(budget),
            u64::MAX,
        );
        failures.extend(report(
            target,
            &stats,
            t.elapsed(),
            &save_dir.join(target.name),
        ));
        assert!(stats.execs > 0);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "long fuzz run: FUZZ_SECONDS per target (default 20), FUZZ_SEED, FUZZ_TARGETS"]
fn fuzz_long() {
    let secs: f64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20.0);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    let only = std::env::var("FUZZ_TARGETS").unwrap_or_default();
    eprintln!("[fuzz] long run: seed {seed}, {secs} s per target");
    let mut failures = Vec::new();
    let mut total = 0;
    for target in TARGETS {
        if !only.is_empty() && !only.split(',').any(|t| t == target.name) {
            continue;
        }
        let t = Instant::now();
        let stats = fuzz(target, seed, Duration::from_secs_f64(secs), u64::MAX);
        total += stats.execs;
        failures.extend(report(
            target,
            &stats,
            t.elapsed(),
            &regression_dir(target.name),
        ));
    }
    eprintln!("[fuzz] {total} executions in total (seed {seed})");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_fuzzer_finds_a_planted_bug() {
    // A target that panics on a short token: the engine must find it from a seed without it.
    fn planted(data: &[u8]) -> u64 {
        assert!(!data.windows(3).any(|w| w == b"%0A"), "planted bug reached");
        data.len() as u64
    }
    fn seeds() -> Vec<Vec<u8>> {
        vec![b"hello world".to_vec()]
    }
    let t = Target {
        name: "planted",
        seeds,
        dict: &["%0A", "x"],
        run: planted,
    };
    let stats = fuzz(&t, SMOKE_SEED, Duration::from_secs(10), 200_000);
    assert!(
        stats.findings.iter().any(|f| f.kind == "crash"),
        "not found in {} executions",
        stats.execs
    );
}
