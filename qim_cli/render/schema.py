"""JSON Schemas of the answer sheet (with the profile set's ids) and of the JSON result."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..assessment.feedback_results import FeedbackResult
from ..assessment.results import Result
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


def document_schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    """The JSON Schema of a document the core returns, as it is serialised."""
    doc = model.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            "description": description} | {k: v for k, v in doc.items()
                                             if k not in ("title", "description")}


def cohort_schema() -> dict[str, Any]:
    """`qim cohort --format json`."""
    from ..cohort.results import CohortSummary

    return document_schema(CohortSummary, "qim cohort", _doc(CohortSummary))


def compare_cohort_schema() -> dict[str, Any]:
    """`qim compare-cohort BEFORE AFTER --format json`: a programme's before and after."""
    from ..cohort.compare_results import CohortComparison

    return document_schema(
        CohortComparison, "qim programme before and after",
        "qim compare-cohort BEFORE AFTER --format json, where BEFORE and AFTER are folders or "
        "sets of answer sheets.")


def compare_schema() -> dict[str, Any]:
    """`qim compare OLD NEW --format json`: one person's before and after."""
    from ..assessment.compare import PersonComparison

    return document_schema(PersonComparison, "qim compare", _doc(PersonComparison))


def pairing_schema() -> dict[str, Any]:
    """`qim pair --format json`."""
    from ..cohort.pairing import PairingResult

    return document_schema(PairingResult, "qim pair", _doc(PairingResult))


def _doc(model: type[BaseModel]) -> str:
    """A model's docstring on one line."""
    return " ".join((model.__doc__ or "").split())
