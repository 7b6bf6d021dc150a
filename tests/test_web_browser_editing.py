"""Resolution 2027-02-12 No 3 item 5 assigned and composing the amendment of 2027-02-12 in a real browser
(Playwright over Debian's chromium headless shell, as in test_web_browser.py): words replaced in 3.2, clause 4.3-1
inserted, 5.2 deleted, an indicator re-weighted and one added, each with a justification; the live preview; the save
as one git commit; the resolution filled, its item text generated, marked final; the history page. The file written
must load as the same model as the file a person writes by hand, and `regdoc check` must accept the tree.
Each step's page is kept in ci-output/screenshots/."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
from datatree import copy_tree, in_git
from test_web_browser import accessible, serving, shot

pytest.importorskip("playwright")

HAND_WRITTEN = """\
# Amendment adopted by resolution 2027-02-12 No 3 item 5 (written by hand for the comparison).
adopted_by: 2027-02-12/3/5
in_force: 2027-02-12
source: issued
regulation_ref:
  kk: "Қазақстандық оқу-ағарту, ғылым және жоғары білім қызметкерлері салалық кәсіподағының мүшелік ұйымдары қызметін жыл сайынғы бағалау жүйесі туралы Ережесіне"
  ru: "Положение о системе ежегодной оценки деятельности членских организаций Казахстанского отраслевого профсоюза работников просвещения, науки и высшего образования"
ops:
  - op: replace_words
    target: "3.2"
    old: {kk: "критерийлері", ru: "Критерии"}
    new: {kk: "өлшемшарттары", ru: "Показатели"}
    justification: {kk: "Терминді нақтылау.", ru: "Уточнение термина."}
  - op: insert
    target: "4.3-1"
    after: "4.3"
    kind: clause
    text:
      kk: "Бағалау нәтижелері жарияланады."
      ru: "Результаты оценки публикуются."
    justification: {kk: "Ашықтық.", ru: "Открытость."}
  - op: delete
    target: "5.2"
    justification: {kk: "Қажет емес.", ru: "Не требуется."}
  - op: change_indicator
    target: legal.inspections
    rule: {kind: per_unit, points: 15, cap: 1000}
    justification: {kk: "Салмағы артты.", ru: "Вес увеличен."}
  - op: add_indicator
    target: legal.hotline
    block: legal
    after: legal.inspections
    indicator:
      id: legal.hotline
      title: {kk: "Сенім телефоны", ru: "Телефон доверия"}
      unit: yes_no
      rule: {kind: fixed, points: 50}
    justification: {kk: "Жаңа көрсеткіш.", ru: "Новый показатель."}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):


    from regdoc.app.resolutions import new_resolution

    root = copy_tree(tmp_path_factory.mktemp("compose") / "data")
    for _ in range(4):  # items 1-4 of meeting 3 go to other resolutions; the amendment's (item 5) is assigned
        new_resolution(root, date(2027, 2, 12), meeting=3)  # in the browser below
    in_git(root)
    with serving(root, preview_delay_ms=100) as served:  # the live preview sooner than a person needs (700 ms)
        yield served


def add(page, kind: str) -> int:
    page.select_option("#new_op", kind)
    page.click("button[name=action][value=add]")
    page.wait_for_load_state()
    return page.locator("fieldset.op").count() - 1


def choose(page, select: str, value: str) -> None:
    """Choose a unit in a picker: the page is sent again (compose.js) and comes back with what follows from it."""
    with page.expect_navigation():
        page.select_option(select, value)
    page.wait_for_load_state()


def fill_pair(page, n: int, field: str, kk: str, ru: str) -> None:
    page.fill(f"#ops-{n}-{field}-kk", kk)
    page.fill(f"#ops-{n}-{field}-ru", ru)


def fill_res(page) -> None:
    for name, kk, ru in (("title", "Ережеге өзгерістер енгізу туралы.", "О внесении изменений в Положение."),
                         ("preamble", "Атқару комитеті ҚАУЛЫ ЕТЕДІ:", "Исполнительный комитет ПОСТАНОВЛЯЕТ:"),
                         ("signatory-position", "Төраға", "Председатель"),
                         ("signatory-name", "А. Мұқашева", "А. Мукашева")):
        page.fill(f"#{name}-kk", kk)
        page.fill(f"#{name}-ru", ru)
    page.fill("#items-0-text-kk", "")
    page.fill("#items-0-text-ru", "")
    page.fill("#items-0-amendment", "2027-02-12")


