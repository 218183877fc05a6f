### English-only alternatives the author can switch to (see the AUTHOR notes
### in abstract.ftl, outline.ftl and titles.ftl). Each has a Japanese alias
### with the same ID in locales/ja/alternatives.ftl that points at the current
### Japanese text, so switching is one line in content/documents/ and the
### Japanese edition stays as written. Until then they are unused, listed
### under [check] allow_unused. How to switch: README, "The English edition".

## Abstract, re-framed for an English-speaking program committee:
## audience first, the title's two halves in the body: 920 characters and
## 152 words as `talkdoc check` counts them (the current English abstract:
## 1,272 characters, 208 words).

abstract-alt-p1 = Telemetry is how SREs see the invisible. Monitoring and observability rest on it, and so does SRE itself, yet the field reaches far beyond web operations: from eBPF and language runtimes to time-series databases, HPC clusters, and machine learning.
abstract-alt-p2 = This talk draws on { -talk-years } years that took me from building monitoring systems and a monitoring SaaS product, through a PhD on telemetry, to research on telemetry for large GPU clusters. I map the building blocks of telemetry, retrace its history in reliability engineering, and show where it now meets AI from both sides: AI for Systems, where machine learning helps operate systems (AIOps), and Systems for AI, where the infrastructure that trains AI models must itself be observed.
abstract-alt-p3 = You will leave with a map of the field and its unexplored territory, and a new view of tools you already know, seen from an academic perspective and through systems beyond web applications.

## Outline bullets (each replaces the message named in its ID).

# If 2015 is a slip for 2025:
outline-alt-my-history-years = 2012 to 2025: { -talk-years } years
# Saying what the private notes are rather than giving their titles:
outline-alt-reliability-history-dicomo = My invited talk at DICOMO 2022 (a Japanese computing symposium)
outline-alt-frontier-purpose = My research objectives for 2025
# If 極論 means "in short" rather than a deliberate simplification:
outline-alt-key-granularity = Improving observability comes down to finer-grained data and more ways to slice it
# If the cycle is a feedback loop in the control-engineering sense:
outline-alt-closing-cycle = How to close the feedback loop
