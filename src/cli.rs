//! Command-line interface: argument parsing and the commands, each a few
//! lines over the library (`build`, `check`, `preflight`, `output`, …).

use crate::codes::Code;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::check::report::OutputFormat;
use crate::diag::display_path;
use crate::diag::{self, Diagnostic, Error, Result};
use crate::output;
use crate::project::Project;

pub(crate) use crate::build::Format;

#[derive(Parser, Debug)]
#[command(
    name = "talkdoc",
    version,
    about = "Keep a talk proposal in Japanese and English; export Markdown, plain text and PDF",
    after_help = "Run from anywhere inside a project: talkdoc finds the nearest content/project.toml (or l10n.toml, i18n.toml, locales/ of a Fluent project) upwards."
)]
pub(crate) struct Cli {
    /// Project folder holding content/ and locales/ [default: the nearest folder upwards with content/project.toml, l10n.toml, i18n.toml or locales/].
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Print nothing but errors and findings (no progress lines, no summary).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what talkdoc does and how long each step takes.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour output [default: auto: on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it].
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<crate::settings::ColorChoice>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Render documents to dist/<locale>/<document>.{md,txt,pdf}.
    Build(BuildArgs),
    /// Rebuild on every change under content/ and locales/ until Ctrl-C.
    Watch(BuildArgs),
    /// Check translations, freshness and character limits (exit 0 clean, 1 findings, 2 could not run).
    Check(CheckArgs),
    /// Mark translations as reviewed against the current source text.
    Review(ReviewArgs),
    /// Create a new, working two-locale talk project.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `talkdoc man | man -l -`).
    Man,
    /// Print the licence of the font built into talkdoc.
    Licenses,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    /// Output format.
    // `--output-format`, as `build --format` chooses the files to build:
    // one flag name, one meaning. `--format` stays as a hidden alias so
    // existing scripts and CI jobs keep working.
    #[arg(
        long = "output-format",
        alias = "format",
        value_enum,
        default_value = "human",
        value_name = "FORMAT"
    )]
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
    /// In coverage mode, report missing translations and files as warnings
    /// (a partly translated locale), not errors; they are still counted.
    #[arg(long)]
    pub allow_missing: bool,
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["ids", "all"])))]
pub(crate) struct ReviewArgs {
    /// Message IDs whose translation you checked (terms after `--`: `talkdoc review -- -talk-years`).
    pub ids: Vec<String>,
    /// Every translated message.
    #[arg(long)]
    pub all: bool,
    /// Only this locale (repeatable) [default: every translated locale].
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
    /// The Fluent files only, with one folder per locale in DIR (as
    /// `check --locales`; the record goes beside the locale folders).
    #[arg(long = "locales", value_name = "DIR")]
    pub locales_dir: Option<PathBuf>,
    /// The locale translations are made from, in coverage mode (as
    /// `check --source-locale`).
    #[arg(long, value_name = "TAG")]
    pub source_locale: Option<String>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct InitArgs {
    /// Folder to create the project in (created if missing; existing files are never overwritten).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The locale the talk is written in.
    #[arg(long, default_value = "ja", value_name = "TAG")]
    pub source: String,
    /// The translation's locale.
    #[arg(long, default_value = "en", value_name = "TAG")]
    pub target: String,
}

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct BuildArgs {
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
}

impl BuildArgs {
    pub(crate) fn selection(&self) -> crate::build::Selection {
        crate::build::Selection {
            locales: self.locales.clone(),
            documents: self.documents.clone(),
            formats: self.formats.clone(),
        }
    }
}

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
    crate::settings::set(cli.quiet, cli.verbose, cli.color);
    // Commands that need no project.
    match &cli.command {
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when it cannot write.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "talkdoc", &mut script);
            return print_or_exit(&script);
        }
        Command::Man => {
            let page = clap_mangen::Man::new(Cli::command());
            let mut out = Vec::new();
            return match page.render(&mut out) {
                Ok(()) => print_or_exit(&out),
                Err(e) => {
                    eprintln!("talkdoc: cannot render the manual page: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Licenses => {
            return print_or_exit(crate::render::pdf::fonts::FONT_NOTICE.as_bytes());
        }
        Command::Init(args) => {
            return finish(crate::init::init(&args.dir, &args.source, &args.target).map(|written| {
                say(&format!(
                    "created a talkdoc project in {} ({} files); next: cd there, `talkdoc check`, `talkdoc build`",
                    args.dir.display(),
                    written.len()
                ));
                ExitCode::SUCCESS
            }));
        }
        _ => {}
    }
    let root = match &cli.project {
        Some(p) => p.clone(),
        None => crate::project::discover(),
    };
    let result = match &cli.command {
        Command::Build(args) => build(&root, args).map(|()| ExitCode::SUCCESS),
        Command::Watch(args) => watch(&root, args),
        Command::Check(args) => return check(&root, args),
        Command::Review(args) => review(&root, args).map(|()| ExitCode::SUCCESS),
        Command::Completions { .. } | Command::Man | Command::Licenses | Command::Init(_) => {
            Ok(ExitCode::SUCCESS)
        }
    };
    finish(result)
}

/// The exit status of a command's result, reporting errors.
fn finish(result: Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            // Bad arguments exit 2, like clap's own usage errors; bad input 1.
            let usage = e.diagnostics.iter().any(|d| d.code.is_usage());
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Writes `bytes` to stdout; a closed pipe (`talkdoc man | head`) is a
/// normal end, any other failure exit 1.
fn print_or_exit(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("talkdoc: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}

/// A progress line on stdout, unless `--quiet`.
pub(crate) fn say(line: &str) {
    if !crate::settings::quiet() {
        emit(format!("{line}\n").as_bytes());
    }
}

/// Writes to stdout as ripgrep does: a reader that went away (`| head`)
/// ends the output quietly, and the command keeps its own exit status;
/// any other failure to write is reported on stderr.
pub(crate) fn emit(bytes: &[u8]) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static CLOSED: AtomicBool = AtomicBool::new(false);
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("talkdoc: cannot write to standard output: {e}");
        }
    }
}

/// Prints an error's diagnostics to stderr.
pub(crate) fn report_error(e: &Error) {
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
        missing_warns: args.allow_missing,
        messages_of: Vec::new(),
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
                emit(crate::check::report::render(&report, args.format, false).as_bytes());
            }
            report_error_only(&e);
            return ExitCode::from(2);
        }
    };
    if project.coverage().is_none() {
        // Options of coverage mode do nothing to a talk: say so rather
        // than let a green check look as if they had.
        for (given, name) in [
            (args.allow_missing, "--allow-missing"),
            (args.no_per_file, "--no-per-file"),
        ] {
            if given {
                eprintln!(
                    "talkdoc: {name} applies to Fluent projects checked without content/ (coverage mode); this is a talk, checked in full (pass --locales DIR to check its Fluent files only)"
                );
            }
        }
    }
    let mut report = crate::check::run(&project);
    rebase_for_github(&mut report, root, args.format);
    if args.deny_warnings {
        for d in &mut report.findings {
            d.severity = diag::Severity::Error;
        }
    }
    emit(crate::check::report::render(&report, args.format, color).as_bytes());
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
    let request = crate::project::LoadRequest {
        discover: crate::catalog::discover::Request {
            locales_dir: args.locales_dir.clone(),
            source_locale: args.source_locale.clone(),
        },
        ..Default::default()
    };
    let project = Project::load_with(root, &request)?;
    // Read, update and write the records under the lock of their folders
    // (`locales/` of a talk, beside the locale folders of a Fluent
    // project), so parallel reviews queue up instead of losing each
    // other's updates. Taken in one order, so two runs cannot each hold
    // one and wait for the other.
    // Canonical, so two spellings of one folder are one lock, taken in
    // the same order by every run.
    let mut folders: Vec<PathBuf> = project
        .content
        .locales()
        .iter()
        .filter_map(|l| {
            let record = crate::review::reviews_path(&project, l);
            record.parent().map(Path::to_path_buf)
        })
        .filter(|d| d.is_dir())
        .map(|d| d.canonicalize().unwrap_or(d))
        .collect();
    folders.sort();
    folders.dedup();
    let _locks = folders
        .iter()
        .map(|d| output::lock_dir(d))
        .collect::<Result<Vec<_>>>()?;
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
                    Code::E0603,
                    format!("`{l}` is the source locale; only translations are reviewed"),
                )
                .help("pass --locale with a translated locale, or omit it for all"),
            ));
        }
        crate::build::pick("locale", &args.locales, &translated)?
    };
    let marked = crate::review::mark_reviewed(&project, &locales, &args.ids, args.all)?;
    for m in &marked {
        say(&format!("reviewed {} {} ({})", m.locale, m.id, m.was));
    }
    if marked.is_empty() {
        say("every translation was already marked as reviewed");
    }
    for l in &locales {
        let path = crate::review::reviews_path(&project, l);
        say(&format!("wrote {}", display_path(root, &path).display()));
    }
    Ok(())
}

