"""The application layer: one function per thing a user does, shared by the CLI (regdoc.cli) and the browser
workspace (regdoc.web).

Each function takes plain arguments (the data root, dates, ids, the bytes of an upload) and returns a plain result
or raises RegdocError. None prints, parses arguments or knows about HTTP: a CLI command or a web route is a few
lines around one call. Modules: check, versioning, scoring, resolutions, documents; workspace holds the loaded data
tree of a root.
"""
