//! The build pipeline over a loaded [`Project`]: pick what to build,
//! assemble it, check it the way `check` does, render every output in
//! parallel. Bytes only: [`crate::output`] writes them.
//!
//! The command line is a few lines over this (mdBook's build command is
//! 36 lines over its library); `watch` reuses the same steps to re-render
//! only what an edit changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::assemble::assemble;
use crate::diag::{Diagnostic, Error, Result};
use crate::document::Document;
use crate::output::OutputFile;
use crate::preflight::talk_title;
use crate::project::Project;
use crate::render::markdown::Markdown;
use crate::render::pdf::Pdf;
use crate::render::text::PlainText;
use crate::render::{RenderContext, Renderer};

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Md,
    Txt,
    Pdf,
}

/// What to build; empty lists mean everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub locales: Vec<String>,
    pub documents: Vec<String>,
    pub formats: Vec<Format>,
}

/// Every document of the selection, assembled, with its talk title.
#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    pub docs: Vec<Document>,
    /// The talk title in each document's locale (same order as `docs`).
    pub titles: Vec<String>,
}

/// The renderers of a run; the PDF one holds the parsed font, so a run
/// (or a whole `watch` session) parses it once.
pub struct Renderers {
    list: Vec<Box<dyn Renderer>>,
}

impl Renderers {
    pub fn new(project: &Project, formats: &[Format]) -> Result<Renderers> {
        let formats = if formats.is_empty() {
            &[Format::Md, Format::Txt, Format::Pdf][..]
        } else {
            formats
        };
        let mut list: Vec<Box<dyn Renderer>> = Vec::new();
        for f in formats {
            match f {
                Format::Md => list.push(Box::new(Markdown)),
                Format::Txt => list.push(Box::new(PlainText)),
                Format::Pdf => list.push(Box::new(Pdf::new(crate::preflight::load_font(project)?))),
            }
        }
        Ok(Renderers { list })
    }

    fn pdf(&self) -> Option<&Pdf> {
        self.list
            .iter()
            .find_map(|r| r.as_any().downcast_ref::<Pdf>())
    }
}

