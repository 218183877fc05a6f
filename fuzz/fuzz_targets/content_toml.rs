//! A content TOML file of a small project with valid locales: the first byte
//! picks which (a new document, project.toml, en.reviewed.toml, or the
//! handout that includes the others), the rest is its text. Then the same
//! pipeline as fluent_check: load → check → assemble → render.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| talkdoc_fuzz::content_toml(data));
