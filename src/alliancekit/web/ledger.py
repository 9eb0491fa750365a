"""The ledger in the explorer (``alliancekit serve --ledger``): a JSON API for proposing and
reviewing changes with API tokens, and forms for people signed in with a password.

Without ``--ledger`` none of these routes exist and the explorer is read-only. With it:

- ``/api/ledger/...`` takes ``Authorization: Bearer <token>`` (``alliancekit ledger token``
  issues one); each route needs a scope.
- ``/ledger/...`` pages take a signed session cookie set by the sign-in form (HMAC-SHA256 with
  the server's secret; ``HttpOnly``, ``SameSite=Strict``), and every form carries a CSRF token
  tied to the session, checked on each POST.
- Sign-in attempts are limited per client address and per account name (5 failures in 5
  minutes, then 429 until the window passes).
- Every write runs in one transaction; an approval publishes the records
  (:func:`alliancekit.ledger.publish.publish`), which the explorer reads at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from fastapi import APIRouter, Depends, Form, Header, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from alliancekit.errors import CurationError, UsageError
from alliancekit.ledger.auth import Denied, sign_in, token_user
from alliancekit.ledger.db import connect, transaction, upgrade
from alliancekit.ledger.models import FOLDERS, AuditEntry, Proposal, Record, User
from alliancekit.ledger.publish import publish
from alliancekit.ledger.records import import_records, record_text
from alliancekit.ledger.workflow import Conflict, decide, propose
from alliancekit.locations import RECORDS_SETTING
from alliancekit.web.api import ERRORS, ApiError
from alliancekit.web.render import render

SESSION_COOKIE = "ak_session"
# a proposal's number: a database integer (PostgreSQL's are 32-bit)
ProposalNumber = Annotated[int, FastPath(ge=1, le=2**31 - 1)]
SESSION_HOURS = 8
ATTEMPTS, WINDOW = 5, 300.0


@dataclass
class LedgerState:
    """What the ledger routes work with: the database, the signing secret, where approvals
    are published, and the recent failed sign-ins."""

    engine: Engine
    secret: bytes
    publish_to: Path
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)


def server_secret() -> bytes:
    """The key that signs session cookies: ``ALLIANCEKIT_SECRET``, else a random key kept
    (readable by its owner only) in the user data directory."""
    given = os.environ.get("ALLIANCEKIT_SECRET")
    if given:
        return given.encode()
    path = Path(platformdirs.user_data_dir("alliancekit")) / "session.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # readable by its owner only from the start
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()  # another worker made it first
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(32))
    return path.read_bytes()


def open_ledger(url: str | None = None, records: Path | None = None) -> LedgerState:
    """The ledger at ``url`` (``ALLIANCEKIT_DB``, else the default SQLite file) ready to
    serve: migrated, holding the shipped records if it held none, published to ``records``
    (else ``ALLIANCEKIT_RECORDS``, else a directory in the user data directory). The explorer
    reads the published records where ``ALLIANCEKIT_RECORDS`` points (``serve --ledger`` sets
    it to this directory for itself and its workers)."""
    engine = connect(url)
    upgrade(engine)
    with transaction(engine) as session:
        empty = session.scalar(select(Record.id).limit(1)) is None
    if empty:
        import_records(engine, actor="serve --ledger", comment="the shipped records")
    target = Path(records or os.environ.get(RECORDS_SETTING) or Path(
        platformdirs.user_data_dir("alliancekit")) / "published-records")
    publish(engine, target)
    return LedgerState(engine, server_secret(), target)


def _state(request: Request) -> LedgerState:
    found: LedgerState = request.app.state.ledger
    return found


# -- the JSON API ---------------------------------------------------------------------------
api = APIRouter(prefix="/api/ledger", tags=["ledger"])


class ProposalBody(BaseModel):
    """A proposed change: the record's whole new TOML text (null to delete it)."""

    folder: Literal["agreements", "groups", "atop_status"]
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,100}$")]
    text: Annotated[str | None, Field(max_length=100_000)] = None
    why: Annotated[str, Field(min_length=1, max_length=2000)]
    sources: Annotated[list[Annotated[str, Field(min_length=1, max_length=500)]],
                       Field(min_length=1, max_length=20)]


class DecisionBody(BaseModel):
    """A review: approve (publish) or reject, with a comment (required to reject)."""

    approve: bool
    comment: Annotated[str, Field(max_length=2000)] = ""


class ProposalOut(BaseModel):
    """A proposal as the API reports it."""

    id: int
    folder: str
    key: str
    action: str
    status: str
    why: str
    sources: list[str]
    proposer: str
    reviewer: str | None
    review_comment: str | None
    base_version: int | None


