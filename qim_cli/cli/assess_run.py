"""The questions of `qim assess`: one screen per step, the answer typed after a prompt,
the draft saved after every answer. Everything goes to standard error, wrapped to the
person's terminal (terminal.py); the command itself is in assess.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .terminal import LineReader, command_lines, prompt_lines, put, say, wrap

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.draft_file import Draft
    from ..sheets.draft_store import DraftStore, Session
    from ..sheets.flow import Step


class Quit(Exception):
    """The person typed q: saved, not finished."""


class CannotSave(Exception):
    """An answer could not be saved and the person chose to stop (the earlier draft is
    intact)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Run:
    """One session's state: the steps, the draft, who holds it, what was saved."""

    steps: list[Step]
    draft: Draft
    profiles: Profiles
    store: DraftStore
    session: Session
    out: str | None = None  # --out of this command line (an absolute path)
    format: str | None = None  # --format of this command line
    scenarios: bool = False  # --scenarios on this command line
    reader: LineReader = field(default_factory=LineReader)
    saved_answers: int | None = None  # questions answered in the draft on disk (None: none)

    def apply_options(self) -> None:
        """Options given now replace those remembered in the draft; a self-check begun
        with the scenarios asks them, whether or not `--scenarios` is given again."""
        if self.out is not None:
            self.draft.out = self.out
        if self.format is not None:
            self.draft.format = self.format
        if self.scenarios:
            self.draft.with_scenarios = True
        if self.draft.with_scenarios and not any(s.section == "scenarios" for s in self.steps):
            from ..sheets.flow import build_steps

            self.steps = build_steps(self.profiles, scenarios=True)

    @property
    def total(self) -> int:
        return sum(1 for s in self.steps if s.is_question)

    def ask(self, keys: str, room: int = 4, tail: str = "") -> str:
        lead, last = prompt_lines(keys, tail, room=room)
        put(lead)
        return self.reader.read(last)

    def save(self) -> None:
        """Save the draft; when that fails, say what happened and offer to try again
        (the draft on disk keeps every earlier answer)."""
        from ..errors import WriteError

        while True:
            try:
                self.session.save(self.draft)
            except WriteError as exc:
                kept = (f"the saved self-check keeps its {self.saved_answers} earlier answers, "
                        "unchanged" if self.saved_answers is not None else "nothing was saved yet")
                say(f"Could not save your last answer: {exc.message}. Nothing is lost yet: "
                    f"{kept}, and this session still has every answer.", indent="  ↳ ", hang="    ")
                while True:
                    reply = self.ask("Enter tries again (free some space first), q stops",
                                     room=2).strip().lower()
                    if reply in ("", "q"):
                        break
                if reply == "q":
                    raise CannotSave(exc.message) from None
                continue
            if self.session.path is not None:
                self.saved_answers = self.draft.answered
            return


FORMAT_NAMES = {"table": "as text", "json": "as JSON", "markdown": "as Markdown",
                "html": "as HTML", "pdf": "as PDF"}


def finish_plan(run: Run) -> str:
    """What happens at the end, e.g. when a saved self-check is continued."""
    from .terminal import shown_path, stdout_file

    draft = run.draft
    if draft.out:
        sheet = f"saved as {shown_path(draft.out)}"
    else:
        rid = draft.respondent.get("id") or "<id>"
        sheet = f"saved as qim-{rid}-<date>.toml in this folder"
    import sys

    redirected = stdout_file()
    if redirected is not None:
        where = f"written to {redirected}"
    elif sys.stdout.isatty():
        where = "shown here"
    else:
        where = "written to standard output"
    fmt = FORMAT_NAMES.get(draft.format or "table", draft.format or "")
    return f"When you finish, your answer sheet is {sheet}, and the report is {where} {fmt}."


# --------------------------------------------------------------------------- one screen


def shown(step: Step, value: object, opts: list[tuple[str, str]]) -> str:
    """An earlier answer as the person sees it, e.g. `3 Sometimes`."""
    if step.kind == "scale":
        if value == "na":
            return "n"
        return f"{value} {step.labels[int(str(value)) - 1]}"
    if step.kind == "choice":
        for n, (oid, label) in enumerate(opts, 1):
            if oid == value:
                return f"{n} {label}"
    if step.kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "(left out)" if value is None else str(value)


def _pack(entries: list[str], indent: str = "    ", gap: str = "   ") -> list[str]:
    """Scale labels side by side, never breaking inside a label."""
    from .terminal import person_width

    width = person_width()
    lines: list[str] = []
    line = ""
    for entry in entries:
        candidate = entry if not line else line + gap + entry
        if line and len(indent) + len(candidate) > width:
            lines.append(indent + line)
            line = entry
        else:
            line = candidate
    if line:
        lines.append(indent + line)
    # a single label longer than the line is wrapped at its spaces
    return [part for ln in lines for part in wrap(ln.strip(), indent=indent, hang=indent + "  ")]


