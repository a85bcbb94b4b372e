"""Which draft a `qim assess` session writes: a new self-check, or a saved one chosen
from the list, by id, or by --resume / --restart. See assess.py for the command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sheets.draft_store import Saved
    from .assess_run import Run


class Nothing(Exception):
    """q at a choice before anything started: nothing changed (`said`: and that was
    already told)."""

    def __init__(self, said: bool = False) -> None:
        super().__init__()
        self.said = said


def _entry(s: Saved, total: int) -> str:
    from ..sheets.draft_store import saved_at

    if s.draft is None:
        return f"{s.key}: cannot be read"
    busy = ", open in another session" if s.in_use else ""
    return (f"{s.rid}: {s.draft.answered} of {total} answered, last saved "
            f"{saved_at(s.draft)}{busy}")


def _pick(run: Run, saved: list[Saved], *, offer_new: bool, verb: str) -> Saved | None:
    """Let the person pick a saved draft by number or id; None: a new self-check."""
    from .terminal import say

    say("Saved self-checks on this computer, the latest first:")
    for n, s in enumerate(saved, 1):
        say(_entry(s, run.total), indent=f"  {n} ", hang=" " * len(f"  {n} "))
    keys = f"number or id to {verb}"
    keys += ", Enter for a new self-check, q quit" if offer_new else ", q quit"
    while True:
        reply = run.ask(keys, room=12).strip()
        if reply.lower() == "q":
            raise Nothing
        if reply == "" and offer_new:
            return None
        chosen = (saved[int(reply) - 1] if reply.isdigit() and 1 <= int(reply) <= len(saved)
                  else next((s for s in saved if s.key.lower() == reply.lower()), None))
        if chosen is None:
            say(f"type a number from 1 to {len(saved)}, or an id from the list",
                indent="  ↳ ", hang="    ")
            continue
        return chosen


def _continue(run: Run, s: Saved) -> None:
    """Continue a saved draft: lock it (DraftInUse when another session holds it), read
    it again under the lock, apply today's options, and say what will happen."""
    from ..sheets.draft_file import load_draft
    from .assess_run import finish_plan
    from .terminal import say

    claim = run.store.take(s.rid)
    try:
        from ..invocation import command

        draft = load_draft(claim.path, command(f"assess --restart {s.key}"))
    except BaseException:
        claim.release()
        raise
    if draft is None:  # finished or discarded meanwhile
        claim.release()
        say(f"The self-check of {s.rid} is no longer saved; starting a new one.")
        return
    run.session.adopt(claim)
    run.draft = draft
    run.saved_answers = draft.answered
    run.apply_options()
    from ..sheets.draft_store import saved_at

    say(f"Continuing the self-check of {s.rid}: {draft.answered} of {run.total} questions "
        f"answered, last saved {saved_at(draft)}.")
    say(finish_plan(run))


def _start_as(run: Run, rid: str) -> None:
    """A new self-check under an id given on the command line."""
    run.session.adopt(run.store.take(rid))
    run.draft.set("respondent.id", rid)
    run.save()


def _restart(run: Run, saved: list[Saved], rid: str | None, yes: bool) -> None:
    from ..sheets.draft_file import discard_draft
    from ..sheets.draft_store import LEGACY_KEY
    from .terminal import say

    if rid is not None:
        target = next((s for s in saved if s.key.lower() == rid.lower()), None)
    elif len(saved) > 1:
        target = _pick(run, saved, offer_new=False, verb="discard")
    else:
        target = saved[0] if saved else None
    if target is None:
        say("There is no saved self-check to discard; starting a new one.")
        if rid is not None:
            _start_as(run, rid)
        return
    claim = run.store.take(target.key) if target.key != LEGACY_KEY else None
    what = _entry(target, run.total) if target.draft else f"{target.key}, which cannot be read"
    if not yes and not _confirm(run, f"Discard the saved self-check ({what})?"):
        if claim is not None:
            claim.release()
        from ..sheets.draft_store import resume_command
        from .terminal import command_lines, put

        say("Kept it. Continue it with:")
        put(command_lines(resume_command(target.rid)))
        raise Nothing(said=True)
    discard_draft(target.path)
    say(f"Discarded the saved self-check of {target.rid}.")
    if claim is not None and rid is not None:
        run.session.adopt(claim)
        run.draft.set("respondent.id", rid)
        run.save()
    elif claim is not None:
        claim.release()


def _confirm(run: Run, question: str) -> bool:
    from .terminal import say

    say(question)
    while True:
        answer = run.ask("y yes, n or Enter no", room=4).strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("", "n", "no"):
            return False
        say("type y or n", indent="  ↳ ")


def open_draft(run: Run, rid: str | None, resume: bool, restart: bool, yes: bool) -> None:
    """Settle which draft this session writes (run.draft / run.session)."""
    from ..errors import NotFoundError
    from ..sheets.draft_store import DraftInUse
    from .terminal import say

    saved = run.store.saved()
    for s in saved:
        if s.problem:
            say(s.problem)
    if restart:
        _restart(run, saved, rid, yes)
        return
    usable = [s for s in saved if s.draft is not None]
    if rid is not None:
        found = next((s for s in usable if s.key.lower() == rid.lower()), None)
        if found is not None:
            _continue(run, found)
        elif resume:
            names = ", ".join(s.rid for s in usable) or "none"
            from ..invocation import command

            raise NotFoundError(f"qim assess: there is no saved self-check of {rid} (saved: "
                                f"{names}); `{command(f'assess {rid}')}` starts one")
        else:
            _start_as(run, rid)
        return
    if not usable:
        if resume:
            say("There is no saved self-check to resume; starting a new one.")
        return
    if resume and len(usable) == 1:
        _continue(run, usable[0])
        return
    while True:
        chosen = _pick(run, usable, offer_new=not resume, verb="continue")
        if chosen is None:
            return
        try:
            _continue(run, chosen)
            return
        except DraftInUse as exc:
            say(exc.message, indent="  ↳ ", hang="    ")
