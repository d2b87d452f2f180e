"""Every session-state key in one place, with a page prefix."""

USER = "auth_user"  # habitat.domain.roles.Person of the signed-in person
LAST_ACTIVE = "auth_last_active"  # datetime of the last script run, for the session timeout
LANG = "app_lang"  # "zh" | "en"
CURSOR = "app_cursor"  # DuckDB cursor for this session
FLASH = "app_flash"  # (kind, message) shown once after a rerun
GARDEN = "app_garden_slug"  # garden chosen in the sidebar
LOGIN_ERROR = "login_error"
NEXT_PAGE = "app_next_page"         # page asked for in the URL before signing in (QR posters)
