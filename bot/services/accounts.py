"""Console accounts: password checks with lockout, creation, password changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from storage.models import AdminUser

ROLES = ("admin", "expert")
MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCK_FOR = dt.timedelta(minutes=15)
MIN_PASSWORD = 10
# checked when the username is unknown, so a wrong name takes as long as a wrong password
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """An account could not be created or changed; the message is shown to the admin."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user, or why not (`bad`, `locked`)."""

    user: AdminUser | None
    problem: str | None = None
    locked_until: dt.datetime | None = None
    newly_locked: bool = False  # this attempt locked the account


def find_user(session: Session, username: str) -> AdminUser | None:
    """The account with this username (case-insensitive)."""
    return session.exec(
        select(AdminUser).where(func.lower(AdminUser.username) == username.strip().lower())
    ).first()


def authenticate(session: Session, username: str, password: str, now: dt.datetime) -> LoginResult:
    """Check a password. Repeated failures lock the account for a while, even for the right
    password; a success clears the count."""
    user = find_user(session, username) if username.strip() else None
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None, "bad")
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, "locked", user.locked_until)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.failed_logins = 0
            user.locked_until = now + LOCK_FOR
            session.add(user)
            return LoginResult(None, "locked", user.locked_until, newly_locked=True)
        session.add(user)
        return LoginResult(None, "bad")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    return LoginResult(user)


def check_new_password(password: str) -> None:
    """Raise AccountError when a password is too weak to accept."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    if password.isdigit() or len(set(password)) < 4:
        raise AccountError("Kata sandi terlalu mudah ditebak.")


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    now: dt.datetime,
    display_name: str | None = None,
) -> AdminUser:
    """A new account; AccountError when the name is taken or the input is not acceptable."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise AccountError("Nama pengguna wajib diisi, tanpa spasi, maksimal 80 karakter.")
    if role not in ROLES:
        raise AccountError("Peran tidak dikenal.")
    if find_user(session, username) is not None:
        raise AccountError("Nama pengguna itu sudah dipakai.")
    check_new_password(password)
    user = AdminUser(
        username=username,
        password_hash=generate_password_hash(password),
        role=role,
        created_at=now,
        display_name=(display_name or "").strip()[:120] or None,
    )
    session.add(user)
    session.flush()
    return user


def change_password(user: AdminUser, current: str, new: str, confirm: str) -> None:
    """Change a password after checking the current one; AccountError says what is wrong."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("Kata sandi lama salah.")
    if new != confirm:
        raise AccountError("Konfirmasi kata sandi tidak sama.")
    check_new_password(new)
    user.password_hash = generate_password_hash(new)


def set_password(user: AdminUser, new: str) -> None:
    """An admin sets another account's password (e.g. a forgotten one)."""
    check_new_password(new)
    user.password_hash = generate_password_hash(new)
    user.failed_logins = 0
    user.locked_until = None


def session_token(user: AdminUser) -> str:
    """A value that changes with the password: a password change ends other sessions."""
    return user.password_hash[-16:]
