//! Git history facts (tags, commits, merges) for the release and delivery rules.
//!
//! Read with gitoxide, pure Rust and read-only. The scanned repository is hostile, so it is
//! opened with reduced trust and isolated permissions: only objects and refs are read; no
//! system/global/repository configuration is honoured, nothing is executed (no hooks, no
//! fsmonitor, no credential helpers), and a repository owned by another user (a container
//! checkout) opens like any other. Work is bounded: at most [`MAX_COMMITS`] commits and
//! [`MAX_TAGS`] tags, within [`TIME_BUDGET`]. Every problem becomes a message, never a panic.

use regex::Regex;
use schemars::JsonSchema;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Commits read at most, newest first (by committer time) from HEAD, the default branch and
/// recent tags.
pub const MAX_COMMITS: usize = 10_000;
/// Tags read at most.
pub const MAX_TAGS: usize = 5_000;
/// Reading history stops after this long; what was read is used.
pub const TIME_BUDGET: Duration = Duration::from_secs(10);
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
/// History metrics need at least this many human commits...
pub const MIN_COMMITS: usize = 10;
/// ...spanning at least this many days.
pub const MIN_SPAN_DAYS: i64 = 14;
/// Tags older than this are not walked from (the walk from the branches reaches them anyway
/// when they are recent enough to matter).
const TAG_TIP_MAX_AGE: i64 = 400 * DAY;
/// Enclosing repositories are looked for at most this many levels above the scanned root.
const MAX_DISCOVER_LEVELS: usize = 16;

/// What the history rules saw, for the report.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Summary {
    /// A git repository with readable history was found.
    pub available: bool,
    /// The clone is shallow: history metrics are N/A.
    pub shallow: bool,
    /// Why history is unavailable or incomplete, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Branch checked out (None when HEAD is detached, as in pull-request builds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_branch: Option<String>,
    /// The branch measured as the default branch (origin/HEAD, else main/master, else HEAD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_branch: Option<String>,
    /// Commits read.
    pub commits: usize,
    /// The commit or time limit cut the history short.
    pub truncated: bool,
    /// Tags read.
    pub tags: usize,
    /// Tags named like a semantic version (`v1.2.3`, `pkg@1.2.3`).
    pub semver_tags: usize,
    /// The newest semantic-version tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_semver_tag: Option<String>,
    /// Days between the oldest and the newest commit read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span_days: Option<i64>,
}

/// One commit, as the rules need it.
#[derive(Debug, Clone)]
pub struct Commit {
    /// Full hex id.
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    pub committer_email: String,
    /// Seconds since the epoch.
    pub author_time: i64,
    pub commit_time: i64,
    /// First line of the message.
    pub subject: String,
    /// Parents recorded in the commit (loaded or not).
    pub parent_count: usize,
    /// Parents that were read, as indices into [`History::commits`].
    pub parents: Vec<usize>,
    /// The first parent, when it was read.
    pub first_parent: Option<usize>,
    /// The commit this one reverts (`This reverts commit <id>.`), as written.
    pub reverts: Option<String>,
    /// The message carries GitLab's `See merge request` trailer.
    pub merge_request: bool,
}

static CONVENTIONAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r"^(build|chore|ci|docs|feat|fix|perf|refactor|revert|style|test)(\([^()\r\n]*\))?!?: \S",
    )
    .expect("static regex")
});
static PR_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r"(?i)^merge pull request #\d+|^merged pr \d+|\(pull request #\d+\)|\(#\d+\)\s*$|\(!\d+\)\s*$|^merge branch '[^']+' into '[^']+'",
    )
    .expect("static regex")
});
static PULL_MERGE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"^Merge (branch '[^']*' of |remote-tracking branch )")
        .expect("static regex")
});
static HOTFIX: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::regex(r"(?i)\bhot[-_ ]?fix").expect("static regex"));
static REVERT_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r#"^(Revert "|revert(\([^)]*\))?!?: )"#).expect("static regex")
});
static REVERTS_BODY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"This reverts commit ([0-9a-f]{7,64})").expect("static regex")
});
static SEMVER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(
        r"^(?:[A-Za-z0-9._/@-]*?[@/-])?[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$",
    )
    .expect("static regex")
});
static DEPLOY_TAG: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::regex(r"(?i)^(release|deploy|prod|production)[-/_]").expect("static regex")
});

impl Commit {
    pub fn is_merge(&self) -> bool {
        self.parent_count > 1
    }

    /// Dependabot, Renovate, GitHub Actions and any `*[bot]` account.
    pub fn is_bot(&self) -> bool {
        is_bot(&self.author_name, &self.author_email)
    }

    /// `Revert "…"` (git's default), a conventional `revert:` or a `This reverts commit` body.
    pub fn is_revert(&self) -> bool {
        self.reverts.is_some() || REVERT_SUBJECT.is_match(&self.subject)
    }

    pub fn is_hotfix(&self) -> bool {
        HOTFIX.is_match(&self.subject)
    }

    /// A merge made by `git pull` (or of the default branch into itself): not a change merge.
    pub fn is_pull_merge(&self) -> bool {
        self.is_merge() && !self.merge_request && PULL_MERGE.is_match(&self.subject)
    }

    /// Landed through a pull/merge request: a forge merge commit, a squash-merge subject
    /// ending in `(#123)`, GitLab's trailer, or a commit the forge itself wrote (GitHub's
    /// web-flow committer, which rebase-merges and merge buttons use).
    pub fn via_pull_request(&self) -> bool {
        self.merge_request
            || PR_SUBJECT.is_match(&self.subject)
            || self
                .committer_email
                .eq_ignore_ascii_case("noreply@github.com")
    }

    /// `type(scope)!: subject` with a type of @commitlint/config-conventional.
    pub fn is_conventional(&self) -> bool {
        CONVENTIONAL.is_match(&self.subject)
    }

