//! Character limits (L001, L002, L003): counted on the plain-text body of a
//! document, NFC-normalised, under the limit's rule (default: characters
//! with a line break as one), with every other common rule reported too.

use crate::check_support;

use check_support::*;
use proptest::prelude::*;
use talkdoc::check::limits::{Counts, Rule};

/// A Japanese sentence of 17 characters, repeated and cut to `n` characters.
/// Repetition means the text before the limit occurs many times in the
/// message: the finding must still point at the right occurrence.
fn ja_text(n: usize) -> String {
    "テレメトリーは信頼性の基礎である。"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// `n` characters of `text`, as a `String`.
fn take(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// The last `n` characters of `text`.
fn last(text: &str, n: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(n)..].iter().collect()
}

const TITLE_JA: &str = "talk-title = テレメトリーを専門にするということ\n";
const EN2: &str = "\
talk-title = Specialising in telemetry
abstract-p1 = Why telemetry matters.
abstract-p2 = What comes next.
";

/// A reviewed project whose `abstract` is the given Japanese paragraphs
/// (`abstract-p1` on line 2, `abstract-p2` on line 3), with `limits`.
fn abstract_project(paragraphs_ja: &[&str], limits: &str) -> Project {
    let ids = ["abstract-p1", "abstract-p2"];
    let mut ja = TITLE_JA.to_string();
    let mut en = String::from("talk-title = Specialising in telemetry\n");
    for (id, text) in ids.iter().zip(paragraphs_ja) {
        ja.push_str(&format!("{id} = {text}\n"));
        en.push_str(&format!("{id} = English text of {id}.\n"));
    }
    Project::new(&ja, &en)
        .document("abstract", &paragraphs(&ids[..paragraphs_ja.len()]))
        .config(limits)
        .reviewed()
}

/// The default: 800 characters, `count` omitted.
fn limit_800() -> String {
    limit("abstract", "ja", 800, None)
}

// ---------------------------------------------------------------------------
// 799, 800, 801
// ---------------------------------------------------------------------------

#[test]
fn at_799_and_800_characters_the_abstract_passes() {
    for (n, left) in [(799, 1), (800, 0)] {
        let p = abstract_project(&[&ja_text(n)], &limit_800());
        let run = p.check(&[]);
        run.assert_code(0).assert_codes(&[]);
        run.assert_stdout_has(&format!(
            "limit abstract (ja): {n} / 800 (chars), {left} left\n"
        ));
        run.assert_stdout_has(&format!(
            "  chars {n} · UTF-16 units {n} · line breaks as two {n} · graphemes {n} · words "
        ));
    }
}

#[test]
fn at_801_characters_l001_shows_count_limit_excess_and_where_it_crosses() {
    let text = ja_text(801);
    let p = abstract_project(&[&text], &limit_800());
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["L001"]);
    // Line 2 is `abstract-p1 = …`; the 801st character is at column
    // 14 + 801 (after `abstract-p1 = `).
    let f = run.finding(
        "error[L001] locales/ja/talk.ftl:2:815: abstract-p1: \
         `abstract` (ja) is 801 characters long, 1 over the limit of 800",
    );
    let before = last(&take(&text, 800), 20);
    let after = last(&text, 1);
    assert!(
        f.contains(&format!(
            "       = the limit is crossed here: …{before}⟨over⟩{after}…"
        )),
        "{f}"
    );
    assert!(
        f.contains("help: shorten the text; `talkdoc check` shows the counts after each edit"),
        "{f}"
    );
    run.assert_stdout_has("limit abstract (ja): 801 / 800 (chars), 1 over\n");
    run.assert_stdout_has("check failed: 1 error, 0 warnings");

    let (_, json) = p.check_json();
    let l = &json["limits"][0];
    assert_eq!(l["status"], "over");
    assert_eq!(l["count"], 801);
    assert_eq!(l["remaining"], -1);
    assert_eq!(l["crossing"]["message_id"], "abstract-p1");
    assert_eq!(l["crossing"]["before"], before.as_str());
    assert_eq!(l["crossing"]["after"], after.as_str());
}

