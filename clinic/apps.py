from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinique")
    default = True

    def ready(self) -> None:
        from clinic import checks, signals  # noqa: F401  (registers checks, connects receivers)


class CimentoAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "clinic.admin_site.CimentoAdminSite"