    /// Subjects commitlint ignores by default: merges, reverts, fixups, bare versions.
    pub fn is_commitlint_ignored(&self) -> bool {
        let s = self.subject.as_str();
        self.is_merge()
            || s.starts_with("Merge ")
            || s.starts_with("Revert ")
            || s.starts_with("Reapply ")
            || s.starts_with("fixup!")
            || s.starts_with("squash!")
            || s.starts_with("amend!")
            || s.starts_with("Automatic merge")
            || s.starts_with("Auto-merged ")
            || parse_semver(s.trim()).is_some()
    }

    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }
}

/// Bot accounts by name or email.
pub fn is_bot(name: &str, email: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    let e = email.trim().to_ascii_lowercase();
    n.ends_with("[bot]")
        || e.contains("[bot]")
        || n.ends_with("-bot")
        || n.ends_with(" bot")
        || matches!(
            n.as_str(),
            "dependabot"
                | "renovate"
                | "github-actions"
                | "greenkeeper"
                | "pre-commit-ci"
                | "snyk-bot"
        )
}

/// A semantic version read from a tag name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub prerelease: bool,
}

/// `v?MAJOR.MINOR.PATCH[-pre][+build]`, optionally after a component prefix ending in `@`,
/// `/` or `-` (monorepo tags such as `@scope/pkg@1.2.3`, `api-v1.2.3`, `api/v1.2.3`).
pub fn parse_semver(tag: &str) -> Option<Version> {
    let c = SEMVER.captures(tag)?;
    Some(Version {
        major: c.get(1)?.as_str().parse().ok()?,
        minor: c.get(2)?.as_str().parse().ok()?,
        patch: c.get(3)?.as_str().parse().ok()?,
        prerelease: c.get(4).is_some(),
    })
}

/// A tag and the commit it points at.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Short name (`v1.2.3`).
    pub name: String,
    /// The tagged commit, when it was read.
    pub commit: Option<usize>,
    /// Tagger time for annotated tags, the commit's committer time otherwise.
    pub time: i64,
    pub version: Option<Version>,
}

impl Tag {
    /// A release to users: a non-prerelease semantic version, or a `release-`/`deploy-` tag.
    pub fn is_release(&self) -> bool {
        match self.version {
            Some(v) => !v.prerelease,
            None => DEPLOY_TAG.is_match(&self.name),
        }
    }
}

/// History read from the repository at the scanned root.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub summary: Summary,
    /// Seconds since the epoch when the history was read.
    now: i64,
    /// Newest first by committer time.
    commits: Vec<Commit>,
    /// In no particular order; see [`History::releases`].
    tags: Vec<Tag>,
    /// First-parent chain of the default branch, newest first (indices into `commits`).
    mainline: Vec<usize>,
    /// Per commit: the mainline commit that brought it onto the default branch.
    landing: Vec<Option<usize>>,
    /// Release tags (indices into `tags`), oldest first.
    releases: Vec<usize>,
    /// Per commit: the release (index into `releases`) that first shipped it.
    released_in: Vec<Option<usize>>,
}

impl History {
    /// Reads history at `root`. Never fails: problems become a message in the summary.
    pub fn load(root: &Path) -> History {
        let now = now_secs();
        let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(root, now)));
        match loaded {
            Ok(Ok(h)) => h,
            Ok(Err(message)) => History::unavailable(message, now),
            Err(_) => History::unavailable("reading git history failed unexpectedly".into(), now),
        }
    }

    fn unavailable(message: String, now: i64) -> History {
        History {
            summary: Summary {
                message: Some(message),
                ..Summary::default()
            },
            now,
            ..History::default()
        }
    }

    pub fn available(&self) -> bool {
        self.summary.available
    }

    pub fn is_shallow(&self) -> bool {
        self.summary.shallow
    }

    /// Why there is no history, for N/A messages.
    pub fn unavailable_reason(&self) -> String {
        self.summary
            .message
            .clone()
            .unwrap_or_else(|| "git history is not available".into())
    }

    /// Seconds since the epoch at load time (the reference for "the last 90 days").
    pub fn now(&self) -> i64 {
        self.now
    }

    /// Commits read, newest first by committer time.
    pub fn commits(&self) -> &[Commit] {
        &self.commits
    }

    pub fn commit(&self, i: usize) -> &Commit {
        &self.commits[i]
    }

    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// Semantic-version tags, oldest first.
    pub fn semver_tags(&self) -> Vec<&Tag> {
        let mut v: Vec<&Tag> = self.tags.iter().filter(|t| t.version.is_some()).collect();
        v.sort_by_key(|t| (t.time, t.version));
        v
    }

    /// Release tags, oldest first.
    pub fn releases(&self) -> Vec<&Tag> {
        self.releases.iter().map(|&i| &self.tags[i]).collect()
    }

    /// First-parent chain of the default branch, newest first.
    pub fn mainline(&self) -> &[usize] {
        &self.mainline
    }

    /// The mainline commit that brought commit `i` onto the default branch (itself for a
    /// commit made on it); None for commits not on the default branch.
    pub fn landing(&self, i: usize) -> Option<usize> {
        self.landing.get(i).copied().flatten()
    }

    /// The release (oldest-first index into [`History::releases`]) that first shipped commit `i`.
    pub fn released_in(&self, i: usize) -> Option<usize> {
        self.released_in.get(i).copied().flatten()
    }

    /// Commits integrated onto the default branch by mainline commit `m` (including `m`).
    pub fn landed_by(&self, m: usize) -> Vec<usize> {
        (0..self.commits.len())
            .filter(|&i| self.landing(i) == Some(m))
            .collect()
    }

    /// Commits integrated by every mainline commit, in one pass: mainline index -> commits.
    pub fn landings(&self) -> HashMap<usize, Vec<usize>> {
        let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, l) in self.landing.iter().enumerate() {
            if let Some(m) = l {
                out.entry(*m).or_default().push(i);
            }
        }
        out
    }

    /// Finds a commit by a (possibly abbreviated) hex id.
    pub fn find(&self, id: &str) -> Option<usize> {
        if id.len() < 7 {
            return None;
        }
        self.commits.iter().position(|c| c.id.starts_with(id))
    }

    /// Human (non-bot) commits read.
    pub fn human_commits(&self) -> impl Iterator<Item = &Commit> {
        self.commits.iter().filter(|c| !c.is_bot())
    }

    /// Why history metrics cannot be computed (N/A reason), or None when they can: no
    /// repository, a shallow clone, or too little history. Only the shallow case suggests
    /// `fetch-depth: 0`: a full clone with a short history would not gain from it.
    pub fn metrics_unavailable(&self) -> Option<String> {
        if !self.available() {
            return Some(self.unavailable_reason());
        }
        if self.is_shallow() {
            return Some(SHALLOW_HINT.into());
        }
        let human: Vec<&Commit> = self.human_commits().collect();
        if human.len() < MIN_COMMITS {
            return Some(format!(
                "only {} non-bot commit(s) in the history: at least {MIN_COMMITS} are needed \
                 to measure delivery",
                human.len()
            ));
        }
        let newest = human.iter().map(|c| c.commit_time).max().unwrap_or(0);
        let oldest = human.iter().map(|c| c.commit_time).min().unwrap_or(0);
        let span = (newest - oldest) / DAY;
        if span < MIN_SPAN_DAYS {
            return Some(format!(
                "the history spans {span} day(s): at least {MIN_SPAN_DAYS} are needed to \
                 measure delivery"
            ));
        }
        None
    }

    /// Time of the oldest commit read (for rates over windows longer than the history).
    pub fn oldest_time(&self) -> Option<i64> {
        self.commits.iter().map(|c| c.commit_time).min()
    }
}

