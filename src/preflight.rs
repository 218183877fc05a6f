//! Pre-flight: everything `build` would refuse after assembly, found
//! without rendering anything.
//!
//! `talkdoc check` is the gate in CI, so a green check must mean the build
//! succeeds. Both commands call this module — `build` before it renders,
//! `check` to report findings — so they cannot disagree: the settings that
//! name documents and messages, the font file, and every character against
//! the font.

use crate::codes::Code;
use std::collections::BTreeMap;

use crate::catalog::{FormatError, LocaleCatalog};
use crate::diag::display_path;
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::document::Document;
use crate::project::Project;
use crate::render::pdf::fonts::Font;

/// The font named in `[pdf]`, or the built-in one. Errors point at the
/// `font` setting.
pub fn load_font(project: &Project) -> Result<Font> {
    let cfg = &project.content.config.pdf;
    let Some(path) = &cfg.font else {
        return Font::builtin();
    };
    let at = project.content.project_file.at(path.span());
    let full = project.root.join(path.get_ref());
    let shown = display_path(&project.root, &full);
    let refuse = |message: String, help: &str| {
        Error::new(
            Diagnostic::error(Code::E0501, message)
                .at(at.clone())
                .help(help.to_string()),
        )
    };
    let meta = match std::fs::metadata(&full) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse(
                format!("font file `{}` not found", path.get_ref()),
                "give a path relative to the project folder, or remove `font` to use the built-in Noto Sans JP",
            ));
        }
        Err(e) => {
            return Err(refuse(
                format!("cannot read the font file `{}`: {e}", path.get_ref()),
                "check the file's permissions",
            ));
        }
    };
    if !meta.is_file() {
        return Err(refuse(
            format!(
                "the font `{}` is {}, not a font file",
                path.get_ref(),
                crate::input::kind_of(&meta)
            ),
            "name an .otf, .ttf or .ttc file",
        ));
    }
    if meta.len() > crate::input::MAX_FONT_BYTES {
        return Err(refuse(
            format!(
                "the font `{}` is {} MB; talkdoc accepts fonts up to {} MB",
                path.get_ref(),
                meta.len() >> 20,
                crate::input::MAX_FONT_BYTES >> 20
            ),
            "check that the right file is named; CJK font collections are about 20–30 MB",
        ));
    }
    Font::from_file(&full, &shown, cfg.font_index).map_err(|mut e| {
        for d in &mut e.diagnostics {
            if d.location.is_none() || d.location.as_ref().is_some_and(|l| l.line == 0) {
                d.location = Some(Box::new(at.clone()));
            }
        }
        e
    })
}

/// The talk title (project.toml `title`) as plain text in `locale`.
pub fn talk_title(project: &Project, locale: &str) -> Result<String> {
    let title = &project.content.config.title;
    let id = title.get_ref();
    let catalog = project.catalog.locale(locale).ok_or_else(|| {
        Error::new(Diagnostic::error(
            Code::E0301,
            format!("unknown locale `{locale}`"),
        ))
    })?;
    let at = project.content.project_file.at(title.span());
    match catalog.format(id, None) {
        Ok(v) => Ok(crate::document::plain_text(&crate::document::parse_inline(
            &v,
        ))),
        Err(e) => Err(Error::new(format_error(catalog, id, e, at).help(
            "define the message in every locale, or fix `title` in content/project.toml",
        ))),
    }
}

