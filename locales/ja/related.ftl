### Japanese source of the talk proposal. Keep the author's wording,
### punctuation and typos character for character; notes for the author are
### comments starting with "AUTHOR:".

## Related material: talks the author lists as references.

related-1 = [経営・意思・エンジニアリング by 松本 勇気 \| トーク \| YAPC::Hiroshima 2024 #yapcjapan - fortee.jp](https://fortee.jp/yapc-hiroshima-2024/proposal/a3205912-65d1-4bd0-b3d7-1824747e927a)
related-2 = [経営・意思・エンジニアリング - YouTube](https://www.youtube.com/watch?v=wQIKKO0t-ec)
related-3 = [Develop to Survive - YAPC::Hakodate 2024 Keynote - Speaker Deck](https://speakerdeck.com/moznion/develop-to-survive-yapc-hakodate-2024-keynote)
