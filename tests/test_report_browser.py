"""Open the generated report in headless Chromium, as a reader would: every figure must render,
no section may be empty, and the page must draw (a screenshot that is not blank).

Needs Debian's ``chromium`` package (``apt-get install chromium``); skipped, with that reason,
where no Chromium is installed.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import raa_impact as ri
from raa_impact.evaluate import Config, defaults
from raa_impact.evaluate.sections import SECTIONS

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="headless Chromium not installed (apt-get install chromium)")

# Appended to a copy of the report (the report itself carries no script and forbids any):
# counts the images the browser decoded and the sections with nothing in them.
CHECK = """<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const secs = [...document.querySelectorAll('section')];
  const pre = document.createElement('pre');
  pre.id = 'check';
  pre.textContent = JSON.stringify({
    images: imgs.length,
    decoded: imgs.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length,
    sections: secs.map(s => s.id),
    empty: secs.filter(s => s.querySelectorAll('table, figure, p:not(.meta)').length === 0).map(s => s.id),
    not_ok: secs.filter(s => s.dataset.status !== 'ok').map(s => s.id),
  });
  document.body.appendChild(pre);
});
</script>"""


def _browser(*args: str) -> subprocess.CompletedProcess:
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    cfg = Config.from_mapping({"synthetic": {"scale": 0.1, "seed": 2}}, defaults())
    ri.evaluate(config=cfg, out=out, progress=False)
    return out / "report.html"


def test_every_figure_renders_and_no_section_is_empty(report, tmp_path):
    page = report.read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    dom = _browser("--virtual-time-budget=20000", "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'<pre id="check">(.*?)</pre>', dom, re.S)
    assert found, "the browser did not run the check"
    check = json.loads(html.unescape(found.group(1)))
    assert check["images"] >= 8
    assert check["decoded"] == check["images"]
    assert check["empty"] == []
    assert check["not_ok"] == []
    assert check["sections"] == [m.KEY for m in SECTIONS]


def test_screenshot_is_not_blank(report, tmp_path):
    import matplotlib.image as mpimg

    shot = tmp_path / "shot.png"
    _browser("--window-size=1200,3000", f"--screenshot={shot}", report.as_uri())
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (3000, 1200)
    # A blank or failed page is one colour; a drawn report has text, tables and plots.
    assert pixels.std() > 0.05
    assert len(np.unique(pixels.reshape(-1, 3)[::97], axis=0)) > 50
