"""Measure the search page in Chromium: its weight, keystroke to paint, cold load to results.

A script, not a test: it starts the app (uvicorn, a free 127.0.0.1 port) over a temporary
data folder loaded with the seed corpus, drives Debian's Chromium with Playwright and
reports:

- the bytes the search page loads: its own assets (HTML, CSS, JavaScript modules, icon),
  then with the API's answers too; decoded size and size on the wire (gzip);
- keystroke to paint: `performance.now()` in the page just before an `input` event, and
  again in the first animation frame after the results list has been redrawn for that
  query (a MutationObserver watches the list); median and p90 over 20 distinct queries,
  each typed after a pause, so the page searches at once (leading edge); and the same
  measured from the *last* key of words typed one key every 60 ms, where the page waits
  for the typing to pause (120 ms) before it searches;
- cold load to first result: a new browser context (empty cache) opens `/?q=...`; time
  from the navigation's start to the first painted result, median of 7.

    .venv/bin/python bench/frontend.py                 # print the results
    .venv/bin/python bench/frontend.py --write         # ... and put them in docs/frontend.md
    .venv/bin/python bench/frontend.py --screenshots   # ... and refresh docs/screenshots/
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, Response, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from work_screenshots import take_work_screenshots  # noqa: E402

from indexer.casestudy.pipeline import Pipeline  # noqa: E402
from indexer.casestudy.taxonomy import Taxonomy  # noqa: E402
from indexer.loading import find_case_studies, load  # noqa: E402
from indexer.operations.config import Settings  # noqa: E402
from indexer.publishing import Publisher  # noqa: E402
from indexer.search import registry  # noqa: E402
from indexer.store import Store  # noqa: E402

DOC = ROOT / "docs" / "frontend.md"
SHOTS = ROOT / "docs" / "screenshots"
START, END = "<!-- bench/frontend.py:start -->", "<!-- bench/frontend.py:end -->"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
QUERIES = [
    "refugee women",
    "mentoring",
    "housing",
    "language training",
    "newcomer youth",
    "employment",
    "health navigators",
    "rural",
    "francophone",
    "volunteers",
    "library",
    "faith communities",
    "seniors",
    "interpreters",
    "international students",
    "anti-racism",
    "mentorat",
    "logement",
    "small town welcome",
    "farm workers",
]
TYPED = [
    "refugee housing",
    "mentoring circles",
    "rural welcome",
    "langue française",
    "school settlement",
    "police training",
    "tax clinics",
    "winter driving",
    "radio programs",
    "sewing cooperative",
    "needs assessment",
    "welcome centre",
]
BUDGET_KB = 100

# Installed before the page's own scripts: records when results are first painted.
FIRST_RESULT = """
window.__firstResult = null;
new MutationObserver((records, observer) => {
  if (document.querySelector('#ui_list > li')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstResult = performance.now(); });
  }
}).observe(document, { childList: true, subtree: true });
"""

# One measured search: mark, send an input event, resolve in the frame after the redraw.
KEYSTROKE = """
async ([text, expected]) => {
  const input = document.getElementById('ui_q');
  const heading = document.getElementById('ui_results_heading');
  return await new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!heading.textContent.includes(expected)) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(document.getElementById('ui_results'), {
      childList: true, subtree: true, characterData: true,
    });
    const start = performance.now();
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
  });
}
"""

# Words typed one key at a time; time from the last key to the painted results.
TYPING = """
async ([text, expected, gap]) => {
  const input = document.getElementById('ui_q');
  const heading = document.getElementById('ui_results_heading');
  input.value = '';
  let last = 0;
  const painted = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!heading.textContent.includes(expected) || !last) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - last));
    });
    observer.observe(document.getElementById('ui_results'), {
      childList: true, subtree: true, characterData: true,
    });
  });
  for (let i = 1; i <= text.length; i++) {
    input.value = text.slice(0, i);
    if (i === text.length) last = performance.now();
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
    if (i < text.length) await new Promise((r) => setTimeout(r, gap));
  }
  return await painted;
}
"""


@dataclass
class Weight:
    own_decoded: int = 0
    own_wire: int = 0
    api_decoded: int = 0
    api_wire: int = 0
    files: list[tuple[str, int, int]] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(workdir: Path) -> Iterator[str]:
    """The app over the seed corpus, in its own process, for the duration of the block."""
    data = workdir / "data"
    settings = Settings(data_dir=data, content_dir=ROOT / "content")
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        cases = find_case_studies([ROOT / "content"])
        report = load(cases, Pipeline(taxonomy), Publisher(store, engine, taxonomy), author="bench")
    finally:
        engine.close()
        store.close()
    if report.failed:
        raise SystemExit(f"the seed corpus did not load: {report.problems}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LIPKB_DATA_DIR": str(data), "LIPKB_CONTENT_DIR": str(ROOT / "content")}
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_weight(browser: Browser, url: str) -> Weight:
    weight = Weight()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    page = context.new_page()
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{url}/?lang=en", wait_until="networkidle")
    page.wait_for_selector("#ui_list > li")
    for response in responses:
        path = response.url.removeprefix(url).split("?", 1)[0]
        decoded = len(response.body())
        wire = response.request.sizes()["responseBodySize"]
        if path.startswith("/api/"):
            weight.api_decoded += decoded
            weight.api_wire += wire
        else:
            weight.own_decoded += decoded
            weight.own_wire += wire
        weight.files.append((path, decoded, wire))
    context.close()
    return weight


def measure_keystrokes(page: Page) -> tuple[list[float], list[float]]:
    page.goto("/?lang=en")
    page.wait_for_selector("#ui_list > li")
    leading: list[float] = []
    for query in QUERIES:  # all distinct: the engine's result cache never answers
        page.wait_for_timeout(400)  # a pause: the next keystroke searches at once
        leading.append(page.evaluate(KEYSTROKE, [query, f"“{query}”"]))
    typed: list[float] = []
    for words in TYPED:  # all distinct: the engine's result cache never answers
        page.wait_for_timeout(400)
        typed.append(page.evaluate(TYPING, [words, f"“{words}”", 60]))
    return leading, typed


def measure_cold_loads(browser: Browser, url: str, runs: int = 7) -> list[float]:
    times: list[float] = []
    for run in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
        context.add_init_script(FIRST_RESULT)
        page = context.new_page()
        page.goto(f"{url}/?q={QUERIES[run % len(QUERIES)]}&lang=en")
        page.wait_for_function("() => window.__firstResult !== null")
        times.append(float(page.evaluate("() => window.__firstResult")))
        context.close()
    return times


def take_screenshots(browser: Browser, url: str) -> list[Path]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    page = context.new_page()
    shots = {
        "search-en.png": "/?q=refugee+women&lang=en",
        "search-fr.png": "/?q=mentorat&sector=employment&lang=fr",
        "practice-en.png": "/practices/employer-mentoring-circles-waterloo?lang=en",
        "practice-fr.png": "/practices/cercles-de-mentorat-employeurs-waterloo?lang=fr",
        "fit-worksheet-en.png": "/fit/employer-mentoring-circles-waterloo?our_province=MB"
        "&our_size=rural&francophone=1&resource=volunteer-based&lang=en",
    }
    written = []
    for name, path in shots.items():
        page.goto(url + path, wait_until="networkidle")
        page.wait_for_selector("#ui_list > li, #ui_practice h1, .criteria-table")
        page.wait_for_timeout(200)
        page.screenshot(path=SHOTS / name, full_page=name.startswith("fit-"))  # the whole sheet
        written.append(SHOTS / name)
    context.close()
    return written


def report(weight: Weight, leading: list[float], typed: list[float], cold: list[float]) -> str:
    kb = 1024
    lines = [
        START,
        "",
        "Measured by `.venv/bin/python bench/frontend.py --write` (Chromium "
        f"{_chromium_version()}, seed corpus, {time.strftime('%Y-%m-%d')}). "
        "Times are medians (and 90th percentiles) over the runs counted in each row; the "
        "machine is shared, so treat them as orders of magnitude.",
        "",
        "| measure | result | goal |",
        "| --- | --- | --- |",
        f"| search page's own assets (HTML, CSS, JS modules, icon), decoded | "
        f"{weight.own_decoded / kb:.1f} KB | < {BUDGET_KB} KB |",
        f"| ... on the wire (gzip) | {weight.own_wire / kb:.1f} KB | |",
        f"| with the API's answers (taxonomy, first search), decoded | "
        f"{(weight.own_decoded + weight.api_decoded) / kb:.1f} KB | |",
        f"| ... on the wire | {(weight.own_wire + weight.api_wire) / kb:.1f} KB | |",
        f"| keystroke to results painted, after a pause (20 queries) | "
        f"{statistics.median(leading):.0f} ms (p90 {_percentile(leading, 0.9):.0f} ms) "
        "| < 100 ms |",
        f"| last key to results painted, typing a key every 60 ms ({len(typed)} phrases) | "
        f"{statistics.median(typed):.0f} ms (p90 {_percentile(typed, 0.9):.0f} ms) | |",
        f"| cold load (empty cache) to first result painted ({len(cold)} loads) | "
        f"{statistics.median(cold):.0f} ms (p90 {_percentile(cold, 0.9):.0f} ms) | |",
        "",
        "Files of a cold load of `/?lang=en` (decoded / on the wire, bytes):",
        "",
        "| file | decoded | wire |",
        "| --- | ---: | ---: |",
    ]
    for path, decoded, wire in weight.files:
        lines.append(f"| `{path}` | {decoded} | {wire} |")
    lines += ["", END]
    return "\n".join(lines)


def _chromium_version() -> str:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20)
    except OSError:
        return "?"
    words = out.stdout.split()
    return words[1] if len(words) > 1 else "?"


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update docs/frontend.md")
    parser.add_argument("--screenshots", action="store_true", help="refresh docs/screenshots/")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lipkb-frontend-bench-") as tmp:
        workdir = Path(tmp)
        env = {"XDG_CONFIG_HOME": str(workdir), "XDG_CACHE_HOME": str(workdir)}
        with serve(workdir) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=CHROMIUM_ARGS,
                env={**os.environ, **env},
            )
            weight = measure_weight(browser, url)
            context = browser.new_context(
                base_url=url, viewport={"width": 1280, "height": 900}, locale="en-CA"
            )
            leading, typed = measure_keystrokes(context.new_page())
            context.close()
            cold = measure_cold_loads(browser, url)
            if args.screenshots:
                shots = take_screenshots(browser, url)
                shots += take_work_screenshots(browser, url, workdir / "data", SHOTS)
                for path in shots:
                    print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
            browser.close()
    section = report(weight, leading, typed, cold)
    print(section)
    if args.write:
        write_doc(section)
        print(f"updated {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
