from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from gezien.api.main import api_urls, not_found_under_api
from gezien.api.widget import widget_urls
from gezien.web.health import health
from gezien.web.views.account import signin_urls
from gezien.web.views.desk import home
from gezien.web.views.passkeys import signin_urls as passkey_signin_urls
from gezien.web.views.signon import sso_callback, sso_start

# Beheer (Django's admin site) in the desk's words; day-to-day settings are in the desk's settings area,
# which the admin's "Site bekijken" link opens (issue 20).
admin.site.site_header = _("Gezien – beheer")
admin.site.site_title = _("Gezien – beheer")
admin.site.index_title = _("Beheer (instellingen: Meer › Instellingen in de desk)")
admin.site.site_url = reverse_lazy("desk:settings")  # type: ignore[assignment]

urlpatterns = [
    path("", home, name="home"),
    *signin_urls,  # /login/ with its second step and the password reset; /admin/login/ too
    *passkey_signin_urls,  # a passkey as the second step, or on its own
    path("login/sso/", sso_start, name="sso_start"),  # single sign-on (OpenID Connect), when configured
    path("login/sso/callback/", sso_callback, name="sso_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("health", health, name="health"),
    path("api/", not_found_under_api),  # the API's root names nothing (ninja would answer the desk's 404)
    path("api/", api_urls()),
    re_path(r"^api/", not_found_under_api),  # after every endpoint: unknown API paths get a JSON 404
    *widget_urls(),  # the chat widget's customer API, /widget/api/v1/ (docs/chat.md)
    path("admin/", admin.site.urls),
    path("", include("gezien.web.urls")),
]

handler403 = "gezien.web.views.errors.forbidden"
handler404 = "gezien.web.views.errors.not_found"
handler500 = "gezien.web.views.errors.server_error"
