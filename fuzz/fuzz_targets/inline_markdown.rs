//! A message value → parse_inline → to_markdown of a document holding it as
//! a paragraph and as a list item → pulldown-cmark reads it back: both must
//! have exactly the model's plain text (document::plain_text).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| talkdoc_fuzz::inline_markdown(input));
