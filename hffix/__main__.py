"""``python -m hffix``."""

from hffix.cli import main

raise SystemExit(main())
