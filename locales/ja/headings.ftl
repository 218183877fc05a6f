## Headings and labels the documents use around the author's text.

heading-abstract = 講演概要
heading-outline = アウトライン
heading-takeaways = 持ち帰れること
heading-titles = 講演タイトル
heading-related = 関連資料
# Shown after the chosen title in the list of title candidates.
titles-chosen-label = 採用
