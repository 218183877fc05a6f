//! Reproducers of problems found by the fuzz targets in fuzz/, run through
//! the same harness code (fuzz/src/lib.rs, included below). The same bytes
//! are in fuzz/regressions/<target>/ for `cargo fuzz run <target> <file>`.
//!
//! Each test fails while the bug it describes is there; see
//! fuzz/README.md, "Findings". Found at commit ee853d5 (K9, K10 at 9485247);
//! K1, K2, K3, K4 and K6 were fixed in e146623, K5 and K7 to K10 in 0b3f81a.

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod harness;

fn assert_round_trips(input: &str) {
    if let Some(why) = harness::inline_markdown_failure(input) {
        panic!("Markdown round trip lost the plain text:\n{why}");
    }
}

/// K1: a line break inside `Inline::Text` (here from an HTML block; an
/// indented or fenced code block does the same) is in the plain text and
/// the PDF, but render::markdown::escape writes it as a space.
#[test]
fn k1_html_block_line_break_survives_markdown() {
    assert_round_trips("<p>\na");
}

#[test]
fn k1_indented_code_line_break_survives_markdown() {
    assert_round_trips("    a\n    b");
}

/// K2: a bare carriage return inside `Inline::Text` is written raw, and
/// CommonMark reads it as part of a line ending.
#[test]
fn k2_carriage_return_survives_markdown() {
    assert_round_trips("\t\0\r");
}

/// K5: a vertical tab (or form feed) ending a block is CommonMark
/// whitespace: stripped at the end of a paragraph and by to_markdown's final
/// `trim_end`; only spaces and tabs are protected.
#[test]
fn k5_trailing_vertical_tab_survives_markdown() {
    assert_round_trips("\t\0\u{B}");
}

/// K6: a model ending (or starting) with `Inline::LineBreak` is written as
/// `\` + newline, which is a hard break only between two pieces of text: the
/// reader sees a literal backslash.
#[test]
fn k6_trailing_line_break_survives_markdown() {
    assert_round_trips("a\n\u{B}");
}

/// K7: an autolink inside a link's text stays a nested `Link` in the model;
/// to_markdown writes nested links, which CommonMark does not allow, so the
/// outer link's brackets and destination show up as text.
#[test]
fn k7_autolink_inside_link_survives_markdown() {
    assert_round_trips("[see <https://a.test>](https://a.test)");
    assert_round_trips("[<ps:>]()");
}

/// K9 (found at 9485247): a note title ending in a line break is split by
/// to_markdown into the title and a line break, which at the end of the
/// block is written as `\` + newline and read back as a literal backslash.
#[test]
fn k9_note_title_line_break_survives_markdown() {
    assert_round_trips("[[a\n]]");
}

/// K10: to_markdown ends with `trim_end()`, which trims all Unicode
/// whitespace: a no-break space or an ideographic space ending the last
/// block is lost (the paragraph before it keeps it).
#[test]
fn k10_trailing_unicode_space_survives_markdown() {
    assert_round_trips("\u{A0}");
    assert_round_trips("あ\u{3000}");
}

/// K8: to_markdown takes time exponential in the depth of nested emphasis
/// that cannot be written where it stands: 48 underscores, "a)", 48
/// underscores (98 bytes) take about 15 s in a release build, and every
/// further 4 underscores on each side about 4 times as long.
#[test]
fn k8_deeply_nested_emphasis_renders_quickly() {
    let input = format!("{}a){}", "_".repeat(48), "_".repeat(48));
    let (done, wait) = std::sync::mpsc::channel();
    let started = std::time::Instant::now();
    std::thread::spawn(move || {
        let why = harness::inline_markdown_failure(&input);
        let _ = done.send(why);
    });
    // Generous: a linear renderer needs microseconds, even in a debug build.
    match wait.recv_timeout(std::time::Duration::from_secs(5)) {
        Ok(why) => assert!(why.is_none(), "{why:?}"),
        Err(_) => panic!(
            "to_markdown of 48 nested emphasis levels still running after {:?}",
            started.elapsed()
        ),
    }
}

