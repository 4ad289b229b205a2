from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from zhaoshang.accounts.views import AdminLoginRedirectView, LogoutView, TokenView
from zhaoshang.aftercare.api import PromiseViewSet, TicketViewSet
from zhaoshang.catalog.api import AdmissionCheckView, ClassifyView
from zhaoshang.chains.api import ChainViewSet
from zhaoshang.core.views import bureau_staff_required, unscoped
from zhaoshang.investors.api import ActivityViewSet, EnterpriseViewSet
from zhaoshang.portal.public_views import robots, sitemap
from zhaoshang.projects.agreement_api import AgreementViewSet
from zhaoshang.projects.api import FundingEntryViewSet, ProjectViewSet
from zhaoshang.projects.library_api import project_library_view
from zhaoshang.projects.transfer_api import TransferViewSet
from zhaoshang.regions.api import ParkViewSet, RegionViewSet
from zhaoshang.risk.api import WarningViewSet
from zhaoshang.stats.api import TargetViewSet
from zhaoshang.stats.assessment.api import AssessmentViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("parks", ParkViewSet, basename="park")
router.register("targets", TargetViewSet, basename="target")
router.register("projects", ProjectViewSet, basename="project")
router.register("funding-entries", FundingEntryViewSet, basename="funding-entry")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("activities", ActivityViewSet, basename="activity")
router.register("chains", ChainViewSet, basename="chain")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("promises", PromiseViewSet, basename="promise")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("warnings", WarningViewSet, basename="warning")

schema_view = unscoped("OpenAPI 模式：描述接口，不含数据")(SpectacularAPIView.as_view())
# The split view serves Swagger UI's set-up script as a file (?script=): the Content-Security-Policy runs no inline one.
docs_view = unscoped("接口文档页面，不含数据")(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
api_root = unscoped("API 根目录：只列出接口地址")(router.get_api_root_view())
router.include_root_view = False

urlpatterns = [
    path("", include("zhaoshang.core.urls")),
    path("accounts/", include("zhaoshang.accounts.urls")),
    path("", include("zhaoshang.regions.urls")),
    path("catalog/", include("zhaoshang.catalog.urls")),
    path("stats/", include("zhaoshang.stats.urls")),
    path("dashboard/", include("zhaoshang.dashboard.urls")),
    path("", include("zhaoshang.projects.urls")),
    path("", include("zhaoshang.investors.urls")),
    path("chains/", include("zhaoshang.chains.urls")),
    path("portal/", include("zhaoshang.portal.urls")),
    path("robots.txt", robots, name="robots"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("service/", include("zhaoshang.aftercare.urls")),
    path("risk/", include("zhaoshang.risk.urls")),
    path("admin/login/", AdminLoginRedirectView.as_view()),
    path("admin/logout/", LogoutView.as_view()),
    path("admin/", admin.site.urls),
    path("api/v1/", api_root, name="api-root"),
    path("api/v1/catalog/classify/", ClassifyView.as_view(), name="api-catalog-classify"),
    path("api/v1/catalog/admission-check/", AdmissionCheckView.as_view(), name="api-catalog-admission-check"),
    path("api/v1/projects/<int:pk>/library/", project_library_view, name="api-project-library"),
    path("api/v1/", include("zhaoshang.chains.api_urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/schema/", bureau_staff_required(schema_view), name="api-schema"),
    path("api/docs/", bureau_staff_required(docs_view), name="api-docs"),
]

# The public site (投资云南, issue 21): /invest/ in Chinese, /en/invest/ in English; the language is in the address.
urlpatterns += i18n_patterns(path("invest/", include("zhaoshang.portal.public_urls")), prefix_default_language=False)

# Error pages in Chinese inside the site's layout, with a way back (issue 11).
handler403 = "zhaoshang.core.views.permission_denied"
handler404 = "zhaoshang.core.views.page_not_found"
handler500 = "zhaoshang.core.views.server_error"
