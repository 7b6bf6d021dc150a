"""The editor's pages over HTTP: compose an amendment (preview, add, draft, save, reopen), the history of saves;
permissions (a viewer gets 403 on every form and POST), CSRF, conflicts between two editors, hostile input."""
from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402
from test_app_editing import amendment_2027, in_git, resolution_for_2027  # noqa: E402

from regdoc.app.accounts import add_user  # noqa: E402
from regdoc.app.check import check  # noqa: E402
from regdoc.web.server import create_app  # noqa: E402

EDITOR_ROUTES = [("GET", "/amendments/compose"), ("GET", "/amendments/compose?name=2026-02-20"),
                 ("POST", "/amendments/compose"), ("GET", "/changes"), ("GET", "/edit/resolutions"),
                 ("POST", "/edit/resolutions/new"), ("GET", "/edit/resolutions/2026-02-20-9-7"),
                 ("POST", "/edit/resolutions/2026-02-20-9-7")]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


@pytest.fixture
def users(tmp_path: Path) -> Path:
    path = tmp_path / "conf" / "users.json"
    add_user(path, "aigul", "editor", "correct horse battery")
    add_user(path, "dana", "editor", "another editor secret")
    add_user(path, "viktor", "viewer", "another long secret")
    return path


def signed_in(root: Path, users: Path, name: str, password: str) -> TestClient:
    # the messages below are asserted in English; the interface defaults to Kazakh
    c = TestClient(create_app(root, accounts=True, users_path=users), raise_server_exceptions=False,
                   headers={"Accept-Language": "en"})
    r = c.post("/signin", data={"name": name, "password": password, "csrf": csrf_of(c.get("/signin").text),
                                "next": "/"}, follow_redirects=False)
    assert r.status_code == 303
    return c


def fields(data: dict) -> dict:
    """The form fields of an amendment's data, as the compose page names them."""
    out = {"adopted_by": data["adopted_by"], "in_force": data["in_force"], "source": data.get("source", "issued")}
    for lang in ("kk", "ru"):
        out[f"regulation_ref-{lang}"] = data.get("regulation_ref", {}).get(lang, "")
    from regdoc.web.editing import _extra_of
    for n, op in enumerate(data["ops"]):
        out[f"ops-{n}-op"] = op["op"]
        for k in ("target", "after", "kind", "block", "occurrence"):
            if k in op:
                out[f"ops-{n}-{k}"] = str(op[k])
        for k in ("text", "old", "new", "justification"):
            if k in op:
                for lang in ("kk", "ru"):
                    out[f"ops-{n}-{k}-{lang}"] = op[k][lang]
        extra = _extra_of(op)
        if extra:
            out[f"ops-{n}-extra"] = extra
    return out


def post(c: TestClient, data: dict, action: str, **more) -> "object":
    csrf = csrf_of(c.get("/amendments/compose").text)
    return c.post("/amendments/compose", data=dict(fields(data), csrf=csrf, action=action, **more),
                  follow_redirects=False)


@pytest.mark.parametrize("method,url", EDITOR_ROUTES)
def test_a_viewer_gets_403_on_every_editor_route(tree, users, method, url):
    c = signed_in(tree, users, "viktor", "another long secret")
    csrf = csrf_of(c.get("/").text)
    r = c.get(url) if method == "GET" else c.post(url, data={"csrf": csrf, "action": "save",
                                                             "adopted_by": "2027-02-12/3/5",
                                                             "in_force": "2027-02-12", "date": "2027-02-12"})
    assert r.status_code == 403
    assert not (tree / "resolutions/2027").exists()
    assert "/changes" not in c.get("/").text  # no link to what a viewer may not open
    assert not (tree / "regulation/versions/2027-02-12.yaml").exists()


def test_a_post_without_its_csrf_token_is_refused(tree, users):
    c = signed_in(tree, users, "aigul", "correct horse battery")
    resolution_for_2027(tree)
    r = c.post("/amendments/compose", data=dict(fields(amendment_2027(tree)), action="save"))
    assert r.status_code == 403
    r = c.post("/amendments/compose", data=dict(fields(amendment_2027(tree)), action="save", csrf="forged"))
    assert r.status_code == 403
    assert not (tree / "regulation/versions/2027-02-12.yaml").exists()


def test_preview_shows_the_amending_texts_notes_and_comparison(tree, users):
    resolution_for_2027(tree)
    c = signed_in(tree, users, "aigul", "correct horse battery")
    r = post(c, amendment_2027(tree), "preview")
    assert r.status_code == 200, r.text
    assert "өлшемшарттары" in r.text and "Показатели" in r.text
    assert "4.3-1" in r.text and "Ескерту." in r.text and "Сноска." in r.text
    partial = c.post("/amendments/compose", headers={"HX-Request": "true"},
                     data=dict(fields(amendment_2027(tree)), csrf=csrf_of(c.get("/").text)))
    assert partial.status_code == 200 and "<html" not in partial.text and "өлшемшарттары" in partial.text


