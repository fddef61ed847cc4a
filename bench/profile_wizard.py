"""Profile a wizard step (GET and POST) under the bench's config, with the Flask test client.

    .venv/bin/pip install pyinstrument          # not a project dependency
    .venv/bin/python bench/profile_wizard.py [--requests 2000] [--post] [--cprofile]

Prints the mean time per request and pyinstrument's call tree (or cProfile's top entries),
to find where a step's time goes; bench_wizard.py measures the figure itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_wizard import QID, STEP_1, prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--post", action="store_true", help="profile the step POST")
    parser.add_argument("--cprofile", action="store_true", help="cProfile instead")
    parser.add_argument("--time-only", action="store_true", help="no profile, only the time")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="profile-wizard-"))
    try:
        env, token, form_token = prepare(folder)
        os.environ.update(env)
        from qualify import create_app

        app = create_app()  # the config gunicorn's workers read (QUALIFY_* from env)
        client = app.test_client()
        url = f"/q/{QID}/r/{token}/1"
        fields = {**STEP_1, "form_token": form_token}

        def once():
            reply = client.post(url, data=fields) if args.post else client.get(url)
            assert reply.status_code == (303 if args.post else 200), reply.status_code

        for _ in range(200):
            once()
        batches = []  # the best of five batches: other processes on the machine add noise
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(args.requests // 5):
                once()
            batches.append((time.perf_counter() - started) / (args.requests // 5))
        kind = "POST" if args.post else "GET"
        print(f"{kind}: {min(batches) * 1000:.3f} ms per request (best batch, unprofiled)")
        if args.time_only:
            return

        if args.cprofile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                once()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(args.requests):
                once()
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
