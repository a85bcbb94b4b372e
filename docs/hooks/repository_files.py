"""Links from the documentation to files of the repository outside docs/ (an mkdocs hook).

A page links to a repository file as GitHub resolves it, relative to the page's own file
(`![...](../../../examples/reports/cohort-desktop.png)` from docs/guides/qim/report.md),
so docs/ reads right on GitHub. A file included whole by a page of the site
(`{% include-markdown "../../ARCHITECTURE.md" %}`) is linked the same way; the include
plugin rewrites the links of included files so that they are relative to the page too.

When the site is built, such a link is served:
- to the page that includes the file, when a page includes it whole (ARCHITECTURE.md is
  the page development/architecture.md);
- otherwise to a copy of the file, made at build time under `repository/` in the site
  (pictures and example reports are not duplicated in git).
A link to a repository file that does not exist is a warning, so `mkdocs build --strict`
fails on it like on any broken link.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path, PurePosixPath

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.repository_files")

COPIES = "repository"
# the target of [text](target) and ![alt](target) (a picture inside a link too), with an
# optional "title"; not inside code
LINK = re.compile(r"(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
INCLUDE = re.compile(r"\{%\s*include-markdown\s+\"([^\"]+)\"(\s[^%]*)?%\}")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")

_state: dict[str, object] = {}


class _Copy(File):
    """A repository file served as it is: an example report in Markdown is shown as the
    text that qim wrote, not rendered as a page of the site."""

    def is_documentation_page(self) -> bool:
        return False


def _outside_code(markdown: str):
    """Yield (is_code, chunk) for the fenced code blocks and the text between them."""
    chunk: list[str] = []
    fence = ""
    for line in markdown.splitlines(keepends=True):
        match = FENCE.match(line)
        if not fence and match:
            if chunk:
                yield False, "".join(chunk)
            chunk, fence = [line], match.group(1)
            continue
        chunk.append(line)
        if fence and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                and line.strip() == match.group(1):
            yield True, "".join(chunk)
            chunk, fence = [], ""
    if chunk:
        yield bool(fence), "".join(chunk)


def _included_whole(pages: list[File], docs: Path) -> dict[Path, str]:
    """Repository files that a page includes whole -> that page's src_uri."""
    included: dict[Path, str] = {}
    for page in pages:
        text = Path(page.abs_src_path).read_text(encoding="utf-8")
        for match in INCLUDE.finditer(text):
            if match.group(2) and ("start=" in match.group(2) or "end=" in match.group(2)):
                continue
            path = (Path(page.abs_src_path).parent / match.group(1)).resolve()
            included[path] = page.src_uri
    return included


def on_files(files: Files, config) -> Files:
    docs = Path(config["docs_dir"]).resolve()
    root = Path(config["config_file_path"]).resolve().parent
    pages = [f for f in files.documentation_pages() if f.abs_src_path]
    included = _included_whole(pages, docs)
    # every relative link of every page, and of the files they include, read now: a copy
    # must be among the site's files before any page is rendered
    wanted: set[Path] = set()
    for page in pages:
        sources = [(page.src_uri, Path(page.abs_src_path).read_text(encoding="utf-8"))]
        for match in INCLUDE.finditer(sources[0][1]):
            path = (Path(page.abs_src_path).parent / match.group(1)).resolve()
            if path.is_file():
                sources.append((PurePosixPath(page.src_uri).parent.joinpath(match.group(1)).as_posix(),
                                path.read_text(encoding="utf-8")))
        for src, text in sources:
            for is_code, chunk in _outside_code(text):
                if is_code:
                    continue
                for match in LINK.finditer(CODE_SPAN.sub("", chunk)):
                    # a link of an included file is relative to that file
                    base = (docs / PurePosixPath(src).parent).resolve()
                    url = match.group(2)
                    target = _target_from(base, url, docs, root)
                    if target is not None and target not in included and target.is_file():
                        wanted.add(target)
    for target in sorted(wanted):
        src_uri = f"{COPIES}/{target.relative_to(root).as_posix()}"
        if files.get_file_from_path(src_uri) is None:
            files.append(_Copy.generated(config, src_uri, abs_src_path=str(target)))
    _state.update(docs=docs, root=root, included=included)
    return files


def _target_from(base: Path, url: str, docs: Path, root: Path) -> Path | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith(("#", "/")):
        return None
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    resolved = (base / path).resolve()
    if resolved.is_relative_to(docs) or not resolved.is_relative_to(root):
        return None
    return resolved


def on_page_markdown(markdown: str, page, config, files) -> str:
    docs: Path = _state["docs"]  # type: ignore[assignment]
    root: Path = _state["root"]  # type: ignore[assignment]
    included: dict[Path, str] = _state["included"]  # type: ignore[assignment]
    here = PurePosixPath(page.file.src_uri).parent

    def rewrite(match: re.Match[str]) -> str:
        url = match.group(2)
        target = _target_from((docs / here).resolve(), url, docs, root)
        if target is None:
            return match.group(0)
        fragment = "#" + url.split("#", 1)[1] if "#" in url else ""
        if target in included:
            new = posixpath.relpath(included[target], here.as_posix() or ".")
        elif target.is_file():
            copy = f"{COPIES}/{target.relative_to(root).as_posix()}"
            new = posixpath.relpath(copy, here.as_posix() or ".")
        else:
            log.warning("%s: the link %r points at %s, which is not in the repository",
                        page.file.src_uri, url, target.relative_to(root))
            return match.group(0)
        return f"{match.group(1)}{new}{fragment}{match.group(3)}"

    return "".join(chunk if is_code else _outside_spans(chunk, lambda text: LINK.sub(rewrite, text))
                   for is_code, chunk in _outside_code(markdown))


def _outside_spans(text: str, change) -> str:
    """`change` applied to the text between inline code spans, which are kept as they are."""
    out, at = [], 0
    for span in CODE_SPAN.finditer(text):
        out += [change(text[at:span.start()]), span.group(0)]
        at = span.end()
    return "".join(out + [change(text[at:])])
