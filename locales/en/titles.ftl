### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

## Title candidates, in the author's order. The chosen one is named in
## content/documents/titles.toml (mark) and here as talk-title: change both.
## Recurring Japanese wording is rendered consistently, as listed in
## glossary.ftl ("saizensen" as "Frontier", "saisentan" as "Cutting Edge",
## "sentan" as "Leading Edge", "Toward", …); "AIOps/AI infra" as
## "AIOps/AI Infrastructure" and "AIOps and AI infra" as "AIOps and AI
## Infrastructure".

# How many years the talk looks back on (2012 to 2025).
-talk-years = 13

# The title the author chose (the bold one in the original note).
# AUTHOR: The chosen title is 84 characters in English; 19 of the 32 English
# candidates are over 100 (only 01, 02, 05, 12, 17, 20, 26, 31 and 32 are
# 75 or under). English CfP forms often cap titles at about 75–100
# characters: check the form. If its cap is under 84, which title would you
# like to submit in English? No candidate has been dropped.
talk-title = { title-candidate-08 }

title-candidate-01 = Exploring Telemetry Technology for SRE
title-candidate-02 = Telemetry Technology for SRE: A History of Exploration
# "From Craft to Engineering": the subtitle looks unfinished in the Japanese
# too (the last part just lists "AIOps/AI infra").
title-candidate-03 = { -talk-years } Years of Exploring Telemetry for SRE — From Craft to Engineering, AIOps/AI Infrastructure
title-candidate-04 = Still Exploring Telemetry for SRE After { -talk-years } Years — A Research Vision for Cutting-Edge AIOps and AI Infrastructure
# The Japanese ("Hakase no aishita SRE", "the SRE the doctor loved") alludes to
# Yoko Ogawa's novel "The Housekeeper and the Professor" (literally "The
# Professor's Beloved Equation"); "hakase" means both professor and PhD. The
# English keeps the literal sense and nods to "The Spy Who Loved Me".
title-candidate-05 = The PhD Who Loved SRE
title-candidate-06 = { -talk-years } Years of Exploring Telemetry — From Site Reliability Engineer to PhD Researcher to Observability for AI Infrastructure
title-candidate-07 = A { -talk-years }-Year Exploration of Telemetry — From Building Monitoring Systems to AIOps Research and Distributed GPU Infrastructure
title-candidate-08 = { -talk-years } Years of Telemetry for SRE — At the Frontier of AI for Systems and Systems for AI
title-candidate-09 = A { -talk-years }-Year Exploration of Telemetry for SRE — At the Frontier of AI for Systems and Systems for AI
title-candidate-10 = { -talk-years } Years of Exploring Telemetry Technology for SRE — Toward the Cutting Edge of AIOps and AI Infrastructure
title-candidate-11 = { -talk-years } Years of Exploring SRE and Telemetry — Where Practice and Research Intersect, and On to AIOps and AI Infrastructure
# AUTHOR: probably a note rather than a title (9 + 4 = the 13 years).
title-candidate-12 = 9+4 Years
title-candidate-13 = A { -talk-years }-Year Exploration of SRE and Telemetry — From the Intersection of Operations and Research to AIOps and AI Infrastructure
title-candidate-14 = A { -talk-years }-Year Exploration of SRE and Telemetry — From Monitoring SaaS to AIOps and AI Infrastructure
title-candidate-15 = Telemetry for SRE: A { -talk-years }-Year Exploration — From the Crossroads of Operations and Research to the Frontier of AIOps and AI Infrastructure
title-candidate-16 = A { -talk-years }-Year Exploration of SRE and Telemetry — Across Operations and Research, and at the Frontier of AIOps and AI Infrastructure
title-candidate-17 = An Invitation to Explore Telemetry for SRE
title-candidate-18 = A Chronicle of { -talk-years } Years Exploring SRE and Telemetry — From the Intersection of Operations and Research to AIOps and AI Infrastructure
title-candidate-19 = Telemetry for SRE: { -talk-years } Years From the Crossroads of Operations and Research to AIOps and AI Infrastructure
title-candidate-20 = A Chronicle of { -talk-years } Years Devoted to Exploring SRE and Telemetry
title-candidate-21 = { -talk-years } Years Exploring SRE and Telemetry — At the Crossroads of Practice and Research, Toward the Cutting Edge of AIOps/AI Infrastructure
title-candidate-22 = Exploring SRE and Telemetry: Monitoring SaaS, PhD Research, and the Leading Edge of AIOps and AI Infrastructure
title-candidate-23 = Exploring SRE and Telemetry — From { -talk-years } Years of Practice and PhD Research to the Leading Edge of AIOps/AI Infrastructure
title-candidate-24 = { -talk-years } Years of SRE, Anchored in Exploring Telemetry — From Practice and PhD Research to the Cutting Edge of AIOps/AI Infrastructure
title-candidate-25 = { -talk-years } Years of Exploring SRE and Telemetry — From Practice and PhD Research to the Cutting Edge of AIOps/AI Infrastructure
title-candidate-26 = Telemetry at the Core: Observing and Controlling Distributed Systems
title-candidate-27 = A { -talk-years }-Year Exploration of SRE and Telemetry — From Practice and PhD Research Toward the Cutting Edge of AIOps and AI Infrastructure
title-candidate-28 = { -talk-years } Years Exploring SRE and Telemetry — From Practice and PhD Research Toward the Frontier of AIOps and AI Infrastructure
title-candidate-29 = { -talk-years } Years of Exploring SRE and Telemetry — From Practice and PhD Research Toward the Leading Edge of AIOps and AI Infrastructure
title-candidate-30 = { -talk-years } Years of Exploring SRE — Anchored in Telemetry, From Practice and PhD Research to AIOps and AI Infrastructure
# AUTHOR: the Japanese ends in a stray long-vowel mark after a space,
# probably an unfinished subtitle; the English keeps a dangling dash.
title-candidate-31 = Telemetry-Driven Reliability Control —
# Written in English by the author ("Towards Telemetry-driven Reliability
# Control"); "Toward" as in every other candidate, and "Telemetry-Driven"
# capitalized for title case.
title-candidate-32 = Toward Telemetry-Driven Reliability Control
