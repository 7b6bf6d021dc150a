"""Official documents: pure context builders (one module per document) and the writers.

- `resolution`, `regulation`, `results`: model values -> plain dicts of strings and lists that the docxtpl
  templates under `templates/<lang>/` lay out; every language rule comes from `regdoc.phrasing`.
- `parallel`: Kazakh and Russian contexts of one document -> rows for the two-column bilingual review document.
- `comparison`: an amendment -> the rows of its comparison table (current and proposed wording, RichText).
- `redline`: two editions -> the consolidated Regulation of the later one with every difference a tracked change
  (a value: paragraphs and rows of inserted, deleted and kept runs); `tracked` writes it as native Word
  revisions (w:ins / w:del) on the Regulation's template.
- `register`: a year's rows of the register of resolutions (regdoc.registry.register) -> the context of its .docx table.
- `packet`: which documents `regdoc build` and `regdoc render` make, from which data and templates (pure); the
  register is rendered on its own (`regdoc render register YEAR`), not in the packet of one resolution.
- `writer`: rendering through a sandboxed Jinja environment, reproducibly: the tree path (docxtpl's, one parse of
  the whole body) and, for a large body, the streaming writer (the body rendered, fixed, tagged and packed piece by
  piece); `tables`: the grids and widths of tables after docxtpl's loops; `wordml`: Word's own structure (core
  properties, the language of every run, compatibility mode, document id); `output`: the files written atomically.
- `pdf`: conversion of a batch of .docx files with one LibreOffice process.
- `templates`: the check that every template opens, uses only what its context provides, splits no tag.

The writers import docx/docxtpl lazily so that importing this package stays cheap.
"""
