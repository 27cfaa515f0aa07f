"""/docs (Swagger UI) and /redoc work offline: their pages reference only same-origin URLs, and
the scripts and styles they load are served by the service itself (app.apidoc.serve_docs)."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient

from app.apidoc import ASSETS_PATH

_URL = re.compile(r"""(?:src|href|url)\s*[=:(]\s*['"]([^'"]+)['"]""")


def _urls(html: str) -> list[str]:
    return _URL.findall(html)


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", ["swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"]),
        ("/redoc", ["redoc.standalone.js", "favicon.png"]),
    ],
)
async def test_docs_pages_load_nothing_from_elsewhere(
    client: AsyncClient, page: str, assets: list[str]
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    urls = _urls(html)
    assert {f"{ASSETS_PATH}/{name}" for name in assets} <= set(urls), urls
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "/openapi.json" in html
    # No absolute URL anywhere in the page (a CDN, Google Fonts, the Swagger validator).
    assert not re.search(r"https?://|//cdn", html), re.findall(r"https?://\S+", html)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("redoc.standalone.js", "text/javascript"),
        ("favicon.png", "image/png"),
    ],
)
async def test_docs_assets_are_served(client: AsyncClient, name: str, content_type: str) -> None:
    response = await client.get(f"{ASSETS_PATH}/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in (
        content_type,
        content_type.replace("text/javascript", "application/javascript"),
    )
    assert len(response.content) > 1000


async def test_swagger_oauth2_redirect_page(client: AsyncClient) -> None:
    response = await client.get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert not re.search(r"https?://", response.text)


async def test_an_unknown_asset_is_a_404(client: AsyncClient) -> None:
    response = await client.get(f"{ASSETS_PATH}/nothing.js")
    assert response.status_code == 404
