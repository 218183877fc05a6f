//! Reproducers of problems found by the fuzz targets in fuzz/, run through
//! the same harness code (fuzz/src/lib.rs, included below) in its strict
//! mode, where known issues are not skipped. The same bytes are in
//! fuzz/regressions/<target>/ for `cargo fuzz run <target> <file>`.
//!
//! These tests fail until the bugs they describe are fixed; see
//! fuzz/README.md, "Findings", for each one.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

fn assert_round_trips(input: &str) {
    if let Some(why) = harness::inline_markdown_failure(input, false) {
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

/// K3: x positions must never decrease along a line; after the cluster
/// " \u{301}" (space + combining acute) measured with the built-in font, the
/// next character sits one f32 ulp left of the combining mark.
/// Input layout: first-line width 50, width 60, font size 10, flags 0x75
/// (justify, built-in font advances), then the text "r \u{301}\u{FFFD}".
#[test]
fn k3_linebreak_x_never_decreases_after_a_cluster() {
    harness::linebreak_with(
        &[0x32, 0x3c, 0x0a, 0x75, b'r', b' ', 0xcc, 0x81, 0x98],
        true,
    );
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
        read("linebreak/k3-x-decreases-after-cluster"),
        [0x32, 0x3c, 0x0a, 0x75, b'r', b' ', 0xcc, 0x81, 0x98]
    );
}
