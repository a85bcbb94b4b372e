"""The answer-sheet, rating-sheet and context-sheet formats, in Markdown, from their JSON Schemas.

`qim schema answers|rating|context` prints the schemas that `qim validate` checks sheets
against (pydantic's JSON Schema of the sheet models). `fields(schema)` turns one into a
table per TOML table of the sheet: each key, whether it is required, and the values it
takes. The reference pages of the site append it at build time (docs/hooks/reference_pages.py),
so the format pages cannot drift from the code.
"""

from __future__ import annotations

import json
from typing import Any

Schema = dict[str, Any]


def _resolve(node: Schema, root: Schema) -> Schema:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/$defs/"), ref  # pydantic's local references only
    return root["$defs"][ref.removeprefix("#/$defs/")]


def _without_null(node: Schema) -> tuple[Schema, bool]:
    """`anyOf: [X, null]` (pydantic's optional field) as X, and whether null was allowed."""
    options = node.get("anyOf")
    if options is None:
        return node, False
    kept = [o for o in options if o.get("type") != "null"]
    if len(kept) == 1:
        merged = {k: v for k, v in node.items() if k != "anyOf"}
        return {**kept[0], **merged}, len(kept) < len(options)
    return node, len(kept) < len(options)


def _code(value: Any) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _one_of(values: list[Any]) -> str:
    shown = [_code(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _value(node: Schema, root: Schema) -> str:
    """What a value may be, in words (without the description)."""
    node = _resolve(node, root)
    if "anyOf" in node:
        return ", or ".join(_value(o, root) for o in node["anyOf"] if o.get("type") != "null")
    if "const" in node:
        return _code(node["const"])
    if "enum" in node:
        return "one of " + _one_of(node["enum"])
    kind = node.get("type")
    if kind == "string" and node.get("format") == "date":
        return "a date (a TOML date such as `2026-03-02`)"
    if kind == "integer" or kind == "number":
        noun = "an integer" if kind == "integer" else "a number"
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"{noun} from {low} to {high}"
        if low is not None:
            return f"{noun} of at least {low}"
        return noun
    if kind == "string":
        parts = ["text"]
        low, high = node.get("minLength"), node.get("maxLength")
        if low and high:
            parts.append(f"of {low} to {high} characters")
        elif high:
            parts.append(f"of at most {high} characters")
        if "pattern" in node:
            parts.append(f"matching `{node['pattern']}`")
        return " ".join(parts)
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "array":
        return "a list of " + _value(node.get("items", {}), root)
    if kind == "object":
        return "a table"
    return "any value"


def _is_table(node: Schema, root: Schema) -> bool:
    node = _resolve(_without_null(node)[0], root)
    return node.get("type") == "object" and ("properties" in node or "patternProperties" in node)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(node: Schema, root: Schema, name: str, level: int, out: list[str], later: list) -> None:
    """The rows of one TOML table; tables inside it are queued in `later`."""
    required = set(node.get("required", []))
    out.append("| key | required | value |")
    out.append("|---|---|---|")
    for key, prop in node.get("properties", {}).items():
        inner, _nullable = _without_null(prop)
        resolved = _resolve(inner, root)
        if _is_table(prop, root):
            child = f"{name}.{key}" if name else key
            value = f"the table [`[{child}]`](#{_anchor(child)})"
            later.append((child, resolved))
        else:
            value = _value(inner, root)
        description = prop.get("description") or inner.get("description") or ""
        if description and not _is_table(prop, root):
            value = f"{value}: {description}"
        default = prop.get("default")
        if default not in (None, {}, []):
            value += f" (default {_code(default)})"
        out.append(f"| `{key}` | {'yes' if key in required else 'no'} | {_cell(value)} |")


def _anchor(table: str) -> str:
    return "table-" + table.replace(".", "-").replace("<", "").replace(">", "").replace("_", "-")


def fields(schema: Schema, level: int = 3) -> str:
    """Markdown: the top-level keys, then a section per table, headed by its TOML name."""
    out: list[str] = []
    hashes = "#" * level
    later: list[tuple[str, Schema]] = []
    out.append(f"{hashes} Top level {{#table-top-level}}")
    out.append("")
    _table(schema, schema, "", level, out, later)
    while later:
        name, node = later.pop(0)
        out.append("")
        keys = node.get("propertyNames", {}).get("enum")
        if "patternProperties" in node:
            (pattern, value_schema), = node["patternProperties"].items()
            value_schema = _resolve(value_schema, schema)
            if _is_table(value_schema, schema):
                child = f"{name}.<id>"
                out.append(f"{hashes} `[{name}]` {{#{_anchor(name)}}}")
                out.append("")
                out.append(f"One table [`[{child}]`](#{_anchor(child)}) per "
                           + (f"key, each one of {_one_of(keys)}." if keys else f"key matching `{pattern}`."))
                later.insert(0, (child, value_schema))
                continue
            out.append(f"{hashes} `[{name}]` {{#{_anchor(name)}}}")
            out.append("")
            if node.get("description"):
                out.append(_cell(node["description"]))
                out.append("")
            out.append(f"- **keys**: {_one_of(keys) if keys else f'any matching `{pattern}`'}; "
                       "each may be left out")
            out.append(f"- **values**: {_value(value_schema, schema)}")
            continue
        out.append(f"{hashes} `[{name}]` {{#{_anchor(name)}}}")
        out.append("")
        if node.get("description"):
            out.append(_cell(node["description"]))
            out.append("")
        _table(node, schema, name, level, out, later)
    if schema.get("additionalProperties") is False:
        out.append("")
        out.append("A key that is not listed here is an error.")
    return "\n".join(out) + "\n"
