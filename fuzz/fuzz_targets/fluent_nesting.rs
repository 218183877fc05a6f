//! Fluent source generated from the input as a program of nesting and
//! expansion operations (fuzz/src/lib.rs, `nesting_ftl`) → the whole
//! pipeline of `fluent_check`. Run with `-timeout` and `-rss_limit_mb`:
//! deep nesting must be refused, never overflow the stack or panic, and an
//! expansion refused before it is expanded.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| talkdoc_fuzz::fluent_nesting(data));
