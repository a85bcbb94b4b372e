"""`qim form`: the offline HTML questionnaire, checked as a page and driven in Chromium."""

from __future__ import annotations

import base64
import hashlib
import html as html_module
import json
import re
import shutil

from conftest import EXAMPLES, ROOT
from support.forms import make_form
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.interop.fields import build_fields

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"


def _sha(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


# --- the page itself -------------------------------------------------------------------------

def test_form_is_self_contained_with_a_strict_policy(tmp_path):
    html = make_form(tmp_path).read_text(encoding="utf-8")
    # nothing from elsewhere: no URL in any src, href or CSS url(), no @import, no web font
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    csp = html_module.unescape(
        re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1))
    assert "default-src 'none'" in csp and "form-action 'none'" in csp and "base-uri 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # the one inline script and the one style are allowed by their hashes, nothing else
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(scripts) == 1 and len(styles) == 1
    assert f"script-src 'sha256-{_sha(scripts[0])}'" in csp
    assert f"style-src 'sha256-{_sha(styles[0])}'" in csp
    assert html.count("<script") == 2  # the code and its JSON data
    assert ' style="' not in html  # an inline style attribute would be blocked


def test_every_question_of_qim_assess_is_on_the_form(tmp_path, profiles):
    html = make_form(tmp_path).read_text(encoding="utf-8")
    for f in build_fields(profiles):
        # every question is asked, but the date, which the form fills in itself like qim assess
        assert (f'data-key="{f.key}"' in html) is (f.key != "assessed_on"), f.key
    assert "assessed_on = " in html  # written into the downloaded sheet
    assert html.count('<fieldset class="q"') == len(profiles.items) + len(profiles.competencies) + len(profiles.context_items)
    rater = make_form(tmp_path, "--rater", name="r.html").read_text(encoding="utf-8")
    assert rater.count('<fieldset class="q"') == len(profiles.items)
    _comp, item = next(iter(profiles.items.values()))
    assert item.observer_text.replace("'", "&#39;") in rater and "importance." not in rater


def test_profile_text_is_escaped_everywhere(tmp_path):
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    fw = dest / "framework.toml"
    evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>&amp;'
    text = fw.read_text(encoding="utf-8")
    text = text.replace("including the clinical steps.", evil.replace('"', '\\"'), 1)
    text = text.replace('label = "Healthcare context"', 'label = "Context </h3><b>bold</b>"', 1)
    fw.write_text(text, encoding="utf-8")
    bg = dest / "backgrounds.toml"
    bg.write_text(bg.read_text(encoding="utf-8").replace('label = "Nurse"', 'label = "Nurse <i>RN</i>"'),
                  encoding="utf-8")
    out = tmp_path / "form.html"
    result = runner.invoke(app, ["form", "--profiles", str(dest), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<img" not in html and "<b>bold" not in html and "<i>RN" not in html
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&amp;amp;" in html
    assert "Nurse &lt;i&gt;RN&lt;/i&gt;" in html
    data = re.search(r'<script type="application/json" id="qim-config">(.*?)</script>', html, flags=re.S).group(1)
    assert "<" not in data and ">" not in data
    assert json.loads(data)["fields"][0]["key"] == "respondent.id"


def test_a_profile_set_without_scenarios_has_no_scenarios_page(tmp_path, profiles):
    with_them = make_form(tmp_path).read_text(encoding="utf-8")
    assert with_them.count('<fieldset class="q pick"') == 2 * len(profiles.scenarios)
    assert with_them.count('class="clear-scenario"') == len(profiles.scenarios)
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    (dest / "scenarios.toml").unlink()
    out = tmp_path / "plain.html"
    result = runner.invoke(app, ["form", "--profiles", str(dest), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Scenarios (optional)" not in html and 'class="q pick"' not in html
    assert "the letters a–d" not in html