/// The diagnostic for a message that cannot be formatted: the code says
/// why (missing, no value, unresolvable, too large); `at` is where it is
/// named (a content file or project.toml).
pub(crate) fn format_error(
    catalog: &LocaleCatalog,
    id: &str,
    e: FormatError,
    at: Location,
) -> Diagnostic {
    let locale = &catalog.locale;
    let defined = catalog
        .entry(id.split('.').next().unwrap_or(id))
        .and_then(|e| catalog.location(e));
    match e {
        FormatError::Missing => Diagnostic::error(
            Code::E0306,
            format!("message `{id}` does not exist in locale `{locale}`"),
        )
        .at(at)
        .id(id)
        .help(format!(
            "add `{id} = ...` to a file in {}/, or fix the ID here",
            catalog.dir.display()
        )),
        FormatError::NoValue => Diagnostic::error(
            Code::E0307,
            format!("message `{id}` has no value in locale `{locale}`"),
        )
        .at(at)
        .id(id)
        .help("give the message a value, or name one of its attributes as `id.attribute`"),
        FormatError::Resolve(reasons) => {
            let unknown_variable = reasons.iter().any(|r| r.starts_with("unknown variable"));
            Diagnostic::error(
                Code::E0308,
                format!(
                    "message `{id}` cannot be formatted in locale `{locale}`: {}",
                    reasons.join("; ")
                ),
            )
            .at(defined.unwrap_or(at))
            .id(id)
            .help(if unknown_variable {
                "define the variable under [variables] in content/project.toml, or remove it from the message"
            } else {
                "fix the references in the message; run `talkdoc check` for details"
            })
        }
        FormatError::TooLarge(bytes) => Diagnostic::error(
            Code::E0309,
            format!(
                "message `{id}` can expand to {:.1} MB in locale `{locale}`; a message may be at most 1 MB",
                bytes as f64 / 1_048_576.0
            ),
        )
        .at(defined.unwrap_or(at))
        .id(id)
        .help("split the text into several messages, or check that no file was pasted by mistake"),
    }
}

