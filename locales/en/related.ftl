### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

## Related material: talks the author lists as references. URLs are kept
## exactly; link text is translated, and "(in Japanese)" marks talks given in
## Japanese. "\|" is a Markdown-escaped "|" inside the link text.

# Japanese title: "Keiei, Ishi, Enjiniaringu" (management, will, engineering).
related-1 = [Management, Will, and Engineering by Yuki Matsumoto \| Talk \| YAPC::Hiroshima 2024 (in Japanese) - fortee.jp](https://fortee.jp/yapc-hiroshima-2024/proposal/a3205912-65d1-4bd0-b3d7-1824747e927a)
related-2 = [Management, Will, and Engineering (in Japanese) - YouTube](https://www.youtube.com/watch?v=wQIKKO0t-ec)
related-3 = [Develop to Survive - YAPC::Hakodate 2024 Keynote (in Japanese) - Speaker Deck](https://speakerdeck.com/moznion/develop-to-survive-yapc-hakodate-2024-keynote)
