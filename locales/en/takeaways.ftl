### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

# Literally: "the world you see when you look at technologies familiar to
# engineers through a hybrid lens that adds an academic perspective and
# systems other than web apps".
takeaway-1 = A fresh look at technologies engineers already know well, through a hybrid lens that adds an academic perspective and systems beyond web applications