/// The N/A message for shallow clones.
pub const SHALLOW_HINT: &str = "shallow clone: actions/checkout fetches a single commit by \
    default, so history cannot be measured; set `fetch-depth: 0` on actions/checkout";

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Isolated, reduced-trust options: objects and refs only, no configuration from anywhere
/// that could redirect or execute anything.
fn open_options() -> gix::open::Options {
    gix::open::Options::isolated()
        .with(gix::sec::Trust::Reduced)
        .lossy_config(true)
}

/// Opens the repository at `root`, or the enclosing one when `root` is a tracked
/// subdirectory of it (a monorepo package). Never goes above the nearest `.git`.
fn open(root: &Path) -> Result<(gix::Repository, Option<PathBuf>), String> {
    let dotgit = root.join(".git");
    if let Ok(meta) = std::fs::symlink_metadata(&dotgit) {
        if meta.file_type().is_symlink() {
            return Err(
                "`.git` is a symbolic link: history outside the scanned root is not read".into(),
            );
        }
        if meta.is_file() && !is_git_managed_pointer(&dotgit) {
            return Err(
                "`.git` points to a repository outside the scanned root: its history is not read"
                    .into(),
            );
        }
    }
    if dotgit.exists() {
        return gix::open_opts(root, open_options())
            .map(|r| (r, None))
            .map_err(|e| format!("not a readable git repository: {}", short_error(&e)));
    }
    let abs = std::fs::canonicalize(root)
        .map_err(|_| "not a git repository (the scanned root cannot be resolved)".to_string())?;
    for (level, dir) in abs.ancestors().enumerate().skip(1) {
        if level > MAX_DISCOVER_LEVELS {
            break;
        }
        if !dir.join(".git").exists() {
            continue;
        }
        // An enclosing repository that cannot be opened is no history of ours.
        let repo = gix::open_opts(dir, open_options())
            .map_err(|_| "not a git repository (no .git at the scanned root)".to_string())?;
        let rel = abs
            .strip_prefix(dir)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        // A repository above the root counts only if it tracks the root (a monorepo
        // package), not when it merely encloses it (a dotfiles repository in $HOME).
        let tracked = repo
            .head_commit()
            .ok()
            .and_then(|c| c.tree().ok())
            .and_then(|t| t.lookup_entry_by_path(&rel).ok().flatten())
            .is_some_and(|e| e.mode().is_tree());
        if tracked {
            return Ok((repo, Some(rel)));
        }
        return Err("not a git repository (no .git at the scanned root)".into());
    }
    Err("not a git repository (no .git at the scanned root)".into())
}

/// A `.git` file (`gitdir: <path>`) is followed only into git's own layouts: a linked
/// worktree (`<repo>/.git/worktrees/<name>`) or a submodule (`<repo>/.git/modules/<path>`).
/// Anything else would read some other repository's history into the report.
fn is_git_managed_pointer(dotgit: &Path) -> bool {
    use std::io::Read;
    let mut text = String::new();
    let Ok(f) = std::fs::File::open(dotgit) else {
        return false;
    };
    if f.take(4096).read_to_string(&mut text).is_err() {
        return false;
    }
    let Some(target) = text.lines().next().and_then(|l| l.strip_prefix("gitdir:")) else {
        return false;
    };
    let base = dotgit.parent().unwrap_or(Path::new("."));
    let Ok(target) = std::fs::canonicalize(base.join(target.trim())) else {
        return false;
    };
    let parts: Vec<&std::ffi::OsStr> = target.iter().collect();
    parts.iter().enumerate().any(|(i, p)| {
        *p == ".git"
            && parts
                .get(i + 1)
                .is_some_and(|n| *n == "worktrees" || *n == "modules")
            && parts.len() > i + 2
    })
}

/// Bytes of a commit message looked at (subject, revert and merge-request trailers).
const MAX_MESSAGE: usize = 64 * 1024;

/// At most `max` characters of `s`.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The first line of an error, bounded: messages end up in reports.
fn short_error(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    let line = s.lines().next().unwrap_or("").trim();
    crate::model::ci::shorten(line)
}

