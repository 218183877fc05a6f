### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

## Outline. The nesting lives in content/documents/outline.toml; it was
## inferred from the meaning of the bullets in the original, where it was lost.
## Bullets are terse speaker notes and are kept terse.
## [[...]] are links to the author's private notes: exported as plain titles.
## Titles of Japanese notes are translated; English ones are kept as written,
## except that a note named after a paper is given as a quoted paper title,
## with only what the note's name itself gives (venue, year): no author or
## year is added that the author did not write.

outline-why = (Why this talk?)
outline-intro = Introduction
outline-intro-invisible = The invisible
outline-intro-telemetry-for-sre = Telemetry for SRE
outline-elements = Building blocks of telemetry technology
outline-elements-diverse = Surprisingly wide-ranging
# The four stages of a telemetry pipeline; "transport" is in parentheses in
# the Japanese too.
outline-elements-stages = Instrumentation, (transport), storage, analysis
# Child of "Building blocks of telemetry technology": the same Japanese word
# (yōso gijutsu), here heading the list of technologies.
outline-elements-tech = Building blocks
outline-elements-tech-list = eBPF, language runtimes, distributed DBs/data pipelines, visualization/statistics and machine learning
outline-elements-domains = Domains: web applications, cloud, networking, HPC, ...
outline-elements-purposes = Purposes
outline-elements-purposes-list = SRE (incident management and automated system control), security, user behavior analytics
outline-elements-map = Drawing a map of telemetry technology.
outline-definition = Defining telemetry
outline-definition-why-term = Why the term “telemetry”?
outline-definition-observability = “Observability” would work too, but...?
outline-definition-general-term = I wanted a term that applies across all of engineering.
# Ramen Hakkenden is a Japanese manga; the author plans to quote it here.
outline-definition-ramen = Quote from Ramen Hakkenden (manga)
# "Being part of that history": having been directly involved in it.
outline-definition-history = My own history, 100 years of history, being part of that history.
outline-definition-possibilities = What possibilities are opening up for telemetry technology in service of SRE?
outline-my-history = Telemetry and my own history
# AUTHOR: "2012 to 2015" does not span 13 years; 2012 + 13 = 2025,
# so 2015 is probably a slip for 2025. Kept as written.
# AUTHOR: Did you mean "2012 to 2025"? If so, correct the Japanese and switch
# the English to outline-alt-my-history-years (alternatives.ftl).
outline-my-history-years = 2012 to 2015: { -talk-years } years
outline-my-history-rrdtool = It started with RRDtool / SNMP
# The in-house tool was nominally for monitoring but really served as a
# registry (inventory) of servers.
outline-my-history-inhouse = In-house monitoring tool: really more a registry than a monitor
# Literally "the part-timers" (casual, affectionate): part-time engineers.
outline-my-history-perl = Built in Perl by part-time engineers
outline-my-history-package = package Hatena::Mackerel::xxx
outline-reliability-history = History of reliability and telemetry
# Title of one of the author's private notes.
# AUTHOR: To an outside reader, the title of a private note reads like an
# internal document. May the English say what it is instead ("My invited talk
# at DICOMO 2022 …", outline-alt-reliability-history-dicomo in alternatives.ftl)?
# The alternative assumes the invited talk was yours; if it was someone
# else's, it needs rewording.
outline-reliability-history-dicomo = [[DICOMO 2022 Invited Talk Outline]]
# The author's note on the paper "Software Reliability Engineering: A Roadmap"
# (FOSE 2007); the note's file name (2007__FOSE__…) is rendered as a citation.
outline-reliability-history-roadmap = “[[Software Reliability Engineering: A Roadmap]]” (FOSE 2007)
# Literally "system top-level target metrics, system bottom-up": top-down
# objectives for the whole system versus working up from its components.
# Kept as terse as the source; no reading beyond top-down/bottom-up added.
outline-reliability-history-metrics = Top-down: system-level target metrics; bottom-up: from the system's components
outline-systematization = Systematizing telemetry technology
outline-frontier = Unexplored territory in telemetry
# Title of one of the author's private notes ("Research objectives, fiscal
# year 2025 edition").
# AUTHOR: Also a private note title. May the English say "My research
# objectives for 2025" (outline-alt-frontier-purpose in alternatives.ftl)?
outline-frontier-purpose = [[Research Objectives, FY2025 Edition]]
outline-frontier-adjacent = Telemetry in fields adjacent to SRE
outline-key-messages = Key messages
# "Slice": the dimensions (angles) along which data can be cut.
# AUTHOR: 極論 is rendered "put bluntly" (a deliberate simplification). If you
# meant "in short, it comes down to", switch to outline-alt-key-granularity
# (alternatives.ftl).
outline-key-granularity = Improving observability => put bluntly, finer-grained data and more ways to slice it
outline-key-see-invisible = The ability to see the invisible. Building mental models from theory and measurement.
outline-key-expertise = What is expertise built around reliability and telemetry?
outline-key-expertise-cross-domain = Cutting across domains: not just web applications, but also the cloud (networking and storage), HPC clusters, and more.
outline-key-expertise-general = “Reliability” and “telemetry” apply across all of engineering.
outline-key-expertise-fun = The fun of having a throughline across disciplines
outline-key-expertise-workload = Both reliability and telemetry demand an understanding of the target system's inner workings and its workloads.
outline-key-specialize = What does it mean to specialize in telemetry technology?
# The author's metaphor, kept literal.
outline-key-specialize-future = Picturing time flowing toward us from the future
# A paper title (Lisanne Bainbridge, Automatica, 1983), which the author's
# note is named after. Quoted as a title only: the source names no author or
# year, and the title alone finds the paper (the Roadmap's "FOSE 2007", by
# contrast, is in the author's note name).
outline-closing = In closing: “[[Ironies of Automation]]”
# Literally "how to bring about a cyclical structure". Not "close the loop",
# which in business English also means "follow up".
# AUTHOR: Do you mean a self-sustaining cycle (as translated), or a feedback
# loop in the control-engineering sense (telemetry → automated control →
# telemetry)? For the latter, switch to outline-alt-closing-cycle
# (alternatives.ftl).
outline-closing-cycle = How to create a self-sustaining cycle
