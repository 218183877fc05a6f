//! The build pipeline over a loaded [`Project`]: pick what to build,
//! assemble it, check it the way `check` does, render every output in
//! parallel. Bytes only: [`crate::output`] writes them.
//!
//! The command line is a few lines over this (mdBook's build command is
//! 36 lines over its library); `watch` reuses the same steps to re-render
//! only what an edit changed.

/// The pre-flight's font loading and talk-title formatting, for tools built
/// on the library (the sweep example, the tests) that lay out documents
/// themselves.
pub use crate::preflight::{load_font, talk_title};

use crate::codes::Code;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::assemble::assemble;
use crate::diag::{Diagnostic, Error, Result};
use crate::document::Document;
use crate::output::OutputFile;
use crate::project::Project;
use crate::render::markdown::Markdown;
use crate::render::pdf::Pdf;
use crate::render::text::PlainText;
use crate::render::{Output, RenderContext, Renderer};

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown: LOCALE/DOCUMENT.md
    Md,
    /// Plain text: LOCALE/DOCUMENT.txt
    Txt,
    /// PDF: LOCALE/DOCUMENT.pdf, and the combined handout if configured
    Pdf,
}

/// What to build; empty lists mean everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `--locale`: locales to build, checked against `content/project.toml`.
    pub locales: Vec<String>,
    /// `--document`: documents to build, checked against `content/documents/`.
    pub documents: Vec<String>,
    /// `--format`: formats to build.
    pub formats: Vec<Format>,
}

/// Every document of the selection, assembled, with its talk title.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assembled {
    pub docs: Vec<Document>,
    /// The talk title in each document's locale (same order as `docs`).
    pub titles: Vec<String>,
}

/// The renderers of a run; the PDF one holds the parsed font, so a run
/// (or a whole `watch` session) parses it once.
pub(crate) struct Renderers {
    list: Vec<Box<dyn Renderer>>,
    /// The PDF font, shared with the PDF renderer: the pre-flight checks
    /// every character against it.
    font: Option<std::sync::Arc<crate::render::pdf::fonts::Font>>,
}

impl Renderers {
    pub(crate) fn new(project: &Project, formats: &[Format]) -> Result<Renderers> {
        Renderers::made(project, formats, false)
    }

    /// Renderers for `watch`, which keep what a later rebuild can reuse
    /// (the PDF renderer's deflated streams).
    pub(crate) fn for_session(project: &Project, formats: &[Format]) -> Result<Renderers> {
        Renderers::made(project, formats, true)
    }

    fn made(project: &Project, formats: &[Format], session: bool) -> Result<Renderers> {
        let formats = if formats.is_empty() {
            &[Format::Md, Format::Txt, Format::Pdf][..]
        } else {
            formats
        };
        let mut list: Vec<Box<dyn Renderer>> = Vec::new();
        let mut font = None;
        for f in formats {
            match f {
                Format::Md => list.push(Box::new(Markdown)),
                Format::Txt => list.push(Box::new(PlainText)),
                Format::Pdf => {
                    let f = std::sync::Arc::new(crate::preflight::load_font(project)?);
                    let pdf = Pdf::new(f.clone()).with_settings(
                        crate::render::pdf::Settings::from_content(&project.content),
                    );
                    list.push(Box::new(if session { pdf.keeping_streams() } else { pdf }));
                    font = Some(f);
                }
            }
        }
        Ok(Renderers { list, font })
    }

    /// The font of the PDF renderer, if PDFs are built.
    fn font(&self) -> Option<&crate::render::pdf::fonts::Font> {
        self.font.as_deref()
    }
}

/// A [`Selection`] checked against a project: the locales and documents
/// to build, in the project's order. Made once per run by
/// [`Selection::pick`], so a bad `--locale` is reported once, and before
/// anything expensive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picked {
    /// Locales to build.
    pub locales: Vec<String>,
    /// Documents to build, in every one of those locales.
    pub documents: Vec<String>,
}

impl Selection {
    /// The locales and documents this selection names in `project` (all
    /// when none are named); a name the project lacks is a bad argument
    /// (E0007, exit 2). A project that did not load cleanly is refused
    /// first.
    pub(crate) fn pick(&self, project: &Project) -> Result<Picked> {
        project.ensure_loaded_cleanly()?;
        let locales = pick("locale", &self.locales, &project.content.locales())?;
        let all_docs: Vec<String> = project.content.documents.keys().cloned().collect();
        let documents = pick("document", &self.documents, &all_docs)?;
        Ok(Picked { locales, documents })
    }
}

