"""People across the whole archive: one person, one value (issue 13).

Extraction resolves names within one article (``indexer.extract.people``); what one
article cannot know, the archive can: that the "Reagan" of 350 stories is the "Ronald
Reagan" of 24 others, that "Ivan F. Boesky" and "Ivan Boesky" are one man, and which
"Baker" a story about the Treasury means. ``table`` decides this from what every article
keeps (its people as extracted, the words titling them, its places and date); ``run``
applies it at the end of each indexing run, on either engine.
"""
