"""The core is pure: importing it loads no web, database, form or PDF framework."""

from __future__ import annotations

import subprocess
import sys


def test_the_core_imports_no_framework():
    code = (
        "import sys, qualify.core.scoring, qualify.core.stages, qualify.core.diagnostic, "
        "qualify.core.routing, qualify.core.business_time, qualify.core.loader, qualify.core.emails\n"
        "bad = [m for m in ('flask', 'sqlalchemy', 'wtforms', 'weasyprint') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
