"""The wheel ships the profile set, and qim finds it there as it does in a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    return next(out.glob("qim-*.whl"))


def test_wheel_contains_profiles(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for f in ("framework.toml", "backgrounds.toml", "trainings.toml", "rules.toml"):
        assert f"qim_cli/_profiles/{f}" in names
    assert "qim_cli/cli/app.py" in names


def test_installed_wheel_finds_its_profiles(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("QIM_PROFILES", None)
    code = ("import qim_cli.framework.profiles as p; d = p.bundled_profiles_dir(); "
            "print(d); p.load_profiles(d)")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == site / "qim_cli" / "_profiles"
    report = subprocess.run(
        [sys.executable, "-m", "qim_cli", "report", str(ROOT / "examples" / "nurse-early-career.toml"),
         "--format", "json"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert report.returncode == 0, report.stderr
    assert '"rn-ward7"' in report.stdout


def test_checkout_finds_top_level_profiles():
    from qim_cli.framework.profiles import bundled_profiles_dir

    assert bundled_profiles_dir() in (ROOT / "profiles", ROOT / "qim_cli" / "_profiles")
