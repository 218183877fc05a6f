### English translation of the Japanese talk proposal (locales/ja). The
### Japanese files are the source; notes for the author are comments starting
### with "AUTHOR:".

# Literally: "the world you see when you look at technologies familiar to
# engineers from a mixed angle that adds an academic perspective and
# systems other than web apps".
takeaway-1 = A new view of technologies engineers already know well, from an angle that combines an academic perspective with systems beyond web applications
