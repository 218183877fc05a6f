//! Speed and memory of the whole pipeline, on the real proposal and on
//! synthetic ones 10× and 100× its size.
//!
//! Run with `cargo bench`. Whole-process figures (median wall time over many
//! runs, peak RSS from `wait4`) are what a user or CI job experiences;
//! in-process figures show where the time goes. Each figure is compared with
//! the budget; the command exits non-zero when one is over.

#[path = "synth.rs"]
mod synth;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use talkdoc::cli::{BuildArgs, Format, plan_build};
use talkdoc::project::Project;

const BIN: &str = env!("CARGO_BIN_EXE_talkdoc");

/// Median wall time and peak RSS (KiB) of `talkdoc args` over `runs` runs.
fn process(args: &[&str], runs: usize) -> (Duration, u64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let child = Command::new(BIN)
            .args(args)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("run talkdoc");
        let pid = child.id() as libc::pid_t;
        let mut status = 0;
        // SAFETY: plain wait4 on our own child; rusage is written by the kernel.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        times.push(start.elapsed());
        assert_eq!(waited, pid, "wait4 failed");
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
            "talkdoc {args:?} failed"
        );
        peak = peak.max(usage.ru_maxrss as u64);
        std::mem::forget(child);
    }
    times.sort();
    (times[times.len() / 2], peak)
}

