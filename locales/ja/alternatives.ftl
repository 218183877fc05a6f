## Alternatives offered to the author (see the AUTHOR comments). The Japanese stays as written: each alias only points at the existing message.
## Every English alternative in locales/en/alternatives.ftl has an alias here
## with the same ID, so a content file can name it in every locale: switching
## is one line in content/documents/ (README, "The English edition").
## The Japanese text is edited in the message an alias points at, never here.
## A review of an alternative is recorded against the alias, not the text it
## points at: when that text changes, `talkdoc check` flags the main
## translation as stale (F001); update the alternative with it.

## Abstract: three paragraphs for three, in order.
abstract-alt-p1 = { abstract-p1 }
abstract-alt-p2 = { abstract-p2 }
abstract-alt-p3 = { abstract-p3 }

## Outline bullets: each replaces the message named in its ID.
outline-alt-my-history-years = { outline-my-history-years }
outline-alt-reliability-history-dicomo = { outline-reliability-history-dicomo }
outline-alt-frontier-purpose = { outline-frontier-purpose }
outline-alt-key-granularity = { outline-key-granularity }
outline-alt-closing-cycle = { outline-closing-cycle }
