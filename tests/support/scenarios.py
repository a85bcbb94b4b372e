"""Answer sheets with scenario picks: an outsider who rates context and trust highly but picks
the outsider's moves, an insider who rates systems thinking low but judges like the evidence;
and numbered members of a cohort of each kind, with calibrated ones beside them."""

from __future__ import annotations

from conftest import make_sheet

from qim_cli.sheets.answers import sheet_to_data
from qim_cli.sheets.models import AnswerSheet


def with_scenarios(sheet: AnswerSheet, picks: dict[str, tuple[str, str]]) -> AnswerSheet:
    data = sheet.model_dump(mode="json", exclude_none=True)
    data["scenarios"] = {sid: {"best": b, "worst": w} for sid, (b, w) in picks.items()}
    return AnswerSheet.model_validate(data)


def key_of(profiles, sid: str, rank: int) -> str:
    return profiles.scenarios[sid].by_rank(rank).key


def outsider(profiles) -> AnswerSheet:
    """A new traditional QIM who rates context and trust highly but picks the outsider's moves."""
    sheet = make_sheet(profiles, background="traditional", years=1,
                       by_competency={"healthcare_context": 5, "trustworthiness": 5})
    picks = {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1))
             for sid in ("sc_healthcare_context_1", "sc_healthcare_context_2", "sc_trustworthiness_1")}
    return with_scenarios(sheet, picks)


def insider(profiles) -> AnswerSheet:
    """A clinical QIM who rates systems and long-term thinking low but judges like the evidence."""
    sheet = make_sheet(profiles, background="clinical", years=8,
                       by_competency={"systems_thinking": 2, "long_term_thinking": 2})
    picks = {sid: (key_of(profiles, sid, 1), key_of(profiles, sid, 4))
             for sid in ("sc_systems_thinking_1", "sc_systems_thinking_2", "sc_long_term_thinking_1")}
    return with_scenarios(sheet, picks)


def _picks(profiles, sids, best_rank: int, worst_rank: int) -> dict:
    return {sid: {"best": profiles.scenarios[sid].by_rank(best_rank).key,
                  "worst": profiles.scenarios[sid].by_rank(worst_rank).key} for sid in sids}


def cohort_outsider(profiles, i: int) -> AnswerSheet:
    """The i-th outsider of a cohort: rates context and trust 5, picks the outsider's moves."""
    sheet = make_sheet(profiles, background="traditional", years=1, rid=f"out-{i}",
                       by_competency={"healthcare_context": 5, "trustworthiness": 5})
    data = sheet_to_data(sheet) | {"scenarios": _picks(
        profiles, ["sc_healthcare_context_1", "sc_healthcare_context_2", "sc_trustworthiness_1"],
        4, 1)}
    return AnswerSheet.model_validate(data)


def cohort_insider(profiles, i: int) -> AnswerSheet:
    """The i-th insider of a cohort: rates systems and long-term thinking 2, judges well."""
    sheet = make_sheet(profiles, background="clinical", years=8, rid=f"in-{i}",
                       by_competency={"systems_thinking": 2, "long_term_thinking": 2})
    data = sheet_to_data(sheet) | {"scenarios": _picks(
        profiles, ["sc_systems_thinking_1", "sc_systems_thinking_2", "sc_long_term_thinking_1"],
        1, 4)}
    return AnswerSheet.model_validate(data)


def cohort_calibrated(profiles, i: int, background: str = "clinical") -> AnswerSheet:
    """The i-th calibrated member: rates 4 and judges one rank off the best."""
    sheet = make_sheet(profiles, background=background, default=4, rid=f"cal-{background}-{i}")
    data = sheet_to_data(sheet) | {"scenarios": _picks(profiles, list(profiles.scenarios), 1, 3)}
    return AnswerSheet.model_validate(data)
