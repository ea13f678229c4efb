"""`manage.py zone_totals [--check] [--rebuild]`: compare the zone totals with the records, or compute them again.

Either way it first checks that the triggers in the database are the ones this code installs (those of the totals,
and those that replace the statistics page's cache token, `zone.freshness`).

The totals follow every write by themselves (database triggers, `zone.totals`). Only what bypasses row
triggers can leave them behind: TRUNCATE of a record table, or restoring tables one by one with triggers off
(pg_restore --disable-triggers, a replica's session_replication_role). After that, run `--rebuild`: it writes the
totals, which replaces the cache token too.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from zone import freshness, totals


def _first(names: list[str]) -> str:
    """The first five names, and an ellipsis when there are more."""
    return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")


class Command(BaseCommand):
    help = "Check the zone totals against the records (default), or --rebuild them from the records."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="compute every total again from the records")
        parser.add_argument(
            "--check", action="store_true", help="only compare (the default); exit status 1 on a difference"
        )

    def handle(self, *args, rebuild=False, check=False, **options):
        if rebuild and check:
            raise CommandError("Choose --check or --rebuild, not both.")
        if rebuild:
            with transaction.atomic():
                totals.rebuild(connection)
            self.stdout.write("Zone totals computed again from the records.")
        stale = totals.stale_triggers(connection)
        if stale:
            raise CommandError(
                f"{len(stale)} zone totals triggers are missing or differ from the code ({_first(stale)}). "
                "Run manage.py migrate; then manage.py zone_totals --rebuild."
            )
        missing = freshness.stale_triggers(connection)
        if missing:
            raise CommandError(
                f"{len(missing)} triggers of the statistics cache token are missing or differ from the code "
                f"({_first(missing)}). Run manage.py migrate."
            )
        found = totals.differences(connection)
        if found:
            for line in found:
                self.stdout.write(line)
            raise CommandError(
                f"{len(found)} zone totals differ from the records (the first 20 are listed). "
                "Run manage.py zone_totals --rebuild."
            )
        self.stdout.write("Zone totals agree with the records.")
