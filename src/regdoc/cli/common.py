"""What every command module of the CLI shares: exit codes and whether to colour output."""
from __future__ import annotations

import sys

EXIT_OK, EXIT_ERROR = 0, 1

def use_colour(stream=None) -> bool:
    """Return whether to colour output (to `stream`, by default the current stdout): only on a terminal, never
    with NO_COLOR set."""
    import os

    stream = stream if stream is not None else sys.stdout  # the stdout of now, not of when this was imported
    return stream.isatty() and not os.environ.get("NO_COLOR")
