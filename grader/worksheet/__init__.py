"""A worksheet: its models and spec files, its trusted side (reference, generators, predicates,
known mistakes) and what is computed from them once per seed: the cases and the answer table, and
kits (the table of the public seed, in a file students get).

``models`` and ``loading`` read a spec; ``reference`` and ``mistakes`` load the trusted modules
(in the grading process only); ``cases`` draws a check's cases and runs the reference on them;
``formula_table`` the points where formula answers are judged; ``table`` the whole answer table;
``kit`` writes and reads it.
"""
