"""Running hffix over many repositories: the worker pool and Dask (:mod:`.runner`), the
``--report`` JSON lines file and ``--resume`` (:mod:`.report`), and ``--commit``
(:mod:`.commit`). One repository's run is :func:`hffix.api.fix`; nothing here knows a rule.
"""

# The branch ``--commit`` commits to; here, not in :mod:`.commit`, because the command
# line's help names it at every start and ``.commit`` (git, hashlib) loads only for a commit.
DEFAULT_BRANCH = "hffix/spaces-compliance"