def test_an_error_shows_next_to_its_field(tree, users):
    resolution_for_2027(tree)
    c = signed_in(tree, users, "aigul", "correct horse battery")
    data = amendment_2027(tree)
    data["ops"][0]["old"]["kk"] = "жоқ-сөз"
    r = post(c, data, "save")
    assert r.status_code == 422
    html = r.text
    field = html.index('name="ops-0-old-kk"')
    error = html.index("field-error", field)
    assert "жоқ-сөз" in html[error:error + 400] and error < html.index('name="ops-0-old-ru"')
    assert not (tree / "regulation/versions/2027-02-12.yaml").exists()


def test_save_writes_the_file_check_accepts_and_commits_by_the_user(tree, users):
    in_git(tree)
    resolution_for_2027(tree)
    subprocess.run(["git", "-C", str(tree), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(tree), "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "r"],
                   check=True)
    c = signed_in(tree, users, "aigul", "correct horse battery")
    r = post(c, amendment_2027(tree), "save")
    assert r.status_code == 303 and r.headers["location"].startswith("/amendments/compose?name=2027-02-12")
    assert not check(tree).errors
    author = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%an"], capture_output=True,
                            text=True).stdout.strip()
    assert author == "aigul"
    history = c.get("/changes").text
    assert "2027-02-12 amendment: words replaced in 3.2" in history and "+  - op: insert" in history
    reopened = c.get(r.headers["location"]).text
    assert 'value="4.3-1"' in reopened and "Saved." in reopened


def test_add_an_operation_then_draft_then_reopen(tree, users):
    c = signed_in(tree, users, "aigul", "correct horse battery")
    data = {"adopted_by": "2027-02-12/3/5", "in_force": "2027-02-12", "source": "issued", "ops": []}
    r = post(c, data, "add", new_op="insert")
    assert r.status_code == 200 and 'name="ops-0-after"' in r.text
    data["ops"] = [{"op": "insert", "target": "4.3-1", "after": "4.3", "kind": "clause"}]  # no text yet
    r = post(c, data, "draft")
    assert r.status_code == 303 and "draft=1" in r.headers["location"]
    page = c.get(r.headers["location"]).text
    assert 'value="4.3-1"' in page and "Compose an amendment" in page
    assert not check(tree).errors


def test_two_editors_saving_over_each_other_get_a_conflict_with_both_versions(tree, users):
    resolution_for_2027(tree)
    one = signed_in(tree, users, "aigul", "correct horse battery")
    two = signed_in(tree, users, "dana", "another editor secret")
    data = amendment_2027(tree)
    assert post(one, data, "save").status_code == 303
    page_one = one.get("/amendments/compose?name=2027-02-12").text
    page_two = two.get("/amendments/compose?name=2027-02-12").text
    version = re.search(r'name="version" value="([0-9a-f]{64})"', page_one)[1]
    assert version in page_two
    first = dict(data, ops=data["ops"][:2])
    assert post(one, first, "save", version=version, name="2027-02-12").status_code == 303
    saved = (tree / "regulation/versions/2027-02-12.yaml").read_bytes()
    second = dict(data, ops=data["ops"][:3])
    r = post(two, second, "save", version=version, name="2027-02-12")
    assert r.status_code == 409
    assert "changed by someone else since you opened it" in r.text
    assert "The file as it is now" in r.text and "Your version" in r.text
    assert (tree / "regulation/versions/2027-02-12.yaml").read_bytes() == saved


@pytest.mark.parametrize("hostile", [
    {"ops-0-extra": "indicator: !!python/object/apply:os.system ['true']"},
    {"ops-0-extra": "a: &x [1]\nb: *x"},
    {"ops-0-text-kk": "x" * 300_000},
    {"name": "../../etc/passwd"},
    {"ops-0-target": "<script>alert(1)</script>"},
])
def test_hostile_input_is_refused_and_changes_nothing(tree, users, hostile):
    resolution_for_2027(tree)
    c = signed_in(tree, users, "aigul", "correct horse battery")
    data = amendment_2027(tree)
    r = post(c, data, "save", **hostile)
    assert r.status_code in (400, 422)
    assert "<script>alert(1)" not in r.text
    assert not (tree / "regulation/versions/2027-02-12.yaml").exists()
    assert not list(tree.rglob("passwd"))


def test_reopening_a_hand_written_file_warns_that_comments_are_lost(users):
    from datatree import REPO

    c = signed_in(REPO, users, "aigul", "correct horse battery")
    page = c.get("/amendments/compose?name=2026-02-20").text
    assert "comments will be lost" in page and 'value="4.2"' in page
    assert c.get("/amendments/compose?name=2030-01-01").status_code == 404
    assert c.get("/amendments/compose?name=../x").status_code == 400


