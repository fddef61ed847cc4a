"""The worker's start-up check of what the renderer needs from the system: HarfBuzz's
subsetter and a font for every script, asked of the system libraries themselves."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from qualify.reports import system
from qualify.reports.system import SCRIPTS, missing_scripts, system_warnings


def without(*missing: str):
    """A library loader that finds everything but the libraries named ``missing``."""

    def loader(names, short_name):
        return None if short_name in missing else system.load_library(names, short_name)

    return loader


def test_a_missing_subsetter_is_named_with_its_package():
    warnings = system_warnings(without("harfbuzz-subset"))
    assert any("libharfbuzz-subset0 is not installed" in w and "slower" in w for w in warnings)
    assert not any("libharfbuzz" in w for w in system_warnings(without("nothing")))


def test_without_fontconfig_every_script_is_reported_missing_with_its_packages():
    warnings = system_warnings(without("fontconfig"))
    fonts = next(w for w in warnings if "no installed font covers" in w)
    for script in SCRIPTS:
        assert script in fonts
    assert "fonts-noto-cjk" in fonts and "fonts-noto-core" in fonts


def test_a_system_with_no_font_configured_has_every_script_missing(tmp_path):
    """A real fontconfig that knows no font directory: the check asks fontconfig itself."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>'
    )
    code = "from qualify.reports.system import missing_scripts; print(sorted(missing_scripts()))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip() == str(sorted(SCRIPTS))


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list not installed")
def test_the_check_agrees_with_fontconfigs_own_listing():
    missing = missing_scripts()
    for script, (language, _package) in SCRIPTS.items():
        listed = subprocess.run(
            ["fc-list", f":lang={language}", "family"], capture_output=True, text=True
        ).stdout.strip()
        assert (script in missing) == (not listed), script


def test_the_check_loads_no_weasyprint():
    code = (
        "import sys; from qualify.reports.system import system_warnings; system_warnings();"
        " print('weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
