"""Judging: from what the child answered and the answer table to scored results.

``plan`` turns a check's cases into the child's jobs; ``checks`` judges each kind of check;
``compare`` and ``stats`` decide values and samples; ``feedback`` finds the known mistakes that
explain a failure; ``shrink`` and ``gradcheck`` prepare the second pass (smaller failing inputs, the
gradient diagnosis); ``formulas`` judges formula answers; ``assemble`` is the glue from one sandbox
run to results. Nothing here starts a process or needs the reference.
"""
