### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

## Abstract, revised second draft: the one to submit. (The 800-character
## limit applies to the Japanese form only.)
## The Japanese uses the third person ("the speaker"); the English uses the
## first person, as is usual for SREcon-style abstracts.

# AUTHOR: For an English-speaking program committee, this abstract spends
# about 140 of its 208 words on you and the field and one paragraph on the
# talk, and the title's "AI for Systems / Systems for AI" never appears in the
# body. Would you rather submit the audience-first alternative (abstract-alt-p1
# to -p3 in alternatives.ftl, 920 characters)? It changes what the abstract
# says, so it is your call; the Japanese abstract stays as it is either way.
abstract-p1 = Whether working as an engineer or as a researcher, I have spent my career pursuing one subject: Site Reliability Engineering (SRE). Monitoring and observability lie at the heart of SRE, and telemetry lies beneath them both. Like reliability itself, telemetry is a concept that runs through every branch of engineering, yet in software engineering it takes on a rich set of characteristics all its own, making it a deep field of research.

abstract-p2 = As an engineer, I built an in-house monitoring system, handled system design and operations for a monitoring SaaS product, and developed a time-series database. I then moved into research, working on topics such as time-series databases, eBPF-based network tracing, and AIOps that uses machine learning to analyze metrics, and earned my PhD with a dissertation centered on telemetry. Today, my R&D focuses on telemetry for distributed AI training infrastructure built on large GPU clusters.

abstract-p3 = In this talk, I look back on my experience in industry and my academic research. I explain why specializing in telemetry matters and what makes it so fascinating, trace the general history of telemetry alongside my own, and, drawing on the latest research, map out the field's unexplored territory and my research vision for the years ahead.

## Abstract, first draft: kept so nothing the author wrote is lost;
## no document uses it.

abstract-draft1-p1 = Though my role has shifted from engineer to researcher, I have consistently pursued Site Reliability Engineering (SRE) throughout my career. Monitoring and observability are fundamental to SRE, and telemetry technology is more fundamental still. Like reliability, it is a concept that runs through all of engineering, yet it is a deep field with many characteristics found only in software engineering.

abstract-draft1-p2 = I have built an in-house monitoring system, handled system design and operations for a monitoring SaaS product, and developed a time-series database. I then moved into R&D, working on time-series databases, eBPF-based network tracing, metrics-based AIOps, and more, and earned my PhD with a dissertation on telemetry systems. I am currently doing R&D on telemetry systems for distributed AI training infrastructure built on large GPU clusters.

abstract-draft1-p3 = In this talk, I will look back on these years in industry and academia and discuss what it means to specialize in telemetry, the general history of telemetry alongside my own history, and, in light of the latest research trends, the unexplored territory of telemetry and the research vision I am pursuing.
