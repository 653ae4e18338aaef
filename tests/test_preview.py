"""`quizgen preview`: the site's files and safety, then the pages in headless Chromium.

The browser is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`):
no chromedriver, no websocket library, only the Debian `chromium` package. Browser tests
skip, saying why, when chromium is absent.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import CONTENT, FIXTURES, SHARED_CORPUS, needs_corpus
from quizgen.cards.generate import generate, generate_cards
from quizgen.cards.rules import Flag, deletions
from quizgen.cli import cli
from quizgen.model import Card, cloze
from quizgen.parse.document import read_document
from quizgen.preview import check_paths, subject_flag_counts, write_preview
from quizgen.export.render import render_markdown
from quizgen.preview.cardview import cloze_side, deletion_numbers, page_html
from quizgen.preview.quality import CardCheck, DocumentCheck, QualityReport
from quizgen.preview.site import page_names
from quizgen.sources import read_all

PREVIEW = FIXTURES / "preview"
HOSTILE = PREVIEW / "990101.md"
MATH = PREVIEW / "990102.md"
SHOTS = Path("/tmp/preview-shots")  # a copy for people to look at; the tests use tmp folders


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "preview"
    write_preview(check_paths([str(CONTENT), str(PREVIEW)]), out)
    return out


def doc_page(site: Path, doc_id: str) -> Path:
    return site / f"doc-{doc_id}.html"


# ---------------------------------------------------------------- files, no browser


def test_preview__writes_index_assets_and_one_page_per_document(site):
    documents = read_all([CONTENT, PREVIEW]).documents
    names = sorted(p.name for p in site.iterdir())
    assert names == sorted(["index.html", "preview.css", "preview.js"] + [f"doc-{d.id}.html" for d in documents])


def test_preview__no_remote_resources_and_a_strict_csp(site):
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text and "script-src 'self'" in text, page.name
        assert re.findall(r'<script\b[^>]*>', text) == ['<script src="preview.js">'], page.name
        assert not re.search(r'<(?:link|script|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//', text), page.name
        assert " style=" not in text and "<style" not in text, page.name  # the CSP forbids inline styles
    assert "http" not in (site / "preview.css").read_text() and "@import" not in (site / "preview.css").read_text()


class Tags(HTMLParser):
    """Every element and its attributes, as a browser's parser would see them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_preview__hostile_document_stays_text(site):
    text = doc_page(site, "990101").read_text(encoding="utf-8")
    tags = Tags(text).found
    assert [a for t, a in tags if t == "script"] == [{"src": "preview.js"}]
    assert not [t for t, _ in tags if t in ("img", "svg", "iframe", "object", "embed", "style", "form")]
    assert not [(t, a) for t, a in tags for name in a if name.startswith("on")]
    hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in text  # shown as text, as in the deck
    assert "{{c1::fake}}" not in text  # a document's braces never become a deletion


def test_preview__math_becomes_mathml_and_code_is_highlighted(site):
    text = doc_page(site, "990102").read_text(encoding="utf-8")
    assert "<math" in text and "<mi>π</mi>" in text and "\\(" not in text
    assert '<div class="highlight">' in text and "math.pi" in text.replace('<span class="n">pi</span>', "pi")
    assert "<table>" in text and "<td>12.566</td>" in text


def test_preview__table_alignment_becomes_a_class_and_other_styles_go():
    html = render_markdown("| a | b |\n|:-:|--:|\n| 1 | 2 |")
    assert 'style="text-align:center"' in html  # the deck keeps it; the page's CSP would block it
    page = page_html(html)
    assert 'class="qg-align-center"' in page and 'class="qg-align-right"' in page and "style=" not in page
    assert page_html('<td style="color: red">x</td>') == "<td>x</td>"


def test_preview__stale_page_of_a_removed_document_is_deleted(tmp_path):
    out = tmp_path / "site"
    write_preview(check_paths([str(MATH), str(HOSTILE)]), out)
    (out / "doc-mine.html").write_text("my own file", encoding="utf-8")
    write_preview(check_paths([str(MATH)]), out)
    assert not (out / "doc-990101.html").exists()
    assert (out / "doc-mine.html").read_text(encoding="utf-8") == "my own file"
    assert not [p for p in out.iterdir() if p.name.startswith(".quizgen-tmp-")]