struct Loader<'r> {
    repo: &'r gix::Repository,
    hash: gix::hash::Kind,
    deadline: Instant,
    shallow: bool,
    commits: Vec<Commit>,
    parent_ids: Vec<Vec<gix::ObjectId>>,
    ids: HashMap<gix::ObjectId, usize>,
    queue: BinaryHeap<(i64, Reverse<usize>)>,
    truncated: bool,
    error: Option<String>,
}

impl Loader<'_> {
    fn over_budget(&mut self) -> bool {
        if self.commits.len() >= MAX_COMMITS || Instant::now() > self.deadline {
            self.truncated = true;
        }
        self.truncated
    }

    fn note_error(&mut self, id: &gix::ObjectId, what: &str) {
        if self.error.is_none() {
            let hex = id.to_hex().to_string();
            self.error = Some(format!(
                "history is incomplete: {what} {} could not be read",
                &hex[..hex.len().min(12)]
            ));
        }
    }

    /// Reads commit `id` (once) and queues it for the walk.
    fn add(&mut self, id: gix::ObjectId) -> Option<usize> {
        if let Some(&i) = self.ids.get(&id) {
            return Some(i);
        }
        if self.over_budget() {
            return None;
        }
        let obj = match self.repo.find_object(id) {
            Ok(o) => o,
            Err(_) => {
                // A shallow clone lacks the parents of its boundary commits by design.
                if !self.shallow {
                    self.note_error(&id, "commit");
                }
                return None;
            }
        };
        if obj.kind != gix::objs::Kind::Commit {
            return None;
        }
        let Ok(c) = gix::objs::CommitRef::from_bytes(&obj.data, self.hash) else {
            self.note_error(&id, "commit");
            return None;
        };
        let (author_name, author_email, author_time) = match c.author() {
            Ok(s) => (s.name.to_string(), s.email.to_string(), s.seconds()),
            Err(_) => (String::new(), String::new(), 0),
        };
        let (committer_email, commit_time) = match c.committer() {
            Ok(s) => (s.email.to_string(), s.seconds()),
            Err(_) => (String::new(), author_time),
        };
        // Messages and names are bounded: a hostile commit can carry megabytes.
        let raw: &[u8] = &c.message[..c.message.len().min(MAX_MESSAGE)];
        let message = String::from_utf8_lossy(raw);
        let subject = clip(message.lines().next().unwrap_or("").trim(), 500);
        let reverts = REVERTS_BODY
            .captures(&message)
            .and_then(|m| m.get(1))
            .map(|m| m.as_str().to_string());
        let merge_request = message.contains("See merge request ");
        let parents: Vec<gix::ObjectId> = c.parents().collect();
        let i = self.commits.len();
        self.commits.push(Commit {
            id: id.to_hex().to_string(),
            author_name: clip(author_name.trim(), 200),
            author_email: clip(author_email.trim(), 200),
            committer_email: clip(committer_email.trim(), 200),
            author_time,
            commit_time,
            subject,
            parent_count: parents.len(),
            parents: Vec::new(),
            first_parent: None,
            reverts,
            merge_request,
        });
        self.parent_ids.push(parents);
        self.ids.insert(id, i);
        self.queue.push((commit_time, Reverse(i)));
        Some(i)
    }

    /// Newest-first walk over everything queued, until the budget runs out.
    fn walk(&mut self) {
        while let Some((_, Reverse(i))) = self.queue.pop() {
            let parents = self.parent_ids[i].clone();
            for p in parents {
                if self.add(p).is_none() && self.truncated {
                    return;
                }
            }
        }
    }

    /// Follows annotated tags to a commit: (commit id, tagger time of the outermost tag).
    fn peel_tag(&mut self, mut id: gix::ObjectId) -> Option<(gix::ObjectId, Option<i64>)> {
        let mut tagger_time = None;
        for _ in 0..8 {
            let obj = self.repo.find_object(id).ok()?;
            match obj.kind {
                gix::objs::Kind::Commit => return Some((id, tagger_time)),
                gix::objs::Kind::Tag => {
                    let Ok(t) = gix::objs::TagRef::from_bytes(&obj.data, self.hash) else {
                        self.note_error(&id, "tag");
                        return None;
                    };
                    if tagger_time.is_none() {
                        tagger_time = t.tagger().ok().flatten().map(|s| s.seconds());
                    }
                    id = t.target();
                }
                _ => return None,
            }
        }
        None
    }

    fn commit_time(&self, id: gix::ObjectId) -> Option<i64> {
        if let Some(&i) = self.ids.get(&id) {
            return Some(self.commits[i].commit_time);
        }
        let obj = self.repo.find_object(id).ok()?;
        let c = gix::objs::CommitRef::from_bytes(&obj.data, self.hash).ok()?;
        c.committer().ok().map(|s| s.seconds())
    }
}

/// The default branch: origin/HEAD, else main/master/trunk (remote first, then local).
fn default_branch(repo: &gix::Repository) -> Option<(String, gix::ObjectId)> {
    if let Ok(Some(mut r)) = repo.try_find_reference("refs/remotes/origin/HEAD") {
        let name = match r.target() {
            gix::refs::TargetRef::Symbolic(n) => Some(n.shorten().to_string()),
            gix::refs::TargetRef::Object(_) => None,
        };
        if let (Some(name), Ok(id)) = (name, r.peel_to_id()) {
            let branch = name.strip_prefix("origin/").unwrap_or(&name).to_string();
            return Some((branch, id.detach()));
        }
    }
    for name in ["main", "master", "trunk"] {
        for full in [
            format!("refs/remotes/origin/{name}"),
            format!("refs/heads/{name}"),
        ] {
            if let Ok(Some(mut r)) = repo.try_find_reference(full.as_str()) {
                if let Ok(id) = r.peel_to_id() {
                    return Some((name.to_string(), id.detach()));
                }
            }
        }
    }
    None
}

