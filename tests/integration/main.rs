//! talkdoc's integration tests, as one test binary: one link step and one
//! process instead of fourteen, so `cargo test` spends its time testing.
//! Each module is one area; they share the helpers in `common` (scratch
//! projects, the real binary, reading PDFs) and `check_support` (projects
//! for `check` and `review` built from a few strings).

mod check_support;
mod common;

mod build_cli;
mod check_cli;
mod check_freshness;
mod check_limits;
mod everyday;
mod fluent_projects;
mod fuzz_regressions;
mod hostile;
mod linebreak_props;
mod markdown_roundtrip;
mod model;
mod parallel;
mod pdf_output;
mod readme;
mod trust;
mod typesetting;
