## English translation of the headings and labels the documents use around
## the author's text (locales/ja/headings.ftl).

heading-abstract = Abstract
heading-outline = Outline
heading-takeaways = Key Takeaways
# Title of the document that lists every title candidate.
heading-titles = Title Candidates
heading-related = Related Material
# Shown after the chosen title in the list of title candidates.
titles-chosen-label = Selected