fn load(root: &Path, now: i64) -> Result<History, String> {
    let (repo, subdir) = open(root)?;
    let shallow = repo.is_shallow().unwrap_or(false);
    let head_id = repo
        .head_id()
        .map(|id| id.detach())
        .map_err(|_| "the git repository has no commits yet".to_string())?;
    let head_branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|n| n.shorten().to_string());
    let default = default_branch(&repo);

    let mut l = Loader {
        repo: &repo,
        hash: repo.object_hash(),
        deadline: Instant::now() + TIME_BUDGET,
        shallow,
        commits: Vec::new(),
        parent_ids: Vec::new(),
        ids: HashMap::new(),
        queue: BinaryHeap::new(),
        truncated: false,
        error: None,
    };

    // Tags first (names, targets, times), so recent ones can seed the walk.
    let mut raw_tags: Vec<(String, gix::ObjectId, i64)> = Vec::new();
    let mut tags_truncated = false;
    if let Ok(platform) = repo.references() {
        if let Ok(iter) = platform.tags() {
            for r in iter {
                let Ok(mut r) = r else { continue };
                if raw_tags.len() >= MAX_TAGS || Instant::now() > l.deadline {
                    tags_truncated = true;
                    break;
                }
                let name = r.name().shorten().to_string();
                let target = match r.target() {
                    gix::refs::TargetRef::Object(oid) => Some(oid.to_owned()),
                    gix::refs::TargetRef::Symbolic(_) => r.peel_to_id().ok().map(|i| i.detach()),
                };
                let Some(target) = target else { continue };
                let Some((commit, tagger_time)) = l.peel_tag(target) else {
                    continue;
                };
                let Some(time) = tagger_time.or_else(|| l.commit_time(commit)) else {
                    continue;
                };
                raw_tags.push((clip(&name, 200), commit, time));
            }
        }
    }

    l.add(head_id);
    let default_name = match &default {
        Some((name, id)) => {
            l.add(*id);
            Some(name.clone())
        }
        None => head_branch.clone(),
    };
    let mut recent: Vec<&(String, gix::ObjectId, i64)> = raw_tags
        .iter()
        .filter(|t| t.2 >= now - TAG_TIP_MAX_AGE)
        .collect();
    recent.sort_by_key(|t| Reverse(t.2));
    for t in recent.into_iter().take(1_000) {
        l.add(t.1);
    }
    l.walk();

    let Loader {
        mut commits,
        parent_ids,
        ids,
        truncated,
        error,
        ..
    } = l;
    if commits.is_empty() {
        return Err(error.unwrap_or_else(|| "the git repository has no readable commits".into()));
    }

    // Sort newest first, then resolve parents to indices.
    let mut order: Vec<usize> = (0..commits.len()).collect();
    order.sort_by_key(|&i| (Reverse(commits[i].commit_time), i));
    let mut new_index = vec![0usize; commits.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    for (old, parents) in parent_ids.iter().enumerate() {
        commits[old].parents = parents
            .iter()
            .filter_map(|p| ids.get(p).map(|&o| new_index[o]))
            .collect();
        commits[old].first_parent = parents
            .first()
            .and_then(|p| ids.get(p))
            .map(|&o| new_index[o]);
    }
    let mut slots: Vec<Option<Commit>> = commits.into_iter().map(Some).collect();
    let commits: Vec<Commit> = order.iter().filter_map(|&o| slots[o].take()).collect();
    let index_of = |id: &gix::ObjectId| ids.get(id).map(|&o| new_index[o]);

    let tags: Vec<Tag> = raw_tags
        .into_iter()
        .map(|(name, id, time)| Tag {
            version: parse_semver(&name),
            commit: index_of(&id),
            name,
            time,
        })
        .collect();

    let tip = default
        .as_ref()
        .and_then(|(_, id)| index_of(id))
        .or_else(|| index_of(&head_id));
    let mainline = first_parent_chain(&commits, tip);
    let landing = landings(&commits, &mainline);
    let mut releases: Vec<usize> = (0..tags.len()).filter(|&i| tags[i].is_release()).collect();
    releases.sort_by_key(|&i| (tags[i].time, tags[i].version));
    let released_in = first_releases(&commits, &tags, &releases);

    let semver = tags.iter().filter(|t| t.version.is_some());
    let latest = semver.clone().max_by_key(|t| (t.time, t.version));
    let newest = commits.first().map(|c| c.commit_time).unwrap_or(0);
    let oldest = commits.last().map(|c| c.commit_time).unwrap_or(0);

    let mut notes: Vec<String> = Vec::new();
    if let Some(e) = error {
        notes.push(e);
    }
    if shallow {
        notes.push(SHALLOW_HINT.into());
    }
    if truncated || tags_truncated {
        notes.push(format!(
            "history read up to its limits ({MAX_COMMITS} commits, {MAX_TAGS} tags, {}s)",
            TIME_BUDGET.as_secs()
        ));
    }
    if subdir.is_some() {
        notes.push(
            "history of the enclosing repository (the scanned root is a subdirectory of it)".into(),
        );
    }

    Ok(History {
        summary: Summary {
            available: true,
            shallow,
            message: (!notes.is_empty()).then(|| notes.join("; ")),
            head_branch,
            default_branch: default_name,
            commits: commits.len(),
            truncated: truncated || tags_truncated,
            tags: tags.len(),
            semver_tags: semver.count(),
            latest_semver_tag: latest.map(|t| t.name.clone()),
            span_days: Some((newest - oldest).max(0) / DAY),
        },
        now,
        commits,
        tags,
        mainline,
        landing,
        releases,
        released_in,
    })
}

