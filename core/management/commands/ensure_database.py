"""Create the PostgreSQL database of DATABASE_URL when it does not exist (what scripts/start runs first)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it is missing; nothing to do on SQLite."

    def handle(self, *args, **options) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            return
        import psycopg
        from psycopg import sql

        params = {
            "host": database.get("HOST") or None,
            "port": database.get("PORT") or None,
            "user": database.get("USER") or None,
            "password": database.get("PASSWORD") or None,
        }
        name = database["NAME"]
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **params) as connection:
                exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if not exists:
                    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"created database {name}")
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(f"cannot reach or create PostgreSQL database {name!r}: {reason}") from None
