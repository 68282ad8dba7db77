"""The grading server: a process of the student's own that keeps the grader's modules imported,
the kits read and a sandbox fork server warm, so that ``grade FILE`` run again while working on a
sheet answers in about a tenth of a second instead of half a second.

``address`` says where it listens (a socket in a folder only its user can open) and what it is
(the grader's version and files: an upgraded or edited grader never meets an older server),
``daemon`` serves, ``client`` asks. The server grades exactly as ``grade FILE`` does, with the same
sandbox; what it changes is what is already loaded. It stops after a while unused.
"""
