//! A talkdoc project on disk: `content/` plus `locales/`, loaded once.
//!
//! Like mdBook's `MDBook::load`, this is the one way in: every command
//! (build, check, review) starts from a `Project`.

use crate::codes::Code;
pub use crate::diag::display_path;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use crate::catalog::discover::{self, Layout};
use crate::catalog::{self, Catalog, LoadOptions};
use crate::config::PdfConfig;
use crate::content::{CheckConfig, Content, ProjectConfig};
use crate::diag::{Diagnostic, Result, Severity, SourceFile};
use crate::input::Boundary;

/// What kind of project was loaded.
#[derive(Debug, Clone)]
pub enum Mode {
    /// A talk: `content/` plus `locales/<locale>/`.
    Talk,
    /// Any Fluent project without `content/project.toml`: only the Fluent
    /// files are checked (coverage mode).
    Coverage(Coverage),
}

/// Settings of coverage mode.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// Every translated message must be in the file of the same relative
    /// path as its source (on unless `--no-per-file`).
    pub per_file: bool,
    /// Where the locales were found ("locales/", "l10n.toml").
    pub found_in: String,
    /// Missing translations an `l10n.toml` accepts (`[[filters]]`).
    pub filters: crate::catalog::filters::Filters,
    /// The review record of each translated locale.
    pub records: BTreeMap<String, PathBuf>,
    /// A talk's `content/` is there but was not read (`--locales` or
    /// `--source-locale` was given).
    pub content_ignored: bool,
    /// `--allow-missing`: a missing translation or file is a warning, as a
    /// partly translated locale of an app is, not an error.
    pub missing_warns: bool,
}

/// How to load a project: what `check` was asked on the command line.
#[derive(Debug, Clone, Default)]
pub struct LoadRequest {
    /// `--locales DIR` and `--source-locale TAG`; either one means coverage
    /// mode even where `content/project.toml` exists.
    pub discover: discover::Request,
    /// `--locale`: only these translated locales (the source is always read).
    pub only: Vec<String>,
    /// `--no-per-file`: compare locales as pools of messages.
    pub pooled: bool,
    /// `--allow-missing`: missing translations are warnings (coverage mode).
    pub missing_warns: bool,
    /// `build --locale`: read the messages of only these locales (and the
    /// source). Unlike `only`, the configuration keeps every locale, so the
    /// settings are checked and a build's stale outputs found (see
    /// `build::all_outputs`) as for the whole project; a locale not asked
    /// for is neither parsed nor a reason to refuse the build.
    pub messages_of: Vec<String>,
}

/// A loaded project: its configuration, every locale's messages and what
/// went wrong reading them. Loading never stops at a broken message file,
/// so `check` can report every problem at once.
pub struct Project {
    /// The project folder (holding `content/` and `locales/`).
    pub root: PathBuf,
    /// `content/`: project settings and document structure (in coverage
    /// mode, only the locales, and no documents).
    pub content: Content,
    /// Every locale's messages, indexed by ID.
    pub catalog: Catalog,
    /// Problems found while loading the catalog (syntax errors, duplicate
    /// IDs). `build` refuses to run with any error here; `check` reports them.
    pub load_problems: Vec<Diagnostic>,
    pub(crate) mode: Mode,
    /// The folders its files must lie in (`input::Boundary`): what it
    /// reads later (review records) is held to the same.
    pub(crate) boundary: Boundary,
}

impl Project {
    /// Loads the project in `root`: a talk when it has `content/`, else any
    /// Fluent project whose locale folders can be found.
    pub fn load(root: &Path) -> Result<Project> {
        Self::load_with(root, &LoadRequest::default())
    }

