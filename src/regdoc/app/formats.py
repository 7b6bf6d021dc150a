"""The choices a user has, named once for the CLI's arguments and the browser's forms (no heavy import here, so
that `regdoc --help` stays fast)."""
from __future__ import annotations

LANGS = ("kk", "ru")  # the languages of documents and data views, Kazakh first
DOCUMENT_LANGS = ("kk", "ru", "both")
VIEW_FORMATS = ("text", "md", "json")
DIFF_FORMATS = VIEW_FORMATS + ("html",)
SCORE_FORMATS = ("text", "md", "json", "csv", "xlsx")
EXPLAIN_FORMATS = ("text", "md", "json", "csv")
TEMPLATE_FORMATS = ("xlsx", "csv")
REGISTER_FORMATS = ("text", "md", "json", "xlsx")
DOCUMENTS = ("resolution", "regulation", "results", "comparison", "register")
