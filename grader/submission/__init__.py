"""A student's file, read but never run: a ``.py`` or ``.ipynb`` turned into source chunks for the
child (``files``, ``notebook``), and the markdown sections where free-text answers are
(``freetext``)."""
