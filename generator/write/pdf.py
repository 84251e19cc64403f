"""PDFs of the printable pages (`library-site pdf`, `build --pdf`), printed by a browser that
is already on the computer: Chromium, Google Chrome or Microsoft Edge, driven by Playwright.
Nothing is downloaded: without a browser the build stops with a message that says what to
install, and the site is left as it was.

Each page prints as its stylesheet says (`@page`: A4 landscape for a month, A4 portrait for
a sign-in sheet), with its backgrounds (the hatching of closed days), from the new site's
folder before it is swapped in, so the PDFs and the pages they show go live together. The
browser stamps each PDF with the time it printed it; that stamp is replaced by the build's
date, so the same input gives the same bytes and an unchanged PDF is left untouched; and
the links are taken out first (on paper they lead nowhere, and in the file they would name
a folder on this computer).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from generator.plan import urls

BROWSER_ENV = "LIBRARY_SITE_BROWSER"  # a browser's program file, when it is somewhere unusual
# on PATH (Linux, and a Windows or macOS PATH that names one), best first
NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
ARGS = [
    "--no-sandbox",  # CI and containers run as root
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
UNLINK = "document.querySelectorAll('a[href]').forEach(a => a.removeAttribute('href'))"
_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")


class PdfUnavailable(Exception):
    """No browser to print with (E760), or no Playwright (E761); `value` says which."""

    def __init__(self, code: str, value: str = "") -> None:
        super().__init__(value)
        self.code, self.value = code, value


class PrintFailed(Exception):
    """The browser would not start or print a page (E762)."""

    def __init__(self, page: str, reason: str) -> None:
        super().__init__(reason)
        self.page, self.reason = page, reason


def _installed_places() -> list[Path]:
    """Where the browsers install themselves when they are not on PATH."""
    places: list[Path] = []
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA")]
        for root in filter(None, roots):
            places.append(Path(root, "Microsoft", "Edge", "Application", "msedge.exe"))
            places.append(Path(root, "Google", "Chrome", "Application", "chrome.exe"))
            places.append(Path(root, "Chromium", "Application", "chrome.exe"))
    elif sys.platform == "darwin":
        for app in ("Google Chrome", "Microsoft Edge", "Chromium"):
            places.append(Path("/Applications", f"{app}.app", "Contents", "MacOS", app))
    return places


def find_browser() -> Path:
    """The browser to print with: $LIBRARY_SITE_BROWSER, one on PATH, or one where it
    installs itself. `PdfUnavailable` (E760) when there is none."""
    given = os.environ.get(BROWSER_ENV)
    if given:
        if Path(given).is_file():
            return Path(given)
        raise PdfUnavailable("E760", given)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in _installed_places():
        if place.is_file():
            return place
    raise PdfUnavailable("E760")


def fixed_stamp(pdf: bytes, when: date) -> bytes:
    """The browser's print time → the build's date (same length: the offsets stay right)."""

    def stamp(match: re.Match[bytes]) -> bytes:
        zone = match.group(3)
        if re.fullmatch(rb"[+-]\d\d'\d\d'?", zone):
            zone = b"+00'00'"[: len(zone)]
        return b"/%s (D:%s%s)" % (match.group(1), when.strftime("%Y%m%d000000").encode(), zone)

    return _STAMP.sub(stamp, pdf)


def print_pages(folder: Path, pages: Iterable[str], when: date) -> dict[str, bytes]:
    """Output path of each page's PDF → its bytes, printed from the site in `folder`."""
    browser_file = find_browser()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PdfUnavailable("E761") from None
    out: dict[str, bytes] = {}
    page_path = ""
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(browser_file), args=ARGS)
            try:
                tab = browser.new_page()
                for page_path in pages:
                    tab.goto((folder / page_path).as_uri())
                    # a link in the PDF would lead into the new site's folder on this computer
                    tab.evaluate(UNLINK)
                    data = tab.pdf(prefer_css_page_size=True, print_background=True)
                    out[urls.pdf(page_path)] = fixed_stamp(data, when)
            finally:
                browser.close()
    except Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PrintFailed(page_path or str(browser_file), reason) from None
    return out