fn first_parent_chain(commits: &[Commit], tip: Option<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; commits.len()];
    let mut cur = tip;
    while let Some(i) = cur {
        if seen[i] {
            break;
        }
        seen[i] = true;
        out.push(i);
        cur = commits[i].first_parent;
    }
    out
}

/// For each commit, the mainline commit that first made it reachable from the default branch.
fn landings(commits: &[Commit], mainline: &[usize]) -> Vec<Option<usize>> {
    let mut landing = vec![None; commits.len()];
    for &m in mainline.iter().rev() {
        let mut stack = vec![m];
        while let Some(i) = stack.pop() {
            if landing[i].is_some() {
                continue;
            }
            landing[i] = Some(m);
            stack.extend(
                commits[i]
                    .parents
                    .iter()
                    .copied()
                    .filter(|&p| landing[p].is_none()),
            );
        }
    }
    landing
}

/// For each commit, the oldest release (index into `releases`) that contains it.
fn first_releases(commits: &[Commit], tags: &[Tag], releases: &[usize]) -> Vec<Option<usize>> {
    let mut released = vec![None; commits.len()];
    for (r, &t) in releases.iter().enumerate() {
        let Some(start) = tags[t].commit else {
            continue;
        };
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if released[i].is_some() {
                continue;
            }
            released[i] = Some(r);
            stack.extend(
                commits[i]
                    .parents
                    .iter()
                    .copied()
                    .filter(|&p| released[p].is_none()),
            );
        }
    }
    released
}

/// Median of `values` (sorted in place); None when empty.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2
    })
}

/// A duration in words: "45 min", "5.2 h", "3.1 days".
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0) as f64;
    if s < HOUR as f64 {
        format!("{:.0} min", s / 60.0)
    } else if s < 2.0 * DAY as f64 {
        format!("{:.1} h", s / HOUR as f64)
    } else {
        format!("{:.1} days", s / DAY as f64)
    }
}

/// Real repositories for tests, built with the git CLI (dev and CI machines have it).
#[cfg(test)]
pub(crate) mod testrepo {
    use super::{History, DAY};
    use std::path::Path;
    use std::process::Command;

    pub struct Repo {
        pub dir: tempfile::TempDir,
        pub now: i64,
        files: std::cell::Cell<u32>,
    }

    pub const DEV: (&str, &str) = ("Dev", "dev@example.com");

    fn date(secs: i64) -> String {
        format!("{secs} +0000")
    }

