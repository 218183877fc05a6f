//! `talkdoc watch`: rebuild on every change while the author edits.
//!
//! The project is kept in memory between rebuilds; each rebuild reloads
//! the sources (about a millisecond), assembles every document, and
//! re-renders only the outputs whose document or talk title changed —
//! the PDFs are the expensive part, so a one-message edit re-renders only
//! the documents that show that message. Bad input prints the error and
//! keeps the last good outputs; Ctrl-C ends the session cleanly.

use crate::codes::Code;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::build::{Assembled, Renderers, Selection};
use crate::cli::{BuildArgs, report_error, say};
use crate::diag::display_path;
use crate::diag::{Error, Result};
use crate::project::Project;

/// Changes closer together than this are one rebuild (an editor's save
/// is often several writes and a rename).
const DEBOUNCE: Duration = Duration::from_millis(50);

/// A watch session: what the last good build was made from.
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    selection: Selection,
    /// The settings file the renderers were made for (they hold the font).
    settings: Vec<u8>,
    renderers: Renderers,
    last: Assembled,
}

/// What one rebuild did.
pub struct Rebuilt {
    pub written: Vec<PathBuf>,
    pub took: Duration,
    /// `check`'s verdict on the new state: (errors, warnings), found after
    /// the outputs were written (not counted in `took`).
    pub check: (usize, usize),
}

impl Session {
    /// Builds everything once (as `talkdoc build` does) and keeps what it
    /// was built from.
    pub fn start(root: &Path, out: &Path, selection: Selection) -> Result<(Session, Rebuilt)> {
        let t0 = Instant::now();
        let project = Project::load(root)?;
        let renderers = Renderers::new(&project, &selection.formats)?;
        let assembled = crate::build::assemble_all(&project, &selection, &renderers)?;
        let files = crate::build::render(&project, &assembled, &renderers, &|_| true)?;
        let published = crate::build::publish(&project, out, files)?;
        let report = crate::check::run(&project);
        let session = Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            selection,
            settings: settings_bytes(root, &project),
            renderers,
            last: assembled,
        };
        Ok((
            session,
            Rebuilt {
                written: published.written,
                took: t0.elapsed(),
                check: (report.errors(), report.warnings()),
            },
        ))
    }

    /// Reloads the project and writes the outputs that changed. On error
    /// nothing is written and the last good state is kept.
    pub fn rebuild(&mut self) -> Result<Rebuilt> {
        let t0 = Instant::now();
        let project = Project::load(&self.root)?;
        let settings = settings_bytes(&self.root, &project);
        let fresh_renderers = settings != self.settings;
        if fresh_renderers {
            // The font or the export settings may have changed.
            self.renderers = Renderers::new(&project, &self.selection.formats)?;
        }
        let assembled = crate::build::assemble_all(&project, &self.selection, &self.renderers)?;
        let last = &self.last;
        // A document changed when the same document in the same locale was
        // not built before, or was built differently (or under another
        // talk title). Compared by name, never by content alone: a document
        // edited into a copy of another one still has to be written.
        let changed = |i: usize| {
            let new = &assembled.docs[i];
            fresh_renderers
                || !last.docs.iter().zip(&last.titles).any(|(d, t)| {
                    d.name == new.name
                        && d.locale == new.locale
                        && d == new
                        && *t == assembled.titles[i]
                })
        };
        let files = crate::build::render(&project, &assembled, &self.renderers, &changed)?;
        let published = crate::build::publish(&project, &self.out, files)?;
        // The outputs are written: that is the rebuild's time. `check`'s
        // verdict for the summary line comes after.
        let took = t0.elapsed();
        let report = crate::check::run(&project);
        self.settings = settings;
        self.last = assembled;
        Ok(Rebuilt {
            written: published.written,
            took,
            check: (report.errors(), report.warnings()),
        })
    }
}

fn settings_bytes(root: &Path, project: &Project) -> Vec<u8> {
    let mut bytes = std::fs::read(root.join("content").join("project.toml")).unwrap_or_default();
    // A document's own `[pdf] qr` changes its PDFs, not its text.
    let pdf = crate::render::pdf::Settings::from_content(&project.content);
    bytes.extend(format!("{pdf:?}").bytes());
    bytes
}

fn summary(r: &Rebuilt) -> String {
    let (e, w) = r.check;
    format!(
        "{} file{} in {} ms · check {}: {e} error{}, {w} warning{}",
        r.written.len(),
        if r.written.len() == 1 { "" } else { "s" },
        r.took.as_millis(),
        if e > 0 { "failed" } else { "passed" },
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" },
    )
}

/// Why the watcher woke up.
enum Wake {
    Changed,
    Stop,
}

/// Runs the session until Ctrl-C.
pub fn watch(root: &Path, args: &BuildArgs) -> Result<ExitCode> {
    use notify::Watcher;
    let out = crate::cli::out_dir(root, args)?;
    let (tx, rx) = mpsc::channel::<Wake>();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    })
    .map_err(|e| watch_error(&format!("cannot handle Ctrl-C: {e}")))?;
    let changed = tx;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = changed.send(Wake::Changed);
        }
    })
    .map_err(|e| watch_error(&format!("cannot watch the project: {e}")))?;
    for dir in ["content", "locales"] {
        let path = root.join(dir);
        watcher
            .watch(&path, notify::RecursiveMode::Recursive)
            .map_err(|e| watch_error(&format!("cannot watch {}: {e}", path.display())))?;
    }
    say(&format!(
        "watching {} and {} (Ctrl-C to stop)",
        display_path(root, &root.join("content")).display(),
        display_path(root, &root.join("locales")).display()
    ));
    let mut session = match Session::start(root, &out, args.selection()) {
        Ok((session, built)) => {
            say(&format!("built {}", summary(&built)));
            Some(session)
        }
        Err(e) => {
            report_error(&e);
            None
        }
    };
    loop {
        match rx.recv() {
            Ok(Wake::Stop) | Err(_) => break,
            Ok(Wake::Changed) => {}
        }
        // Debounce: wait until the changes stop for a moment.
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(Wake::Changed) => continue,
                Ok(Wake::Stop) => {
                    say("stopped");
                    return Ok(ExitCode::SUCCESS);
                }
                Err(_) => break,
            }
        }
        let result = match session.as_mut() {
            Some(s) => s.rebuild(),
            None => Session::start(root, &out, args.selection()).map(|(s, built)| {
                session = Some(s);
                built
            }),
        };
        match result {
            Ok(r) => say(&format!("rebuilt {}", summary(&r))),
            Err(e) => {
                report_error(&e);
                say("kept the last good outputs; waiting for the next change");
            }
        }
    }
    say("stopped");
    Ok(ExitCode::SUCCESS)
}

fn watch_error(message: &str) -> Error {
    Error::new(
        crate::diag::Diagnostic::error(Code::E0703, message.to_string())
            .help("check that the project's content/ and locales/ folders exist and can be read"),
    )
}
