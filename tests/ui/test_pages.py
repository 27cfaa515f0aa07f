"""What every page is made of: security headers, escaping, only same-origin URLs, the role
helpers the next pages use."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Annotated
from urllib.parse import urlsplit

import pytest
from fastapi import Depends, FastAPI, Request
from httpx import AsyncClient, Response

from app.auth.service import Caller
from app.ui.deps import AdminPage, PageError, check_hospital, require_role
from app.ui.headers import CONTENT_SECURITY_POLICY
from app.ui.templating import render

from .conftest import ADMIN, AGENCY, HOSPITAL, headers, hospital_key, new_hospital_key, sign_in

pytestmark = pytest.mark.usefixtures("demo")

XSS = '"><script>alert(1)</script>'


class _Urls(HTMLParser):
    """Every URL a page makes the browser load or go to, and any inline script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "action", "formaction", "srcset", "poster", "data"}:
                self.urls.append(value or "")
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{tag} {name}")
        if tag in {"script", "style"} and not dict(attrs).get("src"):
            self.inline.append(tag)


def _assert_same_origin(page: Response) -> None:
    parser = _Urls()
    parser.feed(page.text)
    assert parser.urls, page.text
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        assert url.startswith(("/", "#")), url
    assert parser.inline == [], parser.inline


async def _pages(client: AsyncClient) -> dict[str, Response]:
    pages = {
        "login": await client.get("/ui/login"),
        "home agency (bearer)": await client.get("/ui/", headers=headers(AGENCY)),
        "home admin (bearer)": await client.get("/ui/", headers=headers(ADMIN)),
        "401": await client.get("/ui/", headers={"Authorization": "Bearer nope"}),
        "sign-in redirect": await client.post("/ui/logout"),  # no session, no key
    }
    await sign_in(client, hospital_key(HOSPITAL))
    pages["home hospital (session)"] = await client.get("/ui/")
    pages["403 csrf"] = await client.post("/ui/logout", data={"csrf_token": "x"})
    return pages


async def test_every_page_references_only_its_own_origin(client: AsyncClient) -> None:
    pages = await _pages(client)
    for name, page in pages.items():
        if page.status_code in (301, 302, 303, 307, 308):
            assert page.headers["location"].startswith("/ui/"), name
            continue
        assert page.headers["content-type"].startswith("text/html"), name
        _assert_same_origin(page)
    css = await client.get("/ui/static/ui.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "url(" not in css.text and "@import" not in css.text


async def test_every_ui_response_carries_a_strict_csp(client: AsyncClient) -> None:
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    responses = [
        *(await _pages(client)).values(),
        await client.get("/ui/static/ui.css"),
        await client.get("/ui/no-such-page"),
    ]
    for response in responses:
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert responses[0].headers["cache-control"] == "no-store"
    api = await client.get("/healthz")
    assert "content-security-policy" not in api.headers


async def test_the_next_parameter_is_escaped(client: AsyncClient) -> None:
    page = await client.get("/ui/login", params={"next": "/ui/" + XSS})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    _assert_same_origin(page)


async def test_a_hospital_name_is_escaped(client: AsyncClient) -> None:
    code, secret, _ = await new_hospital_key(client, name=XSS + "医院")
    page = await client.get("/ui/", headers=headers(secret))
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;医院" in page.text
    assert code in page.text
    _assert_same_origin(page)


def test_check_hospital_keeps_a_hospital_to_itself() -> None:
    import uuid

    own = Caller(key_id=uuid.uuid4(), role="hospital", hospital_code="H1")
    check_hospital(own, "H1")
    with pytest.raises(PageError) as refused:
        check_hospital(own, "H2")
    assert refused.value.status_code == 403
    agency = Caller(key_id=uuid.uuid4(), role="agency", hospital_code=None)
    check_hospital(agency, "H2")


async def test_the_landing_page_differs_by_role(client: AsyncClient) -> None:
    hospital = await client.get("/ui/", headers=headers(hospital_key(HOSPITAL)))
    agency = await client.get("/ui/", headers=headers(AGENCY))
    assert 'href="/ui/window/"' in hospital.text
    assert 'href="/ui/console/"' not in hospital.text
    assert 'href="/ui/console/"' in agency.text
    assert 'href="/ui/window/"' not in agency.text


HospitalForm = Annotated[Caller, Depends(require_role("hospital", form=True))]


async def admin_only(request: Request, caller: AdminPage) -> object:
    return render(request, "home.html")


async def hospital_form(request: Request, caller: HospitalForm) -> object:
    return render(request, "home.html")


async def test_require_role_refuses_other_roles_with_a_chinese_page(
    app: FastAPI, client: AsyncClient
) -> None:
    """What the console's admin pages and the window's form posts will declare."""
    app.add_api_route("/ui/test-admin-only", admin_only, include_in_schema=False)
    app.add_api_route(
        "/ui/test-hospital-form", hospital_form, methods=["POST"], include_in_schema=False
    )
    # The app is this test's own (a fixture per test): the routes go with it.
    refused = await client.get("/ui/test-admin-only", headers=headers(AGENCY))
    assert refused.status_code == 403
    assert "无权访问" in refused.text
    assert (await client.get("/ui/test-admin-only", headers=headers(ADMIN))).status_code == 200
    form = await client.post("/ui/test-hospital-form", headers=headers(AGENCY))
    assert form.status_code == 403
    await sign_in(client, hospital_key(HOSPITAL))
    no_token = await client.post("/ui/test-hospital-form", data={})
    assert no_token.status_code == 403
    assert "防伪令牌" in no_token.text
