"""Write the hostile answer-sheet corpus (tests/support/hostile/sheets/*.toml) from the nurse example.

Run from the repository root: python tests/support/hostile/make_sheets.py
The expected message of each case is kept in tests/support/hostile/sheets/expected.json and
checked by tests/cli/test_hostile.py; review it by eye whenever a case is added.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent / "sheets"
BASE = (ROOT / "examples" / "nurse-early-career.toml").read_text()


def sub(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


TEXT_CASES: dict[str, str] = {
    "syntax-missing-bracket": sub("[answers]", "[answers"),
    "syntax-unterminated-string": sub('role = "nurse"', 'role = "nurse'),
    "syntax-duplicate-key": sub("hc_02 = 5", "hc_02 = 5\nhc_02 = 4"),
    "syntax-duplicate-table": BASE + "\n[answers]\nhc_01 = 3\n",
    "syntax-bare-word-value": sub("hc_01 = 5", "hc_01 = often"),
    "wrong-type-years-string": sub("years_as_qim = 3", 'years_as_qim = "three"'),
    "wrong-type-answers-array": sub("schema_version = 1", "schema_version = 1\nanswers = [5, 5, 4]",
                                    BASE.split("[answers]")[0]),
    "wrong-type-answers-not-table": sub("notes = ", 'answers = "all fours"\nnotes = ').split("[answers]")[0],
    "out-of-range-zero": sub("hc_01 = 5", "hc_01 = 0"),
    "out-of-range-six": sub("hc_01 = 5", "hc_01 = 6"),
    "negative-answer": sub("hc_01 = 5", "hc_01 = -1"),
    "fraction-answer": sub("hc_01 = 5", "hc_01 = 2.5"),
    "boolean-answer": sub("hc_01 = 5", "hc_01 = true"),
    "na-wrong-case": sub("hc_01 = 5", 'hc_01 = "NA"'),
    "answer-as-date": sub("hc_01 = 5", "hc_01 = 2026-11-24"),
    "unknown-item": sub("hc_01 = 5", "hc_91 = 5"),
    "unknown-importance": sub("qi_methods = 4", "qi_method = 4"),
    "importance-na": sub("qi_methods = 4", 'qi_methods = "na"'),
    "unknown-context": sub("protected_time = 3", "free_parking = 3"),
    "unknown-top-level-key": sub("schema_version = 1", "schema_version = 1\ncolour = \"blue\""),
    "extra-respondent-key": sub('role = "nurse"', 'role = "nurse"\nemail = "a@example.org"'),
    "missing-respondent": sub("[respondent]", "[respondent_details]"),
    "missing-id": sub('id = "rn-ward7"\n', ""),
    "missing-background": sub('background = "clinical"\n', ""),
    "unknown-background": sub('background = "clinical"', 'background = "manager"'),
    "role-of-other-background": sub('role = "nurse"', 'role = "operations_manager"'),
    "unknown-role": sub('role = "nurse"', 'role = "midwife"'),
    "id-with-spaces": sub('id = "rn-ward7"', 'id = "rn ward 7"'),
    "id-with-escape-sequence": sub('id = "rn-ward7"', 'id = "rn\\u001b[31mward7"'),
    "years-too-large": sub("years_as_qim = 3", "years_as_qim = 99"),
    "years-nan": sub("years_as_qim = 3", "years_as_qim = nan"),
    "years-infinite": sub("years_as_qim = 3", "years_as_qim = inf"),
    "schema-version-2": sub("schema_version = 1", "schema_version = 2"),
    "schema-version-string": sub("schema_version = 1", 'schema_version = "1"'),
    "unknown-setting": sub('setting = "rural"', 'setting = "island"'),
    "notes-too-long": sub('notes = "Most', 'notes = "' + "x" * 10_001 + ' Most'),
    "rating-with-respondent": sub("[respondent]", '[rater]\nrole = "peer"\n\n[respondent]'),
    "deeply-nested-array": sub("schema_version = 1", "deep = " + "[" * 5000 + "]" * 5000 + "\nschema_version = 1"),
    "deeply-nested-tables": BASE + "\n[" + ".".join(["t"] * 3000) + "]\nx = 1\n",
    "empty": "",
    "whitespace-only": "\n   \n\t\n",
}

BYTE_CASES: dict[str, bytes] = {
    "bom-only": b"\xef\xbb\xbf",
    "binary-garbage": bytes(range(256)) * 4,
    "latin-1": sub('name = "Aroha Ngata"', 'name = "Ren\xe9e"').encode("latin-1"),
    "utf-16": BASE.encode("utf-16"),
    "nul-byte": BASE.encode().replace(b"[answers]", b"[answers]\x00"),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.toml"):
        old.unlink()
    for name, text in TEXT_CASES.items():
        (OUT / f"{name}.toml").write_bytes(text.encode("utf-8"))
    for name, data in BYTE_CASES.items():
        (OUT / f"{name}.toml").write_bytes(data)
    print(f"{len(TEXT_CASES) + len(BYTE_CASES)} cases in {OUT}")


if __name__ == "__main__":
    main()
