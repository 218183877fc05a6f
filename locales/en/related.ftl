### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

## Related material: talks the author lists as references. URLs are kept
## exactly; link text is translated. A talk with a Japanese title also gives
## that title in Japanese script after the link, so the original can be
## searched for (listed under [check] allow_source_script).
## "(in Japanese)" after a link marks talks given in Japanese.
## "\|" is a Markdown-escaped "|" inside the link text.

related-1 = [Management, Will, and Engineering by Yuki Matsumoto \| Talk \| YAPC::Hiroshima 2024 #yapcjapan - fortee.jp](https://fortee.jp/yapc-hiroshima-2024/proposal/a3205912-65d1-4bd0-b3d7-1824747e927a) (in Japanese; original title: 経営・意思・エンジニアリング)
related-2 = [Management, Will, and Engineering - YouTube](https://www.youtube.com/watch?v=wQIKKO0t-ec) (in Japanese; original title: 経営・意思・エンジニアリング)
# AUTHOR: "(in Japanese)" is the translator's mark, not in your list: the
# keynote was given in Japanese at YAPC::Hakodate, but its title is English.
# If the slides are in English, should the mark go?
related-3 = [Develop to Survive - YAPC::Hakodate 2024 Keynote - Speaker Deck](https://speakerdeck.com/moznion/develop-to-survive-yapc-hakodate-2024-keynote) (in Japanese)
