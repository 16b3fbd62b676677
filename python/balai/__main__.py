"""``python -m balai``: the same as the ``balai`` command."""

from balai.cli import main

raise SystemExit(main())
