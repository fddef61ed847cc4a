"""Email deliveries: the task queue, the mailer (SMTP or local outbox) and the send task."""
