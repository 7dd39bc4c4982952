"""Who may use the web app, and how they prove it.

Two modes, chosen by where the server listens:

* **Loopback** (127.0.0.1, the default): only people on this computer can reach the server, as with
  Jupyter. A random secret token is printed at start (in the URL the browser opens); the first request
  carrying it gets a session cookie, then the person picks their reviewer name (from review.toml) once.
* **Network** (any other host): every reviewer has an account made with ``sysrev serve adduser NAME``; the
  password is stored as a scrypt hash (werkzeug's ``generate_password_hash``, a standard memory-hard KDF),
  never in clear. The server refuses to start in this mode without accounts.

Accounts live in ``.sysrev/web-users.json`` inside the project (left out of git by ``.gitignore``: hashes
are not for sharing). Every form that changes a file carries a CSRF token tied to the session, and sessions
expire (``SESSION_HOURS``).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_text
from sysrev.locking import project_lock

USERS_FILE = Path(".sysrev") / "web-users.json"
SESSION_HOURS = 12
MIN_PASSWORD = 10


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def users_path(project) -> Path:
    return Path(project.root) / USERS_FILE


def load_users(project) -> dict[str, str]:
    """``{reviewer: password hash}``; empty when nobody has an account yet."""
    path = users_path(project)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SysrevError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise SysrevError(f"{path}: expected {{name: password hash}}")
    return data


def add_user(project, name: str, password: str, reviewers: list[str]) -> Path:
    """Create or replace ``name``'s account; the name must be a reviewer of review.toml."""
    if name not in reviewers:
        raise SysrevError(f"{name!r} is not a reviewer in review.toml [screening] reviewers "
                          f"({', '.join(reviewers)})")
    if len(password) < MIN_PASSWORD:
        raise SysrevError(f"the password must have at least {MIN_PASSWORD} characters")
    hashed = generate_password_hash(password, method="scrypt")  # slow by design: before taking the lock
    with project_lock(project.root):  # read-modify-write: two adduser at once must both keep their account
        users = load_users(project)
        users[name] = hashed
        path = atomic_write_text(users_path(project), json.dumps(users, indent=2, sort_keys=True) + "\n")
        path.chmod(0o600)
    return path


def check_password(project, name: str, password: str) -> bool:
    """Whether ``password`` is ``name``'s (a constant-time comparison inside werkzeug)."""
    stored = load_users(project).get(name)
    return bool(stored) and check_password_hash(stored, password)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same_secret(given: str | None, expected: str) -> bool:
    """Whether ``given`` (from the request) is ``expected``, in constant time. Compared as UTF-8 bytes: the
    request may carry any text, and ``hmac.compare_digest`` refuses a non-ASCII ``str`` with a TypeError (a
    server error where a refusal is due)."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