    pub fn git(dir: &Path, args: &[&str], env: &[(&str, String)]) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "user.name=Dev",
                "-c",
                "user.email=dev@example.com",
                "-c",
                "protocol.file.allow=always",
            ])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    impl Repo {
        pub fn new() -> Repo {
            let dir = tempfile::tempdir().expect("tempdir");
            git(dir.path(), &["init", "-q", "-b", "main"], &[]);
            Repo {
                dir,
                now: super::now_secs(),
                files: std::cell::Cell::new(0),
            }
        }

        pub fn path(&self) -> &Path {
            self.dir.path()
        }

        pub fn at(&self, days_ago: f64) -> i64 {
            self.now - (days_ago * DAY as f64) as i64
        }

        pub fn git(&self, args: &[&str]) -> String {
            git(self.path(), args, &[])
        }

        /// Runs git with author and committer dates `authored`/`committed` days ago.
        pub fn git_dated(
            &self,
            authored: f64,
            committed: f64,
            who: (&str, &str),
            args: &[&str],
        ) -> String {
            git(
                self.path(),
                args,
                &[
                    ("GIT_AUTHOR_DATE", date(self.at(authored))),
                    ("GIT_COMMITTER_DATE", date(self.at(committed))),
                    ("GIT_AUTHOR_NAME", who.0.to_string()),
                    ("GIT_AUTHOR_EMAIL", who.1.to_string()),
                ],
            )
        }

        /// A commit changing a new file, authored and committed `days_ago`; returns its id.
        pub fn commit(&self, days_ago: f64, subject: &str) -> String {
            self.commit_full(days_ago, days_ago, DEV, subject)
        }

        pub fn commit_full(
            &self,
            authored: f64,
            committed: f64,
            who: (&str, &str),
            subject: &str,
        ) -> String {
            let n = self.files.get() + 1;
            self.files.set(n);
            let name = format!("f{n}.txt");
            std::fs::write(self.path().join(&name), format!("{n}\n")).expect("write");
            self.git(&["add", &name]);
            // "[main (root-commit) 1a2b3c4] subject": the abbreviated id, without another
            // git process (tests build hundreds of commits).
            let out = self.git_dated(authored, committed, who, &["commit", "-m", subject]);
            let head = out.lines().next().unwrap_or("");
            let id = head.split(']').next().unwrap_or("").rsplit(' ').next();
            id.unwrap_or("").to_string()
        }

        /// An annotated tag on HEAD, tagged `days_ago`.
        pub fn tag(&self, name: &str, days_ago: f64) {
            self.git_dated(days_ago, days_ago, DEV, &["tag", "-a", name, "-m", name]);
        }

        pub fn lightweight_tag(&self, name: &str) {
            self.git(&["tag", name]);
        }

        /// `git merge --no-ff branch` committed `days_ago`, with `subject`.
        pub fn merge(&self, days_ago: f64, branch: &str, subject: &str) -> String {
            self.git_dated(
                days_ago,
                days_ago,
                DEV,
                &["merge", "-q", "--no-ff", "-m", subject, branch],
            );
            self.git(&["rev-parse", "HEAD"])
        }

        pub fn revert(&self, days_ago: f64, id: &str) -> String {
            self.git_dated(days_ago, days_ago, DEV, &["revert", "--no-edit", id]);
            self.git(&["rev-parse", "HEAD"])
        }

        pub fn load(&self) -> History {
            History::load(self.path())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testrepo::*;
    use super::*;

    #[test]
    fn no_repository_is_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::load(dir.path());
        assert!(!h.available());
        assert!(h.unavailable_reason().contains("not a git repository"));
        assert!(h.metrics_unavailable().is_some());
        let empty = Repo::new();
        let h = empty.load();
        assert!(!h.available());
        assert!(
            h.unavailable_reason().contains("no commits"),
            "{:?}",
            h.summary
        );
    }

    #[test]
    fn reads_commits_tags_branches_and_landings() {
        let r = Repo::new();
        let c1 = r.commit(30.0, "feat: first");
        r.tag("v0.1.0", 29.0);
        r.git(&["checkout", "-q", "-b", "feature/x"]);
        let b1 = r.commit_full(
            20.0,
            20.0,
            ("Ann", "ann@example.com"),
            "feat(x): branch work",
        );
        r.commit(19.0, "fix(x): more");
        r.git(&["checkout", "-q", "main"]);
        r.commit(18.5, "chore: on main");
        let m = r.merge(
            18.0,
            "feature/x",
            "Merge pull request #7 from org/feature/x",
        );
        r.lightweight_tag("v0.2.0");
        r.commit_full(
            10.0,
            10.0,
            (
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com",
            ),
            "chore(deps): bump x (#9)",
        );
        r.commit(5.0, "not semver tag");
        r.lightweight_tag("nightly");
        r.git(&["checkout", "-q", "-b", "chore/bugsweep"]);
        r.commit(1.0, "wip on branch");

        let h = r.load();
        assert!(h.available(), "{:?}", h.summary);
        assert!(!h.is_shallow());
        assert_eq!(h.summary.head_branch.as_deref(), Some("chore/bugsweep"));
        assert_eq!(h.summary.default_branch.as_deref(), Some("main"));
        assert_eq!(h.commits().len(), 8);
        assert_eq!(h.summary.tags, 3);
        assert_eq!(h.summary.semver_tags, 2);
        assert_eq!(h.summary.latest_semver_tag.as_deref(), Some("v0.2.0"));
        assert!(h.summary.message.is_none(), "{:?}", h.summary.message);
        // Newest first; the branch commit is not on main.
        assert_eq!(h.commits()[0].subject, "wip on branch");
        assert_eq!(h.landing(0), None);
        // main: 5.0, 10.0 (bot), merge, 18.5, c1 — five first-parent commits.
        assert_eq!(h.mainline().len(), 5);
        let mi = h.find(&m).unwrap();
        assert!(h.commit(mi).is_merge() && h.commit(mi).via_pull_request());
        let bi = h.find(&b1).unwrap();
        assert_eq!(h.landing(bi), Some(mi));
        assert_eq!(h.landed_by(mi).len(), 3);
        assert_eq!(h.commit(bi).author_name, "Ann");
        assert_eq!(h.commit(bi).author_time, r.at(20.0));
        // Releases: v0.1.0 ships c1, v0.2.0 ships the branch and the merge.
        let rel = h.releases();
        assert_eq!(
            rel.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["v0.1.0", "v0.2.0"]
        );
        assert_eq!(
            rel[0].time,
            r.at(29.0),
            "annotated tags carry the tagger time"
        );
        assert_eq!(
            rel[1].time,
            r.at(18.0),
            "lightweight tags take the commit time"
        );
        assert_eq!(h.released_in(h.find(&c1).unwrap()), Some(0));
        assert_eq!(h.released_in(bi), Some(1));
        assert!(h.commits().iter().any(|c| c.is_bot()));
        assert!(h.metrics_unavailable().unwrap().contains("only 7 non-bot"));
    }

    #[test]
    fn too_little_history_is_not_measured() {
        let r = Repo::new();
        for i in 0..12 {
            r.commit(3.0 - i as f64 * 0.1, "feat: x");
        }
        let h = r.load();
        let why = h.metrics_unavailable().unwrap();
        // The clone is complete: fetching more history would not help, so no hint.
        assert!(
            why.contains("spans 1 day") && !why.contains("fetch-depth"),
            "{why}"
        );
        let r = Repo::new();
        r.commit(40.0, "a");
        r.commit(1.0, "b");
        assert!(r.load().metrics_unavailable().unwrap().contains("only 2"));
    }

    #[test]
    fn shallow_clone_is_detected() {
        let r = Repo::new();
        for i in 0..5 {
            r.commit(20.0 - i as f64, "feat: x");
        }
        r.tag("v1.0.0", 1.0);
        let dest = tempfile::tempdir().unwrap();
        let url = format!("file://{}", r.path().display());
        git(
            dest.path(),
            &["clone", "-q", "--depth", "1", &url, "c"],
            &[],
        );
        let h = History::load(&dest.path().join("c"));
        assert!(h.available());
        assert!(h.is_shallow());
        assert_eq!(h.commits().len(), 1);
        assert!(h.metrics_unavailable().unwrap().contains("fetch-depth: 0"));
        // Missing parents of a shallow boundary are expected, not an error.
        assert!(!h
            .summary
            .message
            .as_deref()
            .unwrap_or("")
            .contains("incomplete"));
    }

    #[test]
    fn default_branch_follows_origin_head_and_detached_head_has_no_branch() {
        let r = Repo::new();
        r.git(&["checkout", "-q", "-b", "develop"]);
        r.commit(5.0, "feat: a");
        r.commit(4.0, "feat: b");
        let dest = tempfile::tempdir().unwrap();
        let url = format!("file://{}", r.path().display());
        git(dest.path(), &["clone", "-q", &url, "c"], &[]);
        let clone = dest.path().join("c");
        git(&clone, &["checkout", "-q", "-b", "feature/x"], &[]);
        let h = History::load(&clone);
        assert_eq!(h.summary.default_branch.as_deref(), Some("develop"));
        assert_eq!(h.summary.head_branch.as_deref(), Some("feature/x"));
        git(&clone, &["checkout", "-q", "--detach"], &[]);
        let h = History::load(&clone);
        assert_eq!(h.summary.head_branch, None);
        assert_eq!(h.mainline().len(), 2);
    }

    /// A checkout owned by another user (the runner's workspace seen from a container) is
    /// read anyway, where git would refuse with "dubious ownership". Needs root to chown;
    /// elsewhere the test has nothing to do.
    #[cfg(unix)]
    #[test]
    fn repository_owned_by_another_user_is_read() {
        fn chown_all(p: &Path) -> std::io::Result<()> {
            std::os::unix::fs::chown(p, Some(12345), Some(12345))?;
            if p.is_dir() {
                for e in std::fs::read_dir(p)? {
                    chown_all(&e?.path())?;
                }
            }
            Ok(())
        }
        let r = Repo::new();
        r.commit(2.0, "feat: a");
        if chown_all(r.path()).is_err() {
            return;
        }
        let h = r.load();
        assert!(h.available(), "{:?}", h.summary);
        assert_eq!(h.commits().len(), 1);
    }

    #[test]
    fn git_pointers_are_followed_only_into_worktrees_and_submodules() {
        let r = Repo::new();
        r.commit(2.0, "feat: a");
        let dest = tempfile::tempdir().unwrap();
        let wt = dest.path().join("wt");
        r.git(&["worktree", "add", "-q", "-b", "wt", wt.to_str().unwrap()]);
        let h = History::load(&wt);
        assert!(h.available(), "{:?}", h.summary);
        assert_eq!(h.summary.head_branch.as_deref(), Some("wt"));

        let other = dest.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        let gitdir = format!("gitdir: {}\n", r.path().join(".git").display());
        std::fs::write(other.join(".git"), gitdir).unwrap();
        let h = History::load(&other);
        assert!(!h.available());
        assert!(h.unavailable_reason().contains("outside the scanned root"));

        #[cfg(unix)]
        {
            let linked = dest.path().join("linked");
            std::fs::create_dir_all(&linked).unwrap();
            std::os::unix::fs::symlink(r.path().join(".git"), linked.join(".git")).unwrap();
            let h = History::load(&linked);
            assert!(h.unavailable_reason().contains("symbolic link"));
        }
    }

    #[test]
    fn corrupt_object_is_a_message_not_a_panic() {
        let r = Repo::new();
        r.commit(30.0, "feat: one");
        let first = r.git(&["rev-parse", "HEAD"]);
        r.commit(20.0, "feat: two");
        r.commit(10.0, "feat: three");
        let obj = r
            .path()
            .join(".git/objects")
            .join(&first[..2])
            .join(&first[2..]);
        let mut perms = std::fs::metadata(&obj).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&obj, perms).unwrap();
        std::fs::write(&obj, b"garbage, not zlib").unwrap();
        let h = r.load();
        assert!(h.available());
        assert_eq!(h.commits().len(), 2);
        let msg = h.summary.message.clone().unwrap_or_default();
        assert!(
            msg.contains("incomplete") && msg.contains(&first[..12]),
            "{msg}"
        );
    }

    #[test]
    fn subdirectory_of_a_repository_uses_it_only_when_tracked() {
        let r = Repo::new();
        std::fs::create_dir_all(r.path().join("pkg/a")).unwrap();
        std::fs::write(r.path().join("pkg/a/x.txt"), "x").unwrap();
        r.git(&["add", "."]);
        r.commit(2.0, "feat: pkg");
        std::fs::create_dir_all(r.path().join("untracked")).unwrap();
        let h = History::load(&r.path().join("pkg/a"));
        assert!(h.available(), "{:?}", h.summary);
        assert!(h.summary.message.unwrap().contains("enclosing"));
        let h = History::load(&r.path().join("untracked"));
        assert!(!h.available());
    }

    #[test]
    fn semver_parsing_and_classification() {
        for (t, v) in [
            ("v1.2.3", Some((1, 2, 3, false))),
            ("1.0.0-rc.1", Some((1, 0, 0, true))),
            ("@scope/pkg@2.0.1", Some((2, 0, 1, false))),
            ("api-v0.3.0", Some((0, 3, 0, false))),
            ("api/v0.3.0+build.5", Some((0, 3, 0, false))),
            ("v1.2", None),
            ("2024.01.15", None),
            ("nightly", None),
        ] {
            let got = parse_semver(t).map(|v| (v.major, v.minor, v.patch, v.prerelease));
            assert_eq!(got, v, "{t}");
        }
        let c = |s: &str| Commit {
            id: "0123456789".into(),
            author_name: "a".into(),
            author_email: "a@x".into(),
            committer_email: "a@x".into(),
            author_time: 0,
            commit_time: 0,
            subject: s.into(),
            parent_count: 1,
            parents: vec![],
            first_parent: None,
            reverts: None,
            merge_request: false,
        };
        assert!(c("feat(api)!: drop v1").is_conventional());
        assert!(c("fix: x").is_conventional());
        assert!(!c("net/http: fix leak").is_conventional());
        assert!(!c("Update README").is_conventional());
        assert!(c("Add x (#123)").via_pull_request());
        assert!(!c("Add x").via_pull_request());
        assert!(c("Revert \"feat: x\"").is_revert());
        let merge = |s: &str| Commit {
            parent_count: 2,
            ..c(s)
        };
        assert!(merge("Merge branch 'main' of github.com:o/r").is_pull_merge());
        assert!(!merge("Merge branch 'feature' into develop").is_pull_merge());
        assert!(merge("Merge branch 'f' into 'main'").via_pull_request());
        assert!(c("Hotfix: login loop").is_hotfix());
        assert!(is_bot("renovate[bot]", "x"));
        assert!(is_bot(
            "github-actions",
            "41898282+github-actions[bot]@users.noreply.github.com"
        ));
        assert!(!is_bot("Abbot Smith", "abbot@example.com"));
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(human_duration(90 * 60), "1.5 h");
    }
}
