//! Speed and memory of the whole pipeline, on the real proposal and on
//! synthetic ones 10× and 100× its size.
//!
//! Run with `cargo bench`. Whole-process figures (median wall time over many
//! runs, peak RSS from `wait4`; the budgeted ones sampled in rounds, one
//! run of each per round) are what a user or CI job experiences, with the
//! outputs written to a RAM file system where there is one (see
//! [`scratch_base`]); in-process figures show where the time goes. Each figure is compared with
//! the budget; the command exits non-zero when one is over. Only runs that
//! succeeded and wrote their outputs are timed. The side-by-side with Typst
//! is `benches/typst_compare.py` (it needs `pip install typst==0.15.2`).

#[path = "synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use talkdoc::build::{Format, Selection, plan as plan_build};
use talkdoc::project::Project;

const BIN: &str = env!("CARGO_BIN_EXE_talkdoc");

/// Wall time and peak RSS (KiB) of one run of `talkdoc args`. Only a run
/// that exits with a status up to `max_status` (0 for a build; 1 is
/// `check` reporting findings) and leaves what `expect` checks for is
/// timed: anything else stops the benchmark. `before` runs untimed first
/// (e.g. removing the output folder, so outputs are really written).
fn process_once(
    args: &[&str],
    max_status: i32,
    before: &dyn Fn(),
    expect: &dyn Fn() -> Result<(), String>,
) -> (Duration, u64) {
    before();
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
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= max_status,
        "talkdoc {args:?} failed"
    );
    if let Err(e) = expect() {
        panic!("talkdoc {args:?} exited 0 but {e}");
    }
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss as u64)
}

/// Median wall time and peak RSS (KiB) of `runs` runs of `talkdoc args`
/// one after another (see [`process_once`]).
fn process(
    args: &[&str],
    runs: usize,
    max_status: i32,
    before: &dyn Fn(),
    expect: &dyn Fn() -> Result<(), String>,
) -> (Duration, u64) {
    let mut samples = Samples::default();
    for _ in 0..runs {
        samples.add(process_once(args, max_status, before, expect));
    }
    samples.median()
}

/// Times of one figure and the largest peak RSS seen.
#[derive(Default)]
struct Samples {
    times: Vec<Duration>,
    peak: u64,
}

impl Samples {
    fn add(&mut self, (time, rss): (Duration, u64)) {
        self.times.push(time);
        self.peak = self.peak.max(rss);
    }

    fn median(&mut self) -> (Duration, u64) {
        self.times.sort();
        (self.times[self.times.len() / 2], self.peak)
    }
}

/// Checks that `dir` holds `files` non-empty files, `pdfs` of them PDFs.
fn outputs(dir: &Path, files: usize, pdfs: usize) -> Result<(), String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if e.file_name() != talkdoc::build::MANIFEST {
                out.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    let n_pdf = found
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .count();
    if found.len() != files || n_pdf != pdfs {
        return Err(format!(
            "wrote {} files ({n_pdf} PDFs) into {}, expected {files} ({pdfs} PDFs)",
            found.len(),
            dir.display()
        ));
    }
    if let Some(p) = found
        .iter()
        .find(|p| std::fs::metadata(p).map_or(true, |m| m.len() == 0))
    {
        return Err(format!("{} is empty", p.display()));
    }
    Ok(())
}

fn nothing() {}

