//! talkdoc keeps a conference talk proposal in two (or more) languages as
//! Project Fluent messages and exports it to Markdown, plain text and PDF.
//!
//! Pipeline, one stage per module:
//! [`catalog`] (Fluent files → message index) and [`content`] (document
//! structure) are loaded into a [`project::Project`]; [`assemble`] builds the
//! [`document`] model; [`render`] turns it into bytes per format; [`output`]
//! writes them atomically. [`check`] reads the same project and reports.

#![deny(missing_docs)]

pub mod assemble;
pub mod build;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod codes;
pub mod config;
pub mod content;
pub mod diag;
pub mod document;
pub mod hash;
pub mod init;
pub mod input;
pub mod output;
pub(crate) mod preflight;
pub mod project;
pub mod render;
pub(crate) mod review;
pub(crate) mod script;
pub(crate) mod settings;
pub(crate) mod threads;
pub mod watch;

/// `-v`: whether to say what is done and how long it takes.
pub fn verbose() -> bool {
    settings::verbose()
}
