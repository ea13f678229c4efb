"""`manage.py score FILE.json [--scheme FILE.json]`: print the scorecard of one profile (DESIGN section 7).

Bad input prints one line `error: <field or file>: <problem>` on stderr and exits with status 2.
Called through `call_command`, the same message comes as a `CommandError` with `returncode == 2`.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessments.scoring import DEFAULT_SCHEME, ProfileError, Scheme, SchemeError, parse_profile, score

INPUT_ERROR = 2


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def load_json(path: str, label: str) -> Any:
    """Decode a JSON file (`-` = stdin) with exact decimals; a `CommandError` names `label` on failure."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except FileNotFoundError:
        raise CommandError(f"{label}: file not found", returncode=INPUT_ERROR) from None
    except UnicodeDecodeError:
        raise CommandError(f"{label}: not UTF-8 text", returncode=INPUT_ERROR) from None
    except OSError as error:
        raise CommandError(f"{label}: cannot read: {error.strerror}", returncode=INPUT_ERROR) from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        message = f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        raise CommandError(f"{label}: {message}", returncode=INPUT_ERROR) from None
    except (ValueError, RecursionError) as error:
        raise CommandError(f"{label}: malformed JSON: {error}", returncode=INPUT_ERROR) from None


class Command(BaseCommand):
    help = "Print the scorecard of one profile JSON file (DESIGN section 7) as JSON."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.json", help="profile JSON file, or - for standard input")
        parser.add_argument("--scheme", metavar="FILE.json", help="scoring scheme JSON (weights, caps, neighbouring)")

    def execute(self, *args: Any, **options: Any) -> str | None:
        """From the command line, print a CommandError as one `error: ...` line (Django would prefix its class)."""
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"error: {error}")
            sys.exit(error.returncode)

    def handle(self, *args: Any, **options: Any) -> None:
        scheme = DEFAULT_SCHEME
        if options["scheme"]:
            label = f"--scheme {options['scheme']}"
            data = load_json(options["scheme"], label)
            try:
                scheme = Scheme.from_dict(data)
            except SchemeError as error:
                raise CommandError(f"{label}: {error}", returncode=INPUT_ERROR) from None
        data = load_json(options["file"], options["file"])
        try:
            profile = parse_profile(data, today=timezone.localdate())
        except ProfileError as error:
            raise CommandError(str(error), returncode=INPUT_ERROR) from None
        self.stdout.write(json.dumps(score(profile, scheme), indent=2, ensure_ascii=False))
