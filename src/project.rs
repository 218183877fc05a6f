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

/// `path` relative to `root` when it is inside it, for messages.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
