//! Progress on stderr, only for people: never in CI, never when piped, never with --quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Whether progress may be drawn at all (the caller adds --quiet/--no-progress).
pub fn allowed() -> bool {
    std::io::stderr().is_terminal() && std::env::var("CI").map(|v| v != "true").unwrap_or(true)
}

/// A spinner counting files during the walk; hidden when `enabled` is false.
pub fn walk_bar(enabled: bool) -> ProgressBar {
    if !enabled {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new_spinner();
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
    if let Ok(style) = ProgressStyle::with_template("{spinner} scanning: {pos} files ({per_sec})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}

/// A bar over the workspace packages `--each-package` scores, naming the current one; hidden
/// when `enabled` is false.
pub fn packages_bar(enabled: bool, packages: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(packages as u64);
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
    if let Ok(style) = ProgressStyle::with_template("{bar:20} {pos}/{len} packages: {msg}") {
        bar.set_style(style);
    }
    bar
}