/// Assembles what was picked and runs the pre-flight `check` also runs:
/// settings, and (when PDFs are wanted) every character against the font.
pub(crate) fn assemble_all(
    project: &Project,
    picked: &Picked,
    renderers: &Renderers,
) -> Result<Assembled> {
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    for locale in &picked.locales {
        for name in &picked.documents {
            match assemble(project, name, locale) {
                Ok(d) => docs.push(d),
                Err(e) => errors.extend(e.diagnostics),
            }
        }
    }
    errors.extend(crate::preflight::settings(project));
    if !errors.is_empty() {
        return Err(Error::many(dedup(errors)));
    }
    if let Some(font) = renderers.font() {
        let missing = crate::preflight::glyphs(project, font, &docs);
        if !missing.is_empty() {
            return Err(Error::many(missing));
        }
    }
    let titles = docs
        .iter()
        .map(|d| talk_title(project, &d.locale))
        .collect::<Result<_>>()?;
    Ok(Assembled { docs, titles })
}

/// Everything `build` renders, before anything is written.
pub fn plan(project: &Project, sel: &Selection) -> Result<Vec<OutputFile>> {
    // Bad arguments first: they are reported as such (exit 2) before the
    // font is loaded.
    let picked = sel.pick(project)?;
    let renderers = Renderers::new(project, &sel.formats)?;
    let assembled = assemble_all(project, &picked, &renderers)?;
    render(project, &assembled, &renderers, &|_| true)
}

/// `talkdoc build`: renders `sel` of `project` into `out`. Each output is
/// written to a temporary file by this thread as soon as a render thread
/// has made it (the writing overlaps the rendering), and all are swapped
/// in at the end ([`Publishing`]): an error anywhere leaves `out` as it was.
pub(crate) fn build_into(project: &Project, sel: &Selection, out: &Path) -> Result<Published> {
    let picked = sel.pick(project)?;
    let renderers = Renderers::new(project, &sel.formats)?;
    let assembled = assemble_all(project, &picked, &renderers)?;
    let mut publishing = Publishing::begin(project, out)?;
    render_each(
        project,
        &assembled,
        &renderers,
        &|_| true,
        &mut |order, file| publishing.stage(order, &file),
    )?;
    let published = publishing.finish()?;
    // The run ends here: freeing the laid-out pages, paragraphs, subsets and
    // documents one by one (~0.8 ms) is work the process exit does at once.
    std::mem::forget((renderers, assembled));
    Ok(published)
}

/// Renders the outputs of `assembled` made from at least one document
/// whose index passes `only`, in parallel (the largest first, so no core
/// idles at the end), and returns them in a stable order: per document,
/// per format, files made from several documents last.
pub(crate) fn render(
    project: &Project,
    assembled: &Assembled,
    renderers: &Renderers,
    only: &(dyn Fn(usize) -> bool + Sync),
) -> Result<Vec<OutputFile>> {
    let mut files: Vec<(usize, OutputFile)> = Vec::new();
    render_each(project, assembled, renderers, only, &mut |order, file| {
        files.push((order, file));
        Ok(())
    })?;
    files.sort_by_key(|(order, _)| *order);
    Ok(files.into_iter().map(|(_, f)| f).collect())
}