class RecordOut(BaseModel):
    """A record's canonical TOML text and its version (propose from it)."""

    folder: str
    key: str
    version: int
    text: str


def _out(proposal: Proposal) -> ProposalOut:
    return ProposalOut(id=proposal.id, folder=proposal.folder, key=proposal.key,
                       action=proposal.action, status=proposal.status, why=proposal.why,
                       sources=list(proposal.sources), proposer=proposal.proposer.name,
                       reviewer=proposal.reviewer.name if proposal.reviewer else None,
                       review_comment=proposal.review_comment,
                       base_version=proposal.base_version)


def _bearer(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise ApiError(401, "sign in: send Authorization: Bearer <token>", None,
                       "unauthenticated")
    return authorization.removeprefix("Bearer ").strip()


def _translate(exc: Exception) -> ApiError:
    """The ledger's errors as API errors (status, field)."""
    if isinstance(exc, Denied):
        return ApiError(403, str(exc), None, "forbidden")
    if isinstance(exc, Conflict):
        return ApiError(409, str(exc), None, "conflict")
    if isinstance(exc, CurationError):
        return ApiError(422, str(exc), "text", "invalid_record")
    field_name = str(exc).partition(":")[0].split()[0] if ":" in str(exc) else None
    return ApiError(400, str(exc), field_name if field_name in (
        "why", "sources", "key", "folder", "comment") else None)


AUTH_ERRORS = {**ERRORS,
               401: {"model": ERRORS[400]["model"], "description": "No valid token"},
               403: {"model": ERRORS[400]["model"], "description": "Not allowed"},
               409: {"model": ERRORS[400]["model"], "description": "The record changed"}}


@api.get("/records/{folder}/{key}", summary="A record's text and version",
         responses=AUTH_ERRORS)
def get_record(request: Request, folder: Literal["agreements", "groups", "atop_status"],
               key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,100}$")]) -> RecordOut:
    """The record's canonical TOML text, to propose a change from."""
    with transaction(_state(request).engine) as session:
        record = session.scalar(select(Record).where(Record.folder == folder,
                                                     Record.key == key))
        if record is None:
            raise ApiError(404, f"{folder}/{key}: no such record", "key", "not_found")
        return RecordOut(folder=folder, key=key, version=record.version,
                         text=record_text(record))


@api.get("/proposals", summary="Proposals, newest first", responses=AUTH_ERRORS)
def list_proposals(request: Request,
                   status: Literal["open", "approved", "rejected"] | None = None,
                   authorization: Annotated[str | None, Header()] = None
                   ) -> list[ProposalOut]:
    """Proposals (any signed-in account may read them)."""
    secret = _bearer(authorization)
    with transaction(_state(request).engine) as session:
        try:
            token_user(session, secret, None)
        except Denied as exc:
            raise _translate(exc) from None
        query = select(Proposal).order_by(Proposal.id.desc()).limit(200)
        if status:
            query = query.where(Proposal.status == status)
        return [_out(p) for p in session.scalars(query)]


@api.post("/proposals", summary="Propose a change", status_code=201, responses=AUTH_ERRORS)
def create_proposal(request: Request, body: ProposalBody,
                    authorization: Annotated[str | None, Header()] = None) -> ProposalOut:
    """A proposal from the token's account (scope ``propose``)."""
    secret = _bearer(authorization)
    try:
        with transaction(_state(request).engine) as session:
            user = token_user(session, secret, "propose")
            return _out(propose(session, user, body.folder, body.key, body.text,
                                why=body.why, sources=body.sources))
    except (Denied, Conflict, CurationError, UsageError) as exc:
        raise _translate(exc) from None


@api.post("/proposals/{number}/decision", summary="Approve or reject a proposal",
          responses=AUTH_ERRORS)
def decide_proposal(request: Request, number: ProposalNumber, body: DecisionBody,
                    authorization: Annotated[str | None, Header()] = None) -> ProposalOut:
    """Approve (and publish) or reject (scope ``review``; never one's own proposal)."""
    secret = _bearer(authorization)
    state = _state(request)
    try:
        with transaction(state.engine) as session:
            user = token_user(session, secret, "review")
            out = _out(decide(session, user, number, approve=body.approve,
                              comment=body.comment))
    except (Denied, Conflict, CurationError, UsageError) as exc:
        raise _translate(exc) from None
    if body.approve:
        publish(state.engine, state.publish_to)
    return out


# -- the forms ------------------------------------------------------------------------------
forms = APIRouter(prefix="/ledger", include_in_schema=False)


def _sign(secret: bytes, payload: dict[str, Any]) -> str:
    data = base64.urlsafe_b64encode(json.dumps(payload, sort_keys=True).encode()).decode()
    mac = hmac.new(secret, data.encode(), hashlib.sha256).hexdigest()
    return f"{data}.{mac}"


def _unsign(secret: bytes, value: str | None) -> dict[str, Any] | None:
    if not value or "." not in value:
        return None
    data, _, mac = value.rpartition(".")
    good = hmac.new(secret, data.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, good):
        return None
    try:
        payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(data.encode()))
    except ValueError:
        return None
    if payload.get("expires", 0) < time.time():
        return None
    return payload


