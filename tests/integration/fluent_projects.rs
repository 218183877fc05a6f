//! `talkdoc check` on Fluent projects that are not talks (coverage mode):
//! an app layout (`locales/en-US/`, `locales/ja/`, `locales/pt-BR/`, nested
//! folders) and a Mozilla layout described by `l10n.toml`. The fixtures
//! (`tests/fixtures/fluent-*`) are clean; each test copies one and breaks
//! it the way a real change would, then reads what a user sees: the exit
//! status, the finding's code, file:line:column and message.

use crate::check_support;

use check_support::*;
use serde_json::Value;
use tempfile::TempDir;

/// A copy of `tests/fixtures/<name>` in a temporary folder.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        crate::common::copy_dir(&crate::common::fixture_path(name), dir.path());
        Fixture { dir }
    }
    fn app() -> Fixture {
        Fixture::new("fluent-app")
    }
    /// An empty folder to write an `l10n.toml` layout into (the Mozilla
    /// fixture with its files taken out).
    fn bare() -> Fixture {
        let f = Fixture::new("fluent-mozilla");
        for dir in ["browser", "toolkit", "l10n"] {
            std::fs::remove_dir_all(f.path(dir)).unwrap();
        }
        f
    }
    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }
    fn write(&self, rel: &str, text: &str) -> &Fixture {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
    /// Replaces the one occurrence of `from` in `rel`.
    #[track_caller]
    fn replace(&self, rel: &str, from: &str, to: &str) -> &Fixture {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}");
        self.write(rel, &text.replacen(from, to, 1))
    }
    /// `pref-updates` (value and `.title`) of `locale` left as the English
    /// source wrote it: untranslated text of two words or more.
    fn leave_pref_updates_untranslated(&self, locale: &str) -> &Fixture {
        let rel = format!("locales/{locale}/settings/preferences.ftl");
        let text = self.read(&rel);
        let start = text.find("pref-updates = ").expect("pref-updates");
        let title = start + text[start..].find(".title = ").expect(".title");
        let end = title
            + text[title..]
                .find('\n')
                .map_or(text.len() - title, |e| e + 1);
        let english = "pref-updates = { -brand-name } updates itself.\n    .title = Updates\n";
        self.write(
            &rel,
            &format!("{}{english}{}", &text[..start], &text[end..]),
        )
    }
    fn remove(&self, rel: &str) -> &Fixture {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }
    fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args, &[])
    }
    fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

// ---------------------------------------------------------------------------
// Layouts
// ---------------------------------------------------------------------------

#[test]
fn an_app_layout_without_content_is_checked_and_passes() {
    let f = Fixture::app();
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    run.assert_stdout_has(
        "note: no content/project.toml: checking the Fluent files only; ja, pt-BR against the `en-US` source, found in locales/, file by file",
    );
    // Without a review record, freshness is off, and the report says how to turn it on.
    run.assert_stdout_has("note: freshness is off for ja, pt-BR: no review record (locales/ja.reviewed.toml, locales/pt-BR.reviewed.toml); after checking the translations, run `talkdoc review --all`");
    // Terms count like messages (14 entries: 12 messages, 2 terms), in
    // nested folders; the same ID in two files (`home-section`) is fine.
    run.assert_stdout_has(
        "en-US (source)       14           -        -      -           -         -\n",
    );
    run.assert_stdout_has(
        "ja                   14          14        0      -           -         0\n",
    );
    run.assert_stdout_has(
        "pt-BR                14          14        0      -           -         0\n",
    );
    run.assert_stdout_has("check passed: 0 errors, 0 warnings");
}

#[test]
fn a_mozilla_layout_is_read_from_l10n_toml() {
    let f = Fixture::new("fluent-mozilla");
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    run.assert_stdout_has("de, ja against the `en-US` source, found in l10n.toml, file by file");
    run.assert_stdout_has("(l10n/de.reviewed.toml, l10n/ja.reviewed.toml)");
    // A file missing in one locale: once, naming the file the app will look for.
    f.remove("l10n/ja/browser/browser/preferences/preferences.ftl");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014"]);
    let m = run.finding(
        "error[C014] browser/locales/en-US/browser/preferences/preferences.ftl: no `ja` file l10n/ja/browser/browser/preferences/preferences.ftl: its 4 entries are missing",
    );
    assert!(
        m.contains(
            "help: translate this file as l10n/ja/browser/browser/preferences/preferences.ftl"
        ),
        "{m}"
    );
}