/// [`render`], handing each output to `ready` on the calling thread as
/// soon as it is made, with its place in the stable order. Stops at the
/// first error (a render's or `ready`'s).
pub(crate) fn render_each(
    project: &Project,
    assembled: &Assembled,
    renderers: &Renderers,
    only: &(dyn Fn(usize) -> bool + Sync),
    ready: &mut dyn FnMut(usize, OutputFile) -> Result<()>,
) -> Result<()> {
    let config = &project.content.config;
    let ctx = RenderContext {
        docs: &assembled.docs,
        titles: &assembled.titles,
        author: config.author.as_deref(),
        keywords: &config.keywords,
        combined: config.pdf.combined.as_ref().map(|c| c.get_ref().as_str()),
        pdf: &config.pdf,
    };
    // (output, renderer) pairs, in the order they are listed.
    let mut jobs: Vec<(Output, &dyn Renderer)> = renderers
        .list
        .iter()
        .flat_map(|r| {
            r.outputs(&ctx)
                .into_iter()
                .filter(|o| o.parts.iter().any(|&i| only(i)))
                .map(move |o| (o, r.as_ref()))
        })
        .collect();
    let order = |job: &(Output, &dyn Renderer)| {
        let r = renderers
            .list
            .iter()
            .position(|x| std::ptr::addr_eq(x.as_ref(), job.1))
            .unwrap_or(0);
        (job.0.parts.len() > 1, job.0.parts[0], r)
    };
    jobs.sort_by_key(|j| order(j));
    // Largest first, so that no thread is left alone with a big job at the
    // end (two threads ended up to 3 ms apart in the listed order): the
    // many-document files, then by the text a job sets, a PDF weighing as
    // twenty Markdown or text files (measured: a PDF takes ~1–2 ms, the
    // other two ~0.05 ms). Ahead of all, when there are two or more, the
    // single-document files whose documents a many-document file of the
    // same renderer is made of (the per-locale handouts of the bilingual
    // ones): each thread then lays out and shapes a different locale, and
    // the many-document files find both laid out, where two threads that
    // started on the two bilingual handouts shaped the same paragraphs
    // side by side (measured: −0.9 ms of a build's wall time, the same CPU
    // time). Not one alone (`watch` after an edit to one locale): the
    // other thread would start on a bilingual file and wait for it.
    let text_len: Vec<usize> = assembled
        .docs
        .iter()
        .map(|d| {
            d.texts()
                .iter()
                .map(|t| crate::document::plain_text(&t.inlines).len())
                .sum()
        })
        .collect();
    let cost = |i: usize| {
        let (output, r) = &jobs[i];
        let text: usize = output
            .parts
            .iter()
            .map(|&p| text_len.get(p).copied().unwrap_or(0))
            .sum();
        text * if r.name() == "pdf" { 20 } else { 1 }
    };
    let is_part = |i: usize| {
        let (output, r) = &jobs[i];
        output.parts.len() == 1
            && jobs.iter().any(|(o, other)| {
                o.parts.len() > 1
                    && std::ptr::addr_eq(*other, *r)
                    && o.parts.contains(&output.parts[0])
            })
    };
    let parts_first = (0..jobs.len()).filter(|&i| is_part(i)).count() >= 2;
    let mut schedule: Vec<usize> = (0..jobs.len()).collect();
    schedule.sort_by_cached_key(|&i| {
        std::cmp::Reverse((parts_first && is_part(i), jobs[i].0.parts.len(), cost(i)))
    });
    // Fewer jobs than cores: the renderers may start on work of theirs
    // there (one PDF on two cores: its QR codes, its layout from the
    // end, its font program).
    let mut warm_ups = Vec::new();
    if jobs.len() < std::thread::available_parallelism().map_or(1, |n| n.get()) {
        for r in &renderers.list {
            let mine: Vec<&Output> = jobs
                .iter()
                .filter(|(_, j)| std::ptr::addr_eq(*j, r.as_ref()))
                .map(|(o, _)| o)
                .collect();
            if !mine.is_empty() {
                warm_ups.extend(r.warm_up(&ctx, &mine));
            }
        }
    }
    let t0 = std::time::Instant::now();
    let trace = crate::verbose();
    let rendered = parallel_each(
        &schedule,
        |&i| {
            let (output, r) = &jobs[i];
            let start = t0.elapsed();
            let bytes = r.render(&ctx, output);
            if trace {
                eprintln!(
                    "talkdoc: rendered {} on {:?}: {:?} -> {:?}",
                    output.relative.display(),
                    std::thread::current().id(),
                    start,
                    t0.elapsed()
                );
            }
            bytes.map(|bytes| (i, bytes))
        },
        &mut |(i, bytes): (usize, Vec<u8>)| {
            let file = OutputFile {
                relative: jobs[i].0.relative.clone(),
                bytes,
            };
            ready(i, file)
        },
    );
    // Before anything is written: a panic in a warm-up is the run's.
    for w in warm_ups {
        w.settle();
    }
    rendered
}

