"""regdoc: the Regulation and its evaluation criteria as versioned data, and the official documents made from them."""

__version__ = "0.1.0"