    pub(crate) fn load_with(root: &Path, req: &LoadRequest) -> Result<Project> {
        let content_dir = root.join("content");
        let asked = req.discover.locales_dir.is_some() || req.discover.source_locale.is_some();
        // A folder with content/ is a talk: a missing or broken project.toml
        // there is reported as such, never guessed around.
        let is_talk = std::fs::symlink_metadata(content_dir.join("project.toml")).is_ok()
            || content_dir.join("documents").is_dir();
        let mut boundary = Boundary::of(root);
        if let Some(dir) = &req.discover.locales_dir {
            boundary = boundary.and(root, dir);
        }
        if is_talk && !asked {
            return Self::load_talk(root, req, boundary);
        }
        match discover::discover(root, &req.discover)? {
            Some(layout) => Self::load_coverage(root, layout, req, is_talk, boundary),
            None => Self::load_talk(root, req, boundary).map_err(|mut e| {
                if let Some(d) = e.diagnostics.first_mut()
                    && d.code == Code::E0001
                {
                    d.help = Some(
                        "run talkdoc in a talk project (content/project.toml) or in a Fluent project with locale folders (locales/en-US/*.ftl, locales/ja/*.ftl), or pass --project DIR or --locales DIR"
                            .into(),
                    );
                }
                e
            }),
        }
    }

    fn load_talk(root: &Path, req: &LoadRequest, boundary: Boundary) -> Result<Project> {
        let mut content = Content::load(root, &root.join("content"), &boundary)?;
        if !req.only.is_empty() {
            check_choice(&req.only, &content.locales(), content.source_locale())?;
            let source = content.source_locale().to_string();
            let keep = |l: &str| l == source || req.only.iter().any(|o| o == l);
            content.config.locales.retain(|l| keep(l.get_ref()));
            content.config.limits.retain(|l| keep(l.locale.get_ref()));
        }
        let mut locales = content.locales();
        if !req.messages_of.is_empty() {
            let source = content.source_locale();
            locales.retain(|l| l == source || req.messages_of.contains(l));
        }
        let (catalog, load_problems) =
            catalog::load_all(root, &root.join("locales"), &locales, &boundary)?;
        Ok(Project {
            root: root.to_path_buf(),
            content,
            catalog,
            load_problems,
            mode: Mode::Talk,
            boundary,
        })
    }

    fn load_coverage(
        root: &Path,
        layout: Layout,
        req: &LoadRequest,
        content_ignored: bool,
        boundary: Boundary,
    ) -> Result<Project> {
        let all: Vec<String> = layout.targets.iter().map(|l| l.tag.clone()).collect();
        if !req.only.is_empty() {
            check_choice(&req.only, &all, &layout.source.tag)?;
        }
        let targets: Vec<_> = layout
            .targets
            .iter()
            .filter(|l| req.only.is_empty() || req.only.contains(&l.tag))
            .collect();
        let mut wanted = vec![(layout.source.tag.clone(), layout.source.roots.clone())];
        wanted.extend(targets.iter().map(|l| (l.tag.clone(), l.roots.clone())));
        let (catalog, load_problems) =
            catalog::load_layout(root, &wanted, LoadOptions { coverage: true }, &boundary)?;
        let locales: Vec<String> = wanted.iter().map(|(t, _)| t.clone()).collect();
        Ok(Project {
            root: root.to_path_buf(),
            content: coverage_content(&layout.source.tag, &locales),
            catalog,
            load_problems,
            mode: Mode::Coverage(Coverage {
                per_file: !req.pooled,
                found_in: layout.found_in,
                filters: layout.filters,
                records: targets
                    .iter()
                    .map(|l| (l.tag.clone(), l.record.clone()))
                    .collect(),
                content_ignored,
                missing_warns: req.missing_warns,
            }),
            boundary,
        })
    }

    /// Coverage-mode settings, `None` for a talk.
    pub fn coverage(&self) -> Option<&Coverage> {
        match &self.mode {
            Mode::Coverage(c) => Some(c),
            Mode::Talk => None,
        }
    }

    /// The review record of a translated locale: `locales/<locale>.reviewed.toml`
    /// in a talk, beside the locale folder in coverage mode.
    pub fn record_path(&self, locale: &str) -> PathBuf {
        match self.coverage().and_then(|c| c.records.get(locale)) {
            Some(p) => p.clone(),
            None => self
                .root
                .join("locales")
                .join(format!("{locale}.reviewed.toml")),
        }
    }