/// Assembles the selection and runs the pre-flight `check` also runs:
/// settings, and (when PDFs are wanted) every character against the font.
pub fn assemble_all(
    project: &Project,
    sel: &Selection,
    renderers: &Renderers,
) -> Result<Assembled> {
    project.ensure_loaded_cleanly()?;
    let all_locales = project.content.locales();
    let locales = pick("locale", &sel.locales, &all_locales)?;
    let all_docs: Vec<String> = project.content.documents.keys().cloned().collect();
    let documents = pick("document", &sel.documents, &all_docs)?;
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    for locale in &locales {
        for name in &documents {
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
    if let Some(pdf) = renderers.pdf() {
        let missing = crate::preflight::glyphs(project, &pdf.font, &docs);
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
    project.ensure_loaded_cleanly()?;
    // Bad arguments first: they are reported as such (exit 2) before the
    // font is loaded.
    pick("locale", &sel.locales, &project.content.locales())?;
    let all_docs: Vec<String> = project.content.documents.keys().cloned().collect();
    pick("document", &sel.documents, &all_docs)?;
    let renderers = Renderers::new(project, &sel.formats)?;
    let assembled = assemble_all(project, sel, &renderers)?;
    render(project, &assembled, &renderers, &|_| true)
}

/// One unit of rendering work.
enum Job<'a> {
    /// Document index and renderer.
    Single(usize, &'a dyn Renderer),
    /// The combined PDF.
    Combined(&'a Pdf, &'a CombinedPlan),
}

/// Renders the outputs of `assembled` whose document index passes `only`
/// (the combined PDF when any of its parts does), in parallel, in a stable
/// order: per document, per format, the combined PDF last.
pub fn render(
    project: &Project,
    assembled: &Assembled,
    renderers: &Renderers,
    only: &(dyn Fn(usize) -> bool + Sync),
) -> Result<Vec<OutputFile>> {
    let (docs, titles) = (&assembled.docs, &assembled.titles);
    let pdf = renderers.pdf();
    let combined = pdf
        .and_then(|_| combined_plan(project, docs, titles))
        .filter(|plan| plan.parts.iter().any(|&i| only(i)));
    // The project itself (its Fluent bundles) stays on this thread.
    let author = project.content.config.author.as_deref();
    let keywords = &project.content.config.keywords;
    let mut jobs: Vec<Job<'_>> = (0..docs.len())
        .filter(|&i| only(i))
        .flat_map(|i| {
            renderers
                .list
                .iter()
                .map(move |r| Job::Single(i, r.as_ref()))
        })
        .collect();
    if let (Some(pdf), Some(plan)) = (pdf, &combined) {
        // The largest job first, so no core idles while it runs alone at the end.
        jobs.insert(0, Job::Combined(pdf, plan));
    }
    let render_job = |job: &Job<'_>| -> Result<OutputFile> {
        match *job {
            Job::Single(i, r) => {
                let doc = &docs[i];
                let ctx = RenderContext {
                    talk_title: &titles[i],
                    author,
                    keywords,
                };
                Ok(OutputFile {
                    relative: Path::new(&doc.locale).join(format!(
                        "{}.{}",
                        doc.name,
                        r.extension()
                    )),
                    bytes: r.render(&ctx, doc)?,
                })
            }
            Job::Combined(pdf, plan) => {
                let parts: Vec<(&Document, &str)> = plan
                    .parts
                    .iter()
                    .map(|&i| (&docs[i], titles[i].as_str()))
                    .collect();
                let meta = crate::render::pdf::write::Metadata {
                    title: &plan.title,
                    subject: &plan.subject,
                    keywords,
                    author,
                    lang: &docs[plan.parts[0]].locale,
                };
                Ok(OutputFile {
                    relative: PathBuf::from(format!("{}.pdf", plan.name)),
                    bytes: pdf.render_many(&parts, &meta)?,
                })
            }
        }
    };
    let t0 = std::time::Instant::now();
    let trace = crate::verbose();
    let mut rendered = parallel_map(&jobs, |job| {
        let start = t0.elapsed();
        let r = render_job(job);
        if trace {
            let name = match job {
                Job::Single(i, r) => {
                    format!("{}/{}.{}", docs[*i].locale, docs[*i].name, r.extension())
                }
                Job::Combined(..) => "combined".into(),
            };
            eprintln!(
                "talkdoc: rendered {name} on {:?}: {:?} -> {:?}",
                std::thread::current().id(),
                start,
                t0.elapsed()
            );
        }
        r
    });
    // Files are listed (and written) in a stable order: the combined PDF last.
    if combined.is_some() && pdf.is_some() {
        rendered.rotate_left(1);
    }
    rendered.into_iter().collect()
}

/// Every file a full build of `project` writes, relative to the output
/// folder: what a build may remove when it no longer corresponds to
/// anything (see `output::Manifest`).
pub fn all_outputs(project: &Project) -> BTreeSet<PathBuf> {
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
    out
}

/// Maps `f` over `items` on up to `available_parallelism` threads, keeping order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            // A panicking worker takes the run down with it (the panic hook
            // prints an internal error): its outputs must not just vanish.
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// `dist/<combined>.pdf`: the combined document in every built locale.
struct CombinedPlan {
    name: String,
    /// Indices into the assembled documents, in locale order.
    parts: Vec<usize>,
    title: String,
    subject: String,
}

fn combined_plan(project: &Project, docs: &[Document], titles: &[String]) -> Option<CombinedPlan> {
    let name = project
        .content
        .config
        .pdf
        .combined
        .as_ref()?
        .get_ref()
        .clone();
    let parts: Vec<usize> = (0..docs.len()).filter(|&i| docs[i].name == name).collect();
    if parts.len() < 2 {
        return None;
    }
    let title = parts
        .iter()
        .map(|&i| titles[i].as_str())
        .collect::<Vec<_>>()
        .join(" / ");
    let locales = parts
        .iter()
        .map(|&i| docs[i].locale.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let subject = format!("Talk proposal: {name} ({locales})");
    Some(CombinedPlan {
        name,
        parts,
        title,
        subject,
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
                Diagnostic::error("E0007", format!("unknown {what} `{w}`"))
                    .help(format!("choose from: {}", all.join(", "))),
            ));
        }
    }
    Ok(all.iter().filter(|a| wanted.contains(a)).cloned().collect())
}

/// What a [`publish`] did.
pub struct Published {
    /// Every file written, as full paths, in the order of the outputs.
    pub written: Vec<PathBuf>,
    /// Outputs of earlier builds that no longer correspond to anything
    /// (a renamed document, a removed locale), removed.
    pub removed: Vec<PathBuf>,
}

/// The list of files talkdoc wrote into an output folder, so a later build
/// can remove the ones that no longer correspond to a document without
/// ever touching a file it did not write.
pub const MANIFEST: &str = ".talkdoc-outputs";

/// Writes `files` into `out` (all or nothing, under the folder's lock),
/// records them in the folder's manifest, and removes earlier outputs that
/// the project no longer produces.
pub fn publish(project: &Project, out: &Path, files: Vec<OutputFile>) -> Result<Published> {
    std::fs::create_dir_all(out)
        .map_err(|e| Error::io("E0401", "create the output folder", out, &e))?;
    let _lock = crate::output::lock_dir(out)?;
    let produced = all_outputs(project);
    let earlier = read_manifest(out);
    let mut listed: BTreeSet<PathBuf> = earlier.intersection(&produced).cloned().collect();
    listed.extend(files.iter().map(|f| f.relative.clone()));
    let mut manifest = String::from(
        "# Files written by talkdoc build; it removes them when no document produces them any more.\n",
    );
    for p in &listed {
        manifest.push_str(&p.to_string_lossy());
        manifest.push('\n');
    }
    let n = files.len();
    let mut batch = files;
    batch.push(OutputFile {
        relative: PathBuf::from(MANIFEST),
        bytes: manifest.into_bytes(),
    });
    let mut written = crate::output::write_all(out, &batch, false)?;
    written.truncate(n);
    let mut removed = Vec::new();
    for stale in earlier.difference(&produced) {
        if crate::output::remove_output(out, stale) {
            removed.push(out.join(stale));
        }
    }
    Ok(Published { written, removed })
}

/// The manifest's entries; only plain relative paths are taken (a
/// hand-edited `../x` is ignored, never deleted).
fn read_manifest(out: &Path) -> BTreeSet<PathBuf> {
    let path = out.join(MANIFEST);
    let Ok(bytes) = crate::input::read_capped(&path, &path, 1 << 20, "E0401", "read the manifest")
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

#[cfg(test)]
mod tests {
    use super::parallel_map;

    /// A panicking render job must take the run down, not vanish from the
    /// results (which once let a build exit 0 with outputs missing).
    #[test]
    fn a_panic_in_a_worker_is_not_swallowed() {
        let items: Vec<usize> = (0..16).collect();
        let caught = std::panic::catch_unwind(|| {
            parallel_map(&items, |&i| {
                assert!(i != 7, "job 7 failed");
                i
            })
        });
        assert!(caught.is_err(), "the panic was swallowed");
        // Without a panic every result comes back, in order.
        assert_eq!(
            parallel_map(&items, |&i| i * 2),
            (0..16).map(|i| i * 2).collect::<Vec<_>>()
        );
    }
}
