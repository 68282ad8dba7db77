"""The teacher's review page (``grade review``): grading by hand in a local browser page."""
