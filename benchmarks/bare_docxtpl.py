#!/usr/bin/env python3
"""The baseline of bench_build: bare docxtpl (and, for the redline, bare python-docx) doing the same work as
`regdoc build`, from contexts dumped once to JSON by bench_build.

    python benchmarks/bare_docxtpl.py CONTEXTS.json OUT

For each document: a docxtpl template rendered with its context (`render(context, autoescape=True)`) and saved;
for a redline (which regdoc writes with python-docx on the Regulation's template, not with docxtpl), the
template opened with python-docx, its body replaced by the dumped body and saved. A RichText value is dumped as
{"__richtext__": its XML}.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _revive(value):
    from docxtpl import RichText

    if isinstance(value, dict):
        if set(value) == {"__richtext__"}:
            rt = RichText()
            rt.xml = value["__richtext__"]
            return rt
        return {k: _revive(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_revive(v) for v in value]
    return value


def main() -> int:
    contexts, out = Path(sys.argv[1]), Path(sys.argv[2])
    from docxtpl import DocxTemplate

    for job in json.loads(contexts.read_text(encoding="utf-8")):
        if "body" in job:
            import docx
            from lxml import etree

            doc = docx.Document(job["template"])
            body = doc.element.body
            for child in list(body):
                body.remove(child)
            for child in etree.fromstring(job["body"].encode("utf-8")):
                body.append(child)
            doc.save(str(out / job["filename"]))
            continue
        tpl = DocxTemplate(job["template"])
        tpl.render(_revive(job["context"]), autoescape=True)
        tpl.save(str(out / job["filename"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
