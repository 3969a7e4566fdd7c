"""Who may use a served coach: an access token (a shared secret), checked before any app
process starts; without one, only pages asked for by a loopback name from the same origin.

The token arrives as `?token=` on the first page (or on any request, for scripts); a good one
sets a cookie that the page's own requests (static files, the websocket) then carry. The cookie
is `SameSite=Strict` and `HttpOnly`: another site's page cannot make the browser send it.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

TOKEN_COOKIE = "mock_interview_token"
"""The cookie a good `?token=` sets."""
TOKEN_QUERY = "token"
"""The query parameter that carries the token."""
MIN_TOKEN_LENGTH = 16
"""A token given with --token must be at least this long: it is all that guards the app."""


def is_loopback(host: str) -> bool:
    """True for a name or address that only this machine can reach."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh random token, safe to put in a URL."""
    return secrets.token_urlsafe(24)


def check_token(token: str) -> str | None:
    """Why a token given on the command line cannot be used, or None when it can."""
    if len(token) < MIN_TOKEN_LENGTH:
        return f"--token must be at least {MIN_TOKEN_LENGTH} characters"
    if not all(c.isascii() and (c.isalnum() or c in "-_.~") for c in token):
        return "--token may hold only letters, digits and - _ . ~ (it goes in a URL)"
    return None


def _forbidden(reason: str) -> web.Response:
    return web.Response(status=403, text=f"403 Forbidden: {reason}\n")


def _same_origin(request: web.Request) -> bool:
    """A websocket opened by a page of this server (or by a client that sends no Origin)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc.lower() == request.host.lower()


def _host_name(request: web.Request) -> str:
    """The host part of the Host header (no port)."""
    host = request.host
    if host.startswith("["):
        return host[1 : host.index("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def access_middleware(token: str | None) -> Middleware:
    """Refuse, with 403, every request without the token (or, with no token, every request not
    made to a loopback name: a page of another site that resolves its name to 127.0.0.1 could
    otherwise drive the app), and every websocket opened from another origin."""

    @web.middleware
    async def check_access(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket" and not _same_origin(request):
            return _forbidden("the websocket was opened by a page of another site")
        if token is None:
            if not is_loopback(_host_name(request)):
                return _forbidden("served without a token: open it through localhost only")
            return await handler(request)
        given = request.query.get(TOKEN_QUERY)
        from_query = given is not None
        if given is None:
            given = request.cookies.get(TOKEN_COOKIE)
        if given is None or not hmac.compare_digest(given.encode(), token.encode()):
            return _forbidden("this server needs its access token (?token=... in the URL)")
        response = await handler(request)
        if from_query and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    return check_access