def test_without_accounts_the_local_user_is_an_editor(tree):
    c = TestClient(create_app(tree), raise_server_exceptions=False)
    assert c.get("/amendments/compose").status_code == 200
    assert date(2027, 2, 12)  # the dates above are those of the clerk's year


def resolution_fields(data: dict) -> dict:
    out = {"id": data["id"], "source": data["source"]}
    for name in ("title", "preamble"):
        for lang in ("kk", "ru"):
            out[f"{name}-{lang}"] = data[name][lang]
    for part in ("position", "name"):
        for lang in ("kk", "ru"):
            out[f"signatory-{part}-{lang}"] = data["signatory"][part][lang]
    for n, item in enumerate(data["items"]):
        out[f"items-{n}-number"] = str(item["number"])
        if "amendment" in item:
            out[f"items-{n}-amendment"] = item["amendment"]
        for lang in ("kk", "ru"):
            out[f"items-{n}-text-{lang}"] = item.get("text", {}).get(lang, "")
    return out


def test_assign_a_number_fill_preview_and_mark_a_resolution_final(tree, users):
    from test_app_editing import filled_resolution

    c = signed_in(tree, users, "aigul", "correct horse battery")
    csrf = csrf_of(c.get("/edit/resolutions").text)
    assert c.post("/edit/resolutions/new", data={"date": "2027-02-12", "meeting": "3"}).status_code == 403
    for _ in range(5):
        r = c.post("/edit/resolutions/new", data={"csrf": csrf, "date": "2027-02-12", "meeting": "3"},
                   follow_redirects=False)
        assert r.status_code == 303
    assert r.headers["location"] == "/edit/resolutions/2027-02-12-3-5"
    page = c.get(r.headers["location"]).text
    assert "TODO" in page
    assert post(c, amendment_2027(tree), "save").status_code == 303
    base = {"csrf": csrf, "version": re.search(r'name="version" value="([0-9a-f]*)"', page)[1],
            "draft_version": ""}
    data = filled_resolution()
    r = c.post("/edit/resolutions/2027-02-12-3-5", data=dict(resolution_fields(data), action="preview", **base))
    assert r.status_code == 200 and "4.3-1" in r.text and "О внесении изменений в Положение." in r.text
    r = c.post("/edit/resolutions/2027-02-12-3-5", data=dict(resolution_fields(data), action="draft", **base),
               follow_redirects=False)
    assert r.status_code == 303
    page = c.get("/edit/resolutions/2027-02-12-3-5").text
    base["draft_version"] = re.search(r'name="draft_version" value="([0-9a-f]+)"', page)[1]
    unfinished = dict(data, preamble={"kk": "TODO", "ru": "x"})
    r = c.post("/edit/resolutions/2027-02-12-3-5", data=dict(resolution_fields(unfinished), action="final", **base))
    assert r.status_code == 422 and "TODO" in r.text
    r = c.post("/edit/resolutions/2027-02-12-3-5", data=dict(resolution_fields(data), action="final", **base),
               follow_redirects=False)
    assert r.status_code == 303, r.text
    assert not check(tree).errors
    page = c.get("/edit/resolutions/2027-02-12-3-5").text
    assert "read-only" in page and 'value="final"' not in page
    r = c.post("/edit/resolutions/2027-02-12-3-5", data=dict(resolution_fields(data), action="final", **base))
    assert r.status_code == 403


def test_a_resolution_draft_saved_over_by_another_editor_is_a_conflict(tree, users):
    from test_app_editing import filled_resolution

    resolution_for_2027(tree)
    one = signed_in(tree, users, "aigul", "correct horse battery")
    two = signed_in(tree, users, "dana", "another editor secret")
    page = one.get("/edit/resolutions/2027-02-12-3-5").text
    version = re.search(r'name="version" value="([0-9a-f]*)"', page)[1]
    data = filled_resolution()
    for c, status in ((one, 303), (two, 409)):
        r = c.post("/edit/resolutions/2027-02-12-3-5", follow_redirects=False,
                   data=dict(resolution_fields(data), action="draft", csrf=csrf_of(c.get("/").text),
                             version=version, draft_version=""))
        assert r.status_code == status
    assert "changed by someone else since you opened it" in r.text


@pytest.mark.parametrize("url", ["/edit/resolutions/..%2F..%2Fetc", "/edit/resolutions/2030-01-01-1-1"])
def test_unknown_resolutions_are_refused(tree, users, url):
    c = signed_in(tree, users, "aigul", "correct horse battery")
    assert c.get(url).status_code in (400, 404)
