"""Benchmark: the prospect's report rendered by ``PdfRenderer`` against bare WeasyPrint on the
same HTML, in the same process.

    .venv/bin/python bench/bench_reports.py [N]             # N renders of each, default 50
    .venv/bin/python bench/bench_reports.py 200 --bounded   # also the worker's render pool

Prints renders per second for both, the time ratio (target: at most 1.2x bare WeasyPrint)
and the process memory before and after each run (target: flat). With ``--bounded`` it
also renders through ``RenderPool`` (what the worker uses: a child process with a time and
memory bound, context pickled in, PDF bytes out) and reports the child's memory. Bare WeasyPrint gets the
same HTML with the stylesheet inlined, the same base URL and the same PDF variant, but a new
FontConfiguration, a freshly parsed stylesheet and the default URL fetcher every time.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualify.core.loader import load_questionnaire  # noqa: E402
from qualify.reports.context import report_context  # noqa: E402
from qualify.reports.pool import RenderLimits, RenderPool  # noqa: E402
from qualify.reports.render import (  # noqa: E402
    BASE_CSS,
    REPORT_TEMPLATE,
    PdfRenderer,
    has_fast_subsetter,
    weasyprint,
)

ANSWERS = {
    "company_size": "200-999",
    "industry": "saas",
    "region": "france",
    "role": "executive",
    "budget": "allocated",
    "maturity": "warehouse",
    "triggers": ["migration", "hiring"],
    "project": "active",
    "timeline": "under_3_months",
    "demo": "yes",
}


@dataclass
class Prospect:
    first_name: str = "Łukasz"
    last_name: str = "Żółć"
    company: str = "Αθηνά Data Sp. z o.o."
    email: str = "lukasz@example.com"
    phone: str = ""
    job_title: str = "CDO"


def current_rss_mb(pid: int | str = "self") -> float:
    """Resident memory now of process ``pid`` (Linux /proc), in MB."""
    with open(f"/proc/{pid}/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """Peak resident memory so far (getrusage reports KB on Linux), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_renders(render: Callable[[], bytes], count: int) -> tuple[float, float, float]:
    """Seconds for ``count`` renders, and current RSS before and after them."""
    gc.collect()
    before = current_rss_mb()
    start = time.perf_counter()
    for _ in range(count):
        render()
    elapsed = time.perf_counter() - start
    gc.collect()
    return elapsed, before, current_rss_mb()


def main() -> None:
    """Run both renderers ``N`` times and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=50)
    parser.add_argument(
        "--bounded", action="store_true", help="also time the worker's bounded render pool"
    )
    arguments = parser.parse_args()
    count = arguments.count
    logging.disable(logging.WARNING)  # the missing-subsetter warning would flood the output

    questionnaire = load_questionnaire(ROOT / "questionnaires" / "customer-data-maturity.yaml")
    templates = ROOT / "report_templates"
    renderer = PdfRenderer(templates, templates / "assets")
    context = report_context(questionnaire, Prospect(), ANSWERS, {})
    html = renderer.render_html(REPORT_TEMPLATE, context)
    css = (renderer.assets_dir / BASE_CSS).read_text(encoding="utf-8")
    bare_html = html.replace("</head>", f"<style>{css}</style></head>", 1)

    def render_with_renderer() -> bytes:
        return renderer.render_report(context)

    def render_bare() -> bytes:
        document = weasyprint.HTML(string=bare_html, base_url=renderer.base_url)
        return document.write_pdf(**renderer.options)

    # Warm up both paths once (font loading, first-use caches) before measuring.
    document = weasyprint.HTML(string=html, base_url=renderer.base_url)
    rendered = document.render(stylesheets=[renderer.stylesheet], font_config=renderer.font_config)
    pages = len(rendered.pages)
    render_with_renderer()
    render_bare()

    ours, ours_before, ours_after = time_renders(render_with_renderer, count)
    bare, bare_before, bare_after = time_renders(render_bare, count)
    if arguments.bounded:
        pool = RenderPool(templates, templates / "assets", RenderLimits(), size=1)
        pool.start()
        child = pool._processes[0]  # one child: its memory is the worker's render memory

        def render_bounded() -> bytes:
            return pool.render("report", context)

        render_bounded()  # warm-up, as for the others
        child_before = current_rss_mb(child.pid)
        bounded, _, _ = time_renders(render_bounded, count)
        child_after = current_rss_mb(child.pid)
        pool.close()

    print(
        f"WeasyPrint {weasyprint.__version__}, options {renderer.options or '{}'}, "
        f"HarfBuzz subsetter: {'yes' if has_fast_subsetter() else 'NO (fontTools fallback)'}"
    )
    print(f"report: {pages} pages, {len(render_with_renderer())} bytes; {count} renders each")
    print(
        f"PdfRenderer     : {count / ours:6.2f} renders/s ({ours / count * 1000:6.0f} ms each); "
        f"RSS {ours_before:6.1f} -> {ours_after:6.1f} MB ({ours_after - ours_before:+.1f})"
    )
    print(
        f"bare WeasyPrint : {count / bare:6.2f} renders/s ({bare / count * 1000:6.0f} ms each); "
        f"RSS {bare_before:6.1f} -> {bare_after:6.1f} MB ({bare_after - bare_before:+.1f})"
    )
    print(f"time ratio PdfRenderer / bare: {ours / bare:.2f}x (target <= 1.2x)")
    if arguments.bounded:
        print(
            f"RenderPool      : {count / bounded:6.2f} renders/s ({bounded / count * 1000:6.0f} ms"
            f" each); render child RSS {child_before:6.1f} -> {child_after:6.1f} MB"
            f" ({child_after - child_before:+.1f}), worker RSS {current_rss_mb():6.1f} MB"
        )
        print(f"time ratio RenderPool / bare: {bounded / bare:.2f}x (target <= 1.2x)")
    print(f"peak RSS (getrusage ru_maxrss): {peak_rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
