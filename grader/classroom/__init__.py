"""A whole class: finding its submissions in a folder or an LMS download (``discover``), grading
them in parallel (``bulk``, ``pools``), every student the output folder knows (``classroll``), the
LMS's rosters (``roster``), gradebooks (``gradebook``) and the class summary (``summary``)."""
