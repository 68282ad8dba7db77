"""Reports: the frozen, versioned models of what grading found (``results``), values as a person
reads them (``values``), and the renderers, pure functions from a report to text: JSON,
Gradescope, JUnit (``render``), the terminal (``terminal``), HTML for a notebook (``html``), in
the report's language (``i18n``)."""
