"""Persistence for E-Klinik: tables, engine and sessions, migrations, seed data."""