def _csrf(secret: bytes, session: dict[str, Any]) -> str:
    return hmac.new(secret, f"csrf:{session['nonce']}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Visitor:
    """Who is at the forms: the session (None when signed out) and its CSRF token."""

    session: dict[str, Any] | None
    csrf: str


def visitor(request: Request) -> Visitor:
    """The request's signed session, if any."""
    state = _state(request)
    session = _unsign(state.secret, request.cookies.get(SESSION_COOKIE))
    return Visitor(session, _csrf(state.secret, session) if session else "")


def _user(request: Request, found: Visitor) -> User | None:
    if found.session is None:
        return None
    with transaction(_state(request).engine) as session:
        user = session.get(User, int(found.session["user"]))
        if user is None or not user.active:
            return None
        session.expunge(user)
        return user


def _check_csrf(found: Visitor, token: str) -> None:
    if found.session is None or not hmac.compare_digest(found.csrf, token):
        raise ApiError(403, "the form expired or did not come from this site; open it again",
                       "csrf", "csrf")


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(template, request, **context), status_code=status)


@forms.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return _page(request, "ledger_login.html", title="Sign in", error=None, name="")


@forms.post("/login", response_class=HTMLResponse)
def login(request: Request, name: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=200)]) -> Response:
    """Sign in: a session cookie on success; at most :data:`ATTEMPTS` failures per address
    and per name in :data:`WINDOW` seconds."""
    state = _state(request)
    now = time.monotonic()
    keys = [f"ip:{request.client.host if request.client else '?'}", f"name:{name}"]
    with state.lock:  # each attempt is counted before the password is checked
        for key in keys:
            recent = state.failures[key]
            while recent and now - recent[0] > WINDOW:
                recent.popleft()
            if not recent:
                state.failures.pop(key, None)
            elif len(recent) >= ATTEMPTS:
                raise ApiError(429, "too many failed sign-ins; wait five minutes and try "
                                    "again", "password", "rate_limited")
        for key in keys:
            state.failures[key].append(now)
    try:
        with transaction(state.engine) as session:
            user = sign_in(session, name, password)
            user_id = user.id
            session.add(AuditEntry(actor=user.name, action="sign-in", comment=keys[0]))
    except Denied as exc:
        return _page(request, "ledger_login.html", 401, title="Sign in", error=str(exc),
                     name=name)
    with state.lock:  # a good password gives its attempt back
        for key in keys:
            if now in state.failures.get(key, ()):
                state.failures[key].remove(now)
    payload = {"user": user_id, "nonce": secrets.token_hex(16),
               "expires": time.time() + SESSION_HOURS * 3600}
    response = RedirectResponse("/ledger", status_code=303)
    response.set_cookie(SESSION_COOKIE, _sign(state.secret, payload), httponly=True,
                        samesite="strict", max_age=SESSION_HOURS * 3600,
                        secure=request.url.scheme == "https")
    return response


