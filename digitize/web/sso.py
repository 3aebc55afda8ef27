"""Sign-in through the province's OpenID Connect single sign-on (Authlib), when `oidc_issuer` is set.

The role comes from a staff account of the same username if there is one (a deactivated account
cannot sign in this way either), else from the person's groups (`oidc_roles`: "group:role,…")."""
from __future__ import annotations

import logging

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ..http.auth import ROLES, client_of
from ..http.state import audit_event
from ..settings import Settings
from .session import start_session
from .session_pages import login_page, safe_next

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


def install(app: FastAPI, settings: Settings) -> None:
    app.state.sso = None
    if not settings.oidc_issuer:
        return
    oauth = OAuth()
    oauth.register("province", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
                   server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
                   client_kwargs={"scope": "openid profile"})
    app.state.sso = oauth.create_client("province")
    app.state.sso_roles = parse_group_roles(settings.oidc_roles)
    app.include_router(router)


def parse_group_roles(spec: str) -> list[tuple[str, str]]:
    pairs = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        group, _, role = item.rpartition(":")
        if role in ROLES and group:
            pairs.append((group.lstrip("/"), role))
    return pairs


@router.get("/dang-nhap/sso")
async def sso_start(request: Request, tiep: str | None = None):
    request.session.clear()
    request.session["sso_next"] = safe_next(tiep) or ""
    return await request.app.state.sso.authorize_redirect(request, str(request.url_for("sso_done")))


@router.get("/dang-nhap/sso/xong", name="sso_done")
async def sso_done(request: Request):
    next_path = request.session.pop("sso_next", "")
    try:
        token = await request.app.state.sso.authorize_access_token(request)
    except OAuthError as exc:
        log.warning("single sign-on refused: %s", exc.error)
        return login_page(request, next_path, "Đăng nhập một lần không thành công; vui lòng thử lại.", status=401)
    claims = token.get("userinfo") or {}
    username = str(claims.get("preferred_username") or claims.get("sub") or "").lower()[:64]
    role = await run_in_threadpool(_role_of, request, username, claims.get("groups") or [])
    if role is None:
        await run_in_threadpool(audit_event, request, who=username or "?", role="-", action="login_failed",
                                client=client_of(request))
        return login_page(request, next_path, "Tài khoản của bạn chưa được cấp vai trò trong hệ thống này.",
                          status=403)
    await run_in_threadpool(start_session, request, name=username, role=role, via="sso")
    await run_in_threadpool(audit_event, request, who=username, role=role, action="login", client=client_of(request))
    return RedirectResponse(next_path or "/", status_code=303)


def _role_of(request: Request, username: str, groups: list[str]) -> str | None:
    if not username:
        return None
    account = request.app.state.services.people.account(username)
    if account is not None:
        return account.role if account.active else None
    names = {str(g).lstrip("/") for g in groups}
    return next((role for group, role in request.app.state.sso_roles if group in names), None)
