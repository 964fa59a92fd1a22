from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gezien.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from gezien.audit.admin_log import admin_log_hook
        from gezien.audit.chain import audit_check
        from gezien.core.tick import periodic

        admin_log_hook()  # saves through the admin site
        # Entries are written plain (one INSERT) and sealed into the chain here (then checked from the
        # newest checkpoint, and from the first entry once a day), and before every read.
        periodic("audit_seal")(audit_check)
