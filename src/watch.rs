//! `talkdoc watch`: rebuild on every change while the author edits.
//!
//! The project is kept in memory between rebuilds; each rebuild reloads
//! the sources (about a millisecond), assembles every document, and
//! re-renders only the outputs whose document or talk title changed —
//! the PDFs are the expensive part, so a one-message edit re-renders only
//! the documents that show that message. Bad input prints the error and
//! keeps the last good outputs; Ctrl-C ends the session cleanly.
//!
//! The loop knows nothing of the command line or of printing: it reports
//! `Event`s, and `cli` decides what the user sees.

use crate::codes::Code;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::build::{Assembled, Renderers, Selection};
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
#[derive(Debug)]
pub struct Rebuilt {
    /// Every file written, as full paths.
    pub written: Vec<PathBuf>,
    /// How many outputs were already there with the same bytes, and left
    /// as they were.
    pub unchanged: usize,
    /// How long the rebuild took until the outputs were written.
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
        let renderers = Renderers::for_session(&project, &selection.formats)?;
        let picked = selection.pick(&project)?;
        let assembled = crate::build::assemble_all(&project, &picked, &renderers)?;
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
                written: published.written(),
                unchanged: published.unchanged(),
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
            self.renderers = Renderers::for_session(&project, &self.selection.formats)?;
        }
        let picked = self.selection.pick(&project)?;
        let assembled = crate::build::assemble_all(&project, &picked, &self.renderers)?;
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
            written: published.written(),
            unchanged: published.unchanged(),
            took,
            check: (report.errors(), report.warnings()),
        })
    }
}

fn settings_bytes(root: &Path, project: &Project) -> Vec<u8> {
    // Read as the load read it (a regular file under the cap): the load
    // that just succeeded has checked it.
    let path = root.join("content").join("project.toml");
    let mut bytes = crate::input::read_capped(
        &path,
        &path,
        crate::input::MAX_TOML_BYTES,
        crate::codes::Code::E0001,
        "read the project settings",
    )
    .unwrap_or_default();
    // A document's own `[pdf] qr` changes its PDFs, not its text.
    let pdf = crate::render::pdf::Settings::from_content(&project.content);
    bytes.extend(format!("{pdf:?}").bytes());
    bytes
}

/// Why the watcher woke up.
enum Wake {
    Changed,
    Stop,
}

/// What happened in a watch loop, for the caller to show as it likes.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    /// `content/` and `locales/` are watched; the first build comes next.
    Watching,
    /// The first build succeeded.
    Built(&'a Rebuilt),
    /// The first build failed; the next change tries again.
    StartFailed(&'a Error),
    /// A change was built.
    Rebuilt(&'a Rebuilt),
    /// A change could not be built; the last good outputs are kept.
    RebuildFailed(&'a Error),
    /// Ctrl-C: the loop ends.
    Stopped,
}

/// Watches `root`'s `content/` and `locales/`, builds `selection` into
/// `out` once and again after every change, and reports each step to
/// `on`, until Ctrl-C. Errors are only those that keep the loop from
/// running at all (no Ctrl-C handler, a folder that cannot be watched);
/// a failed build is an [`Event`], and the loop goes on.
pub(crate) fn run(
    root: &Path,
    out: &Path,
    selection: &Selection,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<()> {
    use notify::Watcher;
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
    on(Event::Watching);
    let mut session = match Session::start(root, out, selection.clone()) {
        Ok((session, built)) => {
            on(Event::Built(&built));
            Some(session)
        }
        Err(e) => {
            on(Event::StartFailed(&e));
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
                    on(Event::Stopped);
                    return Ok(());
                }
                Err(_) => break,
            }
        }
        let result = match session.as_mut() {
            Some(s) => s.rebuild(),
            None => Session::start(root, out, selection.clone()).map(|(s, built)| {
                session = Some(s);
                built
            }),
        };
        match result {
            Ok(r) => on(Event::Rebuilt(&r)),
            Err(e) => on(Event::RebuildFailed(&e)),
        }
    }
    on(Event::Stopped);
    Ok(())
}

fn watch_error(message: &str) -> Error {
    Error::new(
        crate::diag::Diagnostic::error(Code::E0703, message.to_string())
            .help("check that the project's content/ and locales/ folders exist and can be read"),
    )
}