/// The `[[filters]]` of an l10n.toml decide about missing translations as
/// in compare-locales: the last matching filter's action ("ignore",
/// "warning", "error"), by path inside the locale folder and, for a
/// message, ID (`re:` a regular expression from the start of the ID); a
/// filter without `key` is about a missing file. A bad filter is E0009 at
/// its line and column.
#[test]
fn l10n_toml_filters_ignore_or_warn_about_missing_translations() {
    let f = Fixture::new("fluent-mozilla");
    // ja misses two messages of tabbrowser.ftl and the whole preferences file.
    f.replace(
        "l10n/ja/browser/browser/tabbrowser.ftl",
        "tabbrowser-empty-tab-title = 新しいタブ\n",
        "",
    );
    f.replace(
        "l10n/ja/browser/browser/tabbrowser.ftl",
        "tabbrowser-menuitem-close-tab =\n    .label = タブを閉じる\n",
        "",
    );
    f.remove("l10n/ja/browser/browser/preferences/preferences.ftl");
    let run = f.check(&[]);
    run.assert_code(1);
    assert_eq!(run.count("C001"), 2, "{}", run.stdout);
    assert_eq!(run.count("C014"), 1, "{}", run.stdout);

    let toml = f.read("l10n.toml");
    f.write(
        "l10n.toml",
        &format!(
            "{toml}\n\
             [[filters]]\n\
             path = \"{{l}}browser/browser/tabbrowser.ftl\"\n\
             key = \"tabbrowser-empty-tab-title\"\n\
             action = \"ignore\"\n\
             \n\
             [[filters]]\n\
             path = \"{{l}}browser/**/*.ftl\"\n\
             key = [\"re:tabbrowser-menuitem-\", \"other-id\"]\n\
             action = \"warning\"\n\
             \n\
             [[filters]]\n\
             path = \"{{l}}browser/browser/preferences/*\"\n\
             action = \"ignore\"\n"
        ),
    );
    let run = f.check(&[]);
    // Only the warning is left: exit 0, and 1 with --deny-warnings.
    run.assert_code(0).assert_codes(&["C001"]);
    run.finding(
        "warning[C001] browser/locales/en-US/browser/tabbrowser.ftl:7:1: tabbrowser-menuitem-close-tab: missing in `ja`",
    );
    let ja_row = run.row("ja");
    assert_eq!(
        ja_row[3], "1",
        "reported as a warning, and counted as missing\n{}",
        run.stdout
    );
    f.check(&["--deny-warnings"]).assert_code(1);

    // A later filter that matches too wins; a keyless filter on the file
    // of a missing message does not cover the message.
    let with_filters = f.read("l10n.toml");
    f.write(
        "l10n.toml",
        &format!(
            "{with_filters}\n\
             [[filters]]\n\
             path = \"{{l}}browser/browser/*.ftl\"\n\
             key = \"re:tabbrowser-menuitem-close\"\n\
             action = \"error\"\n\
             \n\
             [[filters]]\n\
             path = \"{{l}}browser/browser/tabbrowser.ftl\"\n\
             action = \"ignore\"\n"
        ),
    );
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C001"]);
    run.finding(
        "error[C001] browser/locales/en-US/browser/tabbrowser.ftl:7:1: tabbrowser-menuitem-close-tab: missing in `ja`",
    );

    // A filter that does not name a file inside a locale folder.
    f.write(
        "l10n.toml",
        &format!("{toml}\n[[filters]]\npath = \"browser/x.ftl\"\naction = \"ignore\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    let line = toml.lines().count() + 3;
    run.assert_stderr_has(&format!("l10n.toml:{line}:8"));
    run.assert_stderr_has("is not inside a locale folder");
    f.write(
        "l10n.toml",
        &format!("{toml}\n[[filters]]\npath = \"{{l}}x.ftl\"\naction = \"skip\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("unknown filter action `skip`: use \"ignore\", \"warning\" or \"error\"");
}

/// A `[[paths]]` entry with `locales` is those locales' only (Firefox's
/// macOS-only and language-specific files): another locale is not asked
/// for its files, and files it has there anyway are not read. A
/// `[[paths]]` entry that cannot be used is E0009 at that entry.
#[test]
fn l10n_toml_paths_limited_to_some_locales_are_only_theirs() {
    let f = Fixture::new("fluent-mozilla");
    let toml = f.read("l10n.toml");
    f.write(
        "l10n.toml",
        &format!(
            "{toml}\n\
             [[paths]]\n\
             reference = \"mac/locales/en-US/**\"\n\
             l10n = \"{{l}}mac/**\"\n\
             locales = [\"de\"]\n"
        ),
    )
    .write(
        "mac/locales/en-US/mac/menu.ftl",
        "menu-quit = Quit\nmenu-hide = Hide\n",
    )
    .write("l10n/de/mac/mac/menu.ftl", "menu-quit = Beenden\n")
    // Not ja's: neither compared nor read (it is not even valid Fluent).
    .write("l10n/ja/mac/mac/stray.ftl", "stray = {\n");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C001"]);
    run.finding("error[C001] mac/locales/en-US/mac/menu.ftl:2:1: menu-hide: missing in `de`");
    assert!(!run.stdout.contains("`ja`"), "{}", run.stdout);
    f.write(
        "l10n/de/mac/mac/menu.ftl",
        "menu-quit = Beenden\nmenu-hide = Ausblenden\n",
    );
    f.check(&[]).assert_code(0);

    // An entry for a folder inside another entry's: its files are its own
    // locales' only, and read once where both entries hold them.
    f.write(
        "l10n.toml",
        &format!(
            "{toml}\n\
             [[paths]]\n\
             reference = \"browser/extensions/report/locales/en-US/**\"\n\
             l10n = \"{{l}}browser/extensions/report/**\"\n\
             locales = [\"de\"]\n"
        ),
    )
    .write(
        "browser/extensions/report/locales/en-US/report.ftl",
        "report-a = Report\n",
    )
    .write(
        "l10n/de/browser/extensions/report/report.ftl",
        "report-a = Bericht\n",
    );
    let run = f.check(&[]);
    run.assert_code(0);
    let de_row = run.row("de");
    assert_eq!(
        de_row[1], de_row[2],
        "every de entry counted once\n{}",
        run.stdout
    );
    f.remove("l10n/de/browser/extensions/report/report.ftl");
    f.check(&[]).assert_code(1).assert_codes(&["C014"]);
    // A file of the outer entry in that same folder is every locale's.
    f.write(
        "l10n/de/browser/extensions/report/report.ftl",
        "report-a = Bericht\n",
    )
    .write("browser/locales/en-US/extensions/report/x.ftl", "x-a = X\n")
    .write("l10n/de/browser/extensions/report/x.ftl", "x-a = X\n");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014"]);
    run.finding(
        "error[C014] browser/locales/en-US/extensions/report/x.ftl: no `ja` file l10n/ja/browser/extensions/report/x.ftl",
    );
    f.remove("browser/locales/en-US/extensions/report/x.ftl")
        .remove("l10n/de/browser/extensions/report/x.ftl")
        .remove("browser/extensions/report/locales/en-US/report.ftl");

    // A locale only an entry lists, not its file: compare-locales skips
    // the whole file for it (nothing to ask, no folder needed).
    f.write(
        "l10n.toml",
        &format!(
            "{toml}\n\
             [[paths]]\n\
             reference = \"mac/locales/en-US/**\"\n\
             l10n = \"{{l}}mac/**\"\n\
             locales = [\"de\", \"fr\"]\n"
        ),
    );
    let run = f.check(&[]);
    run.assert_code(0);
    assert!(!run.stdout.contains("fr "), "{}", run.stdout);

    // A locale that every entry leaves out has nothing to compare.
    f.write(
        "l10n.toml",
        &toml.replace("[[paths]]", "[[paths]]\n    locales = [\"de\"]"),
    );
    let run = f.check(&[]);
    run.assert_code(0);
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("ja ")),
        "{}",
        run.stdout
    );

    // An entry without `l10n` is pointed at.
    f.write(
        "l10n.toml",
        &format!("{toml}\n[[paths]]\n    reference = \"mac/locales/en-US/**\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    let line = toml.lines().count() + 2;
    run.assert_stderr_has(&format!("l10n.toml:{line}:"));
    run.assert_stderr_has("lacks `reference` or `l10n`");
}

/// A locale laid out by an l10n.toml may lack one of its folders (a team
/// that has not started on toolkit): its files are reported missing, the
/// check runs (it stopped with E0003, exit 2).
#[test]
fn a_missing_folder_of_an_l10n_toml_locale_is_its_files_missing() {
    let f = Fixture::new("fluent-mozilla");
    std::fs::remove_dir_all(f.path("l10n/ja/toolkit")).unwrap();
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C006", "C014"]);
    run.finding(
        "error[C014] toolkit/locales/en-US/toolkit/branding.ftl: no `ja` file l10n/ja/toolkit/toolkit/branding.ftl",
    );
}

/// Two entries can map one source file to two places (`ext/` into both
/// `ext/` and `extensions/`): each is asked for, as compare-locales does.
#[test]
fn l10n_toml_entries_mapping_one_file_twice_ask_for_both() {
    let f = Fixture::bare();
    f.write(
        "l10n.toml",
        "basepath = \".\"\nlocales = [\"de\"]\n\
         [[paths]]\n    reference = \"src/en-US/**\"\n    l10n = \"l10n/{locale}/**\"\n\
         [[paths]]\n    reference = \"src/en-US/ext/**\"\n    l10n = \"l10n/{locale}/extensions/**\"\n",
    )
    .write("src/en-US/ext/a.ftl", "a = A\n")
    .write("l10n/de/ext/a.ftl", "a = A-de\n")
    .write("l10n/de/extensions/a.ftl", "a = A-de\n");
    f.check(&[]).assert_code(0).assert_codes(&[]);
    f.remove("l10n/de/extensions/a.ftl");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014"]);
    run.finding("error[C014] src/en-US/ext/a.ftl: no `de` file l10n/de/extensions/a.ftl");
}

/// More of compare-locales' reading, found in review: an inner entry
/// listed first does not keep the outer entry's locales from a file both
/// hold; a locale whose only folder is missing is reported, not fatal;
/// a locale whose files are all excluded has nothing to report.
#[test]
fn l10n_toml_nested_missing_and_wholly_excluded_locales() {
    let f = Fixture::bare();
    let toml = "basepath = \".\"\nlocales = [\"de\", \"fr\"]\n\
         [[paths]]\n    reference = \"src/en-US/sub/**\"\n    l10n = \"l10n/{locale}/sub/**\"\n    locales = [\"de\"]\n\
         [[paths]]\n    reference = \"src/en-US/**\"\n    l10n = \"l10n/{locale}/**\"\n";
    f.write("l10n.toml", toml)
        .write("src/en-US/main.ftl", "m = M\n")
        .write("src/en-US/sub/s.ftl", "s = S\n")
        .write("l10n/de/main.ftl", "m = M-de\n")
        .write("l10n/de/sub/s.ftl", "s = S-de\n")
        .write("l10n/fr/main.ftl", "m = M-fr\n");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014"]);
    run.finding("error[C014] src/en-US/sub/s.ftl: no `fr` file l10n/fr/sub/s.ftl");

    // fr's only folder missing: its files are missing, de is still checked.
    std::fs::remove_dir_all(f.path("l10n/fr")).unwrap();
    f.remove("l10n/de/main.ftl");
    let run = f.check(&[]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("no `de` file l10n/de/main.ftl"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("E0003"), "{}", run.stderr);

    // Every de file excluded: nothing to report for de.
    f.write("l10n/de/main.ftl", "m = M-de\n")
        .write("l10n/fr/main.ftl", "m = M-fr\n")
        .write("l10n/fr/sub/s.ftl", "s = S-fr\n")
        .write(
            "other/l10n.toml",
            "basepath = \"..\"\nlocales = [\"de\"]\n\
             [[paths]]\n    reference = \"src/en-US/**\"\n    l10n = \"l10n/{locale}/**\"\n",
        )
        .write(
            "l10n.toml",
            &format!("{toml}[[excludes]]\n    path = \"other/l10n.toml\"\n"),
        );
    std::fs::remove_dir_all(f.path("l10n/de")).unwrap();
    f.write("l10n/de/main.ftl", "m = M-de\n");
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&[]);

    // de has only excluded files and lacks main.ftl: missing, also when
    // the locale is compared as one pool (--no-per-file judged the pool by
    // its first file, an excluded one, and passed).
    f.write(
        "other/l10n.toml",
        "basepath = \"..\"\nlocales = [\"de\"]\n\
         [[paths]]\n    reference = \"src/en-US/sub/**\"\n    l10n = \"l10n/{locale}/sub/**\"\n",
    );
    std::fs::remove_dir_all(f.path("l10n/de")).unwrap();
    f.write("l10n/de/sub/s.ftl", "s = S-de\n");
    for args in [&[][..], &["--no-per-file"]] {
        let run = f.check(args);
        run.assert_code(1).assert_codes(&["C014"]);
        assert!(
            run.stdout.contains("its 1 entry is missing"),
            "{args:?}\n{}",
            run.stdout
        );
    }
}

/// Entries whose locale folders lie in different places: files that
/// would meet at one path inside them (two packages' `common.ftl`) are
/// refused as ambiguous (one answered for the other: a false pass), and
/// an exclude claims only what lies in its own folder.
#[test]
fn l10n_toml_entries_in_different_folders_stay_apart() {
    let f = Fixture::bare();
    f.write(
        "l10n.toml",
        "locales = [\"ja\"]\n\
         [[paths]]\n    reference = \"web/en-US/**\"\n    l10n = \"web/{locale}/**\"\n\
         [[paths]]\n    reference = \"admin/en-US/**\"\n    l10n = \"admin/{locale}/**\"\n",
    )
    .write("web/en-US/common.ftl", "a = A\n")
    .write("admin/en-US/common.ftl", "a = A\nb = B\n")
    .write("web/ja/common.ftl", "a = A-ja\n")
    .write("admin/ja/common.ftl", "a = A-ja\n");
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("`web/{locale}/` and `admin/{locale}/`");
    run.assert_stderr_has("cannot tell these apart");

    // Apart (`{locale}/mailapp/` and `mailapp/{locale}/browser/`), an
    // exclude of `{locale}/browser/**` does not reach the second.
    f.write(
        "l10n.toml",
        "locales = [\"ja\"]\n\
         [[paths]]\n    reference = \"en-US/mailapp/**\"\n    l10n = \"{locale}/mailapp/**\"\n\
         [[paths]]\n    reference = \"mailapp/en-US/browser/**\"\n    l10n = \"mailapp/{locale}/browser/**\"\n\
         [[excludes]]\n    path = \"other/l10n.toml\"\n",
    )
    .write(
        "other/l10n.toml",
        "basepath = \"..\"\nlocales = [\"ja\"]\n\
         [[paths]]\n    reference = \"en-US/browser/**\"\n    l10n = \"{locale}/browser/**\"\n",
    )
    .write("en-US/mailapp/m.ftl", "m = M\n")
    .write("ja/mailapp/m.ftl", "m = M-ja\n")
    .write("mailapp/en-US/browser/m.ftl", "n = N\n");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014"]);
    run.finding("error[C014] mailapp/en-US/browser/m.ftl: no `ja` file mailapp/ja/browser/m.ftl");
}

/// A locale whose files were all deleted (git keeps no empty folder) is
/// still known by its review record: `check` fails instead of passing
/// with one locale fewer.
#[test]
fn a_reviewed_locale_whose_files_are_gone_fails_the_check() {
    let f = Fixture::app();
    f.run(&["review", "--all"]).assert_code(0);
    f.check(&[]).assert_code(0);
    std::fs::remove_dir_all(f.path("locales/ja")).unwrap();
    assert!(f.path("locales/ja.reviewed.toml").is_file());
    let run = f.check(&[]);
    run.assert_code(1);
    run.assert_stdout_has("locale `ja` has no messages");
}

/// An entry may name one file (`{locale}/app.ftl`), as compare-locales
/// allows: only that file is asked for (it stopped with E0003 "Not a
/// directory").
#[test]
fn l10n_toml_entries_naming_one_file() {
    let f = Fixture::bare();
    f.write(
        "l10n.toml",
        "locales = [\"ja\"]\n\
         [[paths]]\n    reference = \"en-US/app.ftl\"\n    l10n = \"{locale}/app.ftl\"\n\
         [[paths]]\n    reference = \"en-US/mail/**\"\n    l10n = \"{locale}/mail/**\"\n",
    )
    .write("en-US/app.ftl", "a = A\nb = B\n")
    .write("en-US/other.ftl", "o = O\n")
    .write("ja/app.ftl", "a = A-ja\n")
    .write("ja/stray.ftl", "stray = {\n")
    .write("en-US/mail/m.ftl", "m = M\n")
    .write("ja/mail/m.ftl", "m = M-ja\n");
    let run = f.check(&[]);
    // Only app.ftl is compared: b is missing; other.ftl and the broken
    // stray.ftl are not the project's.
    run.assert_code(1).assert_codes(&["C001"]);
    run.finding("error[C001] en-US/app.ftl:2:1: b: missing in `ja`");
    f.remove("ja/app.ftl");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014"]);
}

/// `[[excludes]]` name another project's `l10n.toml` (Thunderbird's
/// excludes Firefox's): the files it describes are not this project's, so
/// they are neither asked for nor read, in the locales that file lists.
/// Only the top file may exclude, as in compare-locales.
#[test]
fn l10n_toml_excludes_leave_another_projects_files_alone() {
    let f = Fixture::new("fluent-mozilla");
    let toml = f.read("l10n.toml");
    // ja lacks the preferences file and has a broken one beside it.
    f.remove("l10n/ja/browser/browser/preferences/preferences.ftl")
        .write(
            "l10n/ja/browser/browser/preferences/broken.ftl",
            "broken = {\n",
        );
    let run = f.check(&[]);
    run.assert_code(1);
    assert!(
        run.count("C014") == 1 && run.count("E0101") == 1,
        "{}",
        run.stdout
    );

    f.write(
        "prefs/l10n.toml",
        "basepath = \"..\"\n\
         locales = [\"ja\"]\n\
         [env]\n    l = \"{l10n_base}/l10n/{locale}/\"\n\
         [[paths]]\n    reference = \"browser/locales/en-US/browser/preferences/**\"\n    l10n = \"{l}browser/browser/preferences/**\"\n",
    )
    .write(
        "l10n.toml",
        &format!("{toml}\n[[excludes]]\n    path = \"prefs/l10n.toml\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(0);
    assert_eq!(run.count("C014") + run.count("E0101"), 0, "{}", run.stdout);
    // de is not in the excluded file's locales: its preferences still count.
    f.remove("l10n/de/browser/browser/preferences/preferences.ftl");
    let run = f.check(&[]);
    run.assert_code(1);
    assert_eq!(run.count("C014"), 1, "{}", run.stdout);
    assert!(run.stdout.contains("`de`"), "{}", run.stdout);

    // Excluded entries match as patterns: a single file, and `*` within
    // one folder only. (de still lacks its preferences file from above.)
    f.write("browser/locales/en-US/browser/one.ftl", "one = One\n")
        .write("browser/locales/en-US/browser/sub/two.ftl", "two = Two\n")
        .write(
            "browser/locales/en-US/browser/sub/deep/three.ftl",
            "three = Three\n",
        );
    for (rel, text) in [
        ("browser/one.ftl", "one = Eins\n"),
        ("browser/sub/two.ftl", "two = Zwei\n"),
        ("browser/sub/deep/three.ftl", "three = Drei\n"),
    ] {
        f.write(&format!("l10n/de/browser/{rel}"), text);
    }
    f.write(
        "prefs/l10n.toml",
        &format!(
            "{}[[paths]]\n    reference = \"browser/locales/en-US/browser/one.ftl\"\n    l10n = \"{{l}}browser/browser/one.ftl\"\n\
             [[paths]]\n    reference = \"browser/locales/en-US/browser/sub/*.ftl\"\n    l10n = \"{{l}}browser/browser/sub/*.ftl\"\n",
            f.read("prefs/l10n.toml")
        ),
    );
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C014", "C014"]);
    run.finding(
        "error[C014] browser/locales/en-US/browser/sub/deep/three.ftl: no `ja` file l10n/ja/browser/browser/sub/deep/three.ftl",
    );
    run.finding(
        "error[C014] browser/locales/en-US/browser/preferences/preferences.ftl: no `de` file l10n/de/browser/browser/preferences/preferences.ftl",
    );

    // A missing excluded file, and excludes in an included file: E0009 there.
    f.write(
        "l10n.toml",
        &format!("{toml}\n[[excludes]]\n    path = \"nowhere/l10n.toml\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("the excluded file nowhere/l10n.toml does not exist");
    let line = toml.lines().count() + 3;
    run.assert_stderr_has(&format!("l10n.toml:{line}:12"));
    f.write(
        "prefs/l10n.toml",
        &format!(
            "{}[[excludes]]\n    path = \"../l10n.toml\"\n",
            f.read("prefs/l10n.toml")
        ),
    );
    f.write(
        "l10n.toml",
        &format!("{toml}\n[[includes]]\n    path = \"prefs/l10n.toml\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("only the top l10n.toml may have [[excludes]]");
}

/// `[[includes]]` are read in, each with its own `basepath` and `[env]`,
/// as Firefox's l10n.toml includes toolkit's: the included file's paths are
/// checked too. A missing include or a loop of includes is E0009 at the
/// include.
#[test]
fn l10n_toml_includes_are_followed() {
    let f = Fixture::new("fluent-mozilla");
    let top = f.read("l10n.toml");
    let (browser_only, _) = top
        .split_once("[[paths]]\n    reference = \"toolkit")
        .expect("the fixture's toolkit [[paths]]");
    f.write(
        "l10n.toml",
        &format!("{browser_only}[[includes]]\n    path = \"toolkit/locales/l10n.toml\"\n"),
    );
    f.write(
        "toolkit/locales/l10n.toml",
        "basepath = \"../..\"\n\
         locales = [\"de\", \"ja\"]\n\
         [env]\n    l = \"{l10n_base}/l10n/{locale}/\"\n\
         [[paths]]\n    reference = \"toolkit/locales/en-US/**\"\n    l10n = \"{l}toolkit/**\"\n",
    );
    f.check(&[]).assert_code(0).assert_codes(&[]);
    // A toolkit file missing in ja is found through the include (and the
    // browser message using its term no longer resolves).
    f.remove("l10n/ja/toolkit/toolkit/branding.ftl");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C006", "C014"]);
    run.finding(
        "error[C014] toolkit/locales/en-US/toolkit/branding.ftl: no `ja` file l10n/ja/toolkit/toolkit/branding.ftl",
    );

    // An include of a file that is not there, and a loop.
    let line = browser_only.lines().count() + 2;
    f.write(
        "l10n.toml",
        &format!("{browser_only}[[includes]]\n    path = \"toolkit/locales/l10n-x.toml\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has(&format!("l10n.toml:{line}:12"));
    run.assert_stderr_has("the included file toolkit/locales/l10n-x.toml does not exist");
    f.write(
        "l10n.toml",
        &format!("{browser_only}[[includes]]\n    path = \"l10n.toml\"\n"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("l10n.toml includes itself");

    // A file outside the project is never read (a TOML error would quote
    // its lines into a CI log).
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "password = hunter2 oops\n").unwrap();
    f.write(
        "l10n.toml",
        &format!(
            "{browser_only}[[includes]]\n    path = \"{}\"\n",
            secret.display()
        ),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("is outside the project folder");
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    // Nor are locale folders: a basepath or a [[paths]] pattern leading
    // out of the project is refused.
    f.write(
        "l10n.toml",
        &browser_only.replace("basepath = \".\"", "basepath = \"../..\""),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("basepath `../..` leads outside the project folder");
    f.write(
        "l10n.toml",
        &browser_only.replace("reference = \"browser/", "reference = \"../../browser/"),
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("must stay inside basepath");

    // Includes that fan out (each level including the next four times,
    // fourteen deep: 4^13 reads if each include were read) read each file
    // once; locales come from every file.
    // (No `locales` at all: an empty list would give its paths to no
    // locale, as compare-locales reads it.)
    let top_without_locales =
        browser_only.replace("locales = [\n    \"de\",\n    \"ja\",\n]\n", "");
    assert!(
        !top_without_locales.contains("\"ja\""),
        "{top_without_locales}"
    );
    f.write(
        "l10n.toml",
        &format!("{top_without_locales}[[includes]]\n    path = \"fan/0.toml\"\n"),
    );
    for level in 0..14 {
        let next = format!("[[includes]]\n    path = \"{}.toml\"\n", level + 1).repeat(4);
        let body = if level < 13 { next } else { String::new() };
        f.write(
            &format!("fan/{level}.toml"),
            &format!("basepath = \".\"\n{body}"),
        );
    }
    f.write(
        "fan/13.toml",
        "basepath = \"..\"\nlocales = [\"ja\"]\n[env]\n    l = \"{l10n_base}/l10n/{locale}/\"\n\
         [[paths]]\n    reference = \"toolkit/locales/en-US/**\"\n    l10n = \"{l}toolkit/**\"\n",
    );
    let run = f.check(&[]);
    // ja (from the innermost file) is checked: its toolkit file is missing.
    run.assert_code(1);
    run.finding(
        "error[C014] toolkit/locales/en-US/toolkit/branding.ftl: no `ja` file l10n/ja/toolkit/toolkit/branding.ftl",
    );
}

/// A source file with nothing but a comment, not translated: nothing is
/// missing (it panicked once, with the filters' missing-file judgement).
#[test]
fn an_empty_source_file_without_translation_misses_nothing() {
    let f = Fixture::new("fluent-mozilla");
    f.write(
        "browser/locales/en-US/browser/empty.ftl",
        "# Nothing to translate yet.\n",
    );
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn locale_folders_beside_each_other_and_script_tags_work() {
    let f = Fixture::app();
    // `en/` and `zh-Hant/` directly in the project folder, `en` the source.
    std::fs::rename(f.path("locales/en-US"), f.path("en")).unwrap();
    std::fs::rename(f.path("locales/ja"), f.path("zh-Hant")).unwrap();
    std::fs::remove_dir_all(f.path("locales")).unwrap();
    let run = f.check(&[]);
    run.assert_code(0);
    run.assert_stdout_has(
        "zh-Hant against the `en` source, found in the project folder, file by file",
    );
    // `--source-locale` and `--locales` choose explicitly.
    let f = Fixture::app();
    std::fs::rename(f.path("locales"), f.path("i18n-files")).unwrap();
    f.check(&[]).assert_code(2);
    let run = f.check(&["--locales", "i18n-files", "--source-locale", "ja"]);
    run.assert_stdout_has("en-US, pt-BR against the `ja` source, found in i18n-files/");
}

#[test]
fn what_cannot_run_exits_2_and_says_what_to_do() {
    // Nothing to check at all: the talk error, with the Fluent way out.
    let empty = tempfile::tempdir().unwrap();
    let run = run_in(empty.path(), &["check"], &[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0001]: cannot read the project settings");
    run.assert_stderr_has("or in a Fluent project with locale folders (locales/en-US/*.ftl, locales/ja/*.ftl), or pass --project DIR or --locales DIR");

    let f = Fixture::app();
    let run = f.check(&["--locales", "nowhere"]);
    run.assert_code(2)
        .assert_stderr_has("error[E0003]: cannot read the locales folder given with --locales");
    let run = f.check(&["--source-locale", "fr"]);
    run.assert_code(2).assert_stderr_has(
        "error[E0010]: the source locale `fr` has no folder of .ftl files in locales (found: en-US, ja, pt-BR)",
    );
    let run = f.check(&["--locale", "de"]);
    run.assert_code(2)
        .assert_stderr_has("error[E0007]: unknown locale `de`");
    run.assert_stderr_has("help: choose from: ja, pt-BR");
    f.check(&["--locale", "en-US"])
        .assert_code(2)
        .assert_stderr_has("`en-US` is the source locale; --locale chooses translations");
    // No en-US or en: the source must be named.
    std::fs::rename(f.path("locales/en-US"), f.path("locales/de")).unwrap();
    f.check(&[])
        .assert_code(2)
        .assert_stderr_has(
            "error[E0010]: cannot tell which locale is the source among de, ja, pt-BR in locales",
        )
        .assert_stderr_has("--source-locale TAG");
    // A broken l10n.toml.
    let m = Fixture::new("fluent-mozilla");
    m.write(
        "l10n.toml",
        "locales = [\"de\"]\n[[paths]]\nreference = \"en-US/**\"\nl10n = \"l10n/**\"\n",
    );
    m.check(&[])
        .assert_code(2)
        .assert_stderr_has("error[E0009]: the l10n pattern `l10n/**` has no {locale}");
    // JSON still gets its shape.
    let run = m.check(&["--output-format", "json"]);
    run.assert_code(2);
    assert_eq!(run.json()["findings"][0]["code"], "E0009");
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

#[test]
fn missing_obsolete_and_misplaced_messages_are_reported_per_file() {
    let f = Fixture::app();
    // ja: a message moved to another file.
    f.replace(
        "locales/ja/settings/preferences.ftl",
        "pref-language = 言語: { $name }\n",
        "",
    );
    let ja_app = f.read("locales/ja/app.ftl") + "pref-language = 言語: { $name }\n";
    f.write("locales/ja/app.ftl", &ja_app);
    // pt-BR: one message missing, one obsolete, a whole file missing, a file
    // the source does not have.
    f.replace(
        "locales/pt-BR/app.ftl",
        "home-section = Início\n",
        "gone = Sumiu\n",
    );
    f.remove("locales/pt-BR/settings/preferences.ftl");
    f.write(
        "locales/pt-BR/legacy.ftl",
        "old-one = Velho\nold-two = Velho 2\n",
    );
    let run = f.check(&[]);
    run.assert_code(1);
    run.assert_codes(&["C001", "C014", "C013", "C002", "C015"]);
    run.finding("error[C001] locales/en-US/app.ftl:22:1: home-section: missing in `pt-BR`");
    run.finding("error[C014] locales/en-US/settings/preferences.ftl: no `pt-BR` file locales/pt-BR/settings/preferences.ftl: its 4 entries are missing");
    let moved = run.finding("error[C013] locales/ja/app.ftl:17:1: pref-language: in the wrong file: the `en-US` source defines it in locales/en-US/settings/preferences.ftl:2:1, so the app looks for it in locales/ja/settings/preferences.ftl");
    assert!(
        moved.contains("help: move `pref-language` to locales/ja/settings/preferences.ftl"),
        "{moved}"
    );
    run.finding("warning[C002] locales/pt-BR/app.ftl:20:1: gone: not in the source locale `en-US`");
    run.finding("warning[C015] locales/pt-BR/legacy.ftl: no `en-US` source file locales/en-US/legacy.ftl: its 2 entries are not in the source");
    run.assert_stdout_has(
        "ja                   14          13        1      -           -         0\n",
    );
    run.assert_stdout_has(
        "pt-BR                12           9        5      -           -         3\n",
    );

    // As pools of messages, a moved message is where it should be.
    let run = f.check(&["--no-per-file", "--locale", "ja"]);
    run.assert_code(0).assert_codes(&[]);
    run.assert_stdout_has("as pools of messages (--no-per-file)");
}

#[test]
fn variables_are_judged_as_a_translator_would() {
    let f = Fixture::app();
    // The source uses `$count` in `close-tabs` only to choose a plural
    // form: the Japanese translation rightly drops it (the fixture is clean).
    f.check(&["--locale", "ja"]).assert_code(0);
    // A variable the source prints, dropped: a warning.
    f.replace(
        "locales/ja/app.ftl",
        "unread-emails = 未読メールが { $count } 件あります。",
        "unread-emails = 未読メールがあります。",
    );
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&["C011"]);
    let m = run.finding("warning[C011] locales/ja/app.ftl:8:1: unread-emails: `$count` is printed by the `en-US` source but not used in `ja`");
    assert!(
        m.contains("     8 | unread-emails = 未読メールがあります。"),
        "{m}"
    );
    f.check(&["--deny-warnings"]).assert_code(1);
    // A variable the source does not provide: an error.
    f.replace("locales/ja/app.ftl", "{ $user }さん", "{ $username }さん");
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C005", "C011", "C011"]);
    run.finding("error[C005] locales/ja/app.ftl:7:1: welcome: `$username` is used in `ja` but not in `en-US`");
    run.finding("warning[C011] locales/ja/app.ftl:7:1: welcome: `$user` is printed by the `en-US` source but not used in `ja`");
}

#[test]
fn dropped_and_added_references_are_warnings() {
    let f = Fixture::app();
    // The translation hard-codes the brand name the source takes from a term.
    f.replace(
        "locales/ja/app.ftl",
        "welcome = { -brand-name }へようこそ",
        "welcome = トーカティブへようこそ",
    );
    f.replace(
        "locales/pt-BR/settings/preferences.ftl",
        "pref-title = Preferências",
        "pref-title = Preferências do { -brand-short-name }",
    );
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&["C012", "C012"]);
    let m = run.finding("warning[C012] locales/ja/app.ftl:7:1: welcome: the `en-US` source uses the term `{ -brand-name }`, the translation does not");
    assert!(
        m.contains("help: use { -brand-name } in the translation rather than its text, or than leaving it out; where the language must inflect it, words of its own are right and this warning can stay"),
        "{m}"
    );
    run.finding("warning[C012] locales/pt-BR/settings/preferences.ftl:1:1: pref-title: the translation uses the term `{ -brand-short-name }`, the `en-US` source does not");
    f.check(&["--deny-warnings"]).assert_code(1);
}

#[test]
fn attributes_references_cycles_and_identical_text() {
    let f = Fixture::app();
    f.replace(
        "locales/ja/app.ftl",
        "menu-file = ファイル\n    .accesskey = F\n",
        "menu-file = ファイル\n",
    );
    f.replace(
        "locales/ja/settings/preferences.ftl",
        "pref-title = 設定",
        "pref-title = Preferences",
    );
    f.leave_pref_updates_untranslated("ja");
    f.replace(
        "locales/pt-BR/app.ftl",
        "app-title = { -brand-name }",
        "app-title = { -brand-nome }",
    );
    f.replace(
        "locales/pt-BR/app.ftl",
        "home-section = Início",
        "home-section = { home-section-alt }\nhome-section-alt = { home-section }",
    );
    let run = f.check(&[]);
    run.assert_code(1);
    run.finding(
        "error[C003] locales/ja/app.ftl:10:1: menu-file: attribute `.accesskey` is missing in `ja`",
    );
    // Text of two words the same as the source: a warning. One word
    // (`Preferences`) is the same in many languages, and `sync-icon`, whose
    // only attribute is a reference, is not "identical" (attribute names
    // are not text).
    run.finding("warning[C009] locales/ja/settings/preferences.ftl:3:1: pref-updates: identical to the `en-US` source: probably untranslated");
    assert_eq!(run.count("C009"), 1, "{}", run.stdout);
    run.finding("error[C006] locales/pt-BR/app.ftl:4:15: app-title: term `-brand-nome` does not exist in `pt-BR`");
    assert!(
        run.headlines()
            .iter()
            .any(|h| h.starts_with("error[C007] locales/pt-BR/app.ftl:")),
        "{}",
        run.stdout
    );
    run.assert_no("E0105");
}

/// A term's variables are parameters its own locale's messages pass
/// (`{ -brand(case: "gen") }`) and its attributes that language's
/// grammar: a Czech term with `$case` and `.gender` against an English one
/// with neither is right, and so is an English term's attribute the
/// translation does without. A message's variables and attributes are
/// still compared.
#[test]
fn terms_keep_their_own_variables_and_attributes() {
    let f = Fixture::app();
    f.write(
        "locales/en-US/brand.ftl",
        "-vendor = Mozilla\n    .plural = no\nabout-vendor = Made by { -vendor }\n",
    );
    f.write(
        "locales/ja/brand.ftl",
        "-vendor = Mozilla\nabout-vendor = { -vendor }製\n",
    );
    f.write(
        "locales/pt-BR/brand.ftl",
        "-vendor = { $case ->\n   *[nom] Mozilla\n    [gen] da Mozilla\n}\n    .gender = feminine\nabout-vendor = Feito { -vendor(case: \"gen\") }\n",
    );
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    // The same on a message is the app's business.
    f.replace(
        "locales/pt-BR/brand.ftl",
        "about-vendor = Feito { -vendor(case: \"gen\") }",
        "about-vendor = Feito { -vendor(case: \"gen\") } { $year }\n    .title = Mozilla",
    );
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C004", "C005"]);
    run.finding("error[C005] locales/pt-BR/brand.ftl:6:1: about-vendor: `$year` is used in `pt-BR` but not in `en-US`");
}

/// Two locales of one language share most of their text by right, and
/// one word is the same in many languages: neither is "untranslated".
#[test]
fn identical_text_is_judged_on_two_words_and_across_languages() {
    let f = Fixture::app();
    // Markup tags are not words: the same in every language.
    let markup = "download = <span>{ -brand-name }</span> for <a href=\"x\">{ $os }</a>\ncookies = <a href=\"{ $url }\">Cookies</a>\nsave = Save\n    .title = Save\n";
    for l in ["en-US", "ja", "pt-BR"] {
        f.write(&format!("locales/{l}/markup.ftl"), markup);
    }
    crate::common::copy_dir(&f.path("locales/en-US"), &f.path("locales/en-GB"));
    f.replace(
        "locales/pt-BR/app.ftl",
        "home-section = Início",
        "home-section = Home",
    );
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    f.replace(
        "locales/pt-BR/app.ftl",
        "menu-file = Arquivo",
        "menu-file = File",
    );
    f.leave_pref_updates_untranslated("pt-BR");
    let run = f.check(&[]);
    run.assert_code(0).assert_codes(&["C009"]);
    run.finding("warning[C009] locales/pt-BR/settings/preferences.ftl:3:1: pref-updates: identical to the `en-US` source: probably untranslated");
}

/// An `l10n.toml` without `locales` (Pontoon keeps them in its database)
/// is checked against the locale folders its `l10n` patterns lead to,
/// and says so; checking none and passing would let anything through.
#[test]
fn an_l10n_toml_without_locales_checks_the_locale_folders_there() {
    let f = Fixture::bare();
    f.write(
        "l10n.toml",
        "basepath = \".\"\n\n[env]\n    l = \"{l10n_base}/public/locales/{locale}/\"\n\n[[paths]]\n    reference = \"public/locales/en-US/**\"\n    l10n = \"{l}**\"\n",
    );
    f.write(
        "public/locales/en-US/app.ftl",
        "hello = Hello\nbye = Goodbye\n",
    );
    f.write("public/locales/de/app.ftl", "hello = Hallo\n");
    f.write(
        "public/locales/fr/app.ftl",
        "hello = Bonjour\nbye = Au revoir\n",
    );
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["C001"]);
    run.finding("error[C001] public/locales/en-US/app.ftl:2:1: bye: missing in `de`");
    run.assert_stdout_has("de, fr against the `en-US` source, found in l10n.toml, which lists no `locales`: the locale folders in public/locales/");
    f.check(&["--locale", "fr"]).assert_code(0);
    // Locale folders in the project folder itself (`{locale}/**`).
    let g = Fixture::bare();
    g.write(
        "l10n.toml",
        "[[paths]]\nreference = \"en-US/**\"\nl10n = \"{locale}/**\"\n",
    );
    g.write("en-US/app.ftl", "hello = Hello\nbye = Goodbye\n");
    g.write("de/app.ftl", "hello = Hallo\n");
    let run = g.check(&[]);
    run.assert_code(1).assert_codes(&["C001"]);
    run.assert_stdout_has("the locale folders in the project folder");
    // None at all: an error, not a check of nothing that passes.
    std::fs::remove_dir_all(g.path("de")).unwrap();
    let run = g.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0009]: l10n.toml lists no `locales`, and no locale folder with .ftl files beside the source is in the project folder");
}

#[test]
fn duplicates_are_errors_within_a_file_only() {
    let f = Fixture::app();
    // `home-section` is in app.ftl and settings/preferences.ftl of every
    // locale: files are loaded separately, so that is no error.
    f.check(&[]).assert_code(0).assert_no("E0105");
    f.replace(
        "locales/ja/app.ftl",
        "home-section = ホーム\n",
        "home-section = ホーム\nhome-section = ホーム2\n",
    );
    let run = f.check(&[]);
    run.assert_code(1).assert_codes(&["E0105"]);
    run.finding("error[E0105] locales/ja/app.ftl:17:1: home-section: `home-section` is defined twice; the first definition is at locales/ja/app.ftl:16:1");
}

#[test]
fn review_turns_freshness_on_and_stale_translations_are_errors() {
    let f = Fixture::app();
    let run = f.run(&["review", "--all"]);
    run.assert_code(0);
    run.assert_stdout_has("wrote locales/ja.reviewed.toml\nwrote locales/pt-BR.reviewed.toml\n");
    let run = f.check(&[]);
    run.assert_code(0);
    assert!(!run.stdout.contains("freshness is off"), "{}", run.stdout);
    run.assert_stdout_has(
        "ja                   14          14        0      0           0         0\n",
    );
    f.replace(
        "locales/en-US/settings/preferences.ftl",
        "pref-title = Preferences",
        "pref-title = Settings",
    );
    let run = f.check(&["--locale", "ja"]);
    run.assert_code(1).assert_codes(&["F001"]);
    let m = run.finding("error[F001] locales/ja/settings/preferences.ftl:1:1: pref-title: stale: the `en-US` source changed since this translation was reviewed");
    assert!(
        m.contains("= was: Preferences") && m.contains("= now: Settings"),
        "{m}"
    );
    assert!(m.contains("talkdoc review pref-title --locale ja"), "{m}");
}

/// `review` takes `check`'s `--locales DIR` and `--source-locale`: a
/// Fluent project whose locale folders are not found by convention is
/// reviewed where `check` looks, its records beside the locale folders.
#[test]
fn review_takes_the_locales_folder_check_takes() {
    let f = Fixture::app();
    std::fs::create_dir_all(f.path("web")).unwrap();
    std::fs::rename(f.path("locales"), f.path("web/strings")).unwrap();
    let run = f.run(&["review", "--all", "--locales", "web/strings"]);
    run.assert_code(0);
    run.assert_stdout_has(
        "wrote web/strings/ja.reviewed.toml\nwrote web/strings/pt-BR.reviewed.toml\n",
    );
    f.check(&["--locales", "web/strings"]).assert_code(0);
    f.replace(
        "web/strings/en-US/settings/preferences.ftl",
        "pref-title = Preferences",
        "pref-title = Settings",
    );
    let run = f.check(&["--locales", "web/strings", "--locale", "ja"]);
    run.assert_code(1).assert_codes(&["F001"]);
    let run = f.run(&[
        "review",
        "pref-title",
        "--locale",
        "ja",
        "--locales",
        "web/strings",
        "--source-locale",
        "en-US",
    ]);
    run.assert_code(0);
    f.check(&["--locales", "web/strings", "--locale", "ja"])
        .assert_code(0);
}

/// With both `en-US/` and `en/`, the one holding more files is the
/// source (a few files left in the other are not), and the report says
/// which and how to choose the other.
#[test]
fn with_en_us_and_en_the_fuller_one_is_the_source() {
    let f = Fixture::app();
    f.write("locales/en/app.ftl", "home-section = Home\n");
    let run = f.check(&[]);
    run.assert_stdout_has("against the `en-US` source, found in locales/ (`en-US` and `en` are both here: `en-US` (2 .ftl files) is taken as the source and `en` (1) as a translation; pass --source-locale en if that is the source)");
    std::fs::remove_dir_all(f.path("locales/en")).unwrap();
    crate::common::copy_dir(&f.path("locales/en-US"), &f.path("locales/en"));
    f.write("locales/en/extra.ftl", "extra = Extra\n");
    std::fs::remove_file(f.path("locales/en-US/app.ftl")).unwrap();
    let run = f.check(&[]);
    run.assert_stdout_has("against the `en` source, found in locales/ (`en-US` and `en` are both here: `en` (3 .ftl files) is taken as the source and `en-US` (1) as a translation; pass --source-locale en-US if that is the source)");
    // en-US, a translation now, lacks two of the source's files, and the
    // other translations the one only `en` has.
    assert_eq!(run.count("C014"), 4, "{}", run.stdout);
    run.assert_stdout_has(
        "error[C014]: no `en-US` file locales/en-US/app.ftl: its 10 entries are missing",
    );
}

/// A translation file deleted after a review leaves its messages'
/// reviews in the record: one F003 for them all, not one per message.
#[test]
fn reviews_left_by_a_deleted_file_are_one_finding() {
    let f = Fixture::app();
    f.run(&["review", "--all"]).assert_code(0);
    f.remove("locales/ja/app.ftl");
    let run = f.check(&["--locale", "ja"]);
    assert_eq!(run.count("F003"), 1, "{}", run.stdout);
    let json = f
        .check(&["--locale", "ja", "--output-format", "json"])
        .json();
    let f003 = json_findings(&json, "F003")[0].clone();
    assert_eq!(f003["locale"], "ja", "{f003}");
    assert_eq!(f003["locale_file"], "locales/ja.reviewed.toml", "{f003}");
    run.assert_stdout_has("warning[F003]: 9 reviews are recorded for messages that are not in both locales (-brand-name, -brand-short-name, app-title, close-tabs, menu-file, …)");
    run.assert_stdout_has(
        "a translation file deleted or renamed leaves its messages' reviews behind",
    );
}

/// `--allow-missing`: a partly translated locale passes, its missing
/// messages and files warnings, still counted in the summary.
#[test]
fn allow_missing_makes_a_partial_locale_pass_and_still_counts_it() {
    let f = Fixture::app();
    f.replace("locales/ja/app.ftl", "close-tabs = タブを閉じる\n", "");
    f.remove("locales/ja/settings/preferences.ftl");
    let run = f.check(&["--locale", "ja"]);
    run.assert_code(1).assert_codes(&["C001", "C014"]);
    let run = f.check(&["--locale", "ja", "--allow-missing"]);
    run.assert_code(0).assert_codes(&["C001", "C014"]);
    run.finding("warning[C001] locales/en-US/app.ftl:12:1: close-tabs: missing in `ja`");
    assert_eq!(
        run.row("ja")[3],
        "5",
        "1 message and a file of 4 missing\n{}",
        run.stdout
    );
    f.check(&["--locale", "ja", "--allow-missing", "--deny-warnings"])
        .assert_code(1);
    // A talk is checked in full, and says the option does nothing there.
    let talk = crate::common::Scratch::new("small");
    let o = talk.run(&["check", "--allow-missing"]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("--allow-missing applies to Fluent projects checked without content/"),
        "{err}"
    );
}

/// `review --locale ja` is not held up by a broken file of another
/// translation; a review of every locale is.
#[test]
fn review_of_one_locale_ignores_errors_in_another() {
    let f = Fixture::app();
    f.replace(
        "locales/pt-BR/app.ftl",
        "home-section = Início",
        "home-section = In\u{200B}ício",
    );
    f.run(&["review", "--all", "--locale", "ja"]).assert_code(0);
    assert!(f.path("locales/ja.reviewed.toml").is_file());
    let run = f.run(&["review", "--all"]);
    run.assert_code(1);
    run.assert_stderr_has("E0109");
    assert!(!f.path("locales/pt-BR.reviewed.toml").exists());
}

#[test]
fn many_findings_are_summed_up_one_line_per_file_and_locale() {
    let f = Fixture::app();
    let mut extra = String::new();
    for i in 0..40 {
        extra.push_str(&format!("extra-{i} = Extra {{ $n }} text\n"));
    }
    let en = f.read("locales/en-US/app.ftl") + &extra;
    f.write("locales/en-US/app.ftl", &en);
    let run = f.check(&[]);
    run.assert_code(1);
    // No finding is drawn one by one in the human output.
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("error[")),
        "{}",
        run.stdout
    );
    run.assert_stdout_has("80 findings in 2 translation files, one line per file (every finding: --output-format json or --output-format github; fewer: --locale L):\n");
    run.assert_stdout_has(
        "  ja       locales/ja/app.ftl        40 errors,    0 warnings  (C001 ×40)\n",
    );
    run.assert_stdout_has(
        "  pt-BR    locales/pt-BR/app.ftl     40 errors,    0 warnings  (C001 ×40)\n",
    );
    // Under the limit, every finding is listed.
    let run = f.check(&["--locale", "ja"]);
    assert_eq!(run.count("C001"), 40);
    // JSON lists each finding with its locale, per-file counts and totals.
    let run = f.check(&["--output-format", "json"]);
    let json: Value = run.json();
    assert_eq!(json["findings"].as_array().unwrap().len(), 80);
    assert_eq!(json["findings"][0]["locale"], "ja");
    assert_eq!(json["findings"][0]["locale_file"], "locales/ja/app.ftl");
    assert_eq!(json["mode"], "coverage");
    assert_eq!(json["totals"]["missing"], 80);
    assert_eq!(json["totals"]["translations"], 2);
    assert_eq!(json["files"][1]["file"], "locales/pt-BR/app.ftl");
    assert_eq!(json["files"][1]["errors"], 40);
}

#[test]
fn github_annotations_point_at_the_translation_files() {
    let f = Fixture::app();
    f.leave_pref_updates_untranslated("ja");
    let run = f.check(&["--output-format", "github"]);
    run.assert_code(0);
    run.assert_stdout_has("::warning file=locales/ja/settings/preferences.ftl,line=3,col=1,title=talkdoc C009 identical-to-source::pref-updates: identical to the `en-US` source");
}

// ---------------------------------------------------------------------------
// Syntax errors: one message and help per fluent-syntax error kind
// ---------------------------------------------------------------------------

#[test]
fn each_syntax_error_kind_has_its_own_message() {
    // (the entry, the line:column reported, the message, part of the help)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "bad-a = { $n ->\n    [one] x\n    [two] y\n}\n",
            "4:1",
            "this select expression has no default variant",
            "`*[other] …`",
        ),
        (
            "bad-a = { $n ->\n   *[one] x\n   *[two] y\n}\n",
            "3:4",
            "this select expression has more than one default variant (`*`)",
            "keep `*` on one variant",
        ),
        (
            "bad-a = { $n ->\n   *[one]\n}\n",
            "3:1",
            "expected a value here",
            "{ \"\" }",
        ),
        (
            "bad-a = { \"abc }\n",
            "1:17",
            "this string literal is not closed before the end of the line",
            "close it with `\"`",
        ),
        (
            "bad-a = { \"\\q\" }\n",
            "1:12",
            "unknown escape sequence",
            "\\uXXXX",
        ),
        (
            "bad-a = { \"\\u00ZZ\" }\n",
            "1:16",
            "invalid Unicode escape `00Z`",
            "four hex digits",
        ),
        (
            "bad-a = { NUMBER($n, x: 1, x: 2) }\n",
            "1:29",
            "the argument `x` is given twice",
            "once",
        ),
        (
            "bad-a = { NUMBER(x: 1, 2) }\n",
            "1:25",
            "a positional argument follows a named one",
            "positional arguments first",
        ),
        (
            "bad-a = { NUMBER($n, x: $y) }\n",
            "1:25",
            "a named argument's value must be a string or number literal",
            "`name: 42`",
        ),
        (
            "bad-a = { other ->\n   *[x] y\n}\n",
            "1:11",
            "a message reference cannot be a selector",
            "{ $count -> … }",
        ),
        (
            "bad-a = { -brand-name ->\n   *[x] y\n}\n",
            "1:11",
            "a term reference cannot be a selector",
            "{ -brand.gender -> … }",
        ),
        (
            "bad-a = { other.attr ->\n   *[x] y\n}\n",
            "1:11",
            "a message attribute cannot be a selector",
            "a term attribute",
        ),
        (
            "bad-a = { { $x } ->\n   *[x] y\n}\n",
            "1:13",
            "this cannot be a selector",
            "a term attribute",
        ),
        (
            "bad-a = { -brand-name.gender }\n",
            "1:11",
            "a term attribute cannot be shown, only used as a selector",
            "{ -brand }",
        ),
        (
            "bad-a = { lower(1) }\n",
            "1:19",
            "this cannot be called like a function",
            "NUMBER($n)",
        ),
        (
            "bad-a = { }\n",
            "1:11",
            "expected an expression here, found `}`",
            "a placeable holds one expression",
        ),
        (
            "bad-a = { 1x }\n",
            "1:12",
            "expected `}` to close the placeable, found `x`",
            "a placeable holds one expression",
        ),
        (
            "bad-a = { $n -> }\n",
            "1:17",
            "expected a line break, found `}`",
            "put each variant on a line of its own",
        ),
        (
            "bad-a = closing }\n",
            "1:17",
            "a `}` without a matching `{`",
            "{ \"}\" }",
        ),
        (
            "bad-a = { $n\n",
            "1:9",
            "this placeable is never closed: `{` without a matching `}`",
            "close it with `}`",
        ),
        (
            "bad a = x\n",
            "1:1",
            "`bad a` is not a valid message identifier",
            "starts with a letter",
        ),
        (
            "lonely\n",
            "1:1",
            "expected `=` after `lonely`",
            "must be indented",
        ),
        (
            "!bad = x\n",
            "1:1",
            "a line cannot start with `!`",
            "start a comment with `#`",
        ),
        (
            "bad-a =\n",
            "1:1",
            "the message `bad-a` has neither a value nor an attribute",
            ".label = …",
        ),
        (
            "-bad-term =\n",
            "1:1",
            "the term `-bad-term` has no value",
            "-bad-term = …",
        ),
        (
            "bad-a = x\n    .b\n",
            "2:5",
            "a continuation line cannot start with `.`",
            "string literal",
        ),
    ];
    for (entry, at, message, help) in cases {
        let f = Fixture::app();
        let en = format!("{entry}next-entry = ok\n");
        f.write("locales/en-US/z.ftl", &en);
        let run = f.check(&["--locale", "ja", "--output-format", "json"]);
        let json = run.json();
        let e = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "E0101")
            .unwrap_or_else(|| panic!("no E0101 for {entry:?}: {}", run.stdout));
        let got = format!("{}:{}", e["line"], e["column"]);
        assert_eq!(got, *at, "{entry:?}: {e}");
        assert_eq!(e["file"], "locales/en-US/z.ftl");
        assert!(
            e["message"].as_str().unwrap().starts_with(message),
            "{entry:?}: {e}"
        );
        assert!(e["help"].as_str().unwrap().contains(help), "{entry:?}: {e}");
        assert!(
            !e["message"]
                .as_str()
                .unwrap()
                .contains("Fluent syntax error"),
            "{entry:?}: a generic message: {e}"
        );
        // The rest of the file is still read.
        assert!(
            !json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["message_id"] == "next-entry" && d["code"] != "C001"),
            "{entry:?}"
        );
        run.assert_code(1);
    }
}

// ---------------------------------------------------------------------------
// Real-world typography, cargo-i18n, talk projects untouched
// ---------------------------------------------------------------------------

#[test]
fn rtl_marks_and_thai_word_breaks_are_typography_but_other_invisibles_are_not() {
    let f = Fixture::app();
    // Arabic with RLM around a number, Thai with a zero-width space as a
    // word break: what translators of those scripts write.
    let mut ar = f.read("locales/pt-BR/app.ftl");
    ar = ar.replace(
        "home-section = Início",
        "home-section = \u{200f}الرئيسية \u{200f}{ -brand-name }",
    );
    f.write("locales/ar/app.ftl", &ar);
    f.write(
        "locales/ar/settings/preferences.ftl",
        &f.read("locales/pt-BR/settings/preferences.ftl"),
    );
    let mut th = f.read("locales/pt-BR/app.ftl");
    th = th.replace("home-section = Início", "home-section = หน้า\u{200b}หลัก");
    f.write("locales/th/app.ftl", &th);
    f.write(
        "locales/th/settings/preferences.ftl",
        &f.read("locales/pt-BR/settings/preferences.ftl"),
    );
    let run = f.check(&["--locale", "ar", "--locale", "th"]);
    run.assert_no("E0109");
    // A zero-width space inside a Japanese word hides something.
    f.replace(
        "locales/ja/app.ftl",
        "home-section = ホーム",
        "home-section = ホ\u{200b}ーム",
    );
    let run = f.check(&["--locale", "ja"]);
    run.assert_code(1).assert_codes(&["E0109"]);
    run.finding(
        "error[E0109] locales/ja/app.ftl:16:17: invisible zero-width character U+200B in the text",
    );
}

#[test]
fn a_cargo_i18n_project_names_its_folder_and_source() {
    let f = Fixture::app();
    std::fs::rename(f.path("locales"), f.path("lang")).unwrap();
    std::fs::rename(f.path("lang/en-US"), f.path("lang/fr")).unwrap();
    f.write(
        "i18n.toml",
        "fallback_language = \"fr\"\n\n[fluent]\nassets_dir = \"lang\"\n",
    );
    let run = f.check(&[]);
    run.assert_stdout_has(
        "ja, pt-BR against the `fr` source, found in lang/ (i18n.toml), file by file",
    );
    // The fallback it names is not there: said so, not guessed around;
    // locale folders one level down are pointed at.
    f.write(
        "i18n.toml",
        "fallback_language = \"en\"\n\n[fluent]\nassets_dir = \"lang\"\n",
    );
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0010]: i18n.toml names `en` as its fallback_language, but lang/ has no `en/` folder of .ftl files (found: fr, ja, pt-BR)");
    std::fs::create_dir_all(f.path("nested")).unwrap();
    std::fs::rename(f.path("lang"), f.path("nested/ftl")).unwrap();
    std::fs::create_dir_all(f.path("lang")).unwrap();
    std::fs::rename(f.path("nested/ftl"), f.path("lang/ftl")).unwrap();
    let run = f.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has(
        "help: the locale folders look to be one level down: pass --locales lang/ftl",
    );
}

#[test]
fn build_refuses_a_fluent_project_without_content_and_writes_nothing() {
    let f = Fixture::app();
    let run = f.run(&["build"]);
    run.assert_code(1);
    run.assert_stderr_has("error[E0001]: cannot read the project settings: there is no content/project.toml here, only Fluent locale folders");
    run.assert_stderr_has("for the translations of this Fluent project run `talkdoc check`");
    assert!(!f.path("dist").exists(), "nothing is written");
}

#[test]
fn a_talk_project_is_still_a_talk() {
    // content/ present: the talk checks, with talk-mode wording.
    let p = Project::clean().reviewed();
    let run = p.check(&[]);
    run.assert_code(0);
    assert!(!run.stdout.contains("note:"), "{}", run.stdout);
    run.assert_stdout_has("locale         messages  translated");
    let json = p.check(&["--output-format", "json"]).json();
    assert!(
        json.get("mode").is_none() && json.get("totals").is_none(),
        "{json}"
    );
    // `--locale` works there too.
    p.check(&["--locale", "en"]).assert_code(0);
    p.check(&["--locale", "fr"])
        .assert_code(2)
        .assert_stderr_has("unknown locale `fr`");
}

/// C010 looks for text left in the *source's* script: kana and kanji in a
/// translation of Japanese, Cyrillic in one of Russian; never Latin, which
/// a Japanese text of a German source may quote freely.
#[test]
fn text_left_in_the_source_script_is_judged_by_the_source_locale() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("locales/de/app.ftl", "title = Telemetrie verstehen\n");
    write("locales/ja/app.ftl", "title = Telemetrie を理解する\n");
    write("locales/ru/app.ftl", "title = Понимать телеметрию\n");
    write("locales/en/app.ftl", "title = Understanding телеметрию\n");
    let run = run_in(dir.path(), &["check", "--source-locale", "de"], &[]);
    run.assert_no("C010");
    let run = run_in(dir.path(), &["check", "--source-locale", "ru"], &[]);
    let c010 = run.headlines();
    assert_eq!(
        c010,
        [
            "warning[C010] locales/en/app.ftl:1:1: title: contains Cyrillic script: probably untranslated"
        ],
        "{}",
        run.stdout
    );
}
