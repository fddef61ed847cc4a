"""responses.suspicion (quarantine) and resume-link deliveries (no lead yet: response_id)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspicion", sa.Text(), nullable=True))
    # A resume link is emailed before any lead exists: it belongs to the response.
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("lead_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("response_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_deliveries_response_id", "responses", ["response_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_deliveries_response_id"), ["response_id"], unique=False
        )


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE lead_id IS NULL")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_response_id"))
        batch_op.drop_constraint("fk_deliveries_response_id", type_="foreignkey")
        batch_op.drop_column("response_id")
        batch_op.alter_column("lead_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("suspicion")