#[test]
fn l001_in_the_second_paragraph_names_that_message() {
    // 400 + "\n\n" + 400 = 802: the 801st character is the 399th of p2.
    let p2 = ja_text(400);
    let p = abstract_project(&[&ja_text(400), &p2], &limit_800());
    let run = p.check(&[]);
    run.assert_code(1);
    let f = run.finding(
        "error[L001] locales/ja/talk.ftl:3:413: abstract-p2: \
         `abstract` (ja) is 802 characters long, 2 over the limit of 800",
    );
    let before = last(&take(&p2, 398), 20);
    let after = last(&p2, 2);
    assert!(
        f.contains(&format!(
            "the limit is crossed here: …{before}⟨over⟩{after}…"
        )),
        "{f}"
    );
}

/// 800 + "\n\n" + 5: the first character over is the paragraph break. The
/// finding names the paragraph that ends there, at its end, and the note
/// shows the breaks as ⏎ so it stays on one line.
#[test]
fn a_crossing_on_the_paragraph_break_names_the_paragraph_that_ends_there() {
    let p1 = ja_text(800);
    let p = abstract_project(&[&p1, "かきくけこ"], &limit_800());
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["L001"]);
    let f = run.finding(
        "error[L001] locales/ja/talk.ftl:2:815: abstract-p1: \
         `abstract` (ja) is 807 characters long, 7 over the limit of 800",
    );
    assert!(
        f.contains(&format!(
            "       = the limit is crossed here: …{}⟨over⟩⏎⏎かきくけこ…\n",
            last(&p1, 20)
        )),
        "{f}"
    );
    let (_, json) = p.check_json();
    assert_eq!(json["limits"][0]["crossing"]["message_id"], "abstract-p1");
    assert_eq!(json["limits"][0]["crossing"]["after"], "\n\nかきくけこ");
}

/// In a list the body has `- ` markers the source does not: the finding
/// still lands on the right character of the item's message.
#[test]
fn a_crossing_in_a_list_item_points_into_that_item() {
    let ja = format!("{JA}item-1 = あいうえお\nitem-2 = かきくけこ\n");
    let en = format!("{EN}item-1 = One\nitem-2 = Two\n");
    let p = Project::new(&ja, &en)
        .document(
            "outline",
            "title = \"talk-title\"\n\n[[blocks]]\ntype = \"list\"\nitems = [\"item-1\", \"item-2\"]\n",
        )
        .config(&limit("outline", "ja", 11, None))
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["L001"]);
    // "- あいうえお\n- かきくけこ": the 12th character is き.
    let f = run.finding(
        "error[L001] locales/ja/talk.ftl:4:11: item-2: \
         `outline` (ja) is 15 characters long, 4 over the limit of 11",
    );
    assert!(
        f.contains("= the limit is crossed here: …- あいうえお⏎- か⟨over⟩きくけこ…"),
        "{f}"
    );
}

#[test]
fn the_title_is_not_counted() {
    // The talk title is long, but only the body is pasted into the form.
    let p = abstract_project(&[&ja_text(800)], &limit_800());
    p.write(
        "locales/ja/talk.ftl",
        format!(
            "talk-title = {}\nabstract-p1 = {}\n",
            ja_text(100),
            ja_text(800)
        ),
    );
    p.talkdoc(&["review", "--all"]).assert_code(0);
    let run = p.check(&[]);
    run.assert_code(0);
    run.assert_stdout_has("limit abstract (ja): 800 / 800 (chars), 0 left");
}

// ---------------------------------------------------------------------------
// Counting rules
// ---------------------------------------------------------------------------

