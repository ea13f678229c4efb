"""Print the CPU time and peak memory of one password check with each configured hasher."""

import resource
import time

from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "CPU seconds and memory of one password check per configured hasher (the log-in's own cost)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, choices=range(1, 101), metavar="1-100")

    def handle(self, *args, repeat: int, **options):
        password = "Tiger-lily-Harbour-42"
        for path in settings.PASSWORD_HASHERS:
            hasher = get_hasher(_algorithm(path))
            encoded = make_password(password, hasher=hasher.algorithm)
            start = time.process_time()
            for _ in range(repeat):
                check_password(password, encoded)
            cpu = (time.process_time() - start) / repeat
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(f"{path}: {cpu:.3f} s CPU per check (process peak RSS {peak:.0f} MB)")


def _algorithm(path: str) -> str:
    from django.utils.module_loading import import_string

    return import_string(path).algorithm