@forms.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """Sign out."""
    _check_csrf(visitor(request), csrf)
    response = RedirectResponse("/ledger/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@forms.get("", response_class=HTMLResponse)
def home(request: Request, found: Annotated[Visitor, Depends(visitor)]) -> Response:
    """Open proposals and the records to propose a change to."""
    user = _user(request, found)
    if user is None:
        return RedirectResponse("/ledger/login", status_code=303)
    with transaction(_state(request).engine) as session:
        proposals = [_out(p) for p in session.scalars(
            select(Proposal).order_by(Proposal.id.desc()).limit(100))]
        records = [(r.folder, r.key) for r in session.scalars(
            select(Record).order_by(Record.folder, Record.key))]
    return _page(request, "ledger_home.html", title="Ledger", user=user, csrf=found.csrf,
                 proposals=proposals, records=records)


@forms.get("/propose", response_class=HTMLResponse)
def propose_form(request: Request, found: Annotated[Visitor, Depends(visitor)],
                 folder: Literal["agreements", "groups", "atop_status"] = "agreements",
                 key: Annotated[str, Field(pattern=r"^[a-z0-9_]{0,100}$")] = "",
                 choice: Annotated[str | None, Query(
                     alias="record",
                     pattern=r"^(agreements|groups|atop_status)/[a-z0-9_]{1,100}$")] = None
                 ) -> Response:
    """The form to propose a change to a record (its current text to edit); the record as
    ``folder`` and ``key`` or as ``record=folder/key``."""
    user = _user(request, found)
    if user is None:
        return RedirectResponse("/ledger/login", status_code=303)
    if choice:
        folder, _, key = choice.partition("/")  # type: ignore[assignment]
    text = ""
    if key:
        with transaction(_state(request).engine) as session:
            record = session.scalar(select(Record).where(Record.folder == folder,
                                                         Record.key == key))
            text = record_text(record) if record is not None else ""
    return _page(request, "ledger_propose.html", title="Propose a change", user=user,
                 csrf=found.csrf, folder=folder, key=key, text=text, why="", source_lines="",
                 errors={}, folders=FOLDERS)


@forms.post("/propose", response_class=HTMLResponse)
def propose_submit(request: Request, found: Annotated[Visitor, Depends(visitor)],
                   folder: Annotated[str, Form(max_length=20)],
                   key: Annotated[str, Form(max_length=100)],
                   text: Annotated[str, Form(max_length=100_000)],
                   why: Annotated[str, Form(max_length=2000)] = "",
                   sources: Annotated[str, Form(max_length=10_000)] = "",
                   csrf: Annotated[str, Form()] = "") -> Response:
    """Make the proposal; errors are shown next to their field."""
    _check_csrf(found, csrf)
    user = _user(request, found)
    errors: dict[str, str] = {}
    try:
        with transaction(_state(request).engine) as session:
            made = propose(session, user, folder, key, text or None, why=why,
                           sources=[s for s in sources.splitlines() if s.strip()])
            number = made.id
    except (Denied, CurationError, UsageError, Conflict) as exc:
        problem = _translate(exc)
        errors[problem.field or "text"] = str(exc)
        return _page(request, "ledger_propose.html",
                     problem.status if problem.status in (403, 409) else 422,
                     title="Propose a change",
                     user=user, csrf=found.csrf, folder=folder, key=key, text=text, why=why,
                     source_lines=sources, errors=errors, folders=FOLDERS)
    return RedirectResponse(f"/ledger/proposals/{number}", status_code=303)


@forms.get("/proposals/{number}", response_class=HTMLResponse)
def proposal_page(request: Request, number: ProposalNumber,
                  found: Annotated[Visitor, Depends(visitor)]) -> Response:
    """A proposal: what changes, why, its sources, and the review form."""
    user = _user(request, found)
    if user is None:
        return RedirectResponse("/ledger/login", status_code=303)
    with transaction(_state(request).engine) as session:
        proposal = session.get(Proposal, number)
        if proposal is None:
            raise ApiError(404, f"proposal {number}: no such proposal", None, "not_found")
        out = _out(proposal)
        text = proposal.text
    return _page(request, "ledger_proposal.html", title=f"Proposal {number}", user=user,
                 csrf=found.csrf, proposal=out, text=text, error=None)


@forms.post("/proposals/{number}/decision", response_class=HTMLResponse)
def decision_submit(request: Request, number: ProposalNumber,
                    found: Annotated[Visitor, Depends(visitor)],
                    approve: Annotated[str, Form(max_length=10)],
                    comment: Annotated[str, Form(max_length=2000)] = "",
                    csrf: Annotated[str, Form()] = "") -> Response:
    """Approve (and publish) or reject a proposal."""
    _check_csrf(found, csrf)
    user = _user(request, found)
    state = _state(request)
    approved = approve == "yes"
    try:
        with transaction(state.engine) as session:
            decide(session, user, number, approve=approved, comment=comment)
    except (Denied, Conflict, UsageError) as exc:
        with transaction(state.engine) as session:
            proposal = session.get(Proposal, number)
            if proposal is None:
                raise ApiError(404, f"proposal {number}: no such proposal", None,
                               "not_found") from None
            out, text = _out(proposal), proposal.text
        return _page(request, "ledger_proposal.html", _translate(exc).status,
                     title=f"Proposal {number}", user=user, csrf=found.csrf, proposal=out,
                     text=text, error=str(exc))
    if approved:
        publish(state.engine, state.publish_to)
    return RedirectResponse(f"/ledger/proposals/{number}", status_code=303)