def screen(run: Run, i: int, opts: list[tuple[str, str]]) -> None:
    from ..sheets.flow import questions_left, time_left

    step = run.steps[i]
    say()
    if step.is_question:
        say(" › ".join(x for x in (step.theme, step.competency) if x))
        left = questions_left(run.steps, run.draft, run.profiles)
        say(f"question {step.number} of {step.total} · {time_left(left)}")
        say(step.text, indent="  ")
        if step.scale_name:
            say(step.scale_name, indent="  ")
        if step.kind == "option":  # a scenario's responses, a letter each, one per line
            for key, label in zip(step.keys, step.labels, strict=True):
                mark = "" if any(k == key for k, _ in opts) else " (your most likely)"
                say(f"{key}  {label}{mark}", indent="    ", hang="       ")
            return
        entries = [f"{n} {label}" for n, label in enumerate(step.labels, 1)]
        if step.allow_na:
            entries.append(f"n {step.na_label}")
        put(_pack(entries))
    else:
        details = sum(1 for s in run.steps if not s.is_question)
        say(f"About you · {i + 1} of {details}")
        say(step.text, indent="  ")
        for n, (_oid, label) in enumerate(opts, 1):
            say(f"{n} {label}", indent="    ", hang="      ")


def keys_of(step: Step) -> str:
    if step.kind == "scale":
        keys = "1–5, n" if step.allow_na else "1–5"
    elif step.kind == "choice":
        keys = "number"
    elif step.kind == "option":  # b is a response here: back takes the word
        return f"{step.keys[0]}–{step.keys[-1]}, back, ? help, q quit"
    else:
        keys = "answer"
    return f"{keys}, b back, ? help, q quit"


# --------------------------------------------------------------------------- the id


def _take_id(run: Run, rid: str) -> str | None:
    """Hold the draft of the id typed; None when it is settled, else a hint to show
    before asking again. A saved self-check under that id can be continued (when this
    session has nothing else yet) or started over; one in use elsewhere is refused."""
    from ..errors import DataError
    from ..sheets.draft_file import load_draft
    from ..sheets.draft_store import DraftInUse, resume_command, saved_at

    if run.session.holds(rid):
        run.draft.set("respondent.id", rid)
        return None
    try:
        claim = run.store.take(rid)
    except DraftInUse:
        return (f"{rid} is in use by another qim session on this computer: type another "
                f"id, or q (and finish that session, or run `{resume_command(rid)}` later)")
    try:
        existing = load_draft(claim.path)
    except DataError as exc:
        claim.release()
        return f"{exc.message}; or type another id"
    if existing is None:
        run.draft.set("respondent.id", rid)
        run.session.adopt(claim)
        return None
    fresh = set(run.draft.respondent) <= {"id"} and run.draft.answered == 0
    if not fresh:
        claim.release()
        return f"another saved self-check uses the id {rid}: type another id"
    say(f"A saved self-check of {rid} was found ({existing.answered} of {run.total} questions "
        f"answered, last saved {saved_at(existing)}).", indent="  ")
    while True:
        reply = run.ask("r continue it, s start over (discards it), Enter another id, q quit",
                        room=2).strip().lower()
        if reply == "r":
            run.session.adopt(claim)
            run.draft = existing
            run.apply_options()
            say(finish_plan(run), indent="  ")
            return None
        if reply == "s":
            from ..sheets.draft_file import discard_draft

            discard_draft(claim.path)
            run.draft.set("respondent.id", rid)
            run.session.adopt(claim)
            say(f"Discarded the saved self-check of {rid}; starting again.", indent="  ")
            return None
        if reply == "":
            claim.release()
            return "type another id"
        if reply == "q":
            claim.release()
            say(f"The saved self-check of {rid} is kept as it was. Continue it with:",
                indent="  ")
            put(command_lines(resume_command(rid), indent="    "))
            raise Quit
        say("type r, s, Enter, or q", indent="  ↳ ", hang="    ")


# --------------------------------------------------------------------------- the loop


def ask_questions(run: Run, start: int) -> None:
    """Ask from step `start` until every step is answered; save after every answer."""
    from ..sheets.flow import answered, choices, first_unanswered, interpret, next_index

    i: int | None = start
    furthest = start
    while i is not None:
        furthest = max(furthest, i)
        step = run.steps[i]
        opts = choices(step, run.draft, run.profiles)
        earlier = answered(step, run.draft, run.profiles)
        default = shown(step, run.draft.get(step.key), opts) if earlier else None
        screen(run, i, opts)
        while True:
            room = 24 if step.kind == "text" else 4
            tail = f"[Enter keeps {default}]" if default is not None else ""
            reply = interpret(step, run.ask(keys_of(step), room=room, tail=tail),
                              has_earlier=earlier, opts=opts)
            if reply.action == "invalid":
                say(reply.hint, indent="  ↳ ", hang="    ")
                continue
            if reply.action == "help":
                say(step.help, indent="    ")
                continue
            if reply.action == "quit":
                raise Quit
            if reply.action == "back":
                if i == 0:
                    say("this is the first question", indent="  ↳ ")
                    continue
                i -= 1
                break
            if reply.action == "answer" and step.key == "respondent.id":
                hint = _take_id(run, reply.value)
                if hint is not None:
                    say(hint, indent="  ↳ ", hang="    ")
                    continue
                if run.draft.answered:  # continuing a saved self-check found under this id
                    i = first_unanswered(run.steps, run.draft, run.profiles)
                    furthest = i if i is not None else furthest
                    run.draft.position = run.steps[i].key if i is not None else None
                    run.save()
                    break
            elif reply.action == "answer":
                run.draft.set(step.key, reply.value)
            nxt = next_index(run.steps, run.draft, run.profiles, i, furthest)
            run.draft.position = run.steps[nxt].key if nxt is not None else None
            run.save()
            i = nxt
            break
