from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinique")
    default = True

    def ready(self) -> None:
        from clinic import checks, signals  # noqa: F401  (registers checks, connects receivers)


class CimentoAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "clinic.admin_site.CimentoAdminSite"


# Libraries whose apps have no French name: the admin's headings, breadcrumbs and permission lists
# read these (INSTALLED_APPS names these configs instead of the libraries' own).
class AxesConfig(AxesAppConfig):
    verbose_name = _("Historique des connexions")


class TotpConfig(TotpAppConfig):
    verbose_name = _("Double authentification")
