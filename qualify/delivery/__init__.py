"""Email deliveries: the task queue, the mailer (SMTP or local outbox) and the send task.

Callers hand ``enqueue_delivery(app)`` to ``submit_response``; the worker (``qualify
worker``) renders and sends; the deliveries table says what was sent, is pending or failed.
"""

from .queue import enqueue_delivery, get_huey, get_tasks

__all__ = ["enqueue_delivery", "get_huey", "get_tasks"]
