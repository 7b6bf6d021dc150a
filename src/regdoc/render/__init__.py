"""Official documents: pure context builders (one module per document) and the writers.

- `resolution`, `regulation`, `results`: model values -> plain dicts of strings and lists that the docxtpl
  templates under `templates/<lang>/` lay out; every language rule comes from `regdoc.phrasing`.
- `parallel`: Kazakh and Russian contexts of one document -> rows for the two-column bilingual review document.
- `comparison`: an amendment -> the rows of its comparison table (current and proposed wording, RichText).
- `redline`: two editions -> the consolidated Regulation of the later one with every difference a tracked change
  (a value: paragraphs and rows of inserted, deleted and kept runs); `tracked` writes it as native Word
  revisions (w:ins / w:del) on the Regulation's template.
- `packet`: which documents `regdoc build` makes, from which data and templates (pure).
- `docx`: rendering through a sandboxed Jinja environment, core properties, reproducible and atomic writes.
- `pdf`: conversion of a batch of .docx files with one LibreOffice process.
- `templates`: the check that every template opens, uses only what its context provides, splits no tag.

The writers import docx/docxtpl lazily so that importing this package stays cheap.
"""
