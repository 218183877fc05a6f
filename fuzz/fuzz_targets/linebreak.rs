//! Widths, font size and style flags + a paragraph → LineBreaker::break_paragraph;
//! asserts every non-whitespace character is placed once, in order, each line
//! is exactly its byte range, and x never decreases along a line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| talkdoc_fuzz::linebreak(data));