def test_compose_the_2027_02_12_amendment_end_to_end(served, browser):
    from playwright.sync_api import expect

    from regdoc.data.parse import parse_amendment
    from regdoc.data.yamldoc import parse_document, read_document

    base, root = served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ",
                                  accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{base}/edit/resolutions")
        page.fill("#date", "2027-02-12")
        page.fill("#meeting", "3")
        page.click("form[action='/edit/resolutions/new'] button")
        page.wait_for_url("**/edit/resolutions/2027-02-12-3-5")
        shot(page, "resolution-1-assigned")
        page.goto(f"{base}/amendments/compose?adopted_by=2027-02-12/3/5&in_force=2027-02-12")
        shot(page, "compose-1-new")
        n = add(page, "replace_words")
        choose(page, f"#ops-{n}-target", "3.2")  # the clause chosen from the edition in force
        for lang, word in (("kk", "критерийлері"), ("ru", "Критерии")):  # the words chosen from its text
            page.locator(f'.picker[data-old="ops-{n}-old-{lang}"] button.word', has_text=word).click()
            expect(page.locator(f"#ops-{n}-old-{lang}")).to_have_value(word)
        fill_pair(page, n, "new", "өлшемшарттары", "Показатели")
        fill_pair(page, n, "justification", "Терминді нақтылау.", "Уточнение термина.")
        # the live preview (htmx) shows the generated amending text while typing
        expect(page.locator("#preview")).to_contain_text("өлшемшарттары", timeout=15000)
        shot(page, "compose-2-words-preview")
        n = add(page, "insert")
        choose(page, f"#ops-{n}-after", "4.3")
        # the number proposed by the numbering rules, and the kind of its depth
        expect(page.locator(f"#ops-{n}-target")).to_have_value("4.3-1")
        expect(page.locator(f"#ops-{n}-kind")).to_have_value("clause")
        shot(page, "compose-2b-insert-proposed-number")
        fill_pair(page, n, "text", "Бағалау нәтижелері жарияланады.", "Результаты оценки публикуются.")
        fill_pair(page, n, "justification", "Ашықтық.", "Открытость.")
        n = add(page, "delete")
        choose(page, f"#ops-{n}-target", "5.2")
        fill_pair(page, n, "justification", "Қажет емес.", "Не требуется.")
        # re-weight: the indicator chosen from Appendix 1 in force; its fields start from the rule in force
        n = add(page, "change_indicator")
        choose(page, f"#ops-{n}-target", "legal.inspections")
        expect(page.locator(f"#ops-{n}-rule_kind")).to_have_value("per_unit")
        expect(page.locator(f"#ops-{n}-points")).to_have_value("10")
        expect(page.locator(f"#ops-{n}-cap")).to_have_value("1000")
        page.fill(f"#ops-{n}-points", "15")
        fill_pair(page, n, "justification", "Салмағы артты.", "Вес увеличен.")
        # add: block, id, titles (kk, then ru), unit and rule in their fields; placed after the one re-weighted
        n = add(page, "add_indicator")
        choose(page, f"#ops-{n}-block", "legal")
        expect(page.locator(f"#ops-{n}-after")).to_have_value("")  # proposed: at the end of the block
        expect(page.locator(f"#op-{n}")).to_contain_text("legal.draft_acts_reviewed")
        page.fill(f"#ops-{n}-name", "hotline")
        page.select_option(f"#ops-{n}-after", "legal.inspections")
        fill_pair(page, n, "title", "Сенім телефоны", "Телефон доверия")
        page.select_option(f"#ops-{n}-unit", "yes_no")
        choose(page, f"#ops-{n}-rule_kind", "fixed")  # the fields of a fixed rule: its points alone
        expect(page.locator(f"#ops-{n}-cap")).to_have_count(0)
        page.fill(f"#ops-{n}-points", "5O")  # a letter O for a zero: refused next to the field, in Kazakh,
        # as it is typed (the live preview puts the error in its place) and on Preview (the page without htmx)
        expect(page.locator(f"#err-ops-{n}-points .field-error")).to_contain_text("сан емес", timeout=15000)
        page.click("button[name=action][value=preview]")
        page.wait_for_load_state()
        expect(page.locator(f"#ops-{n}-points + .field-errors .field-error")).to_contain_text("сан емес")
        page.fill(f"#ops-{n}-points", "50")
        expect(page.locator(f"#err-ops-{n}-points .field-error")).to_have_count(0, timeout=15000)
        fill_pair(page, n, "justification", "Жаңа көрсеткіш.", "Новый показатель.")
        expect(page.locator("#preview")).to_contain_text("legal.hotline", timeout=15000)  # the live preview
        page.click("button[name=action][value=preview]")
        page.wait_for_load_state()
        expect(page.locator(f"#op-{n} .field-error")).to_have_count(0)
        accessible(page)  # every field of the new pickers has its label
        # the pickers' long titles (an indicator's) do not widen the page past the window
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        shot(page, "compose-2c-reweight-and-add-indicator")
        page.click("button[name=action][value=preview]")
        page.wait_for_load_state()
        expect(page.locator("#preview")).to_contain_text("4.3-1")
        expect(page.locator("#preview")).to_contain_text("Ескерту.")
        expect(page.locator("#preview")).to_contain_text("legal.hotline")
        assert page.locator(".field-error").count() == 0, page.locator(".field-error").all_inner_texts()
        shot(page, "compose-3-all-operations-preview")
        page.click("button[name=action][value=save]")
        page.wait_for_load_state()
        expect(page.locator(".notice")).to_be_visible()
        shot(page, "compose-4-saved")
        page.goto(f"{base}/edit/resolutions/2027-02-12-3-5")
        fill_res(page)
        page.click("button[name=action][value=preview]")
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text("4.3-1")
        shot(page, "resolution-2-preview")
        # the document the draft will produce, as it will print, and the .docx itself
        page.click("button[name=action][value=document-kk]")
        page.wait_for_load_state()
        expect(page.locator("section.document-preview")).to_contain_text(re.compile(r"4\.3[-\u2011]1"))
        expect(page.locator("section.document-preview")).to_contain_text(re.compile(r"12\.02\.2027\s+ж\."))
        page.locator("section.document-preview").scroll_into_view_if_needed()
        shot(page, "resolution-2b-document-kk")
        with page.expect_download() as download:
            page.click("button[name=action][value=docx-ru]")
        assert download.value.suggested_filename == "resolution-2027-02-12-3-5.ru.docx"
        from docx import Document

        docx_text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
        assert "О внесении изменений в Положение." in docx_text
        page.click("button[name=action][value=final]")
        page.wait_for_load_state()
        # the interface is in Kazakh (kk-KZ): «final and read-only here»
        expect(page.locator("main")).to_contain_text("түпкілікті және мұнда тек оқуға арналған")
        shot(page, "resolution-3-final")
        page.goto(f"{base}/changes")
        expect(page.locator("article.commit").nth(1)).to_contain_text("4.3-1")
        shot(page, "compose-5-history")
    finally:
        context.close()
    assert not errors, errors
    rel = "regulation/versions/2027-02-12.yaml"
    written = parse_amendment(read_document(root / rel))
    by_hand = parse_amendment(parse_document(HAND_WRITTEN.encode("utf-8"), rel))
    assert written == by_hand
    log = subprocess.run(["git", "-C", str(root), "log", "-1", "--name-only", "--format=%an|%s"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    # the commit message is in the interface language (kk)
    assert log[0].startswith("local|2027-02-12-3-5 қаулысы") and "resolutions/2027/2027-02-12-3-5.yaml" in log
    done = subprocess.run([sys.executable, "-m", "regdoc", "check", "--root", str(root)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_two_editors_in_two_browsers_never_overwrite_each_other(tmp_path, browser, users):
    """Two browser sessions (two signed-in editors) open the same amendment; the first saves; the second save is
    refused as changed by someone else since it was opened, shows both versions, and nothing is lost: the file
    holds the first editor's change (one commit by them), the page still holds the second's. The editors aigul and
    dana are those of the users fixture (conftest.py: their passwords hashed with a cheaper scrypt, signed in the
    same way)."""
    from playwright.sync_api import expect

    root = copy_tree(tmp_path / "data")
    in_git(root)
    rel = "regulation/versions/2026-02-20.yaml"
    with serving(root, accounts=True, users_path=users) as (base, _root):
        errors: list[str] = []
        pages = []
        contexts = []
        try:
            for name, password in (("aigul", "correct horse battery"), ("dana", "another editor secret")):
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
                contexts.append(context)
                page = context.new_page()
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(f"{base}/amendments/compose?name=2026-02-20")
                page.fill("#name", name)
                page.fill("#password", password)
                page.click("form.signin button[type=submit]")
                page.wait_for_url(lambda url: "/signin" not in url)
                expect(page.locator("#ops-0-justification-kk")).to_be_visible()
                pages.append(page)
            first, second = pages
            for page, why in ((first, "Бірінші редактордың негіздемесі."), (second, "Екінші редактордың негіздемесі.")):
                page.fill("#ops-0-justification-kk", why)
                page.fill("#ops-0-justification-ru", why.replace("редактор", "редактор "))
            with first.expect_navigation(timeout=60000):
                first.click("button[name=action][value=save]")
            expect(first.locator(".notice")).to_be_visible()
            with second.expect_navigation(timeout=60000):
                second.click("button[name=action][value=save]")
            conflict = second.locator("section.conflict")
            expect(conflict).to_be_visible()
            expect(conflict).to_contain_text(rel)
            # both versions: the file as the first editor saved it, and the second editor's own
            expect(conflict.locator("pre.yaml").nth(0)).to_contain_text("Бірінші редактордың негіздемесі.")
            expect(conflict.locator("pre.yaml").nth(1)).to_contain_text("Екінші редактордың негіздемесі.")
            expect(second.locator("#ops-0-justification-kk")).to_have_value("Екінші редактордың негіздемесі.")
            shot(second, "conflict-two-browsers")
        finally:
            for context in contexts:
                context.close()
    assert not errors, errors
    text = (root / rel).read_text(encoding="utf-8")
    assert "Бірінші редактордың негіздемесі." in text and "Екінші" not in text
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%an", "--", rel], capture_output=True, text=True,
                         check=True).stdout.split()
    assert log == ["aigul", "setup"]


def test_collect_the_returns_and_fill_the_resolution_from_the_scores(tmp_path, browser, shipped_returns):
    """The clerk's year, in a real browser: twenty per-organisation returns uploaded at once, one with an error
    (shown with its file and cell; nothing kept), fixed and uploaded again, the changes accepted (one commit);
    then a resolution's prize places and rewards filled from the scores."""
    import io

    import openpyxl
    from playwright.sync_api import expect

    from regdoc.data.yamldoc import read_document

    root = copy_tree(tmp_path / "data")
    books = shipped_returns  # what organisation_templates(root, 2025, filled=True) makes of this copy
    rel = root / "evaluations/2025/evaluation.yaml"
    text = rel.read_text(encoding="utf-8")
    rel.write_text(text[:text.index("\nreports:")] + "\nreports: {}\n", encoding="utf-8")
    in_git(root)

    def payload(files):
        return [{"name": n, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "buffer": d} for n, d in files]

    wb = openpyxl.load_workbook(io.BytesIO(dict(books)["evaluation-2025-zhambyl.xlsx"]))
    wb.worksheets[0]["E6"] = "көп"
    out = io.BytesIO()
    wb.save(out)
    broken = [(n, out.getvalue() if n == "evaluation-2025-zhambyl.xlsx" else d) for n, d in books]
    with serving(root) as (base, _root):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "status of 422" not in
                msg.text else None)  # the page of an upload with problems answers 422, as every refused form
        try:
            page.goto(f"{base}/edit/returns?year=2025")
            expect(page.locator("ul.missing li")).to_have_count(20)
            page.set_input_files("#returns", payload(broken))
            page.click("button[name=action][value=preview]")
            page.wait_for_load_state()
            rows = page.locator("table.problems-table tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("evaluation-2025-zhambyl.xlsx")
            expect(rows.first).to_contain_text("E6")
            expect(page.locator("button[value=accept]")).to_have_count(0)
            shot(page, "returns-1-upload-with-an-error")
            page.set_input_files("#returns", payload(books))
            page.click("button[name=action][value=preview]")
            page.wait_for_load_state()
            expect(page.locator("table.changes-table")).to_contain_text("zhambyl")
            shot(page, "returns-2-changes-before-accepting")
            page.click("button[name=action][value=accept]")
            page.wait_for_load_state()
            expect(page.locator(".notice")).to_be_visible()
            expect(page.locator("ul.reported li")).to_have_count(20)
            shot(page, "returns-3-accepted")
            # a resolution approving the 2025 evaluation, its places and rewards filled from the scores
            page.goto(f"{base}/edit/resolutions")
            page.fill("#date", "2027-02-12")
            page.fill("#meeting", "3")
            page.click("form[action='/edit/resolutions/new'] button")
            page.wait_for_url("**/edit/resolutions/2027-02-12-3-1")
            page.fill("#evaluation", "2025")
            page.click("button[name=action][value=places-0]")
            page.wait_for_load_state()
            expect(page.locator("#items-0-extra")).to_contain_text("organisation: astana-akmola, total: 100201")
            page.click("button[name=action][value=add]")
            page.wait_for_load_state()
            page.click("button[name=action][value=rewards-1]")
            page.wait_for_load_state()
            expect(page.locator("#items-1-extra")).to_have_value("rewards: [aktobe, pavlodar, astana-city]")
            shot(page, "resolution-4-filled-from-the-scores")
        finally:
            context.close()
    assert not errors, errors
    assert len(read_document(rel).data["reports"]) == 20
    log = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%an|%s"], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert log == "local|2025 бағалауы: 20 ұйымның есептері импортталды"
