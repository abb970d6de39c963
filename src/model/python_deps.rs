//! Which lines of a Python manifest declare dependencies, and whether the project needs them
//! at run time or only for an extra, a dependency group or development. TOML/INI sections and
//! arrays are tracked line by line, so a `retry = 3` tool setting, `keywords = ["backoff"]` or
//! a mypy override for `aiohttp.*` is not read as a dependency.

/// What a dependency line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Installed with the project: `[project] dependencies`, Poetry's main table, Pipfile's
    /// `[packages]`, setup.cfg's `[options]`, and every line of requirement files and setup.py.
    Runtime,
    /// Optional extras, dependency groups, development dependencies.
    Extra,
}

/// A reader of one manifest's lines, in order.
#[derive(Default)]
pub struct DependencyLines {
    section: String,
    /// Inside a multi-line `dependencies = [` (or `dev-dependencies = [`) array.
    in_array: Option<Scope>,
}

impl DependencyLines {
    /// The scope of `line` of the manifest named `file`, or `None` when it declares nothing.
    pub fn scope(&mut self, file: &str, line: &str) -> Option<Scope> {
        let t = line.trim();
        match file {
            "pyproject.toml" | "Pipfile" | "setup.cfg" => {}
            // requirements*.txt and setup.py: every line.
            _ => return Some(Scope::Runtime),
        }
        if let Some(h) = t
            .strip_prefix('[')
            .filter(|h| !h.starts_with('[') && h.ends_with(']'))
        {
            self.section = h.trim_end_matches(']').trim().trim_matches('"').to_string();
            self.in_array = None;
            return None;
        }
        let sec = self.section.as_str();
        if matches!(sec, "packages" | "options" | "tool.poetry.dependencies") {
            return Some(Scope::Runtime);
        }
        if matches!(
            sec,
            "dev-packages" | "dependency-groups" | "options.extras_require"
        ) || sec.ends_with("dependencies")
            || sec.starts_with("project.optional-dependencies")
        {
            return Some(Scope::Extra);
        }
        // [project] dependencies = [ ... ] and [tool.uv] dev-dependencies = [ ... ]
        let key = t.split('=').next().unwrap_or("").trim();
        if t.contains('=') && t.contains('[') && !t.starts_with('"') {
            let scope = match key {
                "dependencies" if sec == "project" => Some(Scope::Runtime),
                "dependencies" | "dev-dependencies" => Some(Scope::Extra),
                _ => None,
            };
            self.in_array = scope.filter(|_| !t.contains(']'));
            return scope;
        }
        let scope = self.in_array?;
        if t.starts_with(']') {
            self.in_array = None;
        }
        Some(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(file: &str, text: &str) -> Vec<(usize, Scope)> {
        let mut lines = DependencyLines::default();
        text.lines()
            .enumerate()
            .filter_map(|(i, l)| lines.scope(file, l).map(|s| (i + 1, s)))
            .collect()
    }

    #[test]
    fn runtime_and_extra_lines_of_each_manifest() {
        use Scope::*;
        let pyproject = "[project]\nname = \"x\"\nkeywords = [\"flask\"]\ndependencies = [\n  \"click\",\n]\n[project.optional-dependencies]\nd = [\"aiohttp\"]\n[tool.poetry.dependencies]\nfastapi = \"*\"\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n[tool.uv]\ndev-dependencies = [\"ruff\"]\n[[tool.mypy.overrides]]\nmodule = [\"aiohttp.*\"]\n";
        assert_eq!(
            scopes("pyproject.toml", pyproject),
            [
                (4, Runtime),
                (5, Runtime),
                (6, Runtime),
                (8, Extra),
                (10, Runtime),
                (12, Extra),
                (14, Extra)
            ]
        );
        let pipfile = "[packages]\nflask = \"*\"\n[dev-packages]\npytest = \"*\"\n";
        assert_eq!(scopes("Pipfile", pipfile), [(2, Runtime), (4, Extra)]);
        let cfg = "[metadata]\nname = x\n[options]\ninstall_requires =\n    flask\n[options.extras_require]\ndev = pytest\n";
        assert_eq!(
            scopes("setup.cfg", cfg),
            [(4, Runtime), (5, Runtime), (7, Extra)]
        );
        assert_eq!(scopes("requirements.txt", "flask\n"), [(1, Runtime)]);
    }
}
