"""Benchmark: a wizard step page, GET and POST, served by gunicorn (2 workers), against a
plain Flask app serving the same HTML from a static Jinja template, side by side in one run.

    apt-get install -y wrk                      # the load generator (Debian's package)
    .venv/bin/python bench/bench_wizard.py [--seconds 8] [--connections 8] [--rounds 2]

Both apps run under the same gunicorn settings on loopback; wrk measures requests/second:

- GET: step 1 of the bundled questionnaire for a started response (the baseline: the very
  HTML the wizard served, from a template with no logic).
- POST: step 1 with valid answers and a fresh signed form token: the wizard validates,
  saves the answers (SQLite, WAL) and answers 303 to step 2; wrk does not follow the
  redirect, so this is the POST handler itself. The baseline reads the form and answers 303.

Prints both figures and the ratios; target (issue 4): the step page at least 0.5x the
baseline. Exit status 1 when wrk is missing or a request was refused.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QID = "customer-data-maturity"
STEP_1 = {"company_size": "200-999", "industry": "saas", "region": "france", "action": "next"}
TARGET = 0.5


def baseline_app():
    """The baseline (gunicorn ``bench_wizard:baseline_app()``): the step's HTML from a static
    template; a POST reads the form and redirects like the wizard does."""
    from flask import Flask, redirect, render_template, request

    app = Flask(__name__, template_folder=os.environ["BENCH_BASELINE_DIR"])

    @app.get("/step")
    def show_step():
        return render_template("step.html")

    @app.post("/step")
    def post_step():
        request.form.get("form_token")
        return redirect("/step", 303)

    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"nothing listened on port {port} after {seconds}s")


def gunicorn(app_spec: str, port: int, env: dict, pythonpath: str | None = None):
    command = [
        sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]
    if pythonpath:
        command += ["--pythonpath", pythonpath]
    process = subprocess.Popen([*command, app_spec], cwd=ROOT, env=env)
    wait_for_port(port, process)
    return process


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wrk(url: str, seconds: int, connections: int, lua: Path | None = None) -> float:
    """Requests/second; exits if any answer was not 2xx/3xx."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if lua:
        command += ["-s", str(lua)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"refused requests during the run:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def post_script(folder: Path, fields: dict) -> Path:
    body = urllib.parse.urlencode(fields)
    path = folder / f"post-{len(list(folder.glob('post-*.lua')))}.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    )
    return path


def prepare(folder: Path) -> tuple[dict, str, str]:
    """A migrated database with one started response; the env for the qualify workers,
    the response token and a form token for its step 1."""
    sys.path.insert(0, str(ROOT))
    from qualify import create_app
    from qualify.db import upgrade_database
    from qualify.wizard.tokens import sign_form_token

    env = {
        **os.environ,
        "QUALIFY_INSTANCE_PATH": str(folder / "instance"),
        "QUALIFY_DATABASE_URL": f"sqlite:///{folder / 'qualify.db'}",
        "QUALIFY_QUEUE_URL": f"sqlite:///{folder / 'queue.db'}",
        "QUALIFY_OUTBOX_DIR": str(folder / "outbox"),
        "QUALIFY_SECRET_KEY": "bench-secret",
        # One client posting the same step thousands of times is what rate limits refuse.
        "QUALIFY_RATE_LIMIT_ENABLED": "0",
    }
    upgrade_database(env["QUALIFY_DATABASE_URL"])
    os.environ["QUALIFY_INSTANCE_PATH"] = env["QUALIFY_INSTANCE_PATH"]
    app = create_app(
        {
            "SECRET_KEY": env["QUALIFY_SECRET_KEY"],
            "DATABASE_URL": env["QUALIFY_DATABASE_URL"],
            "QUEUE_URL": env["QUALIFY_QUEUE_URL"],
            "RATE_LIMIT_ENABLED": False,
        }
    )
    started = app.test_client().post(f"/q/{QID}/start")
    token = re.search(r"/r/([^/]+)/1$", started.location).group(1)
    with app.test_request_context():
        form_token = sign_form_token(token, 1)
    return env, token, form_token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="each wrk run (default 8)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; median kept")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    folder = Path(tempfile.mkdtemp(prefix="bench-wizard-"))
    processes = []
    try:
        env, token, form_token = prepare(folder)
        q_port, b_port = free_port(), free_port()
        processes.append(gunicorn("qualify:create_app()", q_port, env))
        step_url = f"http://127.0.0.1:{q_port}/q/{QID}/r/{token}/1"
        status, html = send(step_url)
        assert status == 200, status
        (folder / "baseline").mkdir()
        (folder / "baseline" / "step.html").write_text("{% raw %}" + html + "{% endraw %}")
        processes.append(
            gunicorn(
                "bench_wizard:baseline_app()",
                b_port,
                {**os.environ, "BENCH_BASELINE_DIR": str(folder / "baseline")},
                pythonpath=str(ROOT / "bench"),
            )
        )
        base_url = f"http://127.0.0.1:{b_port}/step"
        assert send(base_url)[1] == html, "the baseline must serve the same HTML"
        fields = {**STEP_1, "form_token": form_token}
        status, _ = send(step_url, fields)
        assert status == 303, f"a valid step POST answered {status}, not 303"

        q_post, b_post = post_script(folder, fields), post_script(folder, fields)
        for url, lua in ((step_url, None), (base_url, None), (step_url, q_post)):
            wrk(url, 1, args.connections, lua)  # warm up every worker
        runs: dict[str, list[float]] = {k: [] for k in ("q_get", "b_get", "q_post", "b_post")}
        for _ in range(args.rounds):
            runs["q_get"].append(wrk(step_url, args.seconds, args.connections))
            runs["b_get"].append(wrk(base_url, args.seconds, args.connections))
            runs["q_post"].append(wrk(step_url, args.seconds, args.connections, q_post))
            runs["b_post"].append(wrk(base_url, args.seconds, args.connections, b_post))
        median = {k: statistics.median(v) for k, v in runs.items()}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)

    print(f"gunicorn 2 workers, wrk -t1 -c{args.connections} -d{args.seconds}s, "
          f"median of {args.rounds} rounds, {len(html)} bytes of HTML")
    print(f"{'':14}{'wizard':>10}{'baseline':>10}{'ratio':>8}")
    for kind in ("get", "post"):
        wizard, baseline = median[f"q_{kind}"], median[f"b_{kind}"]
        ratio = wizard / baseline
        verdict = "ok" if ratio >= TARGET else f"below {TARGET}x"
        print(f"step {kind.upper():<9}{wizard:>10.0f}{baseline:>10.0f}{ratio:>7.2f}x  {verdict}")


if __name__ == "__main__":
    main()
