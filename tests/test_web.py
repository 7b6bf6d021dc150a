"""The browser workspace over HTTP (Starlette's TestClient): every route, every interface language, the security
headers, sessions, CSRF, accounts and sign-in limits, and the errors (unknown ids, bad dates, a broken data tree,
hostile text, path-like ids)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from datatree import REPO, edit

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from regdoc.app.accounts import add_user  # noqa: E402
from regdoc.web.server import create_app  # noqa: E402

READ_PAGES = [
    "/",
    "/regulation",
    "/regulation?date=2025-06-01&doc=ru",
    "/regulation?date=2026-02-20&doc=both",
    "/history/4.2",
    "/history/4.2?a=0&b=1&doc=both",
    "/compare",
    "/compare?from=2026-02-19&to=2026-02-20",
    "/compare?from=2025&to=2026&doc=ru",
    "/resolutions",
    "/resolutions?year=2026&doc=both",
    "/resolutions/2026-02-20-9-7",
    "/resolutions/2026-02-20-9-7?doc=both",
    "/evaluations/2025",
    "/evaluations/2025?sort=legal.returned_funds&doc=ru",
    "/evaluations/2025?sort=main",
    "/organisations/aktobe",
    "/organisations/aktobe?year=2025&doc=both",
]


def client(root: Path = REPO, **kwargs) -> TestClient:
    # The tests read the interface's English text (the source of the catalogs): a browser asking for English; a
    # request may still ask for another language with its own Accept-Language or the language cookie.
    return TestClient(create_app(root, **kwargs), raise_server_exceptions=False, headers={"Accept-Language": "en"})


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


@pytest.fixture(scope="module")
def c() -> TestClient:
    return client()


@pytest.mark.parametrize("url", READ_PAGES)
def test_every_read_page_answers_with_the_security_headers(c: TestClient, url: str):
    r = c.get(url)
    assert r.status_code == 200, r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in r.text and " on" + "click=" not in r.text  # no inline script anywhere
    assert r.text.count("<h1") == 1


def test_home_shows_the_regulation_resolution_ranking_and_check_warnings(c: TestClient):
    html = c.get("/?doc=kk").text
    assert "Мүшелік ұйымдардың қызметін жыл сайынғы бағалау жүйесі туралы ереже" in html
    assert "20.02.2026 ж. № 9, 7-т." in html  # the last amendment's and the latest resolution's number
    assert "/evaluations/2025" in html and "100" in html  # the latest ranking's prize places
    assert "items are numbered 1, 3, 4, 5, 6" in html  # check's warning, with its file
    assert "resolutions/2026/2026-02-20-9-7.yaml" in html


def test_the_regulation_at_a_date_in_each_document_language(c: TestClient):
    kk = c.get("/regulation?date=2025-06-01&doc=kk").text
    ru = c.get("/regulation?date=2025-06-01&doc=ru").text
    both = c.get("/regulation?date=2025-06-01&doc=both").text
    assert 'lang="kk"' in kk and 'lang="ru"' not in kk.split("<main")[1]
    assert "Положение о системе ежегодной оценки деятельности членских организаций" in ru
    assert 'lang="kk"' in both.split("<main")[1] and 'lang="ru"' in both.split("<main")[1]
    assert 'href="/history/4.2?doc=kk"' in kk  # each unit links to its history
    assert "<table" in kk and "Maximum points" in kk  # Appendix 1 as a table
    after = c.get("/regulation?date=2026-02-20&doc=ru").text
    assert "Сноска. Пункт 4.2" in after  # the amendment notes


def test_a_bad_date_is_a_400_page_naming_it(c: TestClient):
    for value in ("2025-13-01", "xx", "1900-01-01", "../../etc/passwd", "<script>"):
        r = c.get("/regulation", params={"date": value})
        assert r.status_code == 400, value
        assert "<script>" not in r.text.split("<main")[1]


def test_the_history_of_4_2_and_its_two_wordings_compared(c: TestClient):
    html = c.get("/history/4.2?doc=kk").text
    assert html.count('class="timeline"') == 1 and html.count("<li id=\"w") == 2
    assert "/resolutions/2026-02-20-9-7" in html
    compared = c.get("/history/4.2?a=0&b=1&doc=kk").text
    assert "<ins>" in compared and "<del>" in compared


@pytest.mark.parametrize("url", ["/history/9.9", "/resolutions/2026-02-20-9-8", "/resolutions/..%2F2026",
                                 "/resolutions/2026-02-20-9-7.yaml", "/evaluations/2024", "/evaluations/%2e%2e",
                                 "/organisations/nobody", "/organisations/..%2F..%2Fetc", "/organisations/aktobe?year=2019", "/history/..%2F..%2Fetc%2Fpasswd", "/history/4.2%00",
                                 "/history/regulation.yaml", "/nowhere", "/static/../pyproject.toml"])
def test_unknown_and_path_like_ids_are_404(c: TestClient, url: str):
    r = c.get(url)
    assert r.status_code == 404
    assert "[build-system]" not in r.text and "root:" not in r.text


def test_the_register_filtered_by_year_and_a_resolution_with_its_amending_text(c: TestClient):
    html = c.get("/resolutions?year=2026&doc=kk").text
    assert "20.02.2026 ж. № 9, 7-т." in html and "/resolutions/2026-02-20-9-7" in html
    assert "2026-02-20" not in c.get("/resolutions?year=2025").text.split("<tbody>")[1]
    assert c.get("/resolutions?year=20x6").status_code == 400
    both = c.get("/resolutions/2026-02-20-9-7?doc=both").text
    assert "келесі редакцияда мазмұндалсын" in both and "изложить в следующей редакции" in both
    assert both.index('lang="kk"', both.index("<main")) < both.index('lang="ru"', both.index("<main"))
    assert "/documents/2026-02-20-9-7" in both
    assert "Item 1" in both and "Item 2" not in both  # the items keep their issued numbers (no item 2)


def test_the_ranking_with_places_blocks_totals_prizes_rewards_and_sorting(c: TestClient):
    html = c.get("/evaluations/2025?doc=kk").text
    body = html.split("<tbody>")[1]
    assert body.count("<tr") >= 10 and body.count('class="prize"') == 3
    assert "100201" in body.replace("\u00a0", "").replace(" ", "") or "100201" in body
    by_indicator = c.get("/evaluations/2025?sort=legal.returned_funds").text
    ranks = [int(x) for x in re.findall(r'<td class="num rank">(\d+)</td>', by_indicator)]
    assert ranks == sorted(ranks) and ranks
    assert c.get("/evaluations/2025?sort=nothing").status_code == 400


def test_an_organisation_explained_with_its_places_and_names(c: TestClient):
    html = c.get("/organisations/aktobe?year=2025&doc=ru").text
    assert "Places over the years" in html and "Names over time" in html
    assert html.count('class="data explanation"') == 1
    assert "legal.returned_funds" in html


def test_bad_wording_numbers_are_400(c: TestClient):
    assert c.get("/history/4.2?a=0&b=7").status_code == 400
    assert c.get("/history/4.2?a=x").status_code == 400


def test_compare_two_dates_word_by_word_and_the_criteria(c: TestClient):
    html = c.get("/compare?from=2026-02-19&to=2026-02-20&doc=kk").text
    assert 'id="u-4.2"' in html and "<ins>" in html
    criteria = c.get("/compare?from=2025&to=2026&doc=kk").text
    assert "Evaluation criteria" in criteria
    assert c.get("/compare?from=2026-02-20&to=2025-01-01").status_code == 400  # FROM after TO


def test_a_broken_tree_shows_the_check_messages_then_recovers(tree: Path):
    c = client(tree)
    assert c.get("/regulation").status_code == 200
    path = tree / "regulation/versions/2026-02-20.yaml"
    original = path.read_bytes()
    line = edit(path, 'target: "4.2"', 'target: "4.99"')
    for url in ("/", "/regulation", "/history/4.2", "/compare?from=2025&to=2026"):
        r = c.get(url)
        assert r.status_code == 503, url
        assert "regulation/versions/2026-02-20.yaml" in r.text and "4.99" in r.text
    path.write_bytes(original)
    assert c.get("/regulation").status_code == 200
    assert line > 0


def test_a_hand_edit_shows_on_the_next_request(tree: Path):
    c = client(tree)
    assert "Жалпы ережелер" in c.get("/regulation?date=2025-01-01").text
    edit(tree / "regulation/versions/2023-03-01.yaml", 'kk: "Жалпы ережелер"', 'kk: "Жалпы ережелер (түзетілді)"')
    assert "Жалпы ережелер (түзетілді)" in c.get("/regulation?date=2025-01-01").text


def test_hostile_text_in_the_data_shows_as_text(tree: Path):
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> {{ 7*7 }} & «№»"
    edit(tree / "regulation/versions/2023-03-01.yaml", 'kk: "Жалпы ережелер"', f"kk: '{hostile}'")
    html = client(tree).get("/regulation?date=2025-01-01&doc=kk").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "{{ 7*7 }}" in html and "&amp; «№»" in html


def test_an_internal_error_is_a_page_with_a_reference_and_the_traceback_goes_to_the_log(c: TestClient,
                                                                                       monkeypatch, caplog):
    from regdoc.web import pages

    def boom(*args, **kwargs):
        raise ZeroDivisionError("secret detail")

    monkeypatch.setattr(pages, "_edition_as_of", boom)
    r = c.get("/regulation?date=2025-06-01")
    assert r.status_code == 500
    assert "secret detail" not in r.text and "Traceback" not in r.text and "ZeroDivisionError" not in r.text
    reference = re.search(r'class="reference">([0-9a-f]+)<', r.text)[1]
    assert any(reference in rec.getMessage() and rec.exc_info for rec in caplog.records)
    assert r.headers["content-security-policy"]



# ----- read pages kept per version of the tree (regdoc.web.pages.handle) --------------------------------------

def test_a_kept_page_carries_each_sessions_own_csrf_token():
    app = create_app(REPO)
    first, second = (TestClient(app, headers={"Accept-Language": "en"}) for _ in range(2))
    url = "/regulation?date=2025-06-01&doc=both"
    first.get(url)
    page1, page2 = first.get(url).text, second.get(url).text  # both served from the kept page
    token1, token2 = csrf_of(page1), csrf_of(page2)
    assert token1 != token2 and page1.replace(token1, "") == page2.replace(token2, "")
    form = {"lang": "ru", "next": "/"}
    assert second.post("/language", data=dict(form, csrf=token1), follow_redirects=False).status_code == 403
    assert second.post("/language", data=dict(form, csrf=token2), follow_redirects=False).status_code == 303


def test_a_kept_page_is_per_interface_language_and_per_user(users: Path):
    app = create_app(REPO, accounts=True, users_path=users)
    clients = {}
    for name, password in (("viktor", "another long secret"), ("aigul", "correct horse battery")):
        c = clients[name] = TestClient(app, headers={"Accept-Language": "en"})
        token = csrf_of(c.get("/signin").text)
        assert c.post("/signin", data={"name": name, "password": password, "csrf": token, "next": "/"},
                      follow_redirects=False).status_code == 303
    for _ in range(2):  # the second round is served from the kept pages
        assert 'href="/changes"' not in clients["viktor"].get("/").text
        assert 'href="/changes"' in clients["aigul"].get("/").text
        assert "(viewer)" in clients["viktor"].get("/").text and "(editor)" in clients["aigul"].get("/").text
        assert '<html lang="en">' in clients["aigul"].get("/regulation").text
        assert '<html lang="ru">' in clients["aigul"].get("/regulation", headers={"Accept-Language": "ru"}).text


def test_a_kept_page_gives_way_to_a_hand_edit(tree: Path):
    c = client(tree)
    url = "/regulation?date=2025-01-01"
    for _ in range(2):  # the second answer is the kept page
        assert "Жалпы ережелер" in c.get(url).text and "(түзетілді)" not in c.get(url).text
    edit(tree / "regulation/versions/2023-03-01.yaml", 'kk: "Жалпы ережелер"', 'kk: "Жалпы ережелер (түзетілді)"')
    assert "Жалпы ережелер (түзетілді)" in c.get(url).text


# ----- language ---------------------------------------------------------------------------------------------

def test_the_interface_language_follows_accept_language_then_the_switch():
    c = client()
    assert '<html lang="ru">' in c.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).text
    assert '<html lang="en">' in c.get("/", headers={"Accept-Language": "de, en;q=0.7"}).text
    assert '<html lang="kk">' in c.get("/", headers={"Accept-Language": "fr"}).text
    for lang in ("kk", "ru", "en"):
        html = c.get("/regulation").text
        r = c.post("/language", data={"lang": lang, "next": "/regulation?date=2025-06-01", "csrf": csrf_of(html)},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/regulation?date=2025-06-01"
        assert f'<html lang="{lang}">' in c.get("/regulation", headers={"Accept-Language": "ru"}).text


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("url", READ_PAGES + ["/history/9.9", "/regulation?date=xx"])
def test_every_page_in_every_interface_language(url: str, lang: str):
    c = client()
    c.cookies.set("regdoc_lang", lang)
    r = c.get(url)
    assert r.status_code in (200, 400, 404)
    assert f'<html lang="{lang}">' in r.text and 'name="lang"' in r.text  # the switch is on every page


def test_the_language_switch_refuses_a_foreign_next_and_needs_its_token():
    c = client()
    token = csrf_of(c.get("/").text)
    r = c.post("/language", data={"lang": "ru", "next": "//evil.example/", "csrf": token}, follow_redirects=False)
    assert r.headers["location"] == "/"
    assert c.post("/language", data={"lang": "ru", "next": "/"}, follow_redirects=False).status_code == 403


# ----- accounts ---------------------------------------------------------------------------------------------

def signed_in(users: Path, name: str, password: str) -> TestClient:
    c = client(accounts=True, users_path=users)
    form = c.get("/signin").text
    r = c.post("/signin", data={"name": name, "password": password, "csrf": csrf_of(form), "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def test_the_users_file_holds_scrypt_hashes_only(tmp_path: Path):
    users = tmp_path / "conf" / "users.json"  # as `regdoc users add` writes it (the `users` fixture's is quicker)
    add_user(users, "aigul", "editor", "correct horse battery")
    add_user(users, "viktor", "viewer", "another long secret")
    text = users.read_text()
    assert "correct horse" not in text and "another long" not in text
    assert text.count("scrypt$16384$8$1$") == 2  # regdoc's parameters
    assert oct(users.stat().st_mode & 0o777) == "0o600"


def test_with_accounts_every_page_needs_a_sign_in(users: Path):
    c = client(accounts=True, users_path=users)
    for url in READ_PAGES:
        r = c.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/signin?next=")
    assert c.get("/static/regdoc.css").status_code == 200


def test_sign_in_sets_a_strict_http_only_session_and_sign_out_ends_it(users: Path):
    c = client(accounts=True, users_path=users)
    form = c.get("/signin")
    first = form.headers["set-cookie"]
    assert "HttpOnly" in first and "SameSite=Strict" in first
    r = c.post("/signin", data={"name": "aigul", "password": "correct horse battery", "csrf": csrf_of(form.text),
                                "next": "/regulation"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/regulation"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = c.get("/regulation")
    assert page.status_code == 200 and "aigul" in page.text
    assert c.post("/signout", data={"csrf": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    assert c.get("/regulation", follow_redirects=False).status_code == 303


def test_sign_in_without_its_token_is_refused(users: Path):
    c = client(accounts=True, users_path=users)
    c.get("/signin")
    r = c.post("/signin", data={"name": "aigul", "password": "correct horse battery"}, follow_redirects=False)
    assert r.status_code == 403


def test_failed_sign_ins_are_limited(users: Path):
    c = client(accounts=True, users_path=users)
    token = csrf_of(c.get("/signin").text)
    for _ in range(5):
        r = c.post("/signin", data={"name": "aigul", "password": "wrong", "csrf": token})
        assert r.status_code == 401 and "correct horse" not in r.text
    r = c.post("/signin", data={"name": "aigul", "password": "correct horse battery", "csrf": token})
    assert r.status_code == 429


def test_a_wrong_name_and_a_wrong_password_look_the_same(users: Path):
    c = client(accounts=True, users_path=users)
    token = csrf_of(c.get("/signin").text)
    a = c.post("/signin", data={"name": "nobody", "password": "x" * 10, "csrf": token})
    b = c.post("/signin", data={"name": "viktor", "password": "x" * 10, "csrf": token})
    assert a.status_code == b.status_code == 401


def test_users_add_refuses_a_file_inside_the_data_tree(tree: Path):
    from regdoc.errors import RegdocError

    with pytest.raises(RegdocError, match="outside the data tree"):
        add_user(tree / "users.json", "aigul", "editor", "correct horse battery", data_root=tree)
    with pytest.raises(RegdocError, match="too short"):
        add_user(tree.parent / "users.json", "aigul", "editor", "short")


def test_the_hash_an_unknown_name_is_checked_against_is_hash_password_s():
    from regdoc.app import accounts

    assert accounts._DUMMY == accounts.hash_password("regdoc", b"\0" * 16)


def test_serving_on_another_host_without_accounts_is_refused(tmp_path: Path, capsys):
    from regdoc.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--users", str(tmp_path / "none.json"), "--root", str(REPO)]) == 1
    assert "regdoc users add" in capsys.readouterr().err


def test_users_add_reads_the_password_from_stdin(tmp_path: Path, monkeypatch, capsys):
    import io

    from regdoc.app.accounts import authenticate
    from regdoc.cli import main

    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["users", "add", "dana", "--role", "viewer", "--users", str(path), "--password-stdin"]) == 0
    assert authenticate(path, "dana", "a long password").role == "viewer"
    assert authenticate(path, "dana", "a long passwor") is None
    assert "a long password" not in capsys.readouterr().out


# ----- documents --------------------------------------------------------------------------------------------

def test_build_the_packet_then_download_a_file_and_the_zip(tree: Path):
    import io
    import json
    import zipfile

    from docx import Document

    app = create_app(tree)
    c = TestClient(app, raise_server_exceptions=False, headers={"Accept-Language": "en"})
    assert c.get("/documents", follow_redirects=False).headers["location"].startswith("/documents/2026-02-20-9-7")
    page = c.get("/documents/2026-02-20-9-7").text
    assert "Not built yet" in page
    assert c.post("/documents/2026-02-20-9-7/build", data={"pdf": "0"}).status_code == 403  # no CSRF token
    r = c.post("/documents/2026-02-20-9-7/build", data={"csrf": csrf_of(page), "pdf": "0"}, follow_redirects=False)
    assert r.status_code == 303
    builds = app.app.state.site.builds
    build = builds.wait(("packet", "2026-02-20-9-7"), timeout=120)
    assert build.step == "done", build.error
    page = c.get("/documents/2026-02-20-9-7").text
    assert "resolution-2026-02-20-9-7.kk.docx" in page and "packet.zip" in page
    docx = c.get("/documents/2026-02-20-9-7/files/resolution-2026-02-20-9-7.kk.docx")
    assert docx.status_code == 200 and docx.headers["content-type"].startswith("application/vnd.openxml")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "ҚАУЛЫ\u00a0ЕТЕДІ:" in text  # on one line (issue 15's typography)
    z = zipfile.ZipFile(io.BytesIO(c.get("/documents/2026-02-20-9-7/packet.zip").content))
    manifest = json.loads(z.read("manifest.json"))
    assert sorted(z.namelist()) == sorted([f["file"] for f in manifest["files"]] + ["manifest.json"])
    for name in ("../regulation/regulation.yaml", "manifest.json.bak", "..%2Fmanifest.json", "x.docx"):
        assert c.get(f"/documents/2026-02-20-9-7/files/{name}").status_code == 404
    assert c.get("/documents/2026-02-20-9-8").status_code == 404


def test_a_second_build_request_joins_the_running_build(tree: Path, monkeypatch):
    import threading

    from regdoc.web.builds import Builds

    gate = threading.Event()
    calls = []

    def slow_build(root, out, pdf=False, progress=None):
        calls.append(out)
        gate.wait(10)
        return "written"

    import logging

    builds = Builds(slow_build, logging.getLogger("test"))
    first = builds.start(("packet", "x"), tree, tree / "out", False)
    second = builds.start(("packet", "x"), tree, tree / "out", False)
    assert first is second and first.starts == 2 and first.running
    gate.set()
    assert builds.wait(("packet", "x"), 10).step == "done" and len(calls) == 1


def test_a_viewer_may_read_but_not_build(users: Path, tree: Path):
    c = TestClient(create_app(tree, accounts=True, users_path=users), raise_server_exceptions=False,
                   headers={"Accept-Language": "en"})
    form = c.get("/signin").text
    c.post("/signin", data={"name": "viktor", "password": "another long secret", "csrf": csrf_of(form), "next": "/"})
    page = c.get("/documents/2026-02-20-9-7").text
    assert "Build the packet" not in page
    r = c.post("/documents/2026-02-20-9-7/build", data={"csrf": csrf_of(page)})
    assert r.status_code == 403


def test_redline_and_comparison_table_downloads(c: TestClient):
    r = c.get("/documents/redline?from=2023-03-01&to=2026-02-20&lang=ru")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.get("/documents/comparison?amendment=2026-02-20&lang=kk")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert c.get("/documents/comparison?amendment=../x").status_code == 404
    assert c.get("/documents/redline?from=2026-02-20&to=2023-03-01").status_code == 400


# ----- spreadsheets -----------------------------------------------------------------------------------------

def test_the_spreadsheets_page_and_its_downloads(c: TestClient):
    import io

    from openpyxl import load_workbook

    assert c.get("/spreadsheets").status_code == 200
    r = c.get("/spreadsheets/template?year=2025&format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    rows = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
    one = c.get("/spreadsheets/template?year=2025&format=csv&org=aktobe&filled=1")
    assert one.status_code == 200 and one.headers["content-type"].startswith("text/csv")
    lines = one.text.strip().splitlines()
    assert len(lines) == 6 and lines[-1].startswith("aktobe,")  # title, two headings, units, ids, one row
    assert len(rows) > 6
    score = c.get("/spreadsheets/score?year=2025&format=csv&lang=ru")
    assert score.status_code == 200 and "aktobe" in score.text
    assert c.get("/spreadsheets/score?year=2025&format=xlsx&lang=kk").content[:2] == b"PK"
    assert c.get("/spreadsheets/template?year=1999").status_code == 404
    assert c.get("/spreadsheets/template?year=2025&org=nobody").status_code == 404
    assert c.get("/spreadsheets/template?year=2025&format=exe").status_code == 400
    assert c.get("/spreadsheets/score?year=2030").status_code == 404


def test_after_signing_in_the_page_asked_for_opens_with_its_query(users: Path):
    c = client(accounts=True, users_path=users)
    r = c.get("/regulation?date=2025-06-01&doc=ru", follow_redirects=False)
    assert r.headers["location"] == "/signin?next=/regulation%3Fdate%3D2025-06-01%26doc%3Dru"
    form = c.get(r.headers["location"])
    signin = re.search(r'<form method="post" action="/signin".*?</form>', form.text, re.S)[0]
    target = re.search(r'name="next" value="([^"]+)"', signin)[1].replace("&amp;", "&")
    assert target == "/regulation?date=2025-06-01&doc=ru"
    r = c.post("/signin", data={"name": "aigul", "password": "correct horse battery", "csrf": csrf_of(form.text),
                                "next": target}, follow_redirects=False)
    assert r.headers["location"] == "/regulation?date=2025-06-01&doc=ru"


def test_the_kept_pages_are_bounded_in_number_and_bytes(monkeypatch):
    from regdoc.web import workspace

    monkeypatch.setattr(workspace, "MAX_PAGES", 3)
    monkeypatch.setattr(workspace, "PAGE_BYTES", 400)
    state = workspace.State(key=())
    for n in range(5):
        state.keep_page(("p", n), (b"x" * 50, b"y" * 40))
    assert [state.page(("p", n)) is not None for n in range(5)] == [False, False, True, True, True]
    state.page(("p", 2))  # used: the least recently used is now 3
    state.keep_page(("big", 1), (b"z" * 99,))
    assert state.page(("p", 3)) is None and state.page(("p", 2)) is not None
    state.keep_page(("p", 2), (b"w" * 100,))  # kept again under the same key: counted once
    state.keep_page(("p", 5), (b"v" * 100,))
    state.keep_page(("p", 6), (b"u" * 100,))
    kept = [page for page in map(state.page, [("big", 1)] + [("p", n) for n in range(7)]) if page is not None]
    assert state._pages.held == sum(sum(map(len, page)) for page in kept) <= 400 and len(kept) <= 3
    state.keep_page(("huge", 1), (b"h" * 101,))  # over a quarter of the budget: not kept
    assert state.page(("huge", 1)) is None


def test_a_kept_page_is_served_while_a_derived_value_is_being_computed():
    """The pages have their own lock: a value computed for another page (under the state's lock) never holds up
    a kept page, which is looked up in the server's event loop."""
    import threading

    from regdoc.web import workspace

    state = workspace.State(key=())
    state.keep_page(("p",), (b"page",))
    computing, release = threading.Event(), threading.Event()

    def slow():
        computing.set()
        release.wait(10)
        return 1

    worker = threading.Thread(target=state.derived, args=("slow", slow))
    worker.start()
    try:
        assert computing.wait(10)
        found: list = []
        reader = threading.Thread(target=lambda: found.append(state.page(("p",))))
        reader.start()
        reader.join(5)
        assert found == [(b"page",)]
    finally:
        release.set()
        worker.join(10)
