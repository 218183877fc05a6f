//! talkdoc check.
