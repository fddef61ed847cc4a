"""The full format's new core modules stay pure: no web, database, form or PDF framework."""

from __future__ import annotations

import subprocess
import sys


def test_the_format_modules_import_no_framework():
    code = (
        "import sys, qualify.core.answers, qualify.core.branching, qualify.core.countries, "
        "qualify.core.translations, qualify.core.cases, qualify.core.schema\n"
        "bad = [m for m in ('flask', 'sqlalchemy', 'wtforms', 'weasyprint') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
