"""Fuzzing the loader: any TOML document, any bytes, any answers give a checked sheet or
qim's own error (one line naming the file and field), never another exception."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qim_cli.errors import QimError
from qim_cli.framework.profiles import bundled_profiles_dir, load_profiles
from qim_cli.sheets.answers import load_sheet, load_sheet_bytes

PROFILES = load_profiles(bundled_profiles_dir())


def _no_raw_control_chars(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)


toml_scalars = st.one_of(
    st.integers(-10, 10), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.text(max_size=20), st.just("na"),
)


toml_values = st.recursive(
    toml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(min_size=1, max_size=12), children, max_size=4)),
    max_leaves=20,
)


keys = st.one_of(st.sampled_from(["schema_version", "respondent", "answers", "importance",
                                  "context", "notes", "rater", "subject"]), st.text(min_size=1, max_size=10))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, toml_values, max_size=6))
def test_arbitrary_toml_documents_raise_only_our_error(doc):
    data = tomli_w.dumps(doc).encode()
    try:
        load_sheet_bytes(data, PROFILES, "fuzz.toml")
    except QimError as exc:
        assert all(line.startswith("fuzz.toml: ") for line in exc.lines)
        assert all(_no_raw_control_chars(line) for line in exc.lines)


@settings(max_examples=examples(300), deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_our_error(data):
    try:
        load_sheet_bytes(data, PROFILES, "bytes.toml")
    except QimError as exc:
        assert exc.lines[0].startswith("bytes.toml: ")


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(st.sampled_from(list(PROFILES.items)),
                       st.one_of(st.integers(-3, 9), st.just("na"), st.text(max_size=3),
                                 st.floats(allow_nan=False)), max_size=10))
def test_arbitrary_answers_are_accepted_or_named(answers):
    base = tomllib.loads((Path(__file__).resolve().parents[2] / "examples" / "nurse-early-career.toml").read_text())
    base["answers"].update(answers)
    try:
        sheet = load_sheet_bytes(tomli_w.dumps(base).encode(), PROFILES, "a.toml")
    except QimError as exc:
        assert all(re.match(r"a\.toml: answers\.\w+: must be 1–5 or \"na\"", line) for line in exc.lines)
    else:
        assert all(v == "na" or (isinstance(v, int) and 1 <= v <= 5) for v in sheet.answers.values())


def test_load_sheet_missing_file_is_not_found(tmp_path):
    from qim_cli.errors import NotFoundError

    with pytest.raises(NotFoundError):
        load_sheet(tmp_path / "nope.toml", PROFILES)
