### Glossary of the English edition: one English term per Japanese term,
### used alike in the titles, the outline and the abstract. This file holds
### only comments; talkdoc reads it as part of the `en` locale.
###
### Spelling: American English (-ize, center, behavior, analyze); "Toward",
### never "Towards"; "Frontier", never "Frontiers". Titles in title case,
### with " — " before a subtitle as in the Japanese. Title case follows AP/APA:
### words of four letters or more are capitalized, prepositions included
### ("From", "Toward", "After", "Across"); shorter prepositions, articles and
### conjunctions are lowercase unless they begin a title or subtitle.
###
### Added references: a gloss that only says what a referenced work is
### ("(manga)", "(in Japanese)", the original Japanese title next to a
### translated one) is kept; no author, year or venue is added that the
### author did not write ("Ironies of Automation" stands alone; the Roadmap's
### "FOSE 2007" is from the author's note name).
###
###   テレメトリー               telemetry
###   テレメトリー技術           telemetry technology
###   要素技術                   building blocks
###   探究                       exploration / exploring: 探究13年 and 探究の13年
###                              "13 Years of Exploring …", 13年の探究 "A 13-Year
###                              Exploration of …", 探究して13年 "13 Years Exploring …"
###   探究記                     chronicle
###   最前線                     Frontier ("At the Frontier of …")
###   最先端                     Cutting Edge
###   先端 / 先端領域            Leading Edge
###   未開拓領域 / 未開拓地      unexplored territory
###   研究構想                   research vision
###   実務                       practice (hands-on industry work)
###   運用                       operations
###   交差                       intersection / intersect
###   交差点                     crossroads
###   横断 / 分野横断 / 領域横断 across / across disciplines / across domains
###   博士研究 / 博士研究者      PhD research / PhD researcher
###   AIインフラ / AI基盤        AI infrastructure
###   分散AI学習基盤             distributed AI training infrastructure
###   オブザーバビリティ / 可観測性  observability
###   モニタリング / 監視        monitoring
###   計装                       instrumentation
###   信頼性                     reliability
###   自分史                     my own history
###   目に見えないもの           the invisible
###   極論                       put bluntly (see the AUTHOR note in outline.ftl)
###   循環構造                   self-sustaining cycle (see the AUTHOR note)
###   AI for Systems / Systems for AI   kept in English, as the author wrote them