/// 𠮷 (U+20BB7) is one character but two UTF-16 code units: an HTML
/// `maxlength` would count it twice.
#[test]
fn characters_outside_the_bmp_pass_by_chars_and_warn_for_utf16() {
    let text = format!("𠮷𠮷𠮷{}", ja_text(797));
    let p = abstract_project(&[&text], &limit_800());
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["L002"]);
    // UTF-16 passes 800 at the 798th character (3 × 2 + 794 = 800).
    let f = run.finding(
        "warning[L002] locales/ja/talk.ftl:2:812: abstract-p1: `abstract` (ja) passes counting \
         characters with a line break as one (800/800); \
         fails counting UTF-16 code units (HTML maxlength) (803/800)",
    );
    let before = last(&take(&text, 797), 20);
    let after = take(&text.chars().skip(797).collect::<String>(), 10);
    assert!(
        f.contains(&format!(
            "= counting UTF-16 code units (HTML maxlength), the limit is crossed here: \
             …{before}⟨over⟩{after}…"
        )),
        "{f}"
    );
    assert!(
        f.contains("help: if the form may count that way, shorten the text to be safe"),
        "{f}"
    );
    run.assert_stdout_has("limit abstract (ja): 800 / 800 (chars), 0 left");
    run.assert_stdout_has(
        "  chars 800 · UTF-16 units 803 · line breaks as two 800 · graphemes 800",
    );
    run.assert_stdout_has("check passed: 0 errors, 1 warning");
    p.check(&["--deny-warnings"]).assert_code(1);

    let (_, json) = p.check_json();
    assert_eq!(json["limits"][0]["status"], "warning");
    assert_eq!(json["limits"][0]["counts"]["utf16"], 803);
}

/// か + U+3099 (combining voiced mark) is が after NFC: counted once.
#[test]
fn combining_sequences_with_a_precomposed_form_are_counted_once() {
    let decomposed = "か\u{3099}".repeat(400);
    let text = format!("{decomposed}{}", ja_text(400));
    assert_eq!(text.chars().count(), 1200, "1200 scalar values in the file");
    let p = abstract_project(&[&text], &limit_800());
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    run.assert_stdout_has("limit abstract (ja): 800 / 800 (chars), 0 left");
    run.assert_stdout_has(
        "  chars 800 · UTF-16 units 800 · line breaks as two 800 · graphemes 800 · words",
    );
}

/// か + U+309A (semi-voiced mark) has no precomposed form: two characters,
/// one grapheme.
#[test]
fn combining_sequences_without_a_precomposed_form_are_two_chars_one_grapheme() {
    let text = "か\u{309A}".repeat(401);
    // By characters: 802, over.
    let p = abstract_project(&[&text], &limit_800());
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["L001"]);
    run.finding(
        "error[L001] locales/ja/talk.ftl:2:815: abstract-p1: \
         `abstract` (ja) is 802 characters long, 2 over the limit of 800",
    );
    run.assert_stdout_has(
        "  chars 802 · UTF-16 units 802 · line breaks as two 802 · graphemes 401 · words",
    );

    // By graphemes: 401, within; every rule counting code points warns.
    let p = abstract_project(&[&text], &limit("abstract", "ja", 800, Some("graphemes")));
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["L002"]);
    run.finding(
        "warning[L002] locales/ja/talk.ftl:2:815: abstract-p1: `abstract` (ja) passes counting \
         grapheme clusters (401/800); \
         fails counting characters with a line break as one (802/800); \
         fails counting UTF-16 code units (HTML maxlength) (802/800); \
         fails counting a line break as two (CRLF) (802/800)",
    );
    run.assert_stdout_has("limit abstract (ja): 401 / 800 (graphemes), 399 left");
}

#[test]
fn two_paragraphs_are_separated_by_two_line_breaks() {
    let p = abstract_project(&["一二三", "四五六"], &limit_800());
    let (code, json) = p.check_json();
    assert_eq!(code, 0);
    assert_eq!(
        json["limits"][0]["counts"],
        serde_json::json!({"chars": 8, "utf16": 8, "crlf": 10, "graphemes": 8, "words": 6})
    );
}

/// 399 + "\n\n" + 399 = 800 characters; a form that submits CRLF sees 802.
#[test]
fn passing_by_chars_but_failing_with_line_breaks_as_two_is_l002() {
    let p2 = ja_text(399);
    let p = abstract_project(&[&ja_text(399), &p2], &limit_800());
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["L002"]);
    // Counting CRLF, p1 and the break reach 403; the 398th character of p2
    // is the 801st unit.
    let f = run.finding(
        "warning[L002] locales/ja/talk.ftl:3:412: abstract-p2: `abstract` (ja) passes counting \
         characters with a line break as one (800/800); \
         fails counting a line break as two (CRLF) (802/800)",
    );
    assert!(
        f.contains(&format!(
            "= counting a line break as two (CRLF), the limit is crossed here: …{}⟨over⟩{}…",
            last(&take(&p2, 397), 20),
            last(&p2, 2)
        )),
        "{f}"
    );
    run.assert_stdout_has(
        "  chars 800 · UTF-16 units 800 · line breaks as two 802 · graphemes 800",
    );
    p.check(&["--deny-warnings"]).assert_code(1);
}

