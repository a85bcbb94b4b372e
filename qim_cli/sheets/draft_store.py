"""Where the drafts of unfinished self-checks live, and who may write them.

One draft per respondent, `drafts/<id>.json` in the state folder (the id in lower case,
so that file systems that ignore case agree). A running session holds an exclusive lock
on its draft (`filelock`: the operating system releases it when the process ends, so a
killed session never leaves a stale lock), and a second session that asks for the same
draft is refused with `DraftInUse` before it can write anything. A session that ends
removes its `.lock` file while it still holds the lock, then releases it (`unlock`). The single
`draft.json` of earlier versions is moved into place the first time it is seen.

No terminal I/O here (no Typer, no Rich).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, NotFinished, WriteError
from ..invocation import command
from ..reading import display_name
from .draft_file import LEGACY_NAME, Draft, discard_draft, load_draft, save_draft, state_dir

if TYPE_CHECKING:
    from filelock import BaseFileLock

DRAFTS_DIR = "drafts"
LEGACY_KEY = LEGACY_NAME  # how the earlier version's draft is named when it cannot be moved


def draft_key(rid: str) -> str:
    """The file name stem of a respondent's draft (ids are ASCII letters, digits, . _ -)."""
    return rid.lower()


def saved_at(draft: Draft) -> str:
    """When a draft was last saved, in local time: `2026-11-24 10:42`."""
    try:
        return datetime.fromisoformat(draft.updated).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return draft.updated


def resume_command(rid: str) -> str:
    import shlex

    return command(f"assess --resume {shlex.quote(rid)}")


class DraftInUse(NotFinished):
    """Another session holds this draft: nothing was written, try again when it is done."""

    def __init__(self, rid: str, draft: Draft | None) -> None:
        when = f" (last saved {saved_at(draft)})" if draft is not None else ""
        self.rid = rid
        self.advice = (f"qim assess: the self-check of {rid} is open in another qim session "
                       f"on this computer{when}. Finish it there, or stop it there with q, "
                       "then run:")
        self.command = resume_command(rid)
        super().__init__(f"{self.advice} {self.command}")


@dataclass(frozen=True)
class Saved:
    """A draft found in the state folder. `draft` is None when it cannot be read."""

    key: str
    path: Path
    draft: Draft | None
    problem: str = ""
    in_use: bool = False

    @property
    def rid(self) -> str:
        rid = self.draft.respondent.get("id") if self.draft is not None else None
        return rid if isinstance(rid, str) and rid else self.key


@dataclass
class Claim:
    """A draft locked by this process."""

    key: str
    path: Path
    lock: BaseFileLock

    def release(self) -> None:
        unlock(self.lock)


def unlock(lock: BaseFileLock) -> None:
    """Release a lock this process holds once, removing its file first.

    The file is removed while the lock is still held, so no other session can hold it
    then; one that opened the file just before finds, once it gets the lock, that the
    file is gone (filelock checks the link count) and opens a new one. On Windows a
    locked file cannot be removed: filelock removes it after the release itself.
    """
    import contextlib
    import os

    if os.name == "posix" and lock.is_locked and lock.lock_counter == 1:
        with contextlib.suppress(OSError):
            Path(lock.lock_file).unlink()
    lock.release()


