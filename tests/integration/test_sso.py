"""Sign-in through a real OIDC provider: Keycloak on loopback (started by scripts/services with the
test realm tests/sso/motcua-realm.json), the service under uvicorn, the browser played by httpx.

A person in the group "mot-cua" signs in and becomes a counter clerk; a person in no mapped group is
refused; a staff account of the same name that was removed cannot sign in through SSO either; throttle
counters are shared through Redis by two instances of the service."""
import html
import re
import uuid

import httpx
import pytest

from bench.loopback import serve
from digitize.api import create_app
from digitize.jobqueue import MemoryJobQueue
from digitize.services import Services
from digitize.settings import Settings


@pytest.fixture(scope="module")
def settings(live, tmp_path_factory):
    issuer = live.get("DIGITIZE_TEST_OIDC_ISSUER")
    assert issuer, "Keycloak is not up (./scripts/services up starts it)"
    return Settings(home=tmp_path_factory.mktemp("sso"), redis_url=live["DIGITIZE_REDIS_URL"],
                    catalog_url=live["DIGITIZE_CATALOG_URL"], api_keys="ops:admin:ops-key-for-sso-tests",
                    oidc_issuer=issuer, oidc_client_id="digitize", oidc_client_secret="digitize-sso-test-secret",
                    oidc_roles="mot-cua:counter,luu-tru:archivist")


@pytest.fixture(scope="module")
def base(settings):
    with serve(create_app(Services(settings), MemoryJobQueue())) as url:
        yield url


def _sign_in(base: str, username: str, password: str) -> tuple[httpx.Client, httpx.Response]:
    """Our login page → Keycloak's form → back to us with a code; returns the browser and our answer."""
    browser = httpx.Client(follow_redirects=False, timeout=30)
    assert "/dang-nhap/sso" in browser.get(f"{base}/dang-nhap").text  # the button shows
    to_keycloak = browser.get(f"{base}/dang-nhap/sso", params={"tiep": "/kiem-tra"})
    assert to_keycloak.status_code == 302 and "/protocol/openid-connect/auth" in to_keycloak.headers["location"]
    form_page = browser.get(to_keycloak.headers["location"])
    assert form_page.status_code == 200, form_page.text[:500]
    action = html.unescape(re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', form_page.text)[1])
    # Keycloak marks its cookies Secure: browsers send them to http://127.0.0.1 (a secure context),
    # httpx does not, so they are sent by hand.
    jar = "; ".join(f"{c.name}={c.value}" for c in browser.cookies.jar if c.path.startswith("/realms"))
    back = browser.post(action, data={"username": username, "password": password, "credentialId": ""},
                        headers={"Cookie": jar})
    assert back.status_code == 302 and back.headers["location"].startswith(base), back.text[:500]
    return browser, browser.get(back.headers["location"])


def test_a_clerk_signs_in_through_the_provinces_sso(base, settings):
    browser, done = _sign_in(base, "lan.sso", "sso-lan-password-1")
    assert done.status_code == 303 and done.headers["location"] == "/kiem-tra"
    page = browser.get(f"{base}/kiem-tra")
    assert page.status_code == 200 and "lan.sso" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    browser.post(f"{base}/dang-xuat", data={"csrf": csrf})
    assert browser.get(f"{base}/kiem-tra").status_code == 303  # logged out: back to the login form
    actions = [line["action"] for line in Services(settings).catalog.audit_of("lan.sso")]
    assert actions[:2] == ["logout", "login"]


def test_someone_without_a_role_or_with_a_removed_account_is_refused(base, settings):
    _, refused = _sign_in(base, "khach.sso", "sso-khach-password-1")
    assert refused.status_code == 403 and "chưa được cấp vai trò" in refused.text

    people = Services(settings).people
    people.save_account("lan.sso", "archivist", password=None)  # an account decides the role
    browser, done = _sign_in(base, "lan.sso", "sso-lan-password-1")
    assert done.status_code == 303 and browser.get(f"{base}/tra-cuu").status_code == 200
    people.deactivate("lan.sso")
    assert browser.get(f"{base}/tra-cuu").status_code == 303  # the open session ended with the account
    _, refused = _sign_in(base, "lan.sso", "sso-lan-password-1")
    assert refused.status_code == 403


def test_failed_logins_count_across_service_processes_through_redis(settings):
    from fastapi.testclient import TestClient

    shared = settings.model_copy(update={"login_failures_per_account": "3 per 15 minutes"})
    services = Services(shared)
    username = f"u{uuid.uuid4().hex[:8]}"
    services.people.save_account(username, "counter", password="mật khẩu đúng 12345")
    first = TestClient(create_app(services, MemoryJobQueue()))
    second = TestClient(create_app(Services(shared), MemoryJobQueue()))
    for client in (first, second, first):
        assert client.post("/dang-nhap", data={"username": username, "password": "sai mật khẩu"}).status_code == 401
    locked = second.post("/dang-nhap", data={"username": username, "password": "mật khẩu đúng 12345"})
    assert locked.status_code == 429