#[test]
fn a_limit_counting_utf16_units() {
    let text = format!("𠮷{}", ja_text(9)); // 10 characters, 11 UTF-16 units
    let p = abstract_project(&[&text], &limit("abstract", "ja", 10, Some("utf16")));
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["L001"]);
    run.finding(
        "error[L001] locales/ja/talk.ftl:2:24: abstract-p1: \
         `abstract` (ja) is 11 UTF-16 units long, 1 over the limit of 10",
    );
    run.assert_stdout_has("limit abstract (ja): 11 / 10 (utf16), 1 over");

    let p = abstract_project(&[&text], &limit("abstract", "ja", 11, Some("utf16")));
    p.check(&[]).assert_code(0).assert_codes(&[]);
}

#[test]
fn a_limit_counting_words_in_english() {
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = I explain why telemetry really matters.
";
    let p = Project::new(JA, en)
        .config(&limit("abstract", "en", 5, Some("words")))
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["L001"]);
    let f = run.finding(
        "error[L001] locales/en/talk.ftl:2:46: abstract-p1: \
         `abstract` (en) is 6 words long, 1 over the limit of 5",
    );
    assert!(
        f.contains("the limit is crossed here: …hy telemetry really ⟨over⟩matters.…"),
        "{f}"
    );
    run.assert_stdout_has("limit abstract (en): 6 / 5 (words), 1 over");

    // Words are not compared with the character rules: 39 characters is no warning.
    let p = p.config(&limit("abstract", "en", 6, Some("words")));
    p.check(&[]).assert_code(0).assert_codes(&[]);
}

// ---------------------------------------------------------------------------
// CRLF line endings in the .ftl file
// ---------------------------------------------------------------------------

#[test]
fn crlf_files_parse_count_the_same_and_report_the_right_lines() {
    // A multi-line value: its two lines are joined by one line break.
    let (a, b) = (ja_text(400), ja_text(400));
    let ja_lf =
        format!("# 要旨\n\n{TITLE_JA}\nabstract-p1 =\n    {a}\n    {b}\n\n-unused-term = 用語\n");
    let ja_crlf = ja_lf.replace('\n', "\r\n");
    assert!(ja_crlf.contains("\r\n    "));

    let mut outputs = Vec::new();
    for ja in [&ja_lf, &ja_crlf] {
        let p = Project::new(ja, EN2).config(&limit_800()).reviewed();
        let run = p.check(&[]);
        run.assert_code(1);
        // 400 + "\n" + 400 = 801: the last character of line 7 is over.
        let f = run.finding(
            "error[L001] locales/ja/talk.ftl:7:404: abstract-p1: \
             `abstract` (ja) is 801 characters long, 1 over the limit of 800",
        );
        // The JSON report cuts the 404-character line around the column,
        // which is its last character.
        let shown = f
            .lines()
            .find_map(|l| l.strip_prefix("     7 | …"))
            .unwrap_or_else(|| panic!("no cut source line 7 in\n{f}"));
        assert!(b.ends_with(shown) && shown.chars().count() > 100, "{f}");
        assert!(!f.contains('\r'), "{f:?}");
        // The term missing in English is reported on its own line.
        run.finding("error[C001] locales/ja/talk.ftl:9:1: -unused-term: missing in `en`");
        run.assert_stdout_has(
            "  chars 801 · UTF-16 units 801 · line breaks as two 802 · graphemes 801",
        );
        let (_, json) = p.check_json();
        outputs.push((run.stdout.clone(), json));
    }
    // Same findings, same counts, same lines.
    assert_eq!(outputs[0].0, outputs[1].0);
    assert_eq!(outputs[0].1, outputs[1].1);
}