/// Median of `runs` in-process runs of `f`.
fn in_process(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Budget {
    failures: Vec<String>,
}

impl Budget {
    fn check(&mut self, what: &str, value: f64, max: f64, unit: &str) {
        let verdict = if value <= max { "ok" } else { "OVER BUDGET" };
        println!("  {what:<44} {value:>9.1} {unit:<3} (budget {max} {unit}) {verdict}");
        if value > max {
            self.failures
                .push(format!("{what}: {value:.1} {unit} > {max} {unit}"));
        }
    }
    fn report(&self, what: &str, value: f64, unit: &str) {
        println!("  {what:<44} {value:>9.1} {unit}");
    }
}

fn all_args() -> BuildArgs {
    BuildArgs {
        out: None,
        locales: vec![],
        documents: vec![],
        formats: vec![],
        quiet: true,
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = std::env::temp_dir().join(format!("talkdoc-bench-{}", std::process::id()));
    let out = tmp.join("dist");
    let out_s = out.to_str().unwrap().to_string();
    let root_s = root.to_str().unwrap().to_string();
    let mut budget = Budget {
        failures: Vec::new(),
    };
    let runs = 31;

    println!("real proposal, whole process (median of {runs} runs, peak RSS):");
    let (t, rss) = process(
        &["--project", &root_s, "build", "-q", "--out", &out_s],
        runs,
    );
    budget.check(
        "build: every locale, document and format",
        ms(t),
        100.0,
        "ms",
    );
    budget.check("build: peak RSS", rss as f64 / 1024.0, 64.0, "MB");
    let (t, rss) = process(&["--project", &root_s, "check"], runs);
    budget.check("check", ms(t), 20.0, "ms");
    budget.check("check: peak RSS", rss as f64 / 1024.0, 64.0, "MB");
    let (t, rss) = process(
        &[
            "--project",
            &root_s,
            "build",
            "-q",
            "--out",
            &out_s,
            "--format",
            "pdf",
            "--locale",
            "ja",
            "--document",
            "handout",
        ],
        runs,
    );
    budget.report("one Japanese PDF (handout)", ms(t), "ms");
    budget.report("one Japanese PDF: peak RSS (MB)", rss as f64 / 1024.0, "MB");

    println!("real proposal, in process (median of {runs} runs):");
    let project = Project::load(&root).expect("load the project");
    budget.report(
        "load content + catalog",
        ms(in_process(runs, || drop(Project::load(&root).unwrap()))),
        "ms",
    );
    budget.report(
        "check::run",
        ms(in_process(runs, || drop(talkdoc::check::run(&project)))),
        "ms",
    );
    let md_txt = BuildArgs {
        formats: vec![Format::Md, Format::Txt],
        ..all_args()
    };
    budget.report(
        "assemble + Markdown + text",
        ms(in_process(runs, || {
            drop(plan_build(&project, &md_txt).unwrap())
        })),
        "ms",
    );
    let one_pdf = BuildArgs {
        formats: vec![Format::Pdf],
        locales: vec!["ja".into()],
        documents: vec!["handout".into()],
        ..all_args()
    };
    budget.report(
        "one Japanese PDF (incl. font parse)",
        ms(in_process(runs, || {
            drop(plan_build(&project, &one_pdf).unwrap())
        })),
        "ms",
    );
    budget.report(
        "render everything (no writes)",
        ms(in_process(runs, || {
            drop(plan_build(&project, &all_args()).unwrap())
        })),
        "ms",
    );

    println!("scaling (synthetic proposals, whole-process build, median of 5):");
    let mut base_ms = 0.0;
    for factor in [1usize, 10, 100] {
        let dir = tmp.join(format!("x{factor}"));
        let messages = synth::make_project(&root, &dir, factor);
        let dir_s = dir.to_str().unwrap().to_string();
        let dist = dir.join("dist");
        let (t, rss) = process(
            &[
                "--project",
                &dir_s,
                "build",
                "-q",
                "--out",
                dist.to_str().unwrap(),
            ],
            5,
        );
        let (tc, _) = process(&["--project", &dir_s, "check"], 5);
        let pages = std::fs::read(dist.join("handout.pdf"))
            .map(|b| count_pages(&b))
            .unwrap_or(0);
        if factor == 1 {
            base_ms = ms(t);
        }
        println!(
            "  {factor:>3}×: {messages:>6} messages/locale, handout {pages:>4} pages: build {:>8.1} ms ({:>5.1}× the 1× time), check {:>7.1} ms, peak RSS {:>6.1} MB",
            ms(t),
            ms(t) / base_ms,
            ms(tc),
            rss as f64 / 1024.0
        );
        if factor == 100 {
            budget.check("100× build", ms(t), 1000.0, "ms");
        }
    }
    // Coverage mode: a generated app of 2,000 messages in 3 locales.
    let app = tmp.join("fluent-app");
    let entries = make_fluent_app(&app);
    let (t, rss) = process(&["--project", app.to_str().unwrap(), "check"], runs);
    println!(
        "coverage mode ({entries} messages × 3 locales, 20 files each, whole process, median of {runs}):"
    );
    budget.check("check, Fluent app without content/", ms(t), 50.0, "ms");
    budget.report("check, Fluent app: peak RSS", rss as f64 / 1024.0, "MB");
    let _ = std::fs::remove_dir_all(&tmp);
    if !budget.failures.is_empty() {
        eprintln!("over budget:\n  {}", budget.failures.join("\n  "));
        std::process::exit(1);
    }
}

/// Pages in a PDF: count `/Type/Page` objects (not `/Pages`).
fn count_pages(pdf: &[u8]) -> usize {
    [b"/Type/Page".as_slice(), b"/Type /Page".as_slice()]
        .iter()
        .map(|needle| {
            pdf.windows(needle.len() + 1)
                .filter(|w| &w[..needle.len()] == *needle && w[needle.len()] != b's')
                .count()
        })
        .sum()
}

/// A Fluent app without `content/`: `locales/{en-US,ja,de}/` with 20 files
/// in nested folders, 100 messages each (plain text, variables, plural
/// selectors, attributes, term references), every one translated.
/// Returns the number of messages per locale.
fn make_fluent_app(dir: &std::path::Path) -> usize {
    for (locale, word) in [("en-US", "Open"), ("ja", "開く"), ("de", "Öffnen")] {
        for f in 0..20 {
            let rel = format!("locales/{locale}/area{}/file{f}.ftl", f % 4);
            let mut text = String::new();
            if f == 0 {
                text.push_str(&format!("-brand-name = Brand {locale}\n\n"));
            }
            for m in 0..100 {
                let id = format!("f{f}-message-{m}");
                text.push_str(&match m % 4 {
                    0 => format!("{id} = {word} the file number {m} in {{ -brand-name }}\n"),
                    1 => format!("{id} = {word} {{ $name }} now ({m})\n"),
                    2 => format!(
                        "{id} = {{ $count ->\n    [one] {word} one item {m}\n   *[other] {word} {{ $count }} items {m}\n}}\n"
                    ),
                    _ => format!("{id} = {word} {m}\n    .title = {word} title {m}\n    .accesskey = O\n"),
                });
            }
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    20 * 100
}
