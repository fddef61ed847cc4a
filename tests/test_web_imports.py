"""The web worker stays light (issue 4, item 9): serving the wizard, up to a submitted
response handed to a real queue, never imports WeasyPrint (PDFs are the delivery worker's)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SERVE_A_WALK = """
import json, os, sys, tempfile
sys.path.insert(0, {tests!r})
folder = tempfile.mkdtemp()
os.environ["QUALIFY_INSTANCE_PATH"] = folder
from qualify import create_app
from qualify.db import upgrade_database
from qualify.questionnaires import registry
from factories import HOT_ANSWERS
from walk import complete, flask_sender

url = "sqlite:///" + folder + "/qualify.db"
upgrade_database(url)
app = create_app({{
    "SECRET_KEY": "x", "DATABASE_URL": url, "QUEUE_URL": "sqlite:///" + folder + "/queue.db",
    "OUTBOX_DIR": folder + "/outbox",
}})
questionnaire = registry(app).get("customer-data-maturity").questionnaire
contact = {{"first_name": "Claire", "last_name": "Dupont", "email": "claire@bigco.example",
           "company": "BigCo", "job_title": "CDO", "phone": "+33 1 23 45 67 89"}}
result = complete(flask_sender(app.test_client()), questionnaire, HOT_ANSWERS, contact)
print(json.dumps({{"status": result.status,
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in
                                   ("weasyprint", "pydyf", "tinycss2", "cssselect2"))}}))
"""


def test_the_web_worker_serves_and_submits_the_wizard_without_importing_weasyprint():
    done = subprocess.run(
        [sys.executable, "-c", SERVE_A_WALK.format(tests=str(TESTS))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 200  # the result page: the walk did reach the end
    assert report["loaded"] == []
