"""Printing an HTML report to PDF: the page printed by WeasyPrint, with the same A4 print
stylesheet (margins, page breaks, the "Page N of M" footer) a browser prints it with.

WeasyPrint is an optional extra (`pip install 'qim[pdf]'`), imported only here and only
when a PDF is asked for; without it (or without the system libraries it loads, Pango),
`Unavailable` names the command that installs it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from ..errors import Unavailable

#: what to install: the extra, in the environment of the Python that runs qim
EXTRA = "qim[pdf]"


def _weasyprint() -> Any:
    """WeasyPrint, or Unavailable with the one line that says how to get it."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: a system library (Pango) is missing
        from ..invocation import pip_install

        why = "is not installed" if isinstance(exc, ImportError) else \
            f"cannot load a system library it needs ({exc})"
        raise Unavailable(f"PDF output needs WeasyPrint, which {why}; install it with: "
                          f"{pip_install(EXTRA)}") from None
    return weasyprint


def check_available() -> None:
    """Raise Unavailable now, before any work, when a PDF cannot be made."""
    _weasyprint()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """WeasyPrint's and fontTools' warnings (a CSS property they skip, a font subset) are
    not the person's business: kept off standard error while the PDF is made."""
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
        lg.propagate = False
    try:
        yield
    finally:
        for lg, (level, propagate) in zip(loggers, saved, strict=True):
            lg.setLevel(level)
            lg.propagate = propagate


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML report (inline stylesheet and pictures) as PDF bytes, printed
    for A4 by its `@media print` rules; nothing is fetched from anywhere."""
    weasyprint = _weasyprint()

    def no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"{url}: qim's reports load nothing from outside")

    with _quiet():
        document = weasyprint.HTML(string=html, url_fetcher=no_fetching, media_type="print")
        data: bytes = document.write_pdf()
    return data
