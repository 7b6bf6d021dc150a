"""The browser workspace in a real browser (Playwright driving Debian's chromium headless shell; Playwright's own
browser download is not reachable here, see ../shared/pitfalls.md item 10): the department's main journeys,
accessibility at a desktop and a phone width, and the print stylesheet. Each journey's last page is kept as a
screenshot in ci-output/screenshots/ for a person to look at. These tests are not skipped when the browser is
missing: they fail (CI installs it with apt)."""
from __future__ import annotations

import base64
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from datatree import REPO, copy_tree

# Debian's package chromium-headless-shell: chromium's engine (Blink, V8, the same rendering) without the full
# browser around it, which is what Playwright itself runs headless when it may download its browsers. The full
# /usr/bin/chromium in headless mode took about twice its CPU over these journeys (chromium's processes: 28 s
# against 14 s; a context with its page and first navigation about 0.25 s against 0.07 s). One difference shows in
# the screenshots: the shell's default monospace font is Liberation Mono (code, file names), the full browser's
# DejaVu Sans Mono.
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "ci-output" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(root: Path, **options):
    """Serve the workspace of `root` (create_app's `options`: accounts ...) with uvicorn on 127.0.0.1 in this
    process (a thread); yield (its address, root) and stop it afterwards."""
    import uvicorn

    from regdoc.web.server import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(root, **options), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", root
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A workspace served by uvicorn on 127.0.0.1 in this process (a thread), over a copy of the data tree."""
    with serving(copy_tree(tmp_path_factory.mktemp("web") / "data")) as served:
        yield served


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ",
                                  extra_http_headers={"Accept-Language": "kk"}, accept_downloads=True)
    errors: list[str] = []
    pg = context.new_page()
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, errors  # no script error, no CSP violation


# What page.screenshot(full_page=True) does first (Playwright's screenshotter): the carets of the text fields made
# transparent (a caret blinks, so it would show or not by chance), the fonts loaded, and the page's full size taken.
# It returns the function that gives the carets back their colour.
_HIDE_CARETS = """() => {
    const fields = [...document.querySelectorAll('input,textarea,[contenteditable]')].map(e =>
        [e, e.style.getPropertyValue('caret-color'), e.style.getPropertyPriority('caret-color')]);
    for (const [e] of fields) e.style.setProperty('caret-color', 'transparent', 'important');
    return () => { for (const [e, value, priority] of fields) e.style.setProperty('caret-color', value, priority); };
}"""
_FULL_SIZE = """() => document.fonts.ready.then(() => {
    const b = document.body, d = document.documentElement;
    return [Math.max(b.scrollWidth, d.scrollWidth, b.offsetWidth, d.offsetWidth, b.clientWidth, d.clientWidth),
            Math.max(b.scrollHeight, d.scrollHeight, b.offsetHeight, d.offsetHeight, b.clientHeight, d.clientHeight)];
})"""


def shot(page, name: str) -> None:
    """The whole page as page.screenshot(full_page=True) takes it, the same image, but with chromium's quick PNG
    encoding (Page.captureScreenshot's optimizeForSpeed, which Playwright does not offer): its default encoding took
    about as much of chromium's CPU as drawing the page, some 2 s for the tallest (1280 × 20 000 pixels). The
    files are somewhat larger."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    restore = page.evaluate_handle(_HIDE_CARETS)
    try:
        width, height = page.evaluate(_FULL_SIZE)
        viewport = page.viewport_size
        cdp = page.context.new_cdp_session(page)
        try:
            data = cdp.send("Page.captureScreenshot", {
                "format": "png", "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                "captureBeyondViewport": not (width <= viewport["width"] and height <= viewport["height"])})["data"]
        finally:
            cdp.detach()
    finally:
        restore.evaluate("restore => restore()")
        restore.dispose()
    (SHOTS / f"{name}.png").write_bytes(base64.b64decode(data))


def accessible(page) -> None:
    """Every visible form control has a label; headings go down one level at a time; one h1."""
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden')
        .filter(e => !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.closest('label')
                     && !e.getAttribute('aria-label'))
        .map(e => e.outerHTML)""")
    assert unlabelled == []
    levels = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels and levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_the_regulation_at_a_date_then_russian_then_side_by_side(server, page):
    base, _ = server
    page.goto(f"{base}/regulation")
    page.fill("#date", "2025-06-01")
    page.click("form.controls button[type=submit]")
    assert "date=2025-06-01" in page.url
    assert page.locator('.regulation [lang="kk"]').first.is_visible()
    page.select_option("#doc-lang", "ru")
    page.click("form.controls button[type=submit]")
    assert page.locator(".regulation .title").first.inner_text().startswith("Положение")
    page.select_option("#doc-lang", "both")
    page.click("form.controls button[type=submit]")
    row = page.locator(".regulation .row.head")
    assert row.locator('[lang="kk"]').count() == 1 and row.locator('[lang="ru"]').count() == 1
    kk_box, ru_box = (row.locator(f'[lang="{lang}"]').bounding_box() for lang in ("kk", "ru"))
    assert kk_box["x"] < ru_box["x"]  # Kazakh first, side by side
    accessible(page)
    shot(page, "1-regulation-2025-06-01-side-by-side")


def test_the_history_of_4_2_and_its_two_wordings_compared(server, page):
    base, _ = server
    page.goto(f"{base}/regulation?date=2026-02-20")
    page.click('a.num[href^="/history/4.2?"]')
    assert "/history/4.2" in page.url
    assert page.locator(".timeline > li").count() == 2
    page.select_option("#a", "0")
    page.select_option("#b", "1")
    page.click("form.controls button[type=submit]")
    assert page.locator(".diff ins").count() > 0 and page.locator(".diff del").count() > 0
    accessible(page)
    shot(page, "2-history-4.2-compared")


def test_compare_two_days(server, page):
    base, _ = server
    page.goto(f"{base}/compare")
    page.fill("#from", "2026-02-19")
    page.fill("#to", "2026-02-20")
    page.click("form.controls button[type=submit]")
    assert page.locator("#u-4\\.2").count() == 1
    assert page.locator(".unitdiff ins").count() > 0
    accessible(page)
    shot(page, "3-compare-2026-02-19-2026-02-20")


def test_the_2025_ranking_and_one_organisations_explanation(server, page):
    base, _ = server
    page.goto(f"{base}/")
    page.click('a[href^="/evaluations/2025"]')
    assert page.locator("table.ranking tbody tr.prize").count() == 3
    page.select_option("#sort", "legal.returned_funds")
    page.click("form.controls button[type=submit]")
    ranks = [int(t) for t in page.locator("td.rank").all_inner_texts()]
    assert ranks == sorted(ranks)
    page.locator("table.ranking tbody tr a").first.click()
    assert "/organisations/" in page.url
    assert page.locator("table.explanation tbody tr").count() > 10
    accessible(page)
    shot(page, "4-ranking-2025-explanation")


def test_build_the_packet_and_download_the_kazakh_resolution_as_issued(server, page, tmp_path):
    from render_helpers import body_text, words
    from test_render_resolution import seed_text

    base, _ = server
    page.goto(f"{base}/documents")
    page.click("form[action$='/build'] button[type=submit]")
    page.wait_for_selector("#progress", timeout=10_000)  # the progress while it builds (seconds)
    page.click("#progress a[href^='/documents/']", timeout=180_000)  # shown when the build has finished
    with page.expect_download() as info:
        page.click("a[href$='/files/resolution-2026-02-20-9-7.kk.docx']")
    path = tmp_path / "resolution.kk.docx"
    info.value.save_as(path)
    assert words(body_text(path)) == words(seed_text())
    assert page.locator("a[href$='/packet.zip']").count() == 1
    accessible(page)
    shot(page, "5-documents-built")


def test_switch_the_interface_to_each_language(server, page):
    base, _ = server
    page.goto(f"{base}/regulation?date=2025-06-01")
    for lang in ("ru", "en", "kk"):
        page.select_option("#ui-lang", lang)
        page.click("form.language button[type=submit]")
        assert page.locator("html").get_attribute("lang") == lang
        assert "date=2025-06-01" in page.url  # back on the same page
        accessible(page)
    page.goto(f"{base}/compare")
    assert page.locator("html").get_attribute("lang") == "kk"  # remembered by the browser
    shot(page, "6-interface-languages")


@pytest.fixture(scope="module")
def window(browser):
    """A page of the given window width (a browser context of its own per width), opened once and navigated by each
    test: a context and page per test started a renderer process each time (about 0.4 s of chromium's CPU)."""
    pages = {}

    def page_of(width: int):
        if width not in pages:
            pages[width] = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        return pages[width]

    yield page_of
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["/", "/regulation?date=2026-02-20&doc=both", "/history/4.2?a=0&b=1",
                                  "/compare?from=2025&to=2026", "/resolutions/2026-02-20-9-7",
                                  "/evaluations/2025", "/organisations/aktobe", "/documents/2026-02-20-9-7",
                                  "/spreadsheets"])
def test_every_page_fits_the_window(server, window, path, width):
    base, _ = server
    page = window(width)
    page.goto(base + path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} is {overflow}px wider than a {width}px window"
    accessible(page)


def test_the_regulation_prints_cleanly(server, page):
    base, _ = server
    page.goto(f"{base}/regulation?date=2026-02-20&doc=kk")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible() and not page.locator("form.controls").is_visible()
    assert page.locator(".regulation .title").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10000
