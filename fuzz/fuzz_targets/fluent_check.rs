//! The ja and en .ftl files of a small project (split at byte 0xFF; without
//! it both get the input) → Project::load → check::run (every report format)
//! → assemble every document in every locale → Markdown, text, PDF layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| talkdoc_fuzz::fluent_check(data));
