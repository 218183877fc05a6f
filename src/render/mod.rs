//! Renderers: one module per output format, all reading the same
//! [`Document`] model (mdBook's `Renderer` design).
//!
//! A renderer turns documents into bytes and nothing else; writing files is
//! the caller's job (see [`crate::output`]), so a failed render can never
//! leave a half-written file behind.

pub mod markdown;
pub mod pdf;
pub mod text;

use std::path::PathBuf;

use crate::diag::Result;
use crate::document::Document;

/// Everything a renderer may read: the whole assembled set (mdBook's
/// `RenderContext` gets the whole book), so a renderer decides its own
/// outputs — one file per document, or one file from several (the PDF's
/// bilingual handout) — with no caller knowing which.
pub struct RenderContext<'a> {
    /// Every assembled document of the run, in locale-then-document order.
    pub docs: &'a [Document],
    /// The talk title in each document's locale (same order as `docs`).
    pub titles: &'a [String],
    /// `author` from `content/project.toml`, for document metadata.
    pub author: Option<&'a str>,
    /// `keywords` from `content/project.toml`, for document metadata.
    pub keywords: &'a [String],
    /// `[pdf] combined`: the document also rendered once with every locale.
    pub combined: Option<&'a str>,
    /// `[pdf]`: the page setup of each locale's PDFs.
    pub pdf: &'a crate::config::PdfConfig,
}

/// One file a renderer will make: where it goes and which documents (by
/// index into [`RenderContext::docs`]) it is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path under the output folder, e.g. `ja/abstract.md`.
    pub relative: PathBuf,
    /// The documents it is made from, in order; more than one for a
    /// combined or parallel PDF.
    pub parts: Vec<usize>,
}

/// One output format.
pub trait Renderer: Sync {
    /// Format name as used on the command line (`md`, `txt`, `pdf`).
    fn name(&self) -> &'static str;
    /// The files this renderer makes from the whole set.
    fn outputs(&self, ctx: &RenderContext<'_>) -> Vec<Output>;
    /// The bytes of one of those files. Called in parallel.
    fn render(&self, ctx: &RenderContext<'_>, output: &Output) -> Result<Vec<u8>>;
    /// Called before `outputs` are rendered when the run leaves a core idle
    /// (a build of one PDF): work the renderer would otherwise do itself
    /// later may start there ([`WarmUp::start`]). It must return at once
    /// and never change what `render` makes: whatever the warm-up has not
    /// done when `render` needs it, `render` does itself.
    fn warm_up(&self, _ctx: &RenderContext<'_>, _outputs: &[&Output]) -> Option<WarmUp> {
        None
    }
}

/// Work started on an idle core ahead of rendering, on a thread of its
/// own that the run waits for only while it is running: a thread that has
/// not started yet by the end (a virtual machine can start one
/// milliseconds late) never does its work at all.
pub struct WarmUp {
    shared: std::sync::Arc<WarmShared>,
}

#[derive(Default)]
struct WarmShared {
    stop: std::sync::atomic::AtomicBool,
    state: std::sync::Mutex<WarmState>,
    ended: std::sync::Condvar,
}

#[derive(Default)]
struct WarmState {
    running: bool,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// A warm-up dropped without being settled (the run is unwinding) is told
/// to stop at its next step.
impl Drop for WarmUp {
    fn drop(&mut self) {
        self.shared
            .stop
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

impl WarmUp {
    /// Runs `work` on a new thread kept off the calling thread's CPU;
    /// `work` should look at the flag it gets between steps and return
    /// when it is set. `None` if no thread could be made.
    pub fn start(
        work: impl FnOnce(&std::sync::atomic::AtomicBool) + Send + 'static,
    ) -> Option<WarmUp> {
        use std::sync::atomic::Ordering;
        let shared = std::sync::Arc::new(WarmShared::default());
        let theirs = shared.clone();
        let body = move || {
            {
                let mut state = theirs.state.lock().unwrap_or_else(|e| e.into_inner());
                if theirs.stop.load(Ordering::Acquire) {
                    return;
                }
                state.running = true;
            }
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&theirs.stop)));
            let mut state = theirs.state.lock().unwrap_or_else(|e| e.into_inner());
            state.running = false;
            state.panic = result.err();
            theirs.ended.notify_all();
        };
        let handle = std::thread::Builder::new()
            .name("talkdoc-warm-up".into())
            .spawn(body)
            .ok()?;
        crate::threads::elsewhere(&handle);
        Some(WarmUp { shared })
    }

    /// Stops the work: waits for it only if it is running (it stops after
    /// its current step). A panic in it is the run's (as a render
    /// thread's is), raised here, before anything is written.
    pub fn settle(self) {
        self.shared
            .stop
            .store(true, std::sync::atomic::Ordering::Release);
        let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.running {
            state = self
                .shared
                .ended
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
        if let Some(panic) = state.panic.take() {
            drop(state);
            std::panic::resume_unwind(panic);
        }
    }
}

/// One file per document: `<locale>/<document>.<extension>`.
pub fn per_document(ctx: &RenderContext<'_>, extension: &str) -> Vec<Output> {
    ctx.docs
        .iter()
        .enumerate()
        .map(|(i, d)| Output {
            relative: PathBuf::from(&d.locale).join(format!("{}.{extension}", d.name)),
            parts: vec![i],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::WarmUp;
    use std::sync::atomic::Ordering;
    use std::sync::mpsc;

    /// A warm-up's panic is raised where the run settles it (before
    /// anything is written), never lost with its thread.
    #[test]
    fn a_panic_in_a_warm_up_is_the_runs() {
        let (tx, rx) = mpsc::channel();
        let w = WarmUp::start(move |_| {
            tx.send(()).expect("started");
            panic!("warm-up failed");
        })
        .expect("a thread");
        rx.recv().expect("it ran");
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| w.settle()));
        assert!(caught.is_err(), "the warm-up's panic was swallowed");
    }

    /// Settling stops running work at its next step, and work whose thread
    /// has not started by then never runs.
    #[test]
    fn settling_stops_the_work() {
        let (tx, rx) = mpsc::channel();
        let steps = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = steps.clone();
        let w = WarmUp::start(move |stop| {
            tx.send(()).expect("started");
            while !stop.load(Ordering::Relaxed) {
                counted.fetch_add(1, Ordering::Relaxed);
                std::thread::yield_now();
            }
        })
        .expect("a thread");
        rx.recv().expect("it ran");
        w.settle();
        let after = steps.load(Ordering::Relaxed);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(
            steps.load(Ordering::Relaxed),
            after,
            "it went on after settle"
        );

        // Settled, perhaps before its thread started: no work may run
        // after settle returns.
        for _ in 0..20 {
            let settled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let late = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let (s2, l2) = (settled.clone(), late.clone());
            let w = WarmUp::start(move |_| {
                if s2.load(Ordering::SeqCst) {
                    l2.store(true, Ordering::SeqCst);
                }
            })
            .expect("a thread");
            w.settle();
            settled.store(true, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            assert!(!late.load(Ordering::SeqCst), "work ran after settle");
        }
    }
}
