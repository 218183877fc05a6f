//! Process-wide output settings from the command line (`-q`, `-v`,
//! `--color`), read wherever something is printed. Set once at start-up;
//! library users that never set them get the quiet defaults.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// `--color`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    Auto,
    Always,
    Never,
}

static QUIET: AtomicBool = AtomicBool::new(false);
static VERBOSE: AtomicBool = AtomicBool::new(false);
/// 0 auto, 1 always, 2 never.
static COLOR: AtomicU8 = AtomicU8::new(0);

/// Records the command line's choices.
pub(crate) fn set(quiet: bool, verbose: bool, color: Option<ColorChoice>) {
    QUIET.store(quiet, Ordering::Relaxed);
    VERBOSE.store(verbose, Ordering::Relaxed);
    let c = match color {
        None | Some(ColorChoice::Auto) => 0,
        Some(ColorChoice::Always) => 1,
        Some(ColorChoice::Never) => 2,
    };
    COLOR.store(c, Ordering::Relaxed);
}

/// `-q`: print nothing but errors.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `-v`: say what is done and how long it takes.
pub(crate) fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

/// Whether to colour a stream that is (or is not) a terminal:
/// `--color always|never` wins; otherwise `NO_COLOR` (non-empty) turns
/// colour off, `CLICOLOR_FORCE` (non-empty, not `0`) turns it on, and a
/// terminal decides (https://no-color.org, https://bixense.com/clicolors).
pub(crate) fn color(stream_is_terminal: bool) -> bool {
    match COLOR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => {
            let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE")
                && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0")
            {
                true
            } else {
                stream_is_terminal
            }
        }
    }
}
