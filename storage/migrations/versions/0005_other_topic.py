"""other topic and regency: each clinic gets "Topik lain" for a problem outside its list, and an
existing installation gets the regency its kecamatan are checked against (the demo's)

Revision ID: 0005_other_topic
Revises: 0003
Create Date: 2026-11-26 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_other_topic"
down_revision = "0003"
branch_labels = None
depends_on = None

NAME_ID, NAME_EN = "Topik lain (tulis sendiri)", "Another topic (in your own words)"


def upgrade() -> None:
    connection = op.get_bind()
    services = connection.execute(sa.text("SELECT id FROM services")).scalars().all()
    for service_id in services:
        exists = connection.execute(
            sa.text("SELECT 1 FROM topics WHERE service_id = :s AND code = 'lainnya'"),
            {"s": service_id},
        ).first()
        if exists:
            continue
        position = connection.execute(
            sa.text("SELECT COALESCE(MAX(position), 0) + 1 FROM topics WHERE service_id = :s"),
            {"s": service_id},
        ).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO topics (service_id, code, name_id, name_en, keywords, position,"
                " active) VALUES (:s, 'lainnya', :n_id, :n_en, '', :p, :a)"
            ),
            {"s": service_id, "n_id": NAME_ID, "n_en": NAME_EN, "p": position, "a": True},
        )

    has_info = connection.execute(sa.text("SELECT 1 FROM clinic_info")).first() is not None
    has_regency = connection.execute(
        sa.text("SELECT 1 FROM clinic_info WHERE key = 'regency'")
    ).first()
    if has_info and not has_regency:  # an installation seeded before the regency setting
        connection.execute(
            sa.text(
                "INSERT INTO clinic_info (key, value_id, value_en)"
                " VALUES ('regency', 'Kabupaten Tangerang', 'Kabupaten Tangerang')"
            )
        )


def downgrade() -> None:
    # reservations may point at the other topic: it stays (deactivate it in the console)
    pass
