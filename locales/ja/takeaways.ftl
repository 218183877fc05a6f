### Japanese source of the talk proposal. Keep the author's wording,
### punctuation and typos character for character; notes for the author are
### comments starting with "AUTHOR:".

takeaway-1 = エンジニアにとって見慣れた技術を、学術的視点とWebアプリ以外のシステムを加えた混合的切り口をとおしてみえる世界