def test_preview__clashing_id_slugs_get_distinct_pages():
    docs = [read_document(MATH), read_document(HOSTILE)]
    a = DocumentCheck(replace(docs[0], id="A/B", path="x/a.md"), ())
    b = DocumentCheck(replace(docs[1], id="a b", path="y/b.md"), ())
    names = page_names([a, b])
    assert len(set(names.values())) == 2 and all(re.fullmatch(r"doc-a-b-[0-9a-f]{8}\.html", n) for n in names.values())


def test_preview__cloze_front_hides_only_its_own_deletion():
    field = "For every {{c1::three}} Na+ out, {{c2::two}} K+ in."
    assert deletion_numbers(field) == [1, 2]
    front = cloze_side(field, 2, answer=False)
    assert '<span class="cloze" data-ordinal="2">[...]</span>' in front and ">three</span>" in front
    back = cloze_side(field, 2, answer=True)
    assert '<span class="cloze" data-ordinal="2">two</span>' in back


def test_subject_flag_counts__per_subject_and_rule():
    good = generate_cards(read_document(CONTENT / "170601.md"))
    bad = Card("cloze", "x1", (), "p1", 0, "It is {{c1}} nothing", "", "", subject_key="physics")
    counts = subject_flag_counts(list(good) + [bad])
    assert counts["nursing"] == Counter()
    assert counts["physics"]["deletion"] == 1 and counts["physics"]["no-context"] == 1