// ---------------------------------------------------------------------------
// L003: bad limits
// ---------------------------------------------------------------------------

#[test]
fn l003_unknown_document_locale_or_counting_rule() {
    let limits = format!(
        "{}{}{}",
        limit("abstrakt", "ja", 800, None),
        limit("abstract", "fr", 800, None),
        limit("abstract", "ja", 800, Some("bytes")),
    );
    let p = Project::clean().config(&limits).reviewed();
    let run = p.check(&[]);
    run.assert_code(1);
    let f =
        run.finding("error[L003] content/project.toml:6:12: limit on unknown document `abstrakt`");
    assert!(f.contains(r#"     6 | document = "abstrakt""#), "{f}");
    assert!(
        f.contains("name a file in content/documents/ without .toml"),
        "{f}"
    );
    run.finding("error[L003] content/project.toml:12:10: limit on unknown locale `fr`");
    let f = run.finding("error[L003] content/project.toml:19:9: unknown counting rule `bytes`");
    assert!(
        f.contains("use one of: chars, utf16, crlf, graphemes, words"),
        "{f}"
    );
    run.assert_codes(&["L003", "L003", "L003"]);
    // No counts are printed for a limit that could not be applied.
    assert!(!run.stdout.contains("limit abstract"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------
// Rule::count, property-tested
// ---------------------------------------------------------------------------

/// Text mixing ASCII, kana and kanji, characters outside the BMP, combining
/// marks, emoji with modifiers and line breaks.
fn mixed_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        " ",
        "telemetry",
        "。",
        "か",
        "が",
        "\u{3099}",
        "\u{309A}",
        "e\u{301}",
        "𠮷",
        "😀",
        "👍🏽",
        "\n",
        "\n\n",
        "\r\n",
        "テレメトリー",
        "1,000",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn rule_counts_are_consistent(text in mixed_text()) {
        let chars = Rule::Chars.count(&text);
        let utf16 = Rule::Utf16.count(&text);
        let crlf = Rule::Crlf.count(&text);
        let graphemes = Rule::Graphemes.count(&text);
        let words = Rule::Words.count(&text);
        let newlines = text.matches('\n').count();
        let astral = text.chars().filter(|c| u32::from(*c) > 0xFFFF).count();

        prop_assert!(utf16 >= chars);
        prop_assert!(chars >= graphemes);
        prop_assert_eq!(utf16, chars + astral);
        prop_assert_eq!(crlf, chars + newlines);
        prop_assert!(words <= graphemes);
        prop_assert_eq!(chars == 0, text.is_empty());

        let counts = Counts::of(&text);
        for rule in Rule::ALL {
            prop_assert_eq!(counts.get(rule), rule.count(&text));
            prop_assert_eq!(Rule::parse(rule.name()), Some(rule));
        }
    }

    #[test]
    fn paragraphs_add_up(a in mixed_text(), b in mixed_text()) {
        let joined = format!("{a}\n\n{b}");
        prop_assert_eq!(Rule::Chars.count(&joined), Rule::Chars.count(&a) + Rule::Chars.count(&b) + 2);
        prop_assert_eq!(Rule::Utf16.count(&joined), Rule::Utf16.count(&a) + Rule::Utf16.count(&b) + 2);
        prop_assert_eq!(Rule::Crlf.count(&joined), Rule::Crlf.count(&a) + Rule::Crlf.count(&b) + 4);
    }
}

#[test]
fn rule_names_parse_and_unknown_names_do_not() {
    for (name, rule) in [
        ("chars", Rule::Chars),
        ("utf16", Rule::Utf16),
        ("crlf", Rule::Crlf),
        ("graphemes", Rule::Graphemes),
        ("words", Rule::Words),
    ] {
        assert_eq!(Rule::parse(name), Some(rule));
    }
    assert_eq!(Rule::parse("bytes"), None);
    assert_eq!(Rule::parse("Chars"), None);
    assert_eq!(Rule::Graphemes.count("か\u{309A}"), 1);
    assert_eq!(Rule::Chars.count("か\u{309A}"), 2);
    assert_eq!(Rule::Utf16.count("𠮷"), 2);
    assert_eq!(Rule::Crlf.count("a\n\nb"), 6);
}
