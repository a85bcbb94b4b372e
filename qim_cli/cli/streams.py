"""Standard output and standard error in any encoding.

Two kinds of output leave qim:

* **data** (JSON, JSON lines, CSV, Markdown, HTML, TOML, JSON Schema): always UTF-8
  bytes, written to the byte layer of standard output, so that `> file` holds exactly
  what `-o file` writes, whatever the console's code page or the locale;
* **text for people** (tables, messages, prompts, errors): written in the stream's own
  encoding. A character that encoding cannot show is written as a plain equivalent
  (">=" for "≥", "->" for "→", "?" as the last resort) by the error handler that
  `setup` installs on standard output and standard error, once, for every command.

Only the standard library is imported here: the command line imports it at start-up.
"""

from __future__ import annotations

import codecs
import sys
from typing import IO

#: the name under which the handler is registered with `codecs.register_error`
HANDLER = "qim-plain"

#: plain (ASCII) equivalents of the characters qim's text and its users' names use
PLAIN: dict[str, str] = {
    "≥": ">=", "≤": "<=", "≠": "!=", "≈": "~", "±": "+/-", "×": "x", "÷": "/",
    "−": "-", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "--", "―": "--",
    "→": "->", "←": "<-", "↔": "<->", "⇒": "=>", "↳": "->", "↑": "^", "↓": "v",
    "…": "...", "·": ".", "•": "*", "◆": "*", "◇": "*", "●": "*", "○": "o", "■": "#", "†": "+",
    "▲": "^", "▼": "v", "✓": "v", "✔": "v", "✗": "x", "✘": "x",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
    "‹": "<", "›": ">", "«": "<<", "»": ">>", "′": "'", "″": '"',
    # "360° feedback" is written "360 feedback" in plain text
    "°": "", "⁄": "/", "€": "EUR", "£": "GBP", "©": "(c)", "®": "(R)", "™": "TM",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d",
    # the bars of the terminal report
    "█": "#", "▉": "#", "▊": "#", "▋": "#", "▌": "#", "▍": "#", "▎": "#", "▏": "#",
    "▐": "#", "▓": "#", "▒": ":", "░": ".",
    "\ufffd": "?",
}


def _box(ch: str, name: str) -> str | None:
    """Box-drawing characters (U+2500-U+257F, the lines of a table) as - | + / \\ X."""
    if not 0x2500 <= ord(ch) <= 0x257F:
        return None
    words = set(name.split())
    if "DIAGONAL" in words:
        return "X" if "CROSS" in words else "/" if "UPPER RIGHT" in name else "\\"
    across = bool(words & {"LEFT", "RIGHT", "HORIZONTAL"})
    down = bool(words & {"UP", "DOWN", "VERTICAL"})
    return "+" if across and down else "|" if down else "-"


def plain(ch: str) -> str:
    """One character as plain ASCII: the table above, box drawing, the letter without its
    accents ("é" -> "e"), or "?" as the last resort."""
    if ch.isascii():
        return ch
    if ch in PLAIN:
        return PLAIN[ch]
    if 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate (an undecodable byte of a file name)
        return "?"
    import unicodedata

    box = _box(ch, unicodedata.name(ch, ""))
    if box is not None:
        return box
    bare = "".join(PLAIN.get(c, c) for c in unicodedata.normalize("NFKD", ch)
                   if not unicodedata.combining(c))
    if bare and bare.isascii() and bare.isprintable():
        return bare
    return "?"


def plain_text(text: str) -> str:
    """All of `text` with every non-ASCII character made plain (see `plain`)."""
    return "".join(plain(ch) for ch in text)


def _plain_errors(exc: UnicodeError) -> tuple[str, int]:
    """The codec error handler: what cannot be encoded is written as its plain form."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return plain_text(exc.object[exc.start:exc.end]), exc.end


def register() -> None:
    """Make the handler known to codecs under HANDLER (once)."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _plain_errors)


def setup() -> None:
    """Make text for people unable to fail on an encoding: standard output and standard
    error keep their encoding and gain the plain-equivalent error handler; what a person
    types that standard input's encoding cannot decode becomes U+FFFD instead of an error
    (answer sheets themselves are read as bytes, never through it)."""
    register()
    for stream, errors in ((sys.stdout, HANDLER), (sys.stderr, HANDLER), (sys.stdin, "replace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # not a TextIOWrapper (an embedding program's stream)
            continue
        try:
            reconfigure(errors=errors)
        except (ValueError, OSError):  # closed, or a stream that refuses
            continue


#: SetConsoleMode's flag that makes a Windows console interpret ANSI escapes (colours)
ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004


def windows_ansi(stream: IO[str]) -> bool:
    """Whether a Windows console shows ANSI colours, switching them on where it can
    (Windows 10 and later); False for an older console or anything that is not a console,
    whose colour is then left out rather than shown as escape codes."""
    if sys.platform != "win32":  # (the type checker reads what follows as Windows' only)
        return False
    try:
        import ctypes
        import msvcrt

        kernel32 = ctypes.windll.kernel32
        handle = msvcrt.get_osfhandle(stream.fileno())
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        if mode.value & ENABLE_VIRTUAL_TERMINAL_PROCESSING:
            return True
        return bool(kernel32.SetConsoleMode(handle, mode.value | ENABLE_VIRTUAL_TERMINAL_PROCESSING))
    except (ImportError, AttributeError, OSError, ValueError):
        return False


class DataOut:
    """Standard output for data: text in, UTF-8 bytes out, no newline translation.

    What a writer writes here are the bytes `-o FILE` would hold (the atomic writer
    opens its file as UTF-8 with ``newline=""``).
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._text = stream if stream is not None else sys.stdout
        self._text.flush()  # anything already written as text comes first
        self._bytes = getattr(self._text, "buffer", None)

    def write(self, text: str) -> int:
        if self._bytes is None:  # a text-only stream: it gets the text
            return self._text.write(text)
        self._bytes.write(text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        (self._bytes if self._bytes is not None else self._text).flush()


def write_data(text: str) -> None:
    """All of `text` to standard output as UTF-8 bytes (see `DataOut`)."""
    out = DataOut()
    out.write(text)
    out.flush()