    /// What `build` needs: a talk (a Fluent project without `content/` has
    /// no documents to render), loaded without errors.
    pub fn ensure_loaded_cleanly(&self) -> Result<()> {
        if self.coverage().is_some() {
            return Err(crate::diag::Error::new(
                Diagnostic::error(
                    Code::E0001,
                    "cannot read the project settings: there is no content/project.toml here, only Fluent locale folders",
                )
                .at(crate::diag::Location::file("content/project.toml"))
                .help("`talkdoc build` renders a talk's documents from content/; for the translations of this Fluent project run `talkdoc check`"),
            ));
        }
        self.ensure_parsed()
    }

    /// Errors among the load problems, as a failure: text would be lost if we
    /// built from a catalog where fluent-rs skipped entries as Junk.
    pub fn ensure_parsed(&self) -> Result<()> {
        self.ensure_parsed_for(None)
    }

    /// [`Project::ensure_parsed`] for the source and the translated
    /// `locales` only (all when `None`): `review --locale cs` is not held
    /// up by a broken file of another translation.
    pub fn ensure_parsed_for(&self, locales: Option<&[String]>) -> Result<()> {
        let source = self.content.source_locale();
        let elsewhere: std::collections::HashSet<&Path> = match locales {
            None => Default::default(),
            Some(asked) => self
                .catalog
                .locales
                .iter()
                .filter(|c| c.locale != source && !asked.contains(&c.locale))
                .flat_map(|c| c.files.iter().map(|f| f.path.as_path()))
                .collect(),
        };
        let errors: Vec<Diagnostic> = self
            .load_problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| {
                d.location
                    .as_ref()
                    .is_none_or(|l| !elsewhere.contains(l.path.as_path()))
            })
            .cloned()
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::diag::Error::many(errors))
        }
    }
}

/// The project folder when `--project` is not given: the nearest folder
/// from the current one upwards that holds `content/project.toml` (a
/// talk), as cargo finds `Cargo.toml`, or that is a Fluent project of its
/// own (an `l10n.toml`, an `i18n.toml` or a `locales/` folder holding
/// locale folders of `.ftl` files): a Fluent app checked out inside a
/// talk's folder is that app, not the talk. As a
/// relative path (`.`, `..`, `../..`) so that paths stay short and
/// relative to where the user stands. `.` when there is none (the usual
/// "cannot read content/project.toml" error follows).
pub fn discover() -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return PathBuf::from(".");
    };
    let mut relative = PathBuf::from(".");
    for dir in cwd.ancestors() {
        // (A web app's `locales/en.json` is not Fluent.)
        if dir.join("content").join("project.toml").is_file()
            || dir.join("l10n.toml").is_file()
            || dir.join("i18n.toml").is_file()
            || !crate::catalog::discover::locale_folders(&dir.join("locales"), false).is_empty()
        {
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

/// `--locale` must name translated locales of the project.
fn check_choice(only: &[String], translated: &[String], source: &str) -> Result<()> {
    for o in only {
        if o == source || !translated.contains(o) {
            let why = if o == source {
                format!("`{o}` is the source locale; --locale chooses translations")
            } else {
                format!("unknown locale `{o}`")
            };
            let choices: Vec<&String> = translated.iter().filter(|t| *t != source).collect();
            return Err(crate::diag::Error::new(
                Diagnostic::error(Code::E0007, why).help(format!(
                    "choose from: {}",
                    choices
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
    }
    Ok(())
}

/// The settings of a coverage-mode project: its locales, no documents, no
/// limits, no exceptions.
fn coverage_content(source: &str, locales: &[String]) -> Content {
    let spanned = |s: &str| toml::Spanned::new(0..0, s.to_string());
    Content {
        project_file: SourceFile::new(PathBuf::new(), ""),
        config: ProjectConfig {
            source_locale: spanned(source),
            locales: locales.iter().map(|l| spanned(l)).collect(),
            title: spanned(""),
            author: None,
            keywords: Vec::new(),
            variables: BTreeMap::new(),
            limits: Vec::new(),
            pdf: PdfConfig::default(),
            check: CheckConfig::default(),
        },
        documents: BTreeMap::new(),
    }
}
