"""Sealed drafts and held responses (issue 12), written by hand for both engines.

The old ``draft`` table (plain answers keyed by link) is dropped with whatever it held: a draft
in it named its link and showed its answers. The new ``draft`` is keyed by an HMAC of the link's
secret id and holds only sealed bytes; ``held_response`` keeps submitted answers, sealed, until
they are released into ``response`` together with at least k others.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T19:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sealed drafts and held responses"


def _ddl(engine_type: str) -> list[str]:
    serial, blob = ("INTEGER", "BLOB") if engine_type == "sqlite" else ("SERIAL", "BYTEA")
    refs = 'REFERENCES "{0}" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null'
    return [
        'DROP TABLE "draft"',
        f'CREATE TABLE "draft" ("id" {serial} PRIMARY KEY NOT NULL, "key" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', '
        f'"sealed" {blob} NOT NULL DEFAULT \'\', "wave" INTEGER {refs.format("wave")}, '
        f'"event" INTEGER {refs.format("event")}, "saved_on" DATE NOT NULL DEFAULT CURRENT_DATE)',
        f'CREATE TABLE "held_response" ("id" {serial} PRIMARY KEY NOT NULL, "wave" INTEGER {refs.format("wave")}, '
        f'"event" INTEGER {refs.format("event")}, "school" INTEGER DEFAULT null, "school_class" INTEGER DEFAULT null, '
        f'"sealed" {blob} NOT NULL DEFAULT \'\')',
        'CREATE INDEX draft_wave ON "draft" (wave)',
        'CREATE INDEX draft_event ON "draft" (event)',
        'CREATE INDEX held_response_group ON "held_response" (wave, event, school_class)',
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in _ddl(engine.engine_type):
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
