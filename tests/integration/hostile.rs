//! Hostile input: every case gets a clear error (or correct output) and an
//! exit status, never a panic, a hang, or a damaged earlier output.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use crate::common::{Scratch, output_text, snapshot};

fn stderr(o: &Output) -> String {
    output_text(o).1
}

fn stdout(o: &Output) -> String {
    output_text(o).0
}

fn assert_failed_cleanly(o: &Output, code: &str, location: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit status; stderr:\n{err}");
    assert!(err.contains(code), "expected {code} in:\n{err}");
    assert!(err.contains(location), "expected {location} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.len() < 20_000,
        "the error must stay readable, got {} bytes",
        err.len()
    );
}

/// A copy of the real project whose outline nests one item `n` levels deep.
fn nested_outline(n: usize) -> Scratch {
    let p = Scratch::real();
    let doc = format!(
        "title = \"talk-title\"\n[[blocks]]\ntype = \"list\"\nitems = [{}\"outline-why\"{}]\n",
        "{ id = \"outline-why\", items = [".repeat(n),
        "] }".repeat(n)
    );
    fs::write(p.project().join("content/documents/outline.toml"), doc).unwrap();
    p
}

#[test]
fn outline_nested_1000_levels_is_a_clear_error() {
    let p = nested_outline(1000);
    let o = p.run(&["build"]);
    assert_failed_cleanly(&o, "E0201", "content/documents/outline.toml:4:");
    assert!(stderr(&o).contains("nested"), "{}", stderr(&o));
    assert!(!p.project().join("dist").exists(), "nothing may be written");
    // check cannot run on unreadable content: exit 2.
    let c = p.run(&["check"]);
    assert_eq!(c.status.code(), Some(2), "{}", stderr(&c));
}

#[test]
fn outline_nested_deeper_than_a_page_can_show_is_a_clear_error() {
    let p = nested_outline(36);
    let o = p.run(&["build"]);
    assert_failed_cleanly(&o, "E0305", "content/documents/outline.toml:4:");
}

#[test]
fn a_10_mb_message_is_refused_with_its_size() {
    let p = Scratch::real();
    for locale in ["ja", "en"] {
        let path = p.project().join(format!("locales/{locale}/abstract.ftl"));
        let mut s = fs::read_to_string(&path).unwrap();
        s.push_str("\nabstract-huge = ");
        s.push_str(&"テレメトリー SRE telemetry ".repeat(10 * 1024 * 1024 / 32));
        s.push('\n');
        fs::write(&path, s).unwrap();
    }
    let doc = p.project().join("content/documents/abstract.toml");
    let s = fs::read_to_string(&doc).unwrap().replace(
        "messages = [\"abstract-p1\"",
        "messages = [\"abstract-huge\", \"abstract-p1\"",
    );
    fs::write(&doc, s).unwrap();
    let o = p.run(&["build"]);
    assert_failed_cleanly(&o, "E0309", "locales/ja/abstract.ftl:");
    assert!(stderr(&o).contains("MB"), "{}", stderr(&o));
    assert!(!p.project().join("dist").exists());
    let c = p.run(&["check"]);
    assert_eq!(c.status.code(), Some(1));
    assert!(stdout(&c).contains("E0309"), "{}", stdout(&c));
}

#[test]
fn an_exponentially_expanding_reference_chain_is_stopped() {
    let p = Scratch::real();
    for locale in ["ja", "en"] {
        let mut s = String::from("bomb-0 = { bomb-1 }{ bomb-1 }\n");
        for i in 1..40 {
            s.push_str(&format!(
                "bomb-{i} = {{ bomb-{} }}{{ bomb-{} }}\n",
                i + 1,
                i + 1
            ));
        }
        s.push_str("bomb-40 = boom\n");
        fs::write(p.project().join(format!("locales/{locale}/bomb.ftl")), s).unwrap();
    }
    fs::write(
        p.project().join("content/documents/bomb.toml"),
        "[[blocks]]\ntype = \"paragraphs\"\nmessages = [\"bomb-0\"]\n",
    )
    .unwrap();
    // Refused from the bound on the AST (2^40 copies), before formatting.
    let o = p.run(&["build", "--document", "bomb"]);
    assert_failed_cleanly(&o, "E0309", "locales/ja/bomb.ftl:1:1");
    assert!(stderr(&o).contains("can expand to"), "{}", stderr(&o));
    let c = p.run(&["check"]);
    assert_eq!(c.status.code(), Some(1));
}