def test_preview_cli__writes_the_site_and_prints_the_index_path(tmp_path):
    out = tmp_path / "p"
    result = CliRunner().invoke(cli, ["preview", str(MATH), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "index.html")
    cards = len(generate_cards(read_document(MATH)))
    assert f"1 documents, {cards} cards, 0 flagged: wrote 4 files" in result.stderr


def test_preview_cli__output_path_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(cli, ["preview", str(MATH), "-o", str(target)])
    assert result.exit_code == 2  # click refuses a file for a folder option


# ---------------------------------------------------------------- the browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium): browser tests skipped"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio", "--disable-extensions", "--remote-debugging-pipe"]  # fmt: skip


class Browser:
    """Just enough of the DevTools protocol: one page, evaluate, keys, screenshots, console."""

    def __init__(self, profile: Path) -> None:
        # chromium reads commands on fd 3 and answers on fd 4; bash moves our pipe ends there
        # (moved above 9 first, so that the two redirections cannot clobber each other)
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        child_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_chrome_r, from_chrome_w):
            os.close(fd)
        self.proc = subprocess.Popen(
            ["bash", "-c", f'exec "$@" 3<&{child_r} 4>&{child_w} {child_r}<&- {child_w}>&-', "bash",
             CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(child_r, child_w),
        )  # fmt: skip
        os.close(child_r)
        os.close(child_w)
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_chrome, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cv:
                    self._cv.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._cv:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self.events.append(message)
                self._cv.notify_all()

    def call(self, method: str, *, session: str | None = None, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cv:
            while ident not in self._replies:
                if not self._cv.wait(deadline - time.monotonic()) and time.monotonic() >= deadline:
                    raise TimeoutError(method)
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, session=self.session, **params)

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def open(self, path: Path) -> None:
        seen = len(self.events)
        self.send("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[seen:]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"loading {path}")
            time.sleep(0.02)
        self.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def eval(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, key: str, code: str, keycode: int, text: str = "") -> None:
        for kind in ("keyDown", "keyUp"):
            params: dict[str, Any] = {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": keycode}
            if text and kind == "keyDown":
                params["text"] = text
            self.send("Input.dispatchKeyEvent", **params)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first element matching `selector`."""
        box = self.eval(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); el.scrollIntoView({{block: 'center'}});"
            " const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, target: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(data))
        return target

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (CSP violations among them)."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(json.dumps(params.get("args")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium): browser tests skipped")
    chrome = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


@pytest.fixture
def page(browser):
    browser.viewport(1280, 900)
    browser.events.clear()
    yield browser
    assert browser.errors() == []  # no console errors (SEVERE) on any page a test opened


@needs_chromium
def test_browser__index_lists_every_subject_with_counts(page, site):
    page.open(site / "index.html")
    rows = page.eval("[...document.querySelectorAll('#subjects tbody tr')].map(r => r.cells[0].textContent)")
    subjects = sorted({d.subject for d in read_all([CONTENT, PREVIEW]).documents})
    assert sorted(rows) == subjects
    links = page.eval("[...document.querySelectorAll('ul.docs a')].map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(p.name for p in site.glob("doc-*.html"))


@needs_chromium
@pytest.mark.parametrize("doc_file", [CONTENT / "170601.md", CONTENT / "900004.md", MATH, HOSTILE], ids=lambda p: p.stem)
def test_browser__document_page_shows_one_note_per_generated_card(page, site, doc_file):
    """Counted as notes, like the deck (a cloze note with three deletions is one note)."""
    doc = read_document(doc_file)
    cards = generate_cards(doc)
    page.open(doc_page(site, doc.id))
    assert page.eval("document.querySelectorAll('article.note').length") == len(cards)
    kinds = page.eval("[...document.querySelectorAll('article.note')].map(a => a.dataset.kind)")
    assert Counter(kinds) == Counter(c.kind for c in cards)
    previews = page.eval("document.querySelectorAll('article.note .preview').length")
    assert previews == sum(len({n for n, _ in deletions(c.front)}) for c in cards if c.is_cloze)


@needs_chromium
def test_browser__kind_filter_hides_the_other_kinds(page, site):
    total = len(generate_cards(read_document(CONTENT / "170601.md")))
    page.open(doc_page(site, "170601"))
    page.click("button[data-filter='kind'][data-value='term']")
    shown = page.eval("[...document.querySelectorAll('article.note')].filter(a => a.offsetParent).map(a => a.dataset.kind)")
    assert shown and set(shown) == {"term"}
    assert page.eval("document.getElementById('filter-status').textContent") == f"Showing {len(shown)} of {total} cards"
    page.click("button[data-filter='kind'][data-value='']")
    assert page.eval("[...document.querySelectorAll('article.note')].filter(a => a.offsetParent).length") == total


@needs_chromium
def test_browser__keys_move_between_cards_and_focus_the_filter(page, site):
    page.open(doc_page(site, "170601"))
    page.key("j", "KeyJ", 74, "j")
    page.key("j", "KeyJ", 74, "j")
    assert page.eval("document.activeElement.id") == "card-2"
    page.key("ArrowUp", "ArrowUp", 38)
    assert page.eval("document.activeElement.id") == "card-1"
    page.key("f", "KeyF", 70, "f")
    assert page.eval("document.activeElement.id") == "filter-text"


@needs_chromium
def test_browser__theme_toggle_switches_and_is_remembered(page, site):
    page.open(site / "index.html")
    before = page.eval("getComputedStyle(document.body).backgroundColor")
    page.click("#theme-toggle")
    after = page.eval("getComputedStyle(document.body).backgroundColor")
    assert before != after
    page.open(doc_page(site, "170601"))
    assert page.eval("getComputedStyle(document.body).backgroundColor") == after
    page.click("#theme-toggle")
    assert page.eval("getComputedStyle(document.body).backgroundColor") == before


@needs_chromium
def test_browser__dark_theme_follows_the_system_until_toggled(page, site):
    page.open(site / "index.html")
    page.eval("localStorage.clear()")
    page.send("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
    try:
        page.open(site / "index.html")
        assert page.eval("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
        assert page.eval("document.getElementById('theme-toggle').textContent") == "Light theme"
        page.click("#theme-toggle")
        assert page.eval("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    finally:
        page.send("Emulation.setEmulatedMedia", features=[])
        page.eval("localStorage.clear()")


@needs_chromium
def test_browser__rejected_candidates_show_on_request(page, site):
    page.open(doc_page(site, "990101"))
    count = "[...document.querySelectorAll('article.candidate')].filter(a => a.offsetParent).length"
    assert page.eval(count) == 0
    page.click("#show-rejected")
    assert page.eval(count) == len(generate(read_document(HOSTILE)).rejected) == 1
    page.click("button[data-filter='flag'][data-value='duplicate']")
    assert page.eval("[...document.querySelectorAll('article')].filter(a => a.offsetParent).map(a => a.className)") == [
        "candidate flagged"
    ]


@needs_chromium
def test_browser__no_script_from_a_document_runs(page, site):
    page.open(doc_page(site, "990101"))
    assert page.eval("typeof window.pwned") == "undefined"
    assert page.eval("document.querySelectorAll('article.note').length") >= 3
    clicked = page.eval(
        """(() => { let n = 0;
        document.querySelectorAll('#show-rejected').forEach(el => { el.click(); n++; });
        document.querySelectorAll('button, summary, a[href^="#"], .note, .candidate, .note *, .candidate *')
          .forEach(el => { el.click(); n++; });
        document.querySelectorAll('.note, .candidate, img, svg').forEach(el => {
          for (const type of ['mouseover', 'focus', 'load', 'error']) { el.dispatchEvent(new Event(type)); } });
        return n; })()"""
    )
    assert clicked > 50
    assert page.eval("typeof window.pwned") == "undefined"
    assert page.eval("[...document.querySelectorAll('a')].filter(a => /^\\s*javascript:/i.test(a.href)).length") == 0
    assert page.eval("location.pathname").endswith("doc-990101.html")


@needs_chromium
def test_browser__screenshots_at_desktop_and_phone_width(page, site, tmp_path):
    shots = []
    for width, height, mobile, label in ((1280, 900, False, "desktop"), (390, 844, True, "phone")):
        page.viewport(width, height, mobile)
        for name, path in (("index", site / "index.html"), ("document", doc_page(site, "990102"))):
            page.open(path)
            overflow = page.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways at {width}px"
            shots.append(page.screenshot(tmp_path / f"{name}-{label}.png"))
        page.eval("document.querySelector('article.note.flagged, article.note .preview').scrollIntoView()")
        shots.append(page.screenshot(tmp_path / f"cards-{label}.png"))
    for shot in shots:
        assert shot.stat().st_size > 5_000  # a blank page is far smaller
    if os.environ.get("QUIZGEN_KEEP_SHOTS"):
        SHOTS.mkdir(exist_ok=True)
        for shot in shots:
            shutil.copy(shot, SHOTS / shot.name)


@needs_chromium
@needs_corpus
def test_browser__every_corpus_page_loads_cleanly_on_a_phone(page, tmp_path):
    """The real documents' code, tables and math fit a 390 px screen; no page logs an error."""
    out = tmp_path / "corpus"
    write_preview(check_paths([str(SHARED_CORPUS)]), out)
    page.viewport(390, 844, mobile=True)
    wide = []
    for path in sorted(out.glob("*.html")):
        page.open(path)
        if page.eval("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            wide.append(path.name)
    assert wide == []


# ---------------------------------------------------------------- a report with a bad card


def test_preview__flagged_card_is_shown_with_its_flags(tmp_path):
    doc = read_document(MATH)
    bad = Card("cloze", doc.id, ("Formulas",), "p9", 0, "It is " + cloze(1, "the") + " area.", "", "Formulas")
    report = QualityReport(1, (), (DocumentCheck(doc, (CardCheck(bad, (Flag("deletion", "trivial word"),)),)),))
    write_preview(report, tmp_path)
    text = doc_page(tmp_path, doc.id).read_text(encoding="utf-8")
    assert 'data-flags="deletion"' in text and "<b>deletion</b> trivial word" in text
    assert '<button type="button" data-filter="flag" data-value="deletion">' in text
