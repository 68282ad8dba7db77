"""The wire: what crosses the sandbox boundary, and the only code both sides share.

``codec`` encodes values as JSON plus raw array bytes (never pickle) and decodes them strictly;
``jobs`` holds what is sent (source chunks, jobs: calls in the child's format) and what comes back
(outcomes, read strictly). Nothing here imports anything else of the grader: the child loads
``codec.py`` by its path, and every other package may import this one.
"""
