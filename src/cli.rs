//! Command-line interface: argument parsing and the commands.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::assemble::assemble;
use crate::check::report::OutputFormat;
use crate::diag::{self, Diagnostic, Error, Result};
use crate::output::{self, OutputFile};
use crate::project::{Project, display_path};
use crate::render::markdown::Markdown;
use crate::render::pdf::Pdf;
use crate::render::text::PlainText;
use crate::render::{RenderContext, Renderer};

#[derive(Parser, Debug)]
#[command(
    name = "talkdoc",
    version,
    about = "Keep a talk proposal in Japanese and English; export Markdown, plain text and PDF"
)]
pub struct Cli {
    /// Project folder holding content/ and locales/.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub project: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render documents to dist/<locale>/<document>.{md,txt,pdf}.
    Build(BuildArgs),
    /// Check translations, freshness and character limits (exit 0 clean, 1 findings, 2 could not run).
    Check(CheckArgs),
    /// Mark translations as reviewed against the current source text.
    Review(ReviewArgs),
    /// Print the licence of the font built into talkdoc.
    Licenses,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Only this translated locale (repeatable) [default: all].
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
    /// Check the Fluent files only, with one folder per locale in DIR
    /// (coverage mode; found by convention when there is no content/).
    #[arg(long = "locales", value_name = "DIR")]
    pub locales_dir: Option<PathBuf>,
    /// The locale translations are made from, in coverage mode
    /// [default: from l10n.toml, else en-US, else en].
    #[arg(long, value_name = "TAG")]
    pub source_locale: Option<String>,
    /// In coverage mode, compare locales as pools of messages instead of
    /// file by file.
    #[arg(long)]
    pub no_per_file: bool,
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["ids", "all"])))]
pub struct ReviewArgs {
    /// Message IDs whose translation you checked (terms after `--`: `talkdoc review -- -talk-years`).
    pub ids: Vec<String>,
    /// Every translated message.
    #[arg(long)]
    pub all: bool,
    /// Only this locale (repeatable) [default: every translated locale].
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Md,
    Txt,
    Pdf,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Output folder [default: <project>/dist].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only these locales (repeatable) [default: all in content/project.toml].
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
    /// Only these documents (repeatable) [default: all in content/documents/].
    #[arg(long = "document", value_name = "NAME")]
    pub documents: Vec<String>,
    /// Only these formats (repeatable) [default: md, txt and pdf].
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub formats: Vec<Format>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Errors in what the user asked for rather than in the project: exit 2.
const USAGE_CODES: [&str; 4] = ["E0007", "E0403", "E0603", "E0604"];

/// Entry point used by `main.rs`.
pub fn main() -> ExitCode {
    // A bug must never pass for success or leave half an output: a panic
    // anywhere (a render thread included) ends the run before anything is
    // written, with a message that says it is talkdoc's fault.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "talkdoc: internal error: {info}\n\
             This is a bug in talkdoc, not in your project; nothing was written.\n\
             Please report it with the input that caused it."
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Build(args) => build(&cli.project, args).map(|()| ExitCode::SUCCESS),
        Command::Check(args) => return check(&cli.project, args),
        Command::Review(args) => review(&cli.project, args).map(|()| ExitCode::SUCCESS),
        Command::Licenses => {
            print!("{}", crate::render::pdf::fonts::FONT_NOTICE);
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            // Bad arguments exit 2, like clap's own usage errors; bad input 1.
            let usage = e.diagnostics.iter().any(|d| USAGE_CODES.contains(&d.code));
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Prints an error's diagnostics to stderr.
pub fn report_error(e: &Error) {
    let color = diag::stderr_color();
    let mut stderr = std::io::stderr().lock();
    // The first errors are the useful ones; a broken locale can produce
    // hundreds of the same kind.
    const SHOWN: usize = 20;
    for d in e.diagnostics.iter().take(SHOWN) {
        let _ = write!(stderr, "{}", d.render(color));
    }
    let n = e.diagnostics.len();
    if n > SHOWN {
        let _ = writeln!(
            stderr,
            "… and {} more errors (`talkdoc check` lists them all)",
            n - SHOWN
        );
    }
    if e.changed.is_empty() {
        let _ = writeln!(
            stderr,
            "talkdoc: {n} error{} — nothing was written",
            if n == 1 { "" } else { "s" }
        );
    } else {
        let _ = writeln!(
            stderr,
            "talkdoc: {n} error{} — these files were replaced and could not be restored:",
            if n == 1 { "" } else { "s" }
        );
        for p in &e.changed {
            let _ = writeln!(stderr, "  {}", diag::visible(&p.to_string_lossy()));
        }
    }
}

/// Everything `build` renders, before anything is written.
pub fn plan_build(project: &Project, args: &BuildArgs) -> Result<Vec<OutputFile>> {
    project.ensure_loaded_cleanly()?;
    let all_locales = project.content.locales();
    let locales = pick("locale", &args.locales, &all_locales)?;
    let all_docs: Vec<String> = project.content.documents.keys().cloned().collect();
    let documents = pick("document", &args.documents, &all_docs)?;
    let formats = if args.formats.is_empty() {
        vec![Format::Md, Format::Txt, Format::Pdf]
    } else {
        args.formats.clone()
    };

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
    let mut files = Vec::new();
    let mut renderers: Vec<Box<dyn Renderer>> = Vec::new();
    for f in &formats {
        match f {
            Format::Md => renderers.push(Box::new(Markdown)),
            Format::Txt => renderers.push(Box::new(PlainText)),
            // The font is parsed once here and shared by every PDF of the run.
            Format::Pdf => {
                let font = crate::preflight::load_font(project)?;
                let missing = crate::preflight::glyphs(project, &font, &docs);
                if !missing.is_empty() {
                    return Err(Error::many(missing));
                }
                renderers.push(Box::new(Pdf::new(font)));
            }
        }
    }
    // Every (document, format) pair is independent, and so is the combined
    // PDF: render them all on all cores. Output order stays that of the loops.
    let titles: Vec<String> = docs
        .iter()
        .map(|d| talk_title(project, &d.locale))
        .collect::<Result<_>>()?;
    let pdf = renderers
        .iter()
        .find_map(|r| r.as_any().downcast_ref::<Pdf>());
    let combined = match pdf {
        Some(_) => combined_plan(project, &docs, &titles),
        None => None,
    };
    // The project itself (its Fluent bundles) stays on this thread.
    let author = project.content.config.author.as_deref();
    let keywords = &project.content.config.keywords;
    let (docs, titles) = (&docs, &titles);
    let mut jobs: Vec<Job<'_>> = (0..docs.len())
        .flat_map(|i| renderers.iter().map(move |r| Job::Single(i, r.as_ref())))
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
                let parts: Vec<(&crate::document::Document, &str)> = plan
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
    let trace = std::env::var_os("TALKDOC_TRACE").is_some();
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
                "{:?} {name} {:?} -> {:?}",
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
    for result in rendered {
        files.push(result?);
    }
    Ok(files)
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

/// One unit of rendering work.
enum Job<'a> {
    /// Document index and renderer.
    Single(usize, &'a dyn Renderer),
    /// The combined PDF.
    Combined(&'a Pdf, &'a CombinedPlan),
}

/// `dist/<combined>.pdf`: the combined document in every built locale.
struct CombinedPlan {
    name: String,
    /// Indices into the assembled documents, in locale order.
    parts: Vec<usize>,
    title: String,
    subject: String,
}

fn combined_plan(
    project: &Project,
    docs: &[crate::document::Document],
    titles: &[String],
) -> Option<CombinedPlan> {
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

pub use crate::preflight::talk_title;

/// The same missing message is reported once per document that uses it;
/// keep one report per location.
fn dedup(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert(d.headline()));
    diags
}

fn pick(what: &str, wanted: &[String], all: &[String]) -> Result<Vec<String>> {
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

/// `talkdoc check`: 0 clean, 1 findings at error level, 2 could not run.
fn check(root: &Path, args: &CheckArgs) -> ExitCode {
    let color = diag::use_color(std::io::stdout().is_terminal());
    let request = crate::project::LoadRequest {
        discover: crate::catalog::discover::Request {
            locales_dir: args.locales_dir.clone(),
            source_locale: args.source_locale.clone(),
        },
        only: args.locales.clone(),
        pooled: args.no_per_file,
    };
    let project = match Project::load_with(root, &request) {
        Ok(p) => p,
        Err(e) => {
            // Machine-readable formats still get their shape on stdout.
            if args.format != OutputFormat::Human {
                let mut report = crate::check::Report {
                    findings: e.diagnostics.clone(),
                    ..Default::default()
                };
                rebase_for_github(&mut report, root, args.format);
                let _ = std::io::stdout().write_all(
                    crate::check::report::render(&report, args.format, false).as_bytes(),
                );
            }
            report_error_only(&e);
            return ExitCode::from(2);
        }
    };
    let mut report = crate::check::run(&project);
    rebase_for_github(&mut report, root, args.format);
    if args.deny_warnings {
        for d in &mut report.findings {
            d.severity = diag::Severity::Error;
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(crate::check::report::render(&report, args.format, color).as_bytes());
    if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// GitHub resolves annotation paths from the repository root (the job's
/// working directory), not from `--project`: rebase them.
fn rebase_for_github(report: &mut crate::check::Report, root: &Path, format: OutputFormat) {
    if format != OutputFormat::Github || root == Path::new(".") {
        return;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    for d in &mut report.findings {
        if let Some(loc) = d.location.as_mut() {
            let full = root.join(&loc.path);
            loc.path = full
                .strip_prefix(&cwd)
                .map(Path::to_path_buf)
                .unwrap_or(full);
        }
    }
}

/// Prints diagnostics without the "nothing was written" summary.
fn report_error_only(e: &Error) {
    let color = diag::stderr_color();
    let mut stderr = std::io::stderr().lock();
    for d in &e.diagnostics {
        let _ = write!(stderr, "{}", d.render(color));
    }
}

fn review(root: &Path, args: &ReviewArgs) -> Result<()> {
    // Read, update and write the record under the lock of its folder, so
    // parallel reviews queue up instead of losing each other's updates.
    let locales_dir = root.join("locales");
    let _lock = if locales_dir.is_dir() {
        Some(output::lock_dir(&locales_dir)?)
    } else {
        None // Project::load reports the missing folder
    };
    let project = Project::load(root)?;
    let source = project.content.source_locale().to_string();
    let translated: Vec<String> = project
        .content
        .locales()
        .into_iter()
        .filter(|l| *l != source)
        .collect();
    let locales: Vec<String> = if args.locales.is_empty() {
        translated
    } else {
        if let Some(l) = args.locales.iter().find(|l| **l == source) {
            return Err(Error::new(
                Diagnostic::error(
                    "E0603",
                    format!("`{l}` is the source locale; only translations are reviewed"),
                )
                .help("pass --locale with a translated locale, or omit it for all"),
            ));
        }
        pick("locale", &args.locales, &translated)?
    };
    let marked = crate::check::freshness::mark_reviewed(&project, &locales, &args.ids, args.all)?;
    let mut stdout = std::io::stdout().lock();
    for m in &marked {
        let _ = writeln!(stdout, "reviewed {} {} ({})", m.locale, m.id, m.was);
    }
    if marked.is_empty() {
        let _ = writeln!(stdout, "every translation was already marked as reviewed");
    }
    for l in &locales {
        let path = crate::check::freshness::reviews_path(&project, l);
        let _ = writeln!(stdout, "wrote {}", display_path(root, &path).display());
    }
    Ok(())
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
                "E0403",
                format!("the output folder `{}` {why}", out.display()),
            )
            .help("write to a folder of its own, e.g. the default <project>/dist, with --out DIR"),
        )),
        None => Ok(()),
    }
}

fn build(root: &Path, args: &BuildArgs) -> Result<()> {
    let out = args.out.clone().unwrap_or_else(|| root.join("dist"));
    refuse_overlap(root, &out)?;
    let project = Project::load(root)?;
    let files = plan_build(&project, args)?;
    std::fs::create_dir_all(&out)
        .map_err(|e| Error::io("E0401", "create the output folder", &out, &e))?;
    let _lock = output::lock_dir(&out)?;
    let written = output::write_all(&out, &files, false)?;
    if !args.quiet {
        let mut stdout = std::io::stdout().lock();
        for (path, file) in written.iter().zip(&files) {
            let shown = display_path(root, path);
            let _ = writeln!(
                stdout,
                "wrote {} ({} bytes)",
                shown.display(),
                file.bytes.len()
            );
        }
    }
    Ok(())
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