/// Every file a full build of `project` writes, relative to the output
/// folder: what a build may remove when it no longer corresponds to
/// anything (see `output::Manifest`).
pub(crate) fn all_outputs(project: &Project) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for locale in project.content.locales() {
        for name in project.content.documents.keys() {
            for ext in ["md", "txt", "pdf"] {
                out.insert(Path::new(&locale).join(format!("{name}.{ext}")));
            }
        }
    }
    if let Some(c) = &project.content.config.pdf.combined {
        out.insert(PathBuf::from(format!("{}.pdf", c.get_ref())));
    }
    if let Some(p) = crate::render::pdf::Settings::from_content(&project.content).parallel {
        out.insert(p.relative());
    }
    out
}

/// Runs `f` on each of `items` on up to `available_parallelism` threads
/// and hands each result to `done` on the calling thread as it comes.
/// Stops taking new items after the first error.
///
/// The calling thread takes items too, between handing on results: on a
/// virtual machine a new thread can take milliseconds to start running,
/// and the first items are the largest.
fn parallel_each<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R> + Sync,
    done: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        for item in items {
            done(f(item)?)?;
        }
        return Ok(());
    }
    let (next, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
    let take = || {
        (!stop.load(Ordering::Relaxed))
            .then(|| items.get(next.fetch_add(1, Ordering::Relaxed)))
            .flatten()
    };
    let (tx, rx) = std::sync::mpsc::channel();
    // One sender per helper, taken when it starts (dropped when it ends,
    // panicking or not): the results below end when all have.
    let senders = std::sync::Mutex::new(vec![tx.clone(); threads - 1]);
    drop(tx);
    let work = || {
        let Some(tx) = senders.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
            return;
        };
        while let Some(item) = take() {
            if tx.send(f(item)).is_err() {
                break;
            }
        }
    };
    // A panicking helper takes the run down with it (`threads::run` raises
    // it; the panic hook prints an internal error): its outputs must not
    // just vanish.
    crate::threads::run(threads - 1, &work, || {
        let mut result = Ok(());
        let mut hand_on = |r: Result<R>, result: &mut Result<()>| {
            if result.is_ok() {
                *result = r.and_then(&mut *done);
                if result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        };
        while let Some(item) = take() {
            let r = f(item);
            hand_on(r, &mut result);
            for r in rx.try_iter() {
                hand_on(r, &mut result);
            }
        }
        // Until every helper has finished (or panicked: its sender drops).
        // Senders of helpers that never started are dropped here.
        senders.lock().unwrap_or_else(|e| e.into_inner()).clear();
        for r in rx.iter() {
            hand_on(r, &mut result);
        }
        result
    })
}

/// The same missing message is reported once per document that uses it;
/// keep one report per location.
fn dedup(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert(d.headline()));
    diags
}

/// `wanted` (all of `all` when empty), each checked to exist (E0007, a bad
/// argument: exit 2).
pub(crate) fn pick(what: &str, wanted: &[String], all: &[String]) -> Result<Vec<String>> {
    if wanted.is_empty() {
        return Ok(all.to_vec());
    }
    for w in wanted {
        if !all.contains(w) {
            return Err(Error::new(
                Diagnostic::error(Code::E0007, format!("unknown {what} `{w}`"))
                    .help(format!("choose from: {}", all.join(", "))),
            ));
        }
    }
    Ok(all.iter().filter(|a| wanted.contains(a)).cloned().collect())
}

/// What a [`publish`] did.
pub(crate) struct Published {
    /// Every output, in the order of the outputs.
    pub outputs: Vec<Outcome>,
    /// Outputs of earlier builds that no longer correspond to anything
    /// (a renamed document, a removed locale), removed.
    pub removed: Vec<PathBuf>,
}

/// One output of a [`publish`].
pub(crate) struct Outcome {
    /// Its full path.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: usize,
    /// Whether it was written: `false` when the file was already there
    /// with exactly these bytes, and left as it was.
    pub written: bool,
}

impl Published {
    /// The files written, as full paths, in the order of the outputs.
    pub(crate) fn written(&self) -> Vec<PathBuf> {
        self.outputs
            .iter()
            .filter(|o| o.written)
            .map(|o| o.path.clone())
            .collect()
    }

    /// How many outputs were already there with the same bytes.
    pub(crate) fn unchanged(&self) -> usize {
        self.outputs.iter().filter(|o| !o.written).count()
    }
}