class DraftStore:
    """The drafts of one state folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else state_dir()

    @property
    def drafts(self) -> Path:
        return self.folder / DRAFTS_DIR

    def path_for(self, rid: str) -> Path:
        return self.drafts / f"{draft_key(rid)}.json"

    @staticmethod
    def _lock(path: Path) -> BaseFileLock:
        from filelock import FileLock

        return FileLock(f"{path}.lock", timeout=0)

    def _make_folder(self) -> None:
        try:
            self.drafts.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"{display_name(self.drafts)}: cannot create the state folder "
                             f"({exc.strerror or exc}); set QIM_STATE_DIR to a writable "
                             "folder") from None

    # ---- locks

    def take(self, rid: str) -> Claim:
        """Lock the draft of `rid` for this process; DraftInUse when another one holds it."""
        from filelock import Timeout

        self._make_folder()
        path = self.path_for(rid)
        lock = self._lock(path)
        try:
            lock.acquire()
        except Timeout:
            try:
                other = load_draft(path)
            except DataError:
                other = None
            raise DraftInUse(rid, other) from None
        except OSError as exc:
            raise WriteError(f"{display_name(path)}.lock: cannot lock the draft "
                             f"({exc.strerror or exc})") from None
        return Claim(draft_key(rid), path, lock)

    def in_use(self, path: Path) -> bool:
        from filelock import Timeout

        lock = self._lock(path)
        try:
            lock.acquire()
        except Timeout:
            return True
        except OSError:  # a folder we may read but not write: nobody can be writing there
            return False
        unlock(lock)
        return False

    # ---- what is saved

    def saved(self) -> list[Saved]:
        """Every draft, the most recently saved first; unreadable ones (with the reason and
        the command that discards them) last."""
        found: list[Saved] = []
        legacy = self._adopt_legacy()
        try:
            paths = sorted(p for p in self.drafts.glob("*.json") if not p.name.startswith("."))
        except OSError:
            paths = []
        for path in paths:
            key = path.stem
            try:
                draft = load_draft(path, command(f"assess --restart {key}"))
            except DataError as exc:
                found.append(Saved(key, path, None, exc.message))
                continue
            if draft is not None:
                found.append(Saved(key, path, draft, in_use=self.in_use(path)))
        if legacy is not None:
            found.append(legacy)
        readable = [s for s in found if s.draft is not None]
        readable.sort(key=lambda s: s.draft.updated if s.draft else "", reverse=True)
        return readable + [s for s in found if s.draft is None]

    def keys(self) -> list[str]:
        """The names of the saved drafts, without reading or locking them (for shell
        completion)."""
        try:
            return sorted(p.stem for p in self.drafts.glob("*.json") if not p.name.startswith("."))
        except OSError:
            return []

    def find(self, rid: str) -> Saved | None:
        key = draft_key(rid)
        return next((s for s in self.saved() if s.key.lower() == key), None)

    def _adopt_legacy(self) -> Saved | None:
        """Move the earlier version's `draft.json` to the drafts of its respondent. When it
        cannot be moved (unreadable, no id, or that respondent has a draft already) it is
        left where it is and returned, with the reason, to be listed."""
        legacy = self.folder / LEGACY_NAME
        if not legacy.exists():
            return None
        discard = command(f"assess --restart {LEGACY_KEY}")
        try:
            draft = load_draft(legacy, discard)
        except DataError as exc:
            return Saved(LEGACY_KEY, legacy, None, exc.message)
        if draft is None:
            return None
        rid = draft.respondent.get("id")
        if not isinstance(rid, str) or not rid:
            return Saved(LEGACY_KEY, legacy, None, f"{display_name(legacy)}: a draft of an "
                         f"earlier version without a respondent id; `{discard}` discards it")
        try:
            claim = self.take(rid)
        except (DraftInUse, WriteError):
            return None  # tried again next time
        try:
            if claim.path.exists():
                return Saved(LEGACY_KEY, legacy, None, f"{display_name(legacy)}: a draft of an "
                             f"earlier version for {rid}, who has a newer one; `{discard}` "
                             "discards the earlier one")
            legacy.replace(claim.path)
        except OSError:
            return None
        finally:
            claim.release()
        return None


class Session:
    """The draft that one running self-check writes, locked from the moment its
    respondent id is known. When the person goes back and changes the id, the draft
    moves: it is saved under the new id (locked first), and only then is the old file
    removed and its lock released."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store
        self.claim: Claim | None = None
        self._stale: list[Claim] = []

    @property
    def path(self) -> Path | None:
        return self.claim.path if self.claim is not None else None

    def holds(self, rid: str) -> bool:
        return self.claim is not None and self.claim.key == draft_key(rid)

    def adopt(self, claim: Claim) -> None:
        """Write to the draft of `claim` from now on (see `DraftStore.take`)."""
        old, self.claim = self.claim, claim
        if old is not None and old.key != claim.key:
            self._stale.append(old)

    def save(self, draft: Draft) -> None:
        """Save atomically (WriteError leaves every earlier draft as it was)."""
        if self.claim is None:
            return  # nothing to save before the id, which is the first question
        save_draft(draft, self.claim.path)
        while self._stale:
            old = self._stale.pop()
            discard_draft(old.path)
            old.release()

    def discard(self) -> None:
        if self.claim is not None:
            discard_draft(self.claim.path)

    def release(self) -> None:
        """Release the locks (the draft stays)."""
        for claim in [*self._stale, *([self.claim] if self.claim else [])]:
            claim.release()
        self._stale.clear()
        self.claim = None
