### Japanese source of the talk proposal. Keep the author's wording,
### punctuation and typos character for character; notes for the author are
### comments starting with "AUTHOR:".

## Abstract, revised second draft: the one to submit (800 characters at most).

abstract-p1 = 講演者は、エンジニアと研究者という異なる立場を歩みながらも、一貫してSRE(Site Reliability Engineering)の探究に取り組んできました。SREの根幹をなすモニタリング・オブザーバビリティ、そしてその基礎であるテレメトリーは、信頼性と同様に工学全般に通底する概念でありながら、ソフトウェアエンジニアリング特有の多様な特性を持つ奥深い研究領域です。

abstract-p2 = エンジニアとしては、社内向けモニタリングシステムの開発、モニタリングSaaSのシステム設計・運用、時系列データベースの開発に従事してきました。その後、研究者に転身し、時系列データベース、eBPFベースのネットワークトレーシング、機械学習を用いたメトリクス分析のAIOpsなどの研究に取り組み、テレメトリーを主軸に博士論文をまとめ上げて学位を取得しました。現在は、多数のGPUから構成される分散AI学習基盤のためのテレメトリーをテーマとした研究開発に携わっています。

abstract-p3 = 本講演では、これまでの実務経験と学術研究を振り返りながら、テレメトリーを専門とすることの意義とおもしろさ、テレメトリーの一般的な歴史と自分史、そして最新の研究動向を踏まえたテレメトリー分野の未開拓領域と今後の研究構想について紹介いたします。

## Abstract, first draft: kept so nothing the author wrote is lost;
## no document uses it.

abstract-draft1-p1 = 講演者はエンジニアと研究者と立場をかえながらもこれまで一貫してSRE(Site Reliability Engineering)を探究し続けてきました。SREの根幹であるモニタリング・オブザーバビリティのそのさらに基礎であるテレメトリー技術は、信頼性同様に工学一般に通底する概念でありつつも、ソフトウェア工学にしかみられない様々な特性をもつ奥深い領域です。

abstract-draft1-p2 = 講演者は、社内向けモニタリングシステムの開発、モニタリングSaaSのシステム設計と運用、時系列データベースの開発、そこから研究開発に転じて、時系列データベース、eBPFに基づくネットワークトレーシング、メトリクスベースのAIOpsなどに取り組み、テレメトリーシステムの研究として博士論文をまとめ、博士学位を取得しました。現在は、多数のGPUから構成される分散AI学習基盤のためのテレメトリーシステムをテーマに研究開発に取り組んでいます。

abstract-draft1-p3 = 本講演では、これら実務と学術の経験を振り返りながら、テレメトリーに専門性をもつこととその意味、テレメトリーにおける一般的な歴史と自分史、最新の研究動向を踏まえたテレメトリー領域の未開拓領域と自身が取り組む研究構想を紹介します。