/// `[pdf] combined` must name a document; so must `[pdf] parallel`, with
/// two different locales of the project to set side by side.
pub(crate) fn settings(project: &Project) -> Vec<Diagnostic> {
    let mut out = parallel_settings(project);
    let cfg = &project.content.config.pdf;
    if let Some(name) = &cfg.combined
        && !project.content.documents.contains_key(name.get_ref())
    {
        out.push(
            Diagnostic::error(
                Code::E0209,
                format!(
                    "`combined` names the document `{}`, which does not exist",
                    name.get_ref()
                ),
            )
            .at(project.content.project_file.at(name.span()))
            .help(format!(
                "name one of: {}",
                project
                    .content
                    .documents
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    out
}

/// Every character of every document (and the talk title, printed in the
/// running header and metadata) must be in the font: one error per message
/// naming all of its missing characters, at the message's definition.
pub(crate) fn glyphs(project: &Project, font: &Font, docs: &[Document]) -> Vec<Diagnostic> {
    // (locale, message ID) → missing characters, in order of appearance.
    let mut missing: BTreeMap<(String, String), Vec<char>> = BTreeMap::new();
    let mut note = |locale: &str, id: &str, text: &str| {
        for c in text.chars() {
            if c == '\n' || c == ' ' || font.has(c) {
                continue;
            }
            let list = missing
                .entry((locale.to_string(), id.to_string()))
                .or_default();
            if !list.contains(&c) {
                list.push(c);
            }
        }
    };
    // The glyphs a build can draw, for the work bound of a CFF font the
    // project names (the built-in one is known to be within it): the
    // characters' own, what shaping makes of them (ligatures), and what
    // layout adds (hyphens, bullets, page and list numbers).
    let named_font = project.content.config.pdf.font.as_ref();
    let mut used = std::collections::BTreeSet::new();
    if named_font.is_some() {
        let drawn = crate::render::pdf::layout::DRAWN;
        used.extend(drawn.chars().filter_map(|c| font.glyph(c)).map(|(g, _)| g));
    }
    let mut shaped = Vec::new();
    let mut note = |locale: &str, id: &str, text: &str| {
        if named_font.is_some() {
            used.extend(text.chars().filter_map(|c| font.glyph(c)).map(|(g, _)| g));
            shaped.clear();
            font.shape(text, 0, &mut shaped);
            used.extend(shaped.iter().map(|g| g.gid));
        }
        note(locale, id, text)
    };
    for doc in docs {
        for (id, text) in doc.visible_strings() {
            note(&doc.locale, &id, &text);
        }
    }
    let locales: std::collections::BTreeSet<&str> =
        docs.iter().map(|d| d.locale.as_str()).collect();
    for locale in locales {
        if let Ok(title) = talk_title(project, locale) {
            note(locale, project.content.config.title.get_ref(), &title);
        }
    }
    let blown = named_font.and_then(|path| {
        let why = font.unbounded(&used)?;
        Some(
            Diagnostic::error(
                Code::E0502,
                format!("the font {} cannot be embedded: {why}", font.name),
            )
            .at(project.content.project_file.at(path.span()))
            .help("name another font in `[pdf] font`, or remove `font` to use the built-in Noto Sans JP"),
        )
    });
    missing
        .into_iter()
        .map(|((locale, id), chars)| {
            let list: Vec<String> = chars
                .iter()
                .map(|&c| {
                    if c.is_control() {
                        format!("U+{:04X}", c as u32)
                    } else {
                        format!("'{c}' (U+{:04X})", c as u32)
                    }
                })
                .collect();
            let at = project.catalog.locale(&locale).and_then(|cat| {
                cat.entry(id.split('.').next().unwrap_or(&id))
                    .and_then(|e| cat.location(e))
            });
            Diagnostic::error(
                Code::E0503,
                format!(
                    "not in the font {} (locale `{locale}`): {}",
                    font.name,
                    list.join(", ")
                ),
            )
            .at_opt(at)
            .id(id)
            .help("change the text, or set [pdf] font = \"path/to/font.otf\" in content/project.toml to a font that has these characters")
        })
        .chain(blown)
        .collect()
}

/// `[pdf] parallel`: an existing document, and two different locales of
/// the project (`parallel_locales`, or the source and one other).
fn parallel_settings(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let content = &project.content;
    let cfg = &content.config.pdf;
    let file = &content.project_file;
    let Some(name) = &cfg.parallel else {
        if let Some(pair) = &cfg.parallel_locales {
            out.push(
                Diagnostic::error(
                    Code::E0211,
                    "`parallel_locales` is set but `parallel` names no document",
                )
                .at(file.at(pair.span()))
                .help("add parallel = \"<document>\" under [pdf], or remove `parallel_locales`"),
            );
        }
        return out;
    };
    if !content.documents.contains_key(name.get_ref()) {
        out.push(
            Diagnostic::error(
                Code::E0210,
                format!(
                    "`parallel` names the document `{}`, which does not exist",
                    name.get_ref()
                ),
            )
            .at(file.at(name.span()))
            .help(format!(
                "name one of: {}",
                content
                    .documents
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    let locales = content.locales();
    match &cfg.parallel_locales {
        None if locales.len() < 2 => out.push(
            Diagnostic::error(
                Code::E0211,
                format!(
                    "the parallel handout of `{}` needs two locales; the project has {}",
                    name.get_ref(),
                    locales.len()
                ),
            )
            .at(file.at(name.span()))
            .help("add a translation to `locales`, or remove `parallel`"),
        ),
        None => {}
        Some(pair) => {
            let list = pair.get_ref();
            if list.len() != 2 {
                out.push(
                    Diagnostic::error(
                        Code::E0211,
                        format!(
                            "`parallel_locales` names {} locales; the parallel handout has two columns",
                            list.len()
                        ),
                    )
                    .at(file.at(pair.span()))
                    .help("name two: the left column's locale, then the right's, e.g. [\"ja\", \"en\"]"),
                );
            }
            for (i, l) in list.iter().enumerate() {
                let problem = if !locales.contains(l.get_ref()) {
                    format!("`{}` is not one of the project's locales", l.get_ref())
                } else if list[..i].iter().any(|o| o.get_ref() == l.get_ref()) {
                    format!("`{}` is named twice", l.get_ref())
                } else {
                    continue;
                };
                out.push(
                    Diagnostic::error(Code::E0211, format!("`parallel_locales`: {problem}"))
                        .at(file.at(l.span()))
                        .help(format!("name two of: {}", locales.join(", "))),
                );
            }
        }
    }
    out
}
