"""The result models are built on first use, wherever that first use is."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from qim_cli.assessment import results


def _all_models() -> list[type[results.Out]]:
    # every module of the package first: the models found must not depend on what the tests
    # collected before this file happened to import
    import importlib
    import pkgutil

    import qim_cli

    for module in pkgutil.walk_packages(qim_cli.__path__, "qim_cli."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type[results.Out]] = []
    todo = list(results.Out.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_first_use_inside_a_comprehension_over_a_closure_cell():
    # pydantic's default deferred build reads the caller's frame.f_locals, which crashes CPython
    # 3.13.0-3.13.2 (python/cpython#128396) when the caller is inside a comprehension whose loop
    # variable is also a closure cell. Run apart, so that a crash fails this test, not the whole run.
    code = textwrap.dedent(
        """
        from qim_cli.assessment.results import Fired

        def first_use():
            later = {m: (lambda: m) for m in ("a", "b")}  # m is now a closure cell of first_use
            return [Fired(condition=m, value="1") for m in later]

        assert [f.condition for f in first_use()] == ["a", "b"]
        print("built")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert proc.stdout == "built\n"


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_every_result_model_builds_from_module_names_alone(model):
    # the override never looks at a caller's names, so every annotation must resolve from the
    # module's globals; a model that needed a local name would fail here, not in a user's report
    assert model.model_rebuild(force=True) is True
    assert model.model_json_schema(mode="serialization")["title"] == model.__name__


def test_the_override_never_reads_the_callers_frame(monkeypatch):
    # pydantic reads a frame through this one function (its private module, looked up at call
    # time): on any interpreter, the build must not call it
    from pydantic._internal import _typing_extra

    def refuse(*args, **kwargs):
        raise AssertionError("the caller's frame was read")

    monkeypatch.setattr(_typing_extra, "parent_frame_namespace", refuse)
    assert results.Fired.model_rebuild(force=True) is True
