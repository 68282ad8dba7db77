"""Where student code runs: sandboxed children, and the only package that starts processes.

The parent side: ``box`` (a submission's children over one or more rounds of calls), ``supervisor``
(one child's life: its time limits, its answers), ``request`` (what a child reads first),
``outcome`` (what the parent makes of what it sent), ``launch`` (a fresh interpreter, or one
started ahead), ``forkserver`` (a pre-warmed process that forks children), ``reaping`` (killing
everything a child started) and ``hiding`` (what a child must not see). The child side is
``child/``, run as scripts in the child and the fork server: it imports nothing of the grader but
``wire/codec.py``, loaded by its path.

Nothing is imported here: ``grade FILE`` imports ``launch`` first thing, to start its child while
the rest of the grader (pydantic, numpy) is still being imported.
"""
