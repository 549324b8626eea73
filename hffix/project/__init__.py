"""What a repository says about itself: where its FastAPI app is and how it is started.

The modules here only read; the rules (HF001, HF008) decide and edit.

- :mod:`~hffix.project.layout`: files and folders of the repository as Python sees them
  (modules, packages, namespace packages, names that cannot be imported).
- :mod:`~hffix.project.runcommands`: run commands from Dockerfiles, Procfiles, Makefiles,
  shell scripts and ``pyproject.toml``, and the server launches they contain.
- :mod:`~hffix.project.pysummary`: one Python module's app-related facts, from :mod:`ast`.
- :mod:`~hffix.project.apps`: every FastAPI app in the repository, grouped by the object
  they are, and which app mounts or wraps which.
- :mod:`~hffix.project.choice`: which app the Space should serve, and why.
- :mod:`~hffix.project.importroot`: the folder the app's absolute imports resolve from.
- :mod:`~hffix.project.frontmatter`: README.md front matter, read and edited line by line.
"""
