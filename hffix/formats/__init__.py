"""File formats read by more than one part of hffix, each parsed in one place.

- :mod:`~hffix.formats.dockerfile`: Dockerfiles (instructions, stages, variables, ``COPY``),
  read by HF001's run commands and by HF006/HF007's harvest.
- :mod:`~hffix.formats.requirements`: pip requirements files (lines, options, includes,
  markers; merging that keeps the file's own lines), read by HF006, HF007, HF010, the
  hoist and ``hffix verify``.
"""
