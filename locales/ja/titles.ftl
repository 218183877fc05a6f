### Japanese source of the talk proposal. Keep the author's wording,
### punctuation and typos character for character; notes for the author are
### comments starting with "AUTHOR:".

## Title candidates, in the author's order. The chosen one is named in
## content/documents/titles.toml (mark) and here as talk-title: change both.

# How many years the talk looks back on (2012 to 2025).
-talk-years = 13

# The title the author chose (the bold one in the original note).
# AUTHOR: 採用タイトルは英語で84文字です。英語の候補32件中19件が100文字を超え、
# 75文字以下は01・02・05・12・17・20・26・31・32のみです。英語のCfPフォームは
# タイトルを75〜100文字程度に制限することが多いので、フォームを確認してください。
# 上限が84文字未満の場合、英語ではどのタイトルで応募しますか? 候補は一つも削っていません。
talk-title = { title-candidate-08 }

title-candidate-01 = SREのためのテレメトリー技術の探究
title-candidate-02 = SREのためのテレメトリー技術の探究史
title-candidate-03 = SREのためのテレメトリー探究{ -talk-years }年 — 技芸から工学 AIOps/AIインフラ
title-candidate-04 = SRE向けテレメトリーを探究し続けて{ -talk-years }年 — 最先端のAIOps・AIインフラへの研究構想
title-candidate-05 = 博士の愛したSRE
title-candidate-06 = テレメトリー探究{ -talk-years }年 — SREエンジニアから博士研究者、そしてAI基盤の可観測性へ
title-candidate-07 = { -talk-years }年間のテレメトリー探究 — モニタリングの実装からAIOps研究、GPU分散基盤まで
title-candidate-08 = SREのためのテレメトリーの{ -talk-years }年 — AI for SystemsとSystems for AIとの最前線
title-candidate-09 = SREのためのテレメトリーの{ -talk-years }年の探究 — AI for SystemsとSystems for AIとの最前線
title-candidate-10 = SREのためのテレメトリー技術探究{ -talk-years }年 — AIOpsとAIインフラの最先端へ
title-candidate-11 = SREとテレメトリーの探究{ -talk-years }年 — 実務と研究の交差、そしてAIOpsとAIインフラへ
# AUTHOR: probably a note rather than a title (9 + 4 = the 13 years).
title-candidate-12 = 9+4年
title-candidate-13 = SREとテレメトリーの{ -talk-years }年の探究 — 運用と研究の交差からAIOps・AIインフラまで
title-candidate-14 = SREとテレメトリーの{ -talk-years }年の探究 — モニタリングSaaSからAIOps・AIインフラまで
title-candidate-15 = SREのためのテレメトリー:{ -talk-years }年の探究 — 運用×研究の交差点からAIOps・AIインフラ最前線
title-candidate-16 = SREとテレメトリーの{ -talk-years }年の探究 — 運用×研究の横断とAIOps・AIインフラ最前線
title-candidate-17 = SREのためのテレメトリー探究への招待
title-candidate-18 = SREとテレメトリーの{ -talk-years }年の探究記 — 運用と研究の交差からAIOps・AIインフラまで
title-candidate-19 = Telemetry for SRE:運用と研究の交差点からAIOps・AIインフラまでの{ -talk-years }年
title-candidate-20 = SREとテレメトリーに捧げる{ -talk-years }年に渡る探究記
title-candidate-21 = SREとテレメトリーを探究して{ -talk-years }年 — 実務と研究の交差点とAIOps/AIインフラの最先端へ
title-candidate-22 = SREとテレメトリーの探究:モニタリングSaaS、博士研究、AIOps・AIインフラまでの先端領域
title-candidate-23 = SREとテレメトリーの探究 — { -talk-years }年に渡る実務と博士研究からAIOps/AIインフラの先端まで
title-candidate-24 = テレメトリー探究を軸としたSREの{ -talk-years }年 — 実務と博士研究からAIOps/AIインフラ最先端まで
title-candidate-25 = SREとテレメトリー探究の{ -talk-years }年 — 実務と博士研究からAIOps/AIインフラ最先端まで
title-candidate-26 = テレメトリーを中核とした分散システムの観測と制御
title-candidate-27 = SREとテレメトリーの{ -talk-years }年の探究 — 実務と博士研究からAIOps・AIインフラの最先端へ
title-candidate-28 = SREとテレメトリーを探究して{ -talk-years }年 — 実務と博士研究からAIOps・AIインフラ最前線へ
title-candidate-29 = SREとテレメトリー探究の{ -talk-years }年 — 実務と博士研究からAIOps・AIインフラの先端領域へ
title-candidate-30 = SRE探究の{ -talk-years }年 — テレメトリーを軸に実務と博士研究からAIOps・AIインフラまで
# AUTHOR: ends in "ー" (long-vowel mark), probably an unfinished subtitle.
title-candidate-31 = テレメトリー駆動の信頼性制御 ー
title-candidate-32 = Towards Telemetry-driven Reliability Control