fn build(root: &Path, args: &BuildArgs) -> Result<()> {
    let out = out_dir(root, args)?;
    let request = crate::project::LoadRequest {
        messages_of: args.locales.clone(),
        ..Default::default()
    };
    let project = Project::load_with(root, &request)?;
    let published = crate::build::build_into(&project, &args.selection(), &out)?;
    for o in &published.outputs {
        say(&format!(
            "{} {} ({} bytes)",
            if o.written { "wrote" } else { "unchanged" },
            display_path(root, &o.path).display(),
            o.size
        ));
    }
    for path in &published.removed {
        // A name read from the manifest, which anyone could have edited.
        say(&format!(
            "removed {} (no document produces it any more)",
            diag::visible(&display_path(root, path).to_string_lossy())
        ));
    }
    // As for the render caches (`build_into`): the process exit frees the
    // loaded messages at once.
    std::mem::forget(project);
    Ok(())
}

/// `--out`, or `<project>/dist`; refused when it overlaps the inputs.
fn out_dir(root: &Path, args: &BuildArgs) -> Result<PathBuf> {
    crate::build::out_dir(root, args.out.as_deref())
}

/// `talkdoc watch`: the library's loop, with its events printed; exits
/// only on Ctrl-C (0) or when the loop cannot run (1).
fn watch(root: &Path, args: &BuildArgs) -> Result<ExitCode> {
    use crate::watch::Event;
    let out = out_dir(root, args)?;
    crate::watch::run(root, &out, &args.selection(), &mut |event| match event {
        Event::Watching => say(&format!(
            "watching {} and {} (Ctrl-C to stop)",
            display_path(root, &root.join("content")).display(),
            display_path(root, &root.join("locales")).display()
        )),
        Event::Built(r) => say(&format!("built {}", rebuilt_summary(r))),
        Event::StartFailed(e) => report_error(e),
        Event::Rebuilt(r) => say(&format!("rebuilt {}", rebuilt_summary(r))),
        Event::RebuildFailed(e) => {
            report_error(e);
            say("kept the last good outputs; waiting for the next change");
        }
        Event::Stopped => say("stopped"),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `3 files in 120 ms · check passed: 0 errors, 1 warning`, with
/// `(2 unchanged)` after the count when some outputs were already there.
fn rebuilt_summary(r: &crate::watch::Rebuilt) -> String {
    let (e, w) = r.check;
    format!(
        "{} file{}{} in {} ms · check {}: {e} error{}, {w} warning{}",
        r.written.len(),
        if r.written.len() == 1 { "" } else { "s" },
        if r.unchanged > 0 {
            format!(" ({} unchanged)", r.unchanged)
        } else {
            String::new()
        },
        r.took.as_millis(),
        if e > 0 { "failed" } else { "passed" },
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" },
    )
}