#[test]
fn invalid_utf8_is_reported_with_line_and_column() {
    let p = Scratch::real();
    fs::write(
        p.project().join("locales/en/broken.ftl"),
        b"ok = fine\nbad = caf\xe9\n",
    )
    .unwrap();
    let o = p.run(&["build"]);
    assert_failed_cleanly(&o, "E0102", "locales/en/broken.ftl:2:10");
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted_and_never_reach_the_output() {
    let p = Scratch::real();
    let path = p.project().join("locales/ja/takeaways.ftl");
    let s = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    fs::write(&path, format!("\u{feff}{s}")).unwrap();
    let o = p.run(&["build", "--format", "md", "--format", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let txt = fs::read_to_string(p.project().join("dist/ja/takeaways.txt")).unwrap();
    assert!(txt.contains("エンジニアにとって見慣れた技術を"), "{txt}");
    assert!(!txt.contains('\r') && !txt.contains('\u{feff}'), "{txt:?}");
    let c = p.run(&["check"]);
    assert_eq!(c.status.code(), Some(0), "{}", stdout(&c));
}

#[test]
fn an_empty_locale_is_reported_not_built() {
    let p = Scratch::real();
    for e in fs::read_dir(p.project().join("locales/en")).unwrap() {
        fs::remove_file(e.unwrap().path()).unwrap();
    }
    let o = p.run(&["build"]);
    assert_failed_cleanly(&o, "E0106", "locales/en");
    assert!(
        stderr(&o).contains("locale `en` has no messages"),
        "{}",
        stderr(&o)
    );
    assert!(!p.project().join("dist").exists());
    let c = p.run(&["check"]);
    assert_eq!(c.status.code(), Some(1));
    assert!(stdout(&c).contains("C001"), "{}", stdout(&c));
}

#[test]
fn names_that_would_escape_the_output_folder_are_refused() {
    // A locale named like a path.
    let p = Scratch::real();
    let project = p.project().join("content/project.toml");
    let s = fs::read_to_string(&project).unwrap().replace(
        "locales = [\"ja\", \"en\"]",
        "locales = [\"ja\", \"../../escape\"]",
    );
    fs::write(&project, s).unwrap();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("E0205") && stderr(&o).contains("content/project.toml:"),
        "{}",
        stderr(&o)
    );
    assert!(
        !p.project().join("escape").exists()
            && !p.project().parent().unwrap().join("escape").exists()
    );

    // A document file whose name is not a plain name.
    let p = Scratch::real();
    fs::write(
        p.project().join("content/documents/.hidden.toml"),
        "[[blocks]]\ntype = \"heading\"\nmessage = \"heading-outline\"\n",
    )
    .unwrap();
    fs::write(p.project().join("content/documents/a b.toml"), "").unwrap();
    let o = p.run(&["build"]);
    assert_failed_cleanly(&o, "E0207", "content/documents/");

    // A document asked for on the command line by a path.
    let p = Scratch::real();
    let o = p.run(&["build", "--document", "../../etc/passwd"]);
    assert_eq!(o.status.code(), Some(2), "a bad argument: {}", stderr(&o));
    assert!(stderr(&o).contains("unknown document"), "{}", stderr(&o));
}

#[test]
fn an_unwritable_output_folder_is_an_error_and_nothing_is_half_written() {
    let p = Scratch::real();
    // A regular file where a folder is expected fails even for root.
    let blocker = p.project().join("blocker");
    fs::write(&blocker, "not a folder").unwrap();
    let out = blocker.join("dist");
    let o = p.run(&["build", "--out", out.to_str().unwrap()]);
    assert_failed_cleanly(&o, "E0401", "blocker");
    assert_eq!(fs::read_to_string(&blocker).unwrap(), "not a folder");

    // A read-only folder (only meaningful when not running as root).
    let ro = p.project().join("ro");
    fs::create_dir(&ro).unwrap();
    let good = p.run(&["build", "--format", "txt", "--out", ro.to_str().unwrap()]);
    assert_eq!(good.status.code(), Some(0));
    let before = snapshot(&ro);
    use std::os::unix::fs::PermissionsExt;
    for path in before.keys() {
        let dir = ro.join(path.parent().unwrap());
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
    }
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = ro.join("ja/.probe");
    let root_ignores_permissions = fs::write(&probe, "x").is_ok();
    let _ = fs::remove_file(&probe);
    // Another talk title, so every output has new bytes to write (a build
    // that finds its outputs unchanged writes nothing, and succeeds).
    retitle(&p);
    let o = p.run(&["build", "--format", "txt", "--out", ro.to_str().unwrap()]);
    if root_ignores_permissions {
        // Root writes anyway: the new outputs are all there.
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_ne!(snapshot(&ro), before, "root's build wrote nothing");
    } else {
        assert_failed_cleanly(&o, "E0401", "ro/");
        assert!(snapshot(&ro) == before, "earlier outputs must be intact");
    }
    for path in before.keys() {
        let dir = ro.join(path.parent().unwrap());
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The real proposal with another title candidate as its talk title: every
/// PDF (running header, metadata) and most other outputs change.
fn retitle(p: &Scratch) {
    for locale in ["ja", "en"] {
        let path = p.project().join(format!("locales/{locale}/titles.ftl"));
        let text = fs::read_to_string(&path).unwrap();
        let from = "talk-title = { title-candidate-08 }";
        let to = "talk-title = { title-candidate-01 }";
        let (from, to) = if text.contains(from) {
            (from, to)
        } else {
            (to, from)
        };
        assert!(text.contains(from), "{}", path.display());
        fs::write(&path, text.replace(from, to)).unwrap();
    }
}

#[test]
fn a_build_killed_mid_write_never_leaves_a_damaged_output() {
    let p = Scratch::real();
    let out = p.project().join("dist");
    // The good outputs of two inputs (two talk titles), `a` and `b`.
    let mut good = Vec::new();
    for _ in 0..2 {
        let o = p.run(&["build", "-q", "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        good.push(snapshot(&out));
        retitle(&p);
    }
    let changed = good[0]
        .iter()
        .filter(|(k, v)| good[1].get(*k) != Some(*v))
        .count();
    assert!(
        changed > 20,
        "{changed} outputs differ between the two titles"
    );
    // Kill builds at increasing delays, the input switching between the
    // two each time so every build has files to replace: wherever one
    // stops, every output is byte for byte one of its two good versions
    // (or a temporary file beside it); never truncated, never missing.
    let bin = assert_cmd::cargo::cargo_bin("talkdoc");
    for delay_ms in [0u64, 2, 5, 10, 20, 40, 80] {
        retitle(&p);
        let mut child = std::process::Command::new(&bin)
            .args([
                "--project",
                p.project().to_str().unwrap(),
                "build",
                "-q",
                "--out",
                out.to_str().unwrap(),
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now: std::collections::BTreeMap<PathBuf, Vec<u8>> = snapshot(&out)
            .into_iter()
            .filter(|(p, _)| {
                // Temporary files: a new version not swapped in yet, or a
                // second name of the previous version, kept for a rollback.
                let name = p.file_name().unwrap().to_string_lossy();
                !name.ends_with(".tmp") && !name.ends_with(".old")
            })
            .collect();
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            good[0].keys().collect::<Vec<_>>(),
            "outputs missing after a kill at {delay_ms} ms"
        );
        for (path, bytes) in &now {
            assert!(
                good.iter().any(|g| g.get(path) == Some(bytes)),
                "{} damaged after a kill at {delay_ms} ms",
                path.display()
            );
        }
    }
    // The next build completes and cleans up temporary files left behind.
    let again = p.run(&["build", "-q", "--out", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    let title = fs::read_to_string(p.project().join("locales/en/titles.ftl")).unwrap();
    let which = usize::from(!title.contains("talk-title = { title-candidate-08 }"));
    assert_eq!(snapshot(&out), good[which]);
}
