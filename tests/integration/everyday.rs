//! The everyday use around the pipeline: starting a talk (`init`),
//! running from a subfolder, watching, shell completions and the manual,
//! output conventions (`-q`, `-v`, `--color`), per-locale variables and
//! outputs that no document produces any more. Real binary, scratch folders.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Scratch, talkdoc};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    talkdoc()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run talkdoc")
}

#[test]
fn init_makes_a_project_that_checks_clean_and_builds_every_output() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = run_in(tmp.path(), &["init", "mytalk"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let talk = tmp.path().join("mytalk");
    for f in [
        "content/project.toml",
        "content/documents/abstract.toml",
        "content/documents/outline.toml",
        "content/documents/takeaways.toml",
        "content/documents/titles.toml",
        "content/documents/handout.toml",
        "locales/ja/talk.ftl",
        "locales/en/talk.ftl",
        "locales/en.reviewed.toml",
        ".gitignore",
        ".github/workflows/talkdoc.yml",
    ] {
        assert!(talk.join(f).is_file(), "{f} missing");
    }
    let c = run_in(&talk, &["check", "--deny-warnings"]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
    let b = run_in(&talk, &["build"]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    let written = text(&b.stdout)
        .lines()
        .filter(|l| l.starts_with("wrote "))
        .count();
    assert_eq!(written, 2 * 5 * 3 + 1, "{}", text(&b.stdout));
    // Every feature shows once: term, variable (per locale), Markdown, link, nested list.
    let en = std::fs::read_to_string(talk.join("dist/en/handout.md")).expect("md");
    assert!(en.contains("I am Yamada"), "{en}");
    assert!(
        en.contains("10 years") && en.contains("*monitoring*"),
        "{en}"
    );
    assert!(en.contains("](<https://example.com/slides>)"), "{en}");
    assert!(en.contains("\n  - Instrumentation"), "{en}");
    let ja = std::fs::read_to_string(talk.join("dist/ja/handout.md")).expect("md");
    assert!(ja.contains("山田です"), "{ja}");
    // The workflow is valid YAML-ish and runs check and build.
    let wf = std::fs::read_to_string(talk.join(".github/workflows/talkdoc.yml")).expect("yml");
    assert!(
        wf.contains("talkdoc check --output-format github") && wf.contains("talkdoc build"),
        "{wf}"
    );
    // The artifact is a folder only talkdoc wrote, not the checkout's dist/
    // (a pull request can commit links there that the upload would follow).
    assert!(
        wf.contains("talkdoc build --out \"$RUNNER_TEMP/proposal\"")
            && wf.contains("path: \"${{ runner.temp }}/proposal/\"")
            && !wf.contains("path: dist"),
        "{wf}"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let steps = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .skip_while(|l| !l.starts_with("- run: talkdoc check"))
            .take(6)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        steps(&wf),
        steps(&readme),
        "README shows the workflow init writes"
    );
}

#[test]
fn init_never_overwrites_and_refuses_bad_locales() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(tmp.path().join("t/content")).expect("mkdir");
    std::fs::write(tmp.path().join("t/content/project.toml"), "mine").expect("write");
    let o = run_in(tmp.path(), &["init", "t"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("content/project.toml"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("t/content/project.toml")).expect("read"),
        "mine"
    );
    assert!(
        !tmp.path().join("t/locales").exists(),
        "wrote some files anyway"
    );
    for args in [
        &["init", "u", "--target", "../x"][..],
        &["init", "u", "--source", "en"],
    ] {
        let o = run_in(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
    }
    // Another pair of locales works too.
    let o = run_in(
        tmp.path(),
        &["init", "v", "--source", "en", "--target", "ja"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let c = run_in(&tmp.path().join("v"), &["check"]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
}

#[test]
fn a_project_is_found_from_any_subfolder_and_paths_are_relative_to_where_you_stand() {
    let s = Scratch::new("small");
    let sub = s.path("locales/ja");
    // No review record: the F002 finding names it, relative to here.
    let c = run_in(&sub, &["check"]);
    let out = text(&c.stdout);
    assert_eq!(c.status.code(), Some(1), "{out}\n{}", text(&c.stderr));
    assert!(
        out.contains("error[F002]: no review record")
            && out.contains("= at ../../locales/en.reviewed.toml"),
        "{out}"
    );
    let b = run_in(&sub, &["build", "-q"]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    assert!(s.path("dist/en/abstract.md").is_file());
    // A `locales/` folder that is not Fluent (a web app's JSON) does not
    // make a project: the talk is still found above it.
    let json = s.path("site/locales");
    std::fs::create_dir_all(&json).expect("mkdir");
    std::fs::write(json.join("en.json"), "{}").expect("json");
    let b = run_in(&json.join(".."), &["build", "-q"]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    // A Fluent app checked out inside the talk's folder is that app, from
    // any folder of it: its own locales are checked, not the talk.
    let app = s.path("vendor/app");
    crate::common::copy_dir(&crate::common::fixture_path("fluent-app"), &app);
    std::fs::write(app.join("locales/ja/app.ftl"), "welcome = {\n").expect("break it");
    for here in [app.clone(), app.join("locales/ja")] {
        let c = run_in(&here, &["check"]);
        let out = text(&c.stdout);
        assert_eq!(c.status.code(), Some(1), "{out}");
        assert!(
            out.contains("checking the Fluent files only") && out.contains("ja/app.ftl:2:1"),
            "{out}"
        );
    }
    // Outside any project: the usual clear error.
    let tmp = tempfile::tempdir().expect("tmp");
    let c = run_in(tmp.path(), &["check"]);
    assert_eq!(c.status.code(), Some(2));
    assert!(
        text(&c.stderr).contains("content/project.toml"),
        "{}",
        text(&c.stderr)
    );
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    let tmp = tempfile::tempdir().expect("tmp");
    for shell in ["bash", "zsh", "fish"] {
        let o = run_in(tmp.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        let script = text(&o.stdout);
        for cmd in ["build", "watch", "check", "review", "init"] {
            assert!(script.contains(cmd), "{shell}: {cmd} missing");
        }
    }
    let o = run_in(tmp.path(), &["completions", "bash"]);
    assert!(
        text(&o.stdout).contains("complete -F"),
        "not a bash completion script"
    );
    let o = run_in(tmp.path(), &["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = text(&o.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH talkdoc"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(
        page.contains("watch") && page.contains("\\-\\-color"),
        "man page lacks options"
    );
    let v = run_in(tmp.path(), &["--version"]);
    assert_eq!(
        text(&v.stdout).trim(),
        format!("talkdoc {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn quiet_verbose_and_color_work_on_every_command() {
    let s = Scratch::new("small");
    let p = s.project();
    let r = run_in(&p, &["review", "--all", "-q"]);
    assert_eq!(r.status.code(), Some(0));
    assert!(r.stdout.is_empty(), "{}", text(&r.stdout));
    let c = run_in(&p, &["check", "-q"]);
    assert_eq!(c.status.code(), Some(0));
    assert!(c.stdout.is_empty(), "{}", text(&c.stdout));
    let b = run_in(&p, &["build", "-q"]);
    assert!(b.stdout.is_empty() && b.status.success());
    let b = run_in(&p, &["build", "-v"]);
    assert!(
        text(&b.stderr).contains("rendered ja/abstract.pdf"),
        "{}",
        text(&b.stderr)
    );
    // Colour: never on a pipe by default; forced by --color always or
    // CLICOLOR_FORCE; NO_COLOR and --color never win over CLICOLOR_FORCE.
    s.replace("locales/en/talk.ftl", "Analyse", "Analyse {");
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = talkdoc();
        cmd.current_dir(&p).args(args).env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = cmd.output().expect("run");
        (text(&o.stdout) + &text(&o.stderr)).contains("\u{1b}[")
    };
    assert!(!coloured(&["check"], &[]));
    assert!(coloured(&["check", "--color", "always"], &[]));
    assert!(coloured(&["build", "--color", "always"], &[]));
    assert!(coloured(&["check"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(
        &["check"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!coloured(
        &["check", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    ));
}

#[test]
fn variables_can_differ_per_locale() {
    let s = Scratch::new("small");
    s.append("content/project.toml", "");
    let toml = s.read("content/project.toml").replace(
        "[variables]\nname = \"Hanako\"\n",
        "[variables]\nname = \"花子\"\n\n[variables.en]\nname = \"Hanako\"\n",
    );
    s.write("content/project.toml", toml);
    let b = run_in(&s.project(), &["build", "-q", "--format", "md"]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    let ja = std::fs::read_to_string(s.path("dist/ja/abstract.md")).expect("ja");
    let en = std::fs::read_to_string(s.path("dist/en/abstract.md")).expect("en");
    assert!(ja.contains("花子です"), "{ja}");
    assert!(en.contains("I am Hanako"), "{en}");
}

#[test]
fn outputs_no_document_produces_are_removed_and_foreign_files_survive() {
    let s = Scratch::new("small");
    let p = s.project();
    assert!(run_in(&p, &["build", "-q"]).status.success());
    std::fs::write(s.path("dist/en/notes.txt"), "mine").expect("foreign file");
    // Rename a document: its old outputs go, the new ones come.
    std::fs::rename(
        s.path("content/documents/outline.toml"),
        s.path("content/documents/plan.toml"),
    )
    .expect("rename");
    let toml = s
        .read("content/documents/handout.toml")
        .replace("document = \"outline\"", "document = \"plan\"");
    s.write("content/documents/handout.toml", toml);
    let b = run_in(&p, &["build"]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    let out = text(&b.stdout);
    assert!(out.contains("removed dist/ja/outline.pdf"), "{out}");
    for l in ["ja", "en"] {
        for ext in ["md", "txt", "pdf"] {
            assert!(!s.path(&format!("dist/{l}/outline.{ext}")).exists());
            assert!(s.path(&format!("dist/{l}/plan.{ext}")).is_file());
        }
    }
    assert_eq!(
        std::fs::read_to_string(s.path("dist/en/notes.txt")).expect("kept"),
        "mine"
    );
    // A partial build keeps the other outputs.
    let b = run_in(&p, &["build", "-q", "--locale", "en"]);
    assert!(b.status.success());
    assert!(s.path("dist/ja/plan.pdf").is_file());
}

/// Reads the watcher's stdout lines on a thread, so the test can wait for
/// one with a deadline.
fn lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_for(rx: &std::sync::mpsc::Receiver<String>, prefix: &str) -> String {
    // A hang guard, not a speed target (that is in `cargo bench`).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if l.starts_with(prefix) => return l,
            Ok(_) => {}
            Err(e) => panic!("no `{prefix}` line from watch: {e}"),
        }
    }
}

#[test]
fn watch_rebuilds_what_changed_keeps_good_outputs_on_errors_and_stops_on_ctrl_c() {
    let s = Scratch::new("small");
    let p = s.project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_talkdoc"))
        .current_dir(&p)
        .arg("watch")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn watch");
    let rx = lines(&mut child);
    let first = wait_for(&rx, "built ");
    assert!(first.contains("19 files"), "{first}");
    let before_ja = std::fs::read(s.path("dist/ja/outline.pdf")).expect("ja pdf");

    s.replace(
        "locales/en/talk.ftl",
        "outline-start = Introduction",
        "outline-start = Opening",
    );
    let rebuilt = wait_for(&rx, "rebuilt ");
    // en/outline.{md,txt,pdf}, en/handout.{md,txt,pdf}, handout.pdf.
    assert!(rebuilt.starts_with("rebuilt 7 files"), "{rebuilt}");
    assert!(
        std::fs::read_to_string(s.path("dist/en/outline.md"))
            .expect("md")
            .contains("Opening")
    );
    assert_eq!(
        std::fs::read(s.path("dist/ja/outline.pdf")).expect("ja pdf"),
        before_ja
    );

    s.replace(
        "locales/en/talk.ftl",
        "outline-start = Opening",
        "outline-start = Opening {",
    );
    wait_for(&rx, "kept the last good outputs");
    assert!(
        std::fs::read_to_string(s.path("dist/en/outline.md"))
            .expect("md")
            .contains("Opening")
    );

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    wait_for(&rx, "stopped");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
        .expect("read");
    assert!(
        err.contains("error[E0101]") && err.contains("locales/en/talk.ftl"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_and_keeps_the_exit_status() {
    // `talkdoc check | head -1`: the reader goes away after one line.
    let s = Scratch::new("small");
    for (args, status) in [
        (&["check"][..], 1),
        (&["man"], 0),
        (&["completions", "bash"], 0),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_talkdoc"))
            .current_dir(s.project())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(status), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("cannot write"),
            "{args:?}: {err}"
        );
    }
}

/// A `watch` session keeps subsets, laid-out parts and deflated streams
/// between rebuilds; whatever it reuses, what it writes is byte for byte
/// what a fresh `talkdoc build` of the same files writes.
#[test]
fn watch_rebuilds_write_exactly_what_a_fresh_build_writes() {
    let s = Scratch::real();
    let out = s.dir.path().join("watch-dist");
    let (mut session, _) =
        talkdoc::watch::Session::start(&s.project(), &out, talkdoc::build::Selection::default())
            .expect("first build");
    let ftl = "locales/en/takeaways.ftl";
    let original = s.read(ftl);
    let edited = original.replacen("takeaway-1 = ", "takeaway-1 = Edited: ", 1);
    assert_ne!(edited, original, "the edit changes the file");
    // Edit, undo, edit again: the third rebuild reuses what the first made.
    for text in [&edited, &original, &edited] {
        s.write(ftl, text);
        let rebuilt = session.rebuild().expect("rebuild");
        assert!(!rebuilt.written.is_empty(), "nothing rewritten");
    }
    let fresh = s.dir.path().join("fresh-dist");
    s.build_to(&fresh, &["-q"]).assert().success();
    let (watched, built) = (common::snapshot(&out), common::snapshot(&fresh));
    assert_eq!(common::names(&watched), common::names(&built));
    for (path, bytes) in &built {
        assert!(
            watched.get(path) == Some(bytes),
            "{} differs between watch and a fresh build",
            path.display()
        );
    }
}
