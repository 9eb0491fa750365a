"""Accounts, passwords and API tokens of the ledger.

Roles, from least to most: ``viewer`` (reads), ``curator`` (proposes changes), ``reviewer``
(approves or rejects others' proposals) and ``admin`` (all of that, and accounts). Passwords are
kept as Argon2id hashes (argon2-cffi's defaults). API tokens are 32 random bytes shown once;
only their SHA-256 digest is kept, with the scopes they carry (``propose``, ``review``,
``admin``), and a revoked token stops working at once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from alliancekit.errors import AlliancekitError, UsageError
from alliancekit.ledger.models import ROLES, SCOPES, Token, User

_HASHER = PasswordHasher()
MIN_PASSWORD = 12
# What each role may do; a token may carry at most its user's.
ALLOWED = {"viewer": set(), "curator": {"propose"}, "reviewer": {"propose", "review"},
           "admin": {"propose", "review", "admin"}}


class Denied(AlliancekitError):
    """Not signed in, or not allowed to do that."""

    status = 403


def create_user(session: Session, name: str, role: str, password: str) -> User:
    """A new account (``role`` one of :data:`ROLES`; the password at least
    :data:`MIN_PASSWORD` characters)."""
    if role not in ROLES:
        raise UsageError(f"role {role!r}: choose from {', '.join(ROLES)}")
    if not name or len(name) > 100 or not name.replace("_", "").replace("-", "").replace(
            ".", "").isalnum():
        raise UsageError(f"name {name!r}: give 1 to 100 letters, digits, '.', '-' or '_'")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"password: give at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UsageError(f"name {name!r}: an account of that name exists")
    user = User(name=name, role=role, password_hash=_HASHER.hash(password), active=True)
    session.add(user)
    session.flush()
    return user


def sign_in(session: Session, name: str, password: str) -> User:
    """The active account ``name`` if ``password`` is its password; :class:`Denied` otherwise
    (the same message either way, so it does not tell which names exist)."""
    user = session.scalar(select(User).where(User.name == name))
    try:
        if user is None or not user.active:
            _HASHER.hash(password)  # the same work as a real check
            raise Denied("wrong name or password")
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Denied("wrong name or password") from None
    return user


def allowed(user: User, scope: str) -> bool:
    """Whether ``user``'s role allows ``scope``."""
    return user.active and scope in ALLOWED[user.role]


def require(user: User | None, scope: str) -> User:
    """``user`` when signed in with a role that allows ``scope``; :class:`Denied` otherwise."""
    if user is None:
        raise Denied(f"{scope}: sign in first")
    if not allowed(user, scope):
        raise Denied(f"{scope}: the {user.role} role may not do that")
    return user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str, scopes: Sequence[str]) -> str:
    """A new API token for ``user`` carrying ``scopes`` (each allowed to its role); the secret
    is returned once and not kept."""
    wanted = list(dict.fromkeys(scopes))
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise UsageError(f"scopes {wanted}: choose from {', '.join(SCOPES)}")
    beyond = [s for s in wanted if s not in ALLOWED[user.role]]
    if beyond:
        raise Denied(f"scopes {beyond}: the {user.role} role may not give them")
    secret = "akt_" + secrets.token_urlsafe(32)
    session.add(Token(user_id=user.id, name=name, digest=_digest(secret), scopes=wanted))
    session.flush()
    return secret


def token_user(session: Session, secret: str, scope: str | None) -> User:
    """The account behind API token ``secret`` when it is valid, not revoked and carries
    ``scope`` (any scope when None) that the account's role still allows; :class:`Denied`
    otherwise."""
    token = session.scalar(select(Token).where(Token.digest == _digest(secret)))
    if token is None or token.revoked is not None:
        raise Denied("the token is unknown or revoked")
    wanted = [scope] if scope is not None else list(token.scopes)
    usable = [s for s in wanted if s in token.scopes and allowed(token.user, s)]
    if not usable:
        raise Denied(f"{scope or 'any scope'}: the token does not carry that scope, or its "
                     "account may no longer use it")
    return token.user


def revoke_token(session: Session, token_id: int) -> None:
    """Revoke token ``token_id`` (it stops working at once)."""
    token = session.get(Token, token_id)
    if token is None:
        raise UsageError(f"token {token_id}: no such token")
    token.revoked = datetime.datetime.now(datetime.UTC)
