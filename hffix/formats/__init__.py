"""File formats read by more than one part of hffix, each parsed in one place.

- :mod:`~hffix.formats.dockerfile`: Dockerfiles (instructions, stages, variables, ``COPY``),
  read by HF001's run commands and by HF006/HF007's harvest.
"""
