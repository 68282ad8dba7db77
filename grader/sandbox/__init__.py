"""Where student code runs: sandboxed children, and the only package that starts processes.

The parent side: ``box`` (a submission's children over one or more rounds of calls), ``supervisor``
(one child's life: its request, its answers, its time limits), ``launch`` (starting and killing
children: a fresh interpreter, one started ahead, or a fork server) and ``hiding`` (what a child
must not see). The child side is ``child/``, run as scripts in the child and the fork server: it
imports nothing of the grader but ``wire/codec.py``, loaded by its path.
"""

from .box import Sandbox, SandboxResult, run_in_sandbox

__all__ = ["Sandbox", "SandboxResult", "run_in_sandbox"]
