"""questionnaire sources: the exact text each lead was scored with, by content hash

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 19:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_index(
        "ix_questionnaire_sources_id_version",
        "questionnaire_sources",
        ["questionnaire_id", "version"],
    )


def downgrade() -> None:
    op.drop_index("ix_questionnaire_sources_id_version", table_name="questionnaire_sources")
    op.drop_table("questionnaire_sources")