/// K3: x positions must never decrease along a line; after the cluster
/// " \u{301}" (space + combining acute) measured with the built-in font, the
/// next character sits one f32 ulp left of the combining mark.
/// Input layout: first-line width 50, width 60, font size 10, flags 0x75
/// (justify, built-in font advances), then the text "r \u{301}\u{FFFD}".
#[test]
fn k3_linebreak_x_never_decreases_after_a_cluster() {
    harness::linebreak(&[0x32, 0x3c, 0x0a, 0x75, b'r', b' ', 0xcc, 0x81, 0x98]);
}

/// K4: after the cluster "）\u{301}" (closing bracket + combining mark) the
/// next "、" is pulled back half an em (約物の詰め), but the mark is placed
/// at the bracket's full advance: x goes from 10.0 back to 5.0.
/// Input: widths 100/100, font size 10, flags 0 (simple advances: 1 em for
/// CJK, 0 for combining marks), text "）\u{301}、".
#[test]
fn k4_linebreak_x_never_goes_back_after_a_compressed_cluster() {
    let mut data = vec![100, 100, 10, 0];
    data.extend_from_slice("）\u{301}、".as_bytes());
    harness::linebreak(&data);
}

/// The committed reproducer files are the bytes above.
#[test]
fn reproducer_files_match() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let read = |p: &str| std::fs::read(dir.join(p)).expect("reproducer file");
    assert_eq!(read("inline_markdown/k1-html-block-newline"), b"<p>\na");
    assert_eq!(
        read("inline_markdown/k1-indented-code-newline"),
        b"    a\n    b"
    );
    assert_eq!(read("inline_markdown/k2-bare-cr"), b"\t\0\r");
    assert_eq!(
        read("inline_markdown/k5-trailing-vertical-tab"),
        b"\t\0\x0b"
    );
    assert_eq!(read("inline_markdown/k6-trailing-line-break"), b"a\n\x0b");
    assert_eq!(
        read("inline_markdown/k7-autolink-inside-link"),
        b"[see <https://a.test>](https://a.test)"
    );
    assert_eq!(
        read("inline_markdown/k7-autolink-inside-link-min"),
        b"[<ps:>]()"
    );
    assert_eq!(
        read("inline_markdown/k8-exponential-nested-emphasis"),
        format!("{}a){}", "_".repeat(48), "_".repeat(48)).as_bytes()
    );
    assert_eq!(
        read("inline_markdown/k9-note-title-ending-in-newline"),
        b"[[a\n]]"
    );
    assert_eq!(
        read("inline_markdown/k10-trailing-nbsp"),
        "\u{A0}".as_bytes()
    );
    assert_eq!(
        read("inline_markdown/k10-trailing-ideographic-space"),
        "あ\u{3000}".as_bytes()
    );
    let mut k4 = vec![100, 100, 10, 0];
    k4.extend_from_slice("）\u{301}、".as_bytes());
    assert_eq!(read("linebreak/k4-x-goes-back-half-em"), k4);
    assert_eq!(
        read("linebreak/k3-x-decreases-after-cluster"),
        [0x32, 0x3c, 0x0a, 0x75, b'r', b' ', 0xcc, 0x81, 0x98]
    );
}

/// The fluent_nesting target's shapes, in process: selects 10,000 deep
/// (fluent-bundle panics past 100 and overflows the stack further on),
/// placeables 100,000 deep, calls nested in calls, and a term referenced
/// 255 times per message through a chain of terms (an exponential
/// expansion). Each must be refused before anything recurses into it or
/// expands it; a regression crashes this test binary.
#[test]
fn nesting_and_expansion_shapes_are_refused_in_process() {
    let cases: [&[u8]; 5] = [
        &[0, 157, 3, 255],                             // 10,048 nested selects
        &[1, 255, 1, 255, 1, 255],                     // 48,960 nested placeables
        &[2, 255, 2, 255],                             // 8,160 nested calls
        &[6, 7, 6, 7, 6, 7, 6, 7, 6, 7, 6, 7, 4, 255], // -t6 = 9^6 copies of x, 255 times
        &[5, 255, 7, 0, 4, 1],                         // a 254 KB literal, then a new message
    ];
    for data in cases {
        let ftl = harness::nesting_ftl(data);
        assert!(
            ftl.len() > 1000,
            "generator produced too little for {data:?}"
        );
        harness::fluent_nesting(data);
    }
    harness::remove_scratch_dir();
}
