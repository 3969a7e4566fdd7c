"""The access check in front of the served coach, on a real aiohttp server."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from assistant.serve.auth import TOKEN_COOKIE, access_middleware, check_token, is_loopback

TOKEN = "a-good-token-0123456789"


async def _page(request: web.Request) -> web.Response:
    return web.Response(text="the page")


async def _client(token: str | None) -> TestClient[web.Request, web.Application]:
    app = web.Application(middlewares=[access_middleware(token)])
    app.router.add_get("/", _page)
    app.router.add_get("/ws", _page)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


async def test_the_token_in_the_url_opens_the_page_and_sets_a_cookie() -> None:
    """A good ?token= gets the page and a SameSite=Strict cookie the page's requests carry."""
    client = await _client(TOKEN)
    try:
        response = await client.get(f"/?token={TOKEN}")
        assert response.status == 200
        cookie = response.cookies[TOKEN_COOKIE]
        assert cookie.value == TOKEN
        assert cookie["samesite"] == "Strict" and cookie["httponly"]
        again = await client.get("/ws")  # the client now carries the cookie
        assert again.status == 200
    finally:
        await client.close()


@pytest.mark.parametrize(
    "path", ["/", "/?token=", "/?token=a-wrong-token-0123456789", f"/?token={TOKEN}x"]
)
async def test_a_missing_or_wrong_token_is_refused(path: str) -> None:
    """403, and no cookie, for anything but the exact token."""
    client = await _client(TOKEN)
    try:
        response = await client.get(path)
        assert response.status == 403
        assert TOKEN_COOKIE not in response.cookies
    finally:
        await client.close()


async def test_a_wrong_cookie_is_refused() -> None:
    client = await _client(TOKEN)
    try:
        response = await client.get("/", cookies={TOKEN_COOKIE: "a-wrong-token-0123456789"})
        assert response.status == 403
    finally:
        await client.close()


async def test_without_a_token_only_loopback_names_are_served() -> None:
    """Another site's name resolved to 127.0.0.1 (DNS rebinding) does not reach the app."""
    client = await _client(None)
    try:
        assert (await client.get("/", headers={"Host": "localhost:8000"})).status == 200
        assert (await client.get("/", headers={"Host": "127.0.0.1:8000"})).status == 200
        assert (await client.get("/", headers={"Host": "evil.example:8000"})).status == 403
    finally:
        await client.close()


async def test_a_websocket_from_another_origin_is_refused() -> None:
    """A page of another site cannot open the app's websocket, even with the token."""
    client = await _client(TOKEN)
    try:
        upgrade = {"Upgrade": "websocket", "Connection": "Upgrade"}
        foreign = await client.get(
            f"/ws?token={TOKEN}", headers={**upgrade, "Origin": "http://evil.example"}
        )
        assert foreign.status == 403
        own_origin = f"http://{client.host}:{client.port}"
        own = await client.get(f"/ws?token={TOKEN}", headers={**upgrade, "Origin": own_origin})
        assert own.status == 200  # the test handler is no websocket: the check let it through
    finally:
        await client.close()


def test_loopback_names() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.5", "example.com"]))


def test_a_short_or_unsafe_token_is_refused() -> None:
    assert check_token("short") is not None
    assert check_token("has spaces in it, sixteen+") is not None
    assert check_token(TOKEN) is None
