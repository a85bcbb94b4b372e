"""JSON Schemas of the answer sheet (with the profile set's ids) and of the JSON result."""

from __future__ import annotations

from typing import Any

from ..assessment.results import FeedbackResult, Result
from ..framework.profiles import Profiles
from ..sheets.models import AnswerSheet, RaterSheet


def answers_schema(profiles: Profiles) -> dict[str, Any]:
    """The answer-sheet schema, with the ids this profile set allows filled in."""
    doc = AnswerSheet.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = f"qim answer sheet (framework {profiles.version})"
    defs = doc.get("$defs", {})
    resp = defs.get("Respondent", {}).get("properties", {})
    if "background" in resp:
        resp["background"] = {"enum": list(profiles.backgrounds), "title": "Background"}
    if "role" in resp:
        resp["role"] = {"enum": list(profiles.roles), "title": "Role"}
    if "setting" in resp:
        resp["setting"] = {"anyOf": [{"enum": list(profiles.settings)}, {"type": "null"}],
                           "default": None, "title": "Setting"}
    if "ScenarioAnswer" in defs:  # best and worst are two different options
        defs["ScenarioAnswer"]["not"] = {"anyOf": [
            {"properties": {"best": {"const": k}, "worst": {"const": k}}} for k in "abcd"]}
    props = doc["properties"]
    for key, ids in (("answers", profiles.items), ("importance", profiles.competencies),
                     ("context", profiles.context_items), ("scenarios", profiles.scenarios)):
        if key in props:
            props[key]["propertyNames"] = {"enum": list(ids)}
    return doc


def result_schema() -> dict[str, Any]:
    doc = Result.model_json_schema(mode="serialization")
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "qim result"
    return doc


def rating_schema(profiles: Profiles) -> dict[str, Any]:
    """A colleague's 360 rating sheet."""
    doc = RaterSheet.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = f"qim 360 rating (framework {profiles.version})"
    doc["properties"]["answers"]["propertyNames"] = {"enum": list(profiles.items)}
    return doc


def context_schema(profiles: Profiles) -> dict[str, Any]:
    """A context sheet (staff at any level), with this profile set's levels and questions."""
    from ..sheets.context import ContextSheet

    doc = ContextSheet.model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = f"qim context sheet (framework {profiles.version})"
    doc["$defs"]["ContextRespondent"]["properties"]["level"] = {
        "enum": list(profiles.staff_levels), "title": "Level"}
    doc["properties"]["context"]["propertyNames"] = {"enum": list(profiles.context_items)}
    return doc


def feedback_schema() -> dict[str, Any]:
    doc = FeedbackResult.model_json_schema(mode="serialization")
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "qim 360 result"
    return doc


def _typed(model: Any, title: str, description: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    doc = TypeAdapter(model).json_schema(mode="serialization")
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = title
    doc["description"] = description
    return doc


def cohort_schema() -> dict[str, Any]:
    """`qim cohort --format json`: the organisation's view in full; the other sections
    (competencies, training needs, reliability, 360 agreement) are open objects."""
    from ..cohort.docs import (
        BelowTarget,
        CalibrationDoc,
        OrganisationDoc,
        ProposalDoc,
        StandardDoc,
    )

    defs: dict[str, Any] = {}
    for name, shape in (("OrganisationDoc", OrganisationDoc), ("ProposalDoc", ProposalDoc),
                        ("BelowTarget", BelowTarget), ("CalibrationDoc", CalibrationDoc),
                        ("StandardDoc", StandardDoc)):
        doc = _typed(shape, name, "")
        defs.update(doc.pop("$defs", {}))
        for key in ("$schema", "title", "description"):
            doc.pop(key, None)
        defs[name] = doc
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "qim cohort",
        "description": "qim cohort --format json. `organisation`, `proposal` and `calibration` "
                       "are null when the cohort is smaller than --min-group; `calibration` also "
                       "when nobody answered scenarios.",
        "type": "object",
        "required": ["title", "date", "by", "min_group", "n", "standard", "overall", "groups",
                     "suppressed", "notes", "organisation", "most_below", "proposal",
                     "calibration"],
        "properties": {
            "title": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "date": {"type": "string", "format": "date"},
            "standard": {"$ref": "#/$defs/StandardDoc"},
            "most_below": {"type": "array", "items": {"$ref": "#/$defs/BelowTarget"}},
            "proposal": {"anyOf": [{"$ref": "#/$defs/ProposalDoc"}, {"type": "null"}]},
            "by": {"type": "string"},
            "min_group": {"type": "integer", "minimum": 1},
            "n": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "overall": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "groups": {"type": "array", "items": {"type": "object"}},
            "suppressed": {"type": "array", "items": {"type": "string"}},
            "notes": {"type": "array", "items": {"type": "string"}},
            "organisation": {"anyOf": [{"$ref": "#/$defs/OrganisationDoc"}, {"type": "null"}]},
            "calibration": {"anyOf": [{"$ref": "#/$defs/CalibrationDoc"}, {"type": "null"}]},
        },
        "$defs": defs,
    }


def programme_schema() -> dict[str, Any]:
    """`qim compare-cohort BEFORE AFTER --format json`: a programme's before and after."""
    from ..cohort.docs import ProgrammeDoc

    return _typed(ProgrammeDoc, "qim programme before and after",
                  "qim compare-cohort BEFORE AFTER --format json, where BEFORE and AFTER are "
                  "folders or sets of answer sheets.")