/// The list of files talkdoc wrote into an output folder, so a later build
/// can remove the ones that no longer correspond to a document without
/// ever touching a file it did not write.
pub const MANIFEST: &str = ".talkdoc-outputs";

/// Writes `files` into `out` (all or nothing, under the folder's lock),
/// records them in the folder's manifest, and removes earlier outputs that
/// the project no longer produces.
pub(crate) fn publish(project: &Project, out: &Path, files: Vec<OutputFile>) -> Result<Published> {
    let mut publishing = Publishing::begin(project, out)?;
    for (i, f) in files.iter().enumerate() {
        publishing.stage(i, f)?;
    }
    publishing.finish()
}

/// A build's writing into its output folder: the folder made and locked
/// and its manifest read before the first output is staged, every output
/// swapped in by [`Publishing::finish`] with the new manifest, and the
/// outputs no document produces any more removed. Dropped unfinished, it
/// leaves the folder as it was (see [`crate::output::Staging`]).
pub(crate) struct Publishing<'p> {
    project: &'p Project,
    earlier: BTreeSet<PathBuf>,
    /// Relative path and size of each output staged, by order.
    staged: Vec<(usize, PathBuf, usize)>,
    staging: crate::output::Staging,
    /// Held until the end, after `staging` has cleaned up.
    _lock: std::fs::File,
}

impl<'p> Publishing<'p> {
    /// Makes and locks `out`, and reads what earlier builds wrote there.
    pub(crate) fn begin(project: &'p Project, out: &Path) -> Result<Publishing<'p>> {
        // Made outside the staging: the lock is on this folder, so it stays
        // even if this build fails (another run may be waiting on it).
        std::fs::create_dir_all(out)
            .map_err(|e| Error::io(Code::E0401, "create the output folder", out, &e))?;
        let lock = crate::output::lock_dir(out)?;
        let staging = crate::output::Staging::new(out, false).keeping_identical();
        Ok(Publishing {
            project,
            earlier: read_manifest(out),
            staged: Vec::new(),
            staging,
            _lock: lock,
        })
    }

    /// Writes `file` beside its target (unless the target already holds
    /// it); `order` is its place in [`Published::outputs`].
    pub(crate) fn stage(&mut self, order: usize, file: &OutputFile) -> Result<()> {
        self.staging.stage(order, file)?;
        self.staged
            .push((order, file.relative.clone(), file.bytes.len()));
        Ok(())
    }

    /// Swaps every staged output and the manifest in, then removes what
    /// earlier builds wrote that nothing produces now.
    pub(crate) fn finish(self) -> Result<Published> {
        let Publishing {
            project,
            earlier,
            mut staged,
            mut staging,
            _lock,
        } = self;
        staged.sort_by_key(|(order, ..)| *order);
        let sizes: Vec<usize> = staged.iter().map(|(.., size)| *size).collect();
        let out = staging.out_dir().to_path_buf();
        let produced = all_outputs(project);
        let mut listed: BTreeSet<PathBuf> = earlier.intersection(&produced).cloned().collect();
        listed.extend(staged.into_iter().map(|(_, relative, _)| relative));
        let mut manifest = String::from(
            "# Files written by talkdoc build; it removes them when no document produces them any more.\n",
        );
        for p in &listed {
            manifest.push_str(&p.to_string_lossy());
            manifest.push('\n');
        }
        staging.stage(
            usize::MAX,
            &OutputFile {
                relative: PathBuf::from(MANIFEST),
                bytes: manifest.into_bytes(),
            },
        )?;
        // Both sorted by order, the manifest (last) aside: one each.
        let outputs: Vec<Outcome> = staging
            .commit()?
            .into_iter()
            .filter(|(order, ..)| *order != usize::MAX)
            .zip(&sizes)
            .map(|((_, path, written), size)| Outcome {
                path,
                size: *size,
                written,
            })
            .collect();
        let mut removed = Vec::new();
        for stale in earlier.difference(&produced) {
            if crate::output::remove_output(&out, stale) {
                removed.push(out.join(stale));
            }
        }
        Ok(Published { outputs, removed })
    }
}

/// The manifest's entries; only plain relative paths are taken (a
/// hand-edited `../x` is ignored, never deleted).
fn read_manifest(out: &Path) -> BTreeSet<PathBuf> {
    let path = out.join(MANIFEST);
    let Ok(bytes) =
        crate::input::read_capped(&path, &path, 1 << 20, Code::E0401, "read the manifest")
    else {
        return BTreeSet::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| crate::output::is_contained(p))
        .collect()
}

/// `out`, or `<project>/dist`; refused when it overlaps the inputs.
///
/// The default `dist` must also stay in the project: a `dist` link
/// committed to a repository would have CI write (and upload) wherever it
/// points, `~/.ssh` as well as anywhere else. A folder named with `--out`
/// is the user's choice, wherever it is.
pub(crate) fn out_dir(root: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let Some(out) = out else {
        let dist = root.join("dist");
        if !resolve(&dist).starts_with(resolve(root)) {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0402,
                    "the output folder `dist` leads outside the project folder (it is a symbolic link)",
                )
                .at(crate::diag::Location::file(PathBuf::from("dist")))
                .help("remove the link (talkdoc then makes dist/), or name the output folder you want with --out DIR"),
            ));
        }
        refuse_overlap(root, &dist)?;
        return Ok(dist);
    };
    refuse_overlap(root, out)?;
    Ok(out.to_path_buf())
}

