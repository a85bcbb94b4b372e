"""Calibration in a batch (cohort/calibration.py): a record keeps two bytes per competency
only when scenarios were answered, agrees with the person's report, and the note rule and
the kind of a person are the same as in the report."""

from __future__ import annotations

from conftest import make_sheet
from hypothesis import given
from hypothesis import strategies as st
from support.scenarios import cohort_outsider

from qim_cli.assessment.calibration import (
    decode_differences,
    judgement,
    note_for,
    note_of_hundredths,
)
from qim_cli.cohort.batch import record_from_sheet


def test_record_keeps_two_bytes_per_competency_only_when_scenarios_were_answered(profiles):
    plain = record_from_sheet(make_sheet(profiles), profiles, "x")
    assert plain.calibration == b""
    rec = record_from_sheet(cohort_outsider(profiles, 1), profiles, "x")
    assert len(rec.calibration) == 2 * len(profiles.competencies)
    diffs = dict(zip(profiles.competencies, decode_differences(rec.calibration), strict=True))
    assert diffs["healthcare_context"] == 400 and diffs["trustworthiness"] == 400
    assert all(v is None for k, v in diffs.items() if k not in ("healthcare_context", "trustworthiness"))




@given(st.integers(4, 20), st.integers(0, 6), st.integers(1, 2))
def test_note_rule_is_the_same_in_the_report_and_the_batch(quarters, thirds, scenarios):
    """Self scores are means of up to five answers; judgements come in sixths of scenarios."""
    self_score = round(quarters / 4, 2)
    judged = judgement(min(thirds * scenarios, 6 * scenarios), scenarios)
    assert note_for(self_score, judged) == note_of_hundredths(round((self_score - judged) * 100))


