"""Password hashing: Argon2id with OWASP's password-storage parameters (19 MiB, 2 passes, 1 lane).

Memory-hard, and about 0.03 s of CPU per log-in on a 2-core server, so that 50 users logging in at once do
not queue behind a million PBKDF2 iterations each. Existing hashes of any listed hasher are upgraded to
this one at the user's next successful log-in (Django's `check_password` re-hashes with the first hasher).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ParkArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
