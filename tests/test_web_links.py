"""The problems `check` finds, on the home page and the broken-tree page, link to the data file at their line and to
what they concern (a unit's history, an indicator, a resolution, an organisation; for an editor the form that edits
it); the file page shows only files the workspace lists."""
from __future__ import annotations

import re

import pytest
from datatree import edit

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402
from test_web_editing import signed_in  # noqa: E402

from regdoc.app.workspace import data_tree  # noqa: E402
from regdoc.web.links import concerns, file_link  # noqa: E402
from regdoc.web.server import create_app  # noqa: E402


def client(root) -> TestClient:
    return TestClient(create_app(root), raise_server_exceptions=False, headers={"Accept-Language": "en"})


def links_of(html: str) -> list[str]:
    return [re.sub(r"&amp;", "&", h) for h in re.findall(r'<span class="links">(.*?)</span>', html, re.S)]


def test_the_shipped_warnings_link_to_their_file_line_and_what_they_concern(tree):
    html = client(tree).get("/").text
    links = links_of(html)
    assert len(links) == 2
    amendment, resolution = links
    assert 'href="/files/regulation/versions/2026-02-20.yaml#L18"' in amendment
    assert 'href="/compare?from=2023-03-01&to=2026-02-20"' in amendment
    assert 'href="/amendments/compose?name=2026-02-20"' in amendment  # the local user is an editor
    assert 'href="/files/resolutions/2026/2026-02-20-9-7.yaml#L19"' in resolution
    assert 'href="/resolutions/2026-02-20-9-7"' in resolution
    assert 'href="/edit/resolutions/2026-02-20-9-7"' in resolution


def test_every_link_of_the_home_page_problems_leads_to_a_page(tree):
    c = client(tree)
    for block in links_of(c.get("/").text):
        for href in re.findall(r'href="([^"]+)"', block):
            assert c.get(href.split("#")[0]).status_code == 200, href


def test_a_broken_operation_links_to_its_line_and_to_the_operation_in_the_editor(tree):
    line = edit(tree / "regulation/versions/2026-02-20.yaml", 'target: "4.2"', 'target: "4.99"')
    c = client(tree)
    r = c.get("/")
    assert r.status_code == 503
    block = next(b for b in links_of(r.text) if "4.99" not in b and f"#L{line}" in b)
    assert f'href="/files/regulation/versions/2026-02-20.yaml#L{line}"' in block
    assert re.search(r'href="/amendments/compose\?name=2026-02-20#op-\d"', block)
    page = c.get("/files/regulation/versions/2026-02-20.yaml")
    assert page.status_code == 200
    assert f'<tr id="L{line}" class="marked">' in page.text and "4.99" in page.text


def test_a_bad_report_links_to_the_organisation_and_the_ranking(tree):
    line = edit(tree / "evaluations/2025/evaluation.yaml", "    staff: 65160", '    staff: "many"')
    c = client(tree)
    block = next(b for b in links_of(c.get("/").text) if "evaluation.yaml" in b)
    assert f'href="/files/evaluations/2025/evaluation.yaml#L{line}"' in block
    assert 'href="/organisations/astana-akmola?year=2025"' in block
    assert 'href="/evaluations/2025"' in block


def test_a_viewer_gets_no_editor_links(tree, users):  # noqa: F811
    c = signed_in(tree, users, "viktor", "another long secret")
    html = c.get("/").text
    assert 'href="/resolutions/2026-02-20-9-7"' in html
    assert "/amendments/compose" not in html and "/edit/resolutions" not in html


def test_units_and_indicators_lead_to_their_history_and_appendix_row(tree):
    t = data_tree(tree)
    unit = t.initial.units[5].id
    hrefs = [link.href for link in concerns("regulation/versions/2023-03-01.yaml", "units[5].text.kk", t, False)]
    assert hrefs == [f"/history/{unit}"]
    k = next(i for i, op in enumerate(t.amendment("2026-02-20").ops) if op.op == "replace_appendix")
    hrefs = [link.href for link in concerns("regulation/versions/2026-02-20.yaml", f"ops[{k}].criteria", t, True)]
    assert hrefs == ["/regulation?date=2026-02-20#appendix", f"/amendments/compose?name=2026-02-20#op-{k}"]
    assert concerns("organisations/organisations.yaml", "organisations[1].names", t, False)[0].href == \
        f"/organisations/{t.organisations[1].id}"
    assert concerns(None, None, t, True) == []
    assert file_link("regulation/versions/2026-02-20.yaml", None).href == "/files/regulation/versions/2026-02-20.yaml"


@pytest.mark.parametrize("url", ["/files/../pyproject.toml", "/files/%2e%2e/pyproject.toml",
                                 "/files/regulation/../pyproject.toml", "/files/regulation", "/files/templates/kk",
                                 "/files//etc/passwd", "/files/regulation/versions/2099-01-01.yaml"])
def test_the_file_page_shows_only_files_the_workspace_lists(tree, url):
    assert client(tree).get(url).status_code == 404
