"""HF002: code that starts its own server (``uvicorn.run``)."""

from __future__ import annotations

from hffix.findings import FixSafety, Status
from hffix.fixes import Fix, ReplaceModule
from hffix.python import edits
from hffix.python.servers import (
    imports_server,
)
from hffix.rules.base import Example, Rule, RuleContext

NEEDLES = ("uvicorn", "hypercorn")


class ServerStartCall(Rule):
    """
    ## What it does
    Finds calls that start an ASGI server from Python code: `uvicorn.run(...)` through any
    import form (`import uvicorn as uv`, `from uvicorn import run as serve`, ...),
    `uvicorn.Server(config).run()` / `.serve()` (also awaited or passed to `asyncio.run`),
    and hypercorn's `serve`, wherever they are: module level, functions, `__main__` blocks
    and `__main__.py` modules. The call is removed, with the `uvicorn.Config` /
    `uvicorn.Server` objects that only fed it and the imports that become unused.

    ## Why it matters
    SP-HF-04: `main.py` MUST NOT call `uvicorn.run()`. The Space starts the ASGI `app`
    itself; a second server started at import time binds a port the platform does not
    route to, blocks the import, and crashes the Space (SP-HF-09, "App crash").

    ## Example
    ```python
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()
    uvicorn.run(app, host="0.0.0.0", port=8000)
    ```
    becomes
    ```python
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Fix safety
    Safe. The call only ever starts a server, which the Space does instead. A call used as
    a value (`return uvicorn.run(...)`, `x = uvicorn.run(...)`) is reported and left alone;
    a block whose only statement was the call keeps a `pass`. Comments not attached to
    the removed lines are kept. Suppress with `# hffix: ignore[HF002]` on the call's line.
    """

    code = "HF002"
    name = "server-start-call"
    spec = "SP-HF-04"
    MESSAGE = "`{call}` starts its own server; the Space serves `app` itself"
    fixes = (FixSafety.SAFE, FixSafety.DISPLAY_ONLY)

    VALID = (
        Example.module(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/')\ndef root():\n"
            "    return {'status': 'ok'}\n"
        ),
        Example.module('HELP = "run with uvicorn.run(app)"\n'),
    )
    INVALID = (
        Example.module(
            "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
            "uvicorn.run(app, port=8000)\n",
            "from fastapi import FastAPI\n\napp = FastAPI()\n",
            codes=["HF002"],
        ),
        Example.module(
            "from uvicorn import run as serve\n\n\ndef start():\n    serve('main:app')\n",
            "def start():\n    pass\n",
            codes=["HF002"],
            path="server.py",
        ),
        Example.module(
            "import uvicorn\n\n\nasync def main(app):\n"
            "    config = uvicorn.Config(app, port=8000)\n"
            "    server = uvicorn.Server(config)\n"
            "    await server.serve()\n",
            "async def main(app):\n    pass\n",
            codes=["HF002"],
            path="serve.py",
        ),
    )

    def run(self, ctx: RuleContext) -> None:
        for path, _text in ctx.python_files(*NEEDLES):
            syntax = ctx.syntax(path)
            if syntax is not None and syntax.tree is not None and not imports_server(syntax.tree):
                continue  # mentions uvicorn, imports none of it: no need for the slow parse
            if not ctx.in_space(path):
                continue  # a dev script or another service: the Space never runs it
            module = ctx.parse(path)
            if module is None:
                continue
            from hffix.rules.hf002_transform import StripServerStarts  # imports libcst

            transformer = StripServerStarts(ctx, path, module)
            result = edits.tidy_module_start(module, module.visit(transformer))
            # One rewritten module resolves every start it removed; it changes how the
            # repository starts, so it waits for the app to be chosen (HF001).
            fix = Fix.safe(ReplaceModule(path, result), startup=True)
            for issue in transformer.issues:
                if issue.status is Status.MANUAL:
                    ctx.report(
                        path, issue.message, status=Status.MANUAL, line=issue.line, col=issue.col
                    )
                else:
                    ctx.report(
                        path,
                        issue.message,
                        fix=fix,
                        subject=issue.message.split(";")[0],
                        line=issue.line,
                        col=issue.col,
                    )