/// `path` made absolute with its symbolic links resolved, as far as it
/// exists (the rest appended as given).
fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// The output folder must not be the project folder, lie inside its
/// inputs, or hold the project: a locale or document named like an input
/// folder would then overwrite the sources.
fn refuse_overlap(root: &Path, out: &Path) -> Result<()> {
    let (root_r, out_r) = (resolve(root), resolve(out));
    let inputs = [root_r.join("content"), root_r.join("locales")];
    let why = if out_r == root_r {
        Some("is the project folder")
    } else if inputs.iter().any(|i| out_r.starts_with(i)) {
        Some("is inside the project's content/ or locales/")
    } else if root_r.starts_with(&out_r) {
        Some("holds the project folder")
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::new(
            Diagnostic::error(
                Code::E0403,
                format!("the output folder `{}` {why}", out.display()),
            )
            .help("write to a folder of its own, e.g. the default <project>/dist, with --out DIR"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::parallel_each;
    use crate::codes::Code;
    use crate::diag::{Diagnostic, Error};

    fn all(
        items: &[usize],
        f: impl Fn(&usize) -> crate::diag::Result<usize> + Sync,
    ) -> crate::diag::Result<Vec<usize>> {
        let mut got = Vec::new();
        parallel_each(items, f, &mut |v| {
            got.push(v);
            Ok(())
        })?;
        got.sort();
        Ok(got)
    }

    /// A panicking render job must take the run down, not vanish from the
    /// results (which once let a build exit 0 with outputs missing).
    #[test]
    fn a_panic_in_a_worker_is_not_swallowed() {
        let items: Vec<usize> = (0..16).collect();
        let caught = std::panic::catch_unwind(|| {
            all(&items, |&i| {
                assert!(i != 7, "job 7 failed");
                Ok(i)
            })
        });
        assert!(caught.is_err(), "the panic was swallowed");
        // The same from a job on a worker thread, whatever the calling
        // thread takes (jobs last long enough that a late worker gets some).
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            let caller = std::thread::current().id();
            let caught = std::panic::catch_unwind(|| {
                all(&items, |&i| {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    assert_eq!(std::thread::current().id(), caller, "job {i} failed");
                    Ok(i)
                })
            });
            assert!(caught.is_err(), "a worker's panic was swallowed");
        }
        // Without a panic every result comes back.
        assert_eq!(
            all(&items, |&i| Ok(i * 2)).ok(),
            Some((0..16).map(|i| i * 2).collect::<Vec<_>>())
        );
    }

    /// The first error is returned, whichever thread hit it.
    #[test]
    fn an_error_in_a_job_is_the_result() {
        let items: Vec<usize> = (0..16).collect();
        let r = all(&items, |&i| {
            if i == 5 {
                Err(Error::new(Diagnostic::error(Code::E0401, "job 5")))
            } else {
                Ok(i)
            }
        });
        assert!(r.is_err());
        // And an error from the consumer stops the run too.
        let mut seen = 0;
        let r = parallel_each(&items, |&i| Ok(i), &mut |_| {
            seen += 1;
            Err(Error::new(Diagnostic::error(Code::E0401, "disk full")))
        });
        assert!(r.is_err());
        assert_eq!(seen, 1, "nothing is handed on after an error");
    }
}
