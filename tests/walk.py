"""Walk the wizard like a prospect, over the Flask test client or real HTTP."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@dataclass
class Reply:
    status: int
    location: str | None
    text: str


Send = Callable[[str, str, dict | None], Reply]


def flask_sender(client) -> Send:
    def send(method: str, url: str, data: dict | None = None) -> Reply:
        reply = client.open(url, method=method, data=data)
        return Reply(reply.status_code, reply.headers.get("Location"), reply.get_data(as_text=True))

    return send


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_sender(base_url: str) -> Send:
    opener = urllib.request.build_opener(_NoRedirect)

    def send(method: str, url: str, data: dict | None = None) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(base_url + url, data=body, method=method)
        try:
            with opener.open(request, timeout=30) as reply:
                return Reply(reply.status, reply.headers.get("Location"), reply.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers.get("Location"), error.read().decode())

    return send


def complete(send: Send, questionnaire, answers: dict, contact: dict, **hidden) -> Reply:
    """Start (``hidden`` as the landing page's fields, ``lang`` too), answer each step the
    wizard leads to (a step hidden by ``show_if`` is skipped by the wizard itself), give
    the contact details; return the result page."""
    qid = questionnaire.id
    started = send("POST", f"/q/{qid}/start", hidden)
    assert started.status == 303, started
    token = re.search(r"/r/([^/]+)/1$", started.location).group(1)
    steps = [[q.id for q in step.questions] for step in questionnaire.steps]
    number = 1
    while number <= len(steps):
        values = {qid_: answers[qid_] for qid_ in steps[number - 1] if qid_ in answers}
        moved = post_step(send, f"/q/{qid}/r/{token}/{number}", values)
        assert moved.status == 303, (number, moved.text[:2000])
        number = int(re.search(r"/(\d+)$", moved.location).group(1))
    done = post_step(send, f"/q/{qid}/r/{token}/{len(steps) + 1}", {**contact, "consent": "y"})
    assert done.status == 303 and done.location.endswith("/result"), done.text[:2000]
    result = send("GET", done.location, None)
    assert result.status == 200
    return result


def post_step(send: Send, url: str, values: dict) -> Reply:
    page = send("GET", url, None)
    assert page.status == 200, (url, page.status, page.location)
    token = FORM_TOKEN.search(page.text).group(1)
    return send("POST", url, {**values, "form_token": token, "action": "next"})
