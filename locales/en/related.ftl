### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

## Related material: talks the author lists as references. URLs are kept
## exactly; link text is translated, with a Japanese title also given in
## romanized form so the original can be recognized (Japanese script in the
## English would be flagged by `talkdoc check` as untranslated, C010).
## "(in Japanese)" after a link marks talks given in Japanese.
## "\|" is a Markdown-escaped "|" inside the link text.

# Japanese title: "Keiei, Ishi, Enjiniaringu" (management, will, engineering).
related-1 = [Keiei, Ishi, Enjiniaringu (Management, Will, and Engineering) by Yuki Matsumoto \| Talk \| YAPC::Hiroshima 2024 #yapcjapan - fortee.jp](https://fortee.jp/yapc-hiroshima-2024/proposal/a3205912-65d1-4bd0-b3d7-1824747e927a) (in Japanese)
related-2 = [Keiei, Ishi, Enjiniaringu (Management, Will, and Engineering) - YouTube](https://www.youtube.com/watch?v=wQIKKO0t-ec) (in Japanese)
related-3 = [Develop to Survive - YAPC::Hakodate 2024 Keynote - Speaker Deck](https://speakerdeck.com/moznion/develop-to-survive-yapc-hakodate-2024-keynote) (in Japanese)
