"""Verification codes: 16 characters of Crockford's base 32 (80 random bits), printed in groups of four.

Reading is forgiving, as people type codes from paper: case, spaces and hyphens do not matter, and the
letters O, I and L are read as 0, 1 and 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
#: the longest input looked at (a code with a separator between every character, and spaces around)
MAX_INPUT = 40
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The code `text` stands for, or None when it cannot be one (wrong length or characters)."""
    if len(text) > MAX_INPUT:
        return None
    code = text.strip().upper().translate(_READ_AS)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code
