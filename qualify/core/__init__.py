"""qualify's pure core: questionnaire model, scoring, stages, diagnostic, routing choice.

Nothing in this package imports Flask, SQLAlchemy, WTForms or WeasyPrint (a test checks it).
"""
