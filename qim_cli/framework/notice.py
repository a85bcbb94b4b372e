"""The collection notice: what qim collects, who sees what, and what it is for, written
once and shown wherever answers are collected (`qim assess`, the offline form, the REDCap
dictionary, the blank sheet) and, in one line, at the foot of every report.

The reference is New Zealand's Privacy Act 2020, information privacy principle 3
(collection of information from the subject): a person asked for information should know
that it is being collected, why, who will receive it, who holds it, whether answering is
voluntary and what happens if they do not answer, and that they may ask to see and
correct it. The words are qim's own; the organisation that collects the answers is the
agency that holds them and should name itself and a contact where it hands qim out.
"""

from __future__ import annotations

#: the heading of the notice
TITLE = "About your answers"

#: the notice, one paragraph per point of IPP 3, in order
PARAGRAPHS: tuple[str, ...] = (
    "What is collected: how often you do things in quality improvement work and how "
    "important you rate each competency, any scenario answers, your view of your workplace, "
    "and your background, role and experience (a workplace sheet asks only your level of "
    "staff and your view of the workplace).",
    "What it is for: development. A self-check gives you a development plan to discuss with "
    "your appraiser or trainer; workplace answers show an organisation the conditions for "
    "improvement. Your answers are not for selection, performance ratings or disciplinary "
    "decisions, and must never be used for them.",
    "Who sees what: your own report is yours to share. If your organisation gathers the "
    "sheets of a group, trainers see group figures only, with groups and counts of fewer than "
    "5 people withheld; a board sees the organisation's view, never one person's answers; a "
    "pairing list shows partners what each person brings, never what a person lacks.",
    "Your choice: answering is voluntary, and any question can be left as \"na\" (not "
    "applicable or don't know); nothing happens to you if you do not answer. qim itself runs "
    "on your computer and sends nothing anywhere. Ask whoever gave you qim who holds your "
    "answers, and ask them to see or correct what they hold.",
    "Reference: New Zealand Privacy Act 2020, information privacy principle 3 (collection of "
    "information from the person concerned).",
)

#: the notice as one block of text
TEXT = f"{TITLE}. " + " ".join(PARAGRAPHS)

#: the one line every report ends with
FOOTER = ("For development, not performance management or selection: see \"Using qim "
          "fairly\" (collection notice: NZ Privacy Act 2020, IPP 3).")
