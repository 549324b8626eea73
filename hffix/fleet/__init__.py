"""Running hffix over many repositories: the worker pool and Dask (:mod:`.runner`), the
``--report`` JSON lines file and ``--resume`` (:mod:`.report`), and ``--commit``
(:mod:`.commit`). One repository's run is :func:`hffix.api.fix`; nothing here knows a rule.
"""
