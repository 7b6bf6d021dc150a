"""regdoc: the Regulation and its evaluation criteria as versioned data, and the official documents made from them."""

__version__ = "0.1.0"

from regdoc import dataclass_methods  # noqa: E402  (the methods of regdoc's dataclasses, compiled once)

dataclass_methods.install()
