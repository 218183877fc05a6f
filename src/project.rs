//! A talkdoc project on disk: `content/` plus `locales/`, loaded once.
//!
//! Like mdBook's `MDBook::load`, this is the one way in: every command
//! (build, check, review) starts from a `Project`.

use std::path::{Path, PathBuf};

use crate::catalog::{self, Catalog};
use crate::content::Content;
use crate::diag::{Diagnostic, Result, Severity};

pub struct Project {
    /// The project folder (holding `content/` and `locales/`).
    pub root: PathBuf,
    pub content: Content,
    pub catalog: Catalog,
    /// Problems found while loading the catalog (syntax errors, duplicate
    /// IDs). `build` refuses to run with any error here; `check` reports them.
    pub load_problems: Vec<Diagnostic>,
}

impl Project {
    pub fn load(root: &Path) -> Result<Project> {
        let content = Content::load(root, &root.join("content"))?;
        let (catalog, load_problems) =
            catalog::load_all(root, &root.join("locales"), &content.locales())?;
        Ok(Project {
            root: root.to_path_buf(),
            content,
            catalog,
            load_problems,
        })
    }

    /// Errors among the load problems, as a failure: text would be lost if we
    /// built from a catalog where fluent-rs skipped entries as Junk.
    pub fn ensure_loaded_cleanly(&self) -> Result<()> {
        let errors: Vec<Diagnostic> = self
            .load_problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::diag::Error::many(errors))
        }
    }
}

/// `path` as shown to the user: relative to `root` when it is inside it;
/// when the project was found in a folder above the current one (`..`),
/// relative to where the user stands (`../locales/ja/talk.ftl`).
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    if root.starts_with("..") {
        return path.to_path_buf();
    }
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The project folder when `--project` is not given: the nearest folder
/// from the current one upwards that holds `content/project.toml`, as cargo
/// finds `Cargo.toml`; as a relative path (`.`, `..`, `../..`) so that
/// paths stay short and relative to where the user stands. `.` when there
/// is none (the usual "cannot read content/project.toml" error follows).
pub fn discover() -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return PathBuf::from(".");
    };
    let mut relative = PathBuf::from(".");
    for dir in cwd.ancestors() {
        if dir.join("content").join("project.toml").is_file() {
            return relative;
        }
        relative = if relative == Path::new(".") {
            PathBuf::from("..")
        } else {
            relative.join("..")
        };
    }
    PathBuf::from(".")
}
