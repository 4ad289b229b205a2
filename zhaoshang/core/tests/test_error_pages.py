"""Issue 11 item 10: 403, 404 and 500 are Chinese pages inside the site's layout with a way back, through the real
handlers (DEBUG off); an enterprise account has a home of its own and no access to the API documentation."""

import lxml.html
import pytest

from zhaoshang.core.testing import persona

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def text_of(response) -> str:
    document = lxml.html.fromstring(response.content.decode())
    for element in document.xpath("//script|//style"):
        element.drop_tree()
    return " ".join(document.text_content().split())


def assert_site_page_with_a_way_back(response, *, signed_in: bool):
    html = response.content.decode()
    document = lxml.html.fromstring(html)
    assert document.xpath("//html/@lang") == ["zh-CN"]
    assert "云南智慧招商平台" in document.findtext(".//title")
    assert document.xpath("//a[@href='/' and contains(., '返回首页')]")
    assert document.xpath("//a[contains(., '返回上一页')]")
    if signed_in:  # the layout: the header with the user and the menu
        assert document.xpath("//header//a[contains(@class, 'navbar-brand')]")
        assert document.xpath("//nav[@aria-label='功能菜单']")
    text = text_of(response)
    for english in ("Not Found", "Forbidden", "Server Error", "The requested resource"):
        assert english not in text


def test_a_missing_page_is_a_chinese_404_in_the_layout(client):
    client.force_login(persona("lufeng_officer"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page_with_a_way_back(response, signed_in=True)
    assert "页面不存在" in text_of(response)


def test_an_object_outside_the_scope_is_the_same_404(client, django_db_blocker):
    from zhaoshang.regions.models import Park

    kunming_park = Park.objects.get(code="G531042")
    client.force_login(persona("lufeng_officer"))
    response = client.get(f"/parks/{kunming_park.pk}/")
    assert response.status_code == 404
    assert_site_page_with_a_way_back(response, signed_in=True)
    assert "昆明" not in text_of(response).replace("昆明市", "")  # nothing about the object itself


def test_an_anonymous_visitor_gets_the_404_page_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page_with_a_way_back(response, signed_in=False)


def test_a_function_without_the_permission_is_a_chinese_403_in_the_layout(client):
    client.force_login(persona("lufeng_officer"))
    response = client.get("/audit/")
    assert response.status_code == 403
    assert_site_page_with_a_way_back(response, signed_in=True)
    text = text_of(response)
    assert "没有权限" in text or "无权" in text
    assert "您没有此功能的权限" in text  # the reason the view gave


def test_a_server_error_is_a_chinese_500_in_the_layout(client, settings):
    settings.ROOT_URLCONF = "zhaoshang.core.tests.urls_boom"
    client.raise_request_exception = False
    client.force_login(persona("lufeng_officer"))
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_site_page_with_a_way_back(response, signed_in=True)
    text = text_of(response)
    assert "服务器" in text and "模拟的服务器错误" not in text  # the error itself is for the log, not the page


def test_the_500_page_renders_without_a_request_context():
    """Django's fallback renders 500.html with an empty context when the handler itself fails."""
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "返回首页" in html and "服务器" in html


# -- the enterprise account --------------------------------------------------------------------------------------
def test_the_enterprise_account_has_a_home_of_its_own_without_bureau_data(client):
    user = persona("enterprise_user")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    assert user.username in text and user.full_name in text  # its own account
    assert "提交诉求" in text and "兑现" in text  # what it will be able to do
    assert "联系" in text and "投资促进" in text  # how to reach its bureau
    document = lxml.html.fromstring(response.content.decode())
    assert not document.xpath("//*[@id='region-summary']")
    menu = [a.text_content().strip() for a in document.xpath("//nav[@aria-label='功能菜单']//a")]
    # Its own services only (issue 17): its requests, its enterprise, its promises, its messages.
    assert menu == ["首页", "企业诉求", "我的企业", "招商承诺兑现", "消息提醒"]
    assert "修改密码" in text


@pytest.mark.parametrize("url", ["/api/docs/", "/api/schema/"])
def test_the_enterprise_account_cannot_read_the_api_documentation(client, url):
    client.force_login(persona("enterprise_user"))
    response = client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/api/docs/", "/api/schema/"])
def test_bureau_staff_still_read_the_api_documentation(client, url):
    client.force_login(persona("lufeng_officer"))
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in_for_the_api_documentation(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
