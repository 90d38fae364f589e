"""The staff console under ``/console`` and the class-session claim route ``/q/{token}``.

Every console handler but the login page depends on ``staff`` (a live
server-side session) and checks the role and school itself via
``surveys.accounts.access``; no session means a redirect to the login page.
"""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from server.console import auth, dashboard, municipality, reports, schools, sessions, slips, strategy, users, waves
from server.console._web import LoginRequired, csrf_secret, login_required_handler, provide_staff

__all__ = ["console_handlers", "csrf_secret"]


def console_handlers() -> list:
    router = Router(
        path="/console",
        route_handlers=[
            auth.login_form,
            auth.login_submit,
            auth.logout,
            auth.change_password_form,
            auth.password_submit,
            dashboard.dashboard,
            schools.list_schools_page,
            schools.new_school_form,
            schools.create_school,
            schools.get_school_page,
            schools.edit_school,
            schools.save_school,
            schools.new_class_form,
            schools.create_class,
            schools.edit_class,
            schools.save_class,
            schools.import_form,
            schools.import_submit,
            slips.class_slips_form,
            slips.create_class_slips,
            slips.create_event_links,
            sessions.session_form,
            sessions.open_for_class,
            sessions.open_for_event,
            sessions.screen,
            sessions.close,
            waves.waves_page,
            waves.new_wave_form,
            waves.create_wave_submit,
            waves.edit_wave,
            waves.save_wave,
            waves.wave_status,
            waves.progress_page,
            waves.events_page,
            waves.new_event_form,
            waves.create_event_submit,
            waves.event_page,
            waves.event_status,
            municipality.municipality_form,
            municipality.municipality_submit,
            reports.reports_page,
            reports.create_report,
            reports.report_job_page,
            reports.download_report,
            reports.download_export,
            reports.raw_exports_page,
            strategy.strategy_page,
            strategy.save_indicator_target,
            strategy.remove_indicator_target,
            strategy.upload_figures,
            strategy.delete_figure,
            users.users_page,
            users.new_user_form,
            users.create_user_submit,
            users.edit_user,
            users.save_user,
            users.reset_user_password,
        ],
        dependencies={"staff": Provide(provide_staff)},
        exception_handlers={LoginRequired: login_required_handler},
    )
    return [router, sessions.claim, sessions.claim_chosen]