fn fine() -> Result<(), String> {
    Ok(())
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

#[derive(Default)]
struct Budget {
    failures: Vec<String>,
    /// How many of the failures are of figures that do not change from
    /// one sitting to the next (sizes, peak RSS): sitting again is no use.
    fixed: usize,
}

impl Budget {
    /// [`Budget::check`] for a figure a second sitting would not change.
    fn check_fixed(&mut self, what: &str, value: f64, max: f64, unit: &str) {
        let before = self.failures.len();
        self.check(what, value, max, unit);
        self.fixed += self.failures.len() - before;
    }

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

fn all_args() -> Selection {
    Selection::default()
}

/// `talkdoc watch` after a one-message edit, in process and warm: the
/// project reloaded, every document assembled, the changed ones rendered
/// and written. The edit alternates between two texts so every rebuild
/// really changes something.
struct WatchEdit {
    session: talkdoc::watch::Session,
    ftl: PathBuf,
    original: String,
    edits: usize,
}

impl WatchEdit {
    /// A session on a copy of `root` under `tmp`, after its first build.
    fn start(root: &Path, tmp: &Path) -> WatchEdit {
        let copy = tmp.join("watch");
        for sub in ["content", "locales"] {
            copy_dir(&root.join(sub), &copy.join(sub));
        }
        let out = copy.join("dist");
        let (session, _) =
            talkdoc::watch::Session::start(&copy, &out, Selection::default()).expect("first build");
        let ftl = copy.join("locales/en/takeaways.ftl");
        let original = std::fs::read_to_string(&ftl).expect("takeaways");
        WatchEdit {
            session,
            ftl,
            original,
            edits: 0,
        }
    }

    /// The time of one edit's rebuild.
    fn once(&mut self) -> Duration {
        let text = if self.edits.is_multiple_of(2) {
            self.original
                .replacen("takeaway-1 = ", "takeaway-1 = Edited: ", 1)
        } else {
            self.original.clone()
        };
        self.edits += 1;
        std::fs::write(&self.ftl, text).expect("edit");
        let t0 = Instant::now();
        let rebuilt = self.session.rebuild().expect("rebuild");
        let time = t0.elapsed();
        // en/takeaways.{md,txt,pdf}, en/handout.{md,txt,pdf}, handout.pdf,
        // handout-parallel.pdf.
        assert_eq!(
            rebuilt.written.len(),
            8,
            "a one-message edit rewrites 8 files"
        );
        time
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Where the benchmark writes: a RAM file system (`/dev/shm`) when there
/// is one, so that the figures are talkdoc's work and not the history of
/// the disk's block groups. On this project's machines (ext4 without a
/// journal), creating a file skips every inode deleted in the last five
/// minutes (`recently_deleted` in the kernel's inode allocator), and the
/// benchmark deletes thousands, as does `cargo test` before it: a build's
/// 34 file creations then cost 3 to 20 ms more, the same binary measured
/// 19 ms on a quiet disk and 25–44 ms after a few benchmark runs, while
/// `check`, which writes nothing, did not move. On a quiet disk the two
/// are the same (19.5 ms with the outputs in `/tmp`, 19.3 in `/dev/shm`,
/// alternating).
fn scratch_base() -> (PathBuf, &'static str) {
    let shm = Path::new("/dev/shm");
    if is_tmpfs(shm) {
        (shm.to_path_buf(), "a RAM file system (/dev/shm)")
    } else {
        (std::env::temp_dir(), "the temporary folder")
    }
}

/// Whether `dir` is a writable tmpfs mount.
fn is_tmpfs(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statfs fills the zeroed struct we own; access only reads.
    unsafe {
        let mut fs: libc::statfs = std::mem::zeroed();
        libc::statfs(c.as_ptr(), &mut fs) == 0
            && fs.f_type == libc::TMPFS_MAGIC
            && libc::access(c.as_ptr(), libc::W_OK) == 0
    }
}

/// A folder removed when this is dropped, on unwinding too.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fixed loop of about 8 ms on one core here.
fn spin() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..8_000_000u64 {
        x = (x.rotate_left(5) ^ i).wrapping_mul(0x0100_0000_01B3);
    }
    std::hint::black_box(x);
}

/// How much two threads get done at once against one, just now: twice
/// the time of [`spin`] alone over the time of two at once, on two
/// threads (2.0: two whole cores; here about 1.25 in quiet minutes, the
/// two vCPUs sharing one physical core's time). A build keeps both busy
/// and takes about its CPU time when this falls to 1; this says whether a
/// slow sitting was the machine's.
fn speedup_now() -> f64 {
    let start = Instant::now();
    spin();
    let alone = start.elapsed();
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(spin);
        spin();
    });
    let both = start.elapsed();
    2.0 * alone.as_secs_f64() / both.as_secs_f64()
}

/// The two-thread speedup ([`speedup_now`], median of a sitting's rounds)
/// below which the machine is taken to have given this run one core: 0.95–
/// 1.00 in the spells seen, 1.25–1.45 otherwise.
const TWO_CORES: f64 = 1.1;

/// How long the benchmark waits, sitting after sitting, for the machine
/// to give it two cores (the spells seen lasted up to about 4 minutes).
const WAIT_FOR_TWO_CORES: Duration = Duration::from_secs(8 * 60);

/// Seconds between two sittings.
const PAUSE: u64 = 30;

/// Returns this process's free memory to the system and resets its peak
/// RSS to what it holds now: a child reports its parent's high-water mark
/// as its own peak when that is larger (Linux carries it across `exec`).
fn shrink() {
    // SAFETY: malloc_trim only releases free heap memory.
    unsafe {
        libc::malloc_trim(0);
    }
    // "5" resets the high-water mark (proc(5), /proc/pid/clear_refs).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (base, base_name) = scratch_base();
    let tmp = base.join(format!("talkdoc-bench-{}", std::process::id()));
    // Removed however the benchmark ends (a failed run panics): on
    // `/dev/shm` a leftover would hold memory until the next boot.
    let cleanup = RemoveOnDrop(tmp.clone());
    let out = tmp.join("dist");
    let out_s = out.to_str().unwrap().to_string();
    let root_s = root.to_str().unwrap().to_string();
    let mut budget = Budget::default();
    let runs = 31;

    // The budgeted figures are sampled in rounds, one run of each per
    // round, rather than each in a block of its own: this virtual machine
    // has slow spells (seconds to minutes, everything a third slower at
    // once), and a block of one figure's runs, a second long, fell into
    // one whole or not at all. Interleaved, a spell weighs on every figure
    // alike, and a median of 31 spans the whole sitting.
    let clean = || {
        let _ = std::fs::remove_dir_all(&out);
    };
    let one = tmp.join("one");
    let one_s = one.to_str().unwrap().to_string();
    let clean_one = || {
        let _ = std::fs::remove_dir_all(&one);
    };
    let app = tmp.join("fluent-app");
    let entries = make_fluent_app(&app);
    let app_s = app.to_str().unwrap().to_string();
    let build_args = ["--project", &root_s, "build", "-q", "--out", &out_s];
    let check_args = ["--project", &root_s, "check"];
    // A build into a folder that already holds its outputs: every one
    // found unchanged, nothing written (reported, not budgeted).
    let again = tmp.join("again");
    let again_s = again.to_str().unwrap().to_string();
    let again_args = ["--project", &root_s, "build", "-q", "--out", &again_s];
    process_once(&again_args, 0, &nothing, &|| outputs(&again, 32, 12));
    let one_args = [
        "--project",
        &root_s,
        "build",
        "-q",
        "--out",
        &one_s,
        "--format",
        "pdf",
        "--locale",
        "ja",
        "--document",
        "handout",
    ];
    let app_args = ["--project", &app_s, "check"];
    // Peak RSS first, while this process is small: a child started from
    // it reports its parent's peak as its own when that is larger (Linux
    // keeps the old high-water mark across exec), and the watch session
    // below makes this process as large as a build.
    let rss = |args: &[&str], before: &dyn Fn(), expect: &dyn Fn() -> Result<(), String>| {
        (0..3)
            .map(|_| process_once(args, 0, before, expect).1)
            .max()
            .unwrap_or(0)
    };
    let build_rss = rss(&build_args, &clean, &|| outputs(&out, 32, 12));
    let check_rss = rss(&check_args, &nothing, &fine);
    let one_rss = rss(&one_args, &clean_one, &|| outputs(&one, 1, 1));
    let app_rss = rss(&app_args, &nothing, &fine);
    let mut watch = WatchEdit::start(&root, &tmp);
    // The budgets are for this machine class: two cores. This virtual
    // machine has spells, up to minutes long, in which it gives the process
    // about one: two threads then get no more done than one
    // (`speedup_now`, timed in every round), and a build, which keeps two
    // busy, takes its CPU time (29–31 ms instead of 18–21) while `check`, on
    // one thread, does not move. A sitting in such a spell that is within
    // every budget passes (it would on two cores too); one over a timed
    // budget judges nothing: the benchmark sits again, PAUSE seconds
    // later, for up to WAIT_FOR_TWO_CORES, and fails if no sitting had two
    // cores. The first sitting with two cores is the verdict, whatever it
    // says; the sizes and peak RSS are judged in any sitting.
    let mut n = 1;
    let started = Instant::now();
    let mut earlier: Vec<String> = Vec::new();
    let timed = loop {
        let mut sitting = Budget::default();
        let mut warm = Samples::default();
        for _ in 0..runs {
            warm.add((watch.once(), 0));
        }
        let [
            mut build,
            mut check,
            mut one_pdf,
            mut watched,
            mut app_check,
            mut rebuilt,
        ] = std::array::from_fn(|_| Samples::default());
        let mut speedups: Vec<f64> = Vec::new();
        for _ in 0..runs {
            build.add(process_once(&build_args, 0, &clean, &|| {
                outputs(&out, 32, 12)
            }));
            check.add(process_once(&check_args, 0, &nothing, &fine));
            one_pdf.add(process_once(&one_args, 0, &clean_one, &|| {
                outputs(&one, 1, 1)
            }));
            watched.add((watch.once(), 0));
            app_check.add(process_once(&app_args, 0, &nothing, &fine));
            rebuilt.add(process_once(&again_args, 0, &nothing, &|| {
                outputs(&again, 32, 12)
            }));
            speedups.push(speedup_now());
        }

        println!(
            "real proposal, whole process (sitting {n}: median of {runs} runs in rounds with the others, peak RSS; outputs on {base_name}):"
        );
        let (t, _) = build.median();
        sitting.check(
            "build: every locale, document and format",
            ms(t),
            25.0,
            "ms",
        );
        sitting.check_fixed("build: peak RSS", build_rss as f64 / 1024.0, 24.0, "MB");
        let size =
            |rel: &str| std::fs::metadata(out.join(rel)).map_or(f64::NAN, |m| m.len() as f64);
        sitting.check_fixed(
            "Japanese handout PDF size",
            size("ja/handout.pdf") / 1024.0,
            // Issue 11's 70 KB, now with issue 13's tagging (structure tree,
            // XMP) included: object streams keep the structure small.
            70.0,
            "KB",
        );
        // Issue 11's 20 KB is the text and its structure; issue 16 then gave
        // every link of a handout a QR code (vector squares, ~1.1 KB each):
        // each distinct address in the handout adds 1.5 KB to the budget.
        let urls: std::collections::BTreeSet<String> =
            std::fs::read_to_string(out.join("en/handout.txt"))
                .unwrap_or_default()
                .split_whitespace()
                .map(|w| w.trim_matches(['(', ')', '<', '>', '.', ',']))
                .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
                .map(str::to_string)
                .collect();
        let en_budget = 20.0 + 1.5 * urls.len() as f64;
        sitting.check_fixed(
            &format!("English handout PDF size ({} QR codes)", urls.len()),
            size("en/handout.pdf") / 1024.0,
            en_budget,
            "KB",
        );
        let (t, _) = rebuilt.median();
        sitting.report("build again: every output unchanged", ms(t), "ms");
        let (t, _) = check.median();
        sitting.check("check", ms(t), 20.0, "ms");
        sitting.check_fixed("check: peak RSS", check_rss as f64 / 1024.0, 64.0, "MB");
        let (t, _) = one_pdf.median();
        sitting.check("one Japanese PDF (handout)", ms(t), 10.0, "ms");
        sitting.report("one Japanese PDF: peak RSS", one_rss as f64 / 1024.0, "MB");
        // `watch` in process: its budget is for a session's rebuilds one after
        // another (caches warm); between other runs, as in the rounds, caches
        // are cold, and that figure is shown too.
        let (t, _) = watched.median();
        sitting.report("watch: one-message edit, between other runs", ms(t), "ms");
        let (t, _) = warm.median();
        sitting.check(
            "watch: one-message edit rebuilt and written",
            ms(t),
            10.0,
            "ms",
        );
        println!(
            "coverage mode ({entries} messages × 3 locales, 20 files each, whole process, median of {runs} in the same rounds):"
        );
        let (t, _) = app_check.median();
        sitting.check("check, Fluent app without content/", ms(t), 50.0, "ms");
        sitting.report("check, Fluent app: peak RSS", app_rss as f64 / 1024.0, "MB");
        speedups.sort_by(f64::total_cmp);
        let speedup = speedups[speedups.len() / 2];
        println!(
            "  the machine: two threads ran a fixed loop {speedup:.2}× as fast as one (median of the rounds; least {:.2}×)",
            speedups[0]
        );
        let two_cores = speedup >= TWO_CORES;
        // The fixed budgets are judged in any sitting.
        if two_cores || sitting.failures.len() == sitting.fixed {
            break sitting;
        }
        if started.elapsed() > WAIT_FOR_TWO_CORES {
            sitting.failures.push(format!(
                "no sitting in {} minutes had two cores (two threads no faster than one): the timed budgets could not be judged",
                WAIT_FOR_TWO_CORES.as_secs() / 60
            ));
            break sitting;
        }
        println!(
            "  sitting {n} not judged: the machine gave this run about one core, and the budgets are for two (over: {}); sitting again in {PAUSE} s",
            sitting.failures.join("; ")
        );
        earlier.push(format!(
            "sitting {n} (one core): {}",
            sitting.failures.join("; ")
        ));
        n += 1;
        std::thread::sleep(Duration::from_secs(PAUSE));
    };
    budget.failures.extend(timed.failures);
    if !earlier.is_empty() {
        println!(
            "  judged on sitting {n}; not judged before it: {}",
            earlier.join(" | ")
        );
    }

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
    let md_txt = Selection {
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
    let one_pdf = Selection {
        formats: vec![Format::Pdf],
        locales: vec!["ja".into()],
        documents: vec!["handout".into()],
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

    // Last, the synthetic projects: this process is made small again
    // first and its high-water mark reset (see `shrink`), so that their
    // peak RSS is theirs.
    drop(watch);
    drop(project);
    shrink();
    println!("scaling (synthetic proposals, whole-process build, median of 5):");
    let mut base_ms = 0.0;
    for factor in [1usize, 10, 100] {
        let dir = tmp.join(format!("x{factor}"));
        let messages = synth::make_project(&root, &dir, factor);
        let dir_s = dir.to_str().unwrap().to_string();
        let dist = dir.join("dist");
        let clean = || {
            let _ = std::fs::remove_dir_all(&dist);
        };
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
            0,
            &clean,
            &|| {
                // Every document in both locales, three formats, plus the
                // bilingual handout.
                let docs =
                    std::fs::read_dir(dir.join("content/documents")).map_or(0, |d| d.count());
                outputs(&dist, docs * 2 * 3 + 1, docs * 2 + 1)
            },
        );
        let (tc, _) = process(&["--project", &dir_s, "check"], 5, 1, &nothing, &fine);
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
    // Before `exit`, which runs no destructor.
    drop(cleanup);
    if !budget.failures.is_empty() {
        eprintln!("over budget:\n  {}", budget.failures.join("\n  "));
        std::process::exit(1);
    }
}

/// Pages in a PDF, read with lopdf (the page objects sit in object
/// streams, so a byte search cannot count them).
fn count_pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).map_or(0, |d| d.get_pages().len())
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
