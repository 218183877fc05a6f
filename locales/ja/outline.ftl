### Japanese source of the talk proposal. Keep the author's wording,
### punctuation and typos character for character; notes for the author are
### comments starting with "AUTHOR:".

## Outline. The nesting lives in content/documents/outline.toml; it was
## inferred from the meaning of the bullets in the original, where it was lost.
## [[...]] are links to the author's private notes: exported as plain titles.

outline-why = (なぜこの話をするのか?)
outline-intro = はじめに
outline-intro-invisible = 目に見えないもの
outline-intro-telemetry-for-sre = SREのためのテレメトリー
outline-elements = テレメトリー技術の要素技術
outline-elements-diverse = 実は非常に多岐にわたる
outline-elements-stages = 計装、(転送)、保存、分析
outline-elements-tech = 要素技術
outline-elements-tech-list = eBPF、言語ランタイム、分散DB/データパイプライン、可視化/統計・機械学習
outline-elements-domains = ドメイン:Webアプリケーション、クラウド、ネットワーク、HPC、...
outline-elements-purposes = 目的
outline-elements-purposes-list = SRE(障害管理とシステム自動制御)、セキュリティ、ユーザー行動分析
outline-elements-map = テレメトリー技術の地図をつくること。
outline-definition = テレメトリーの定義
outline-definition-why-term = なぜテレメトリーという用語を使うのか?
outline-definition-observability = オブザーバビリティでもいいが...?
outline-definition-general-term = 工学一般に通用する用語を使いたかった。
# (ラーメン発見伝) is a manga; the author plans to quote it here.
outline-definition-ramen = (ラーメン発見伝) 引用
outline-definition-history = 自分史、100年の歴史、歴史の当事者。
outline-definition-possibilities = SREを目的とするテレメトリー技術にどのような可能性が拓かれているのか?
outline-my-history = テレメトリーと自分史
# AUTHOR: "2012年から2015年" does not span 13 years; 2012 + 13 = 2025,
# so 2015 is probably a slip for 2025. Kept as written.
# AUTHOR: 「2012年から2025年」の誤記でしょうか? そうであれば日本語を直し、英語は
# 代替案 outline-alt-my-history-years (locales/en/alternatives.ftl) に切り替えます。
outline-my-history-years = 2012年から2015年 { -talk-years }年
outline-my-history-rrdtool = RRDtool / SNMPからはじまる
outline-my-history-inhouse = 社内監視ツール 監視というより実はレジストリ
outline-my-history-perl = アルバイト氏たちがPerlで開発
outline-my-history-package = package Hatena::Mackerel::xxx
outline-reliability-history = 信頼性とテレメトリーの歴史
# AUTHOR: 非公開ノートのタイトルは、外部の読者には内部資料のように見えます。英語では
# 中身を説明する形("My invited talk at DICOMO 2022 …"、代替案
# outline-alt-reliability-history-dicomo)にしてよいですか?
outline-reliability-history-dicomo = [[DICOMO 2022 招待講演アウトライン]]
outline-reliability-history-roadmap = [[2007__FOSE__Software Reliability Engineering - A Roadmap]]
outline-reliability-history-metrics = システムトップレベルの目標指標、システムボトムアップ
outline-systematization = テレメトリー技術の体系化
outline-frontier = テレメトリーの未開拓地
# AUTHOR: これも非公開ノートのタイトルです。英語では "My research objectives for
# 2025"(代替案 outline-alt-frontier-purpose)としてよいですか?
outline-frontier-purpose = [[2025年度版研究目的]]
outline-frontier-adjacent = SREの隣接分野におけるテレメトリー
outline-key-messages = Key messages
# AUTHOR: 「極論」は英語で "put bluntly"(あえて単純化して言えば)と訳しました。
# 「要するに〜に尽きる」の意味であれば、代替案 outline-alt-key-granularity に切り替えます。
outline-key-granularity = オブザーバビリティを高める => 極論 データを細粒度化・切り口を増やすこと
outline-key-see-invisible = 目に見えないものをみる力。理論と計測からメンタルモデルを構築。
outline-key-expertise = 信頼性とテレメトリーを軸とした専門性とはなにか?
outline-key-expertise-cross-domain = Webアプリケーションに加えて、クラウド(ネットワークやストレージ)、HPCクラスタなど、領域横断であること。
outline-key-expertise-general = 「信頼性」と「テレメトリー」は工学一般に通用する。
outline-key-expertise-fun = 分野横断の軸をもつことのおもしろさ
outline-key-expertise-workload = 信頼性もテレメトリーも、対象システムの機序、ワークロードを理解していなければならない。
outline-key-specialize = テレメトリー技術を専門とするとはどういうことか?
outline-key-specialize-future = 未来から時間が流れてくるイメージ
outline-closing = 最後に [[Ironies of Automation]]
# AUTHOR: 「循環構造」は自律的に回り続ける循環(self-sustaining cycle)と訳しました。
# 制御工学でいうフィードバックループ(テレメトリー→自動制御→テレメトリー)の意味で
# あれば、代替案 outline-alt-closing-cycle に切り替えます。
outline-closing-cycle = いかに循環構造を導くか
