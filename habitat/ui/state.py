"""Every session-state key in one place, with a page prefix."""

SESSION = "auth_session_id"  # id of this browser's row in `sessions`; the person is re-read from it every run
COOKIE_CODE = "auth_cookie_code"  # one-time code the page exchanges for the sign-in cookie
COOKIE_CLEAR = "auth_cookie_clear"  # True: the browser's sign-in cookie must be removed
ROUTED = "app_routed"  # the router (garden_app.py) has run in this session
LANG = "app_lang"  # "zh" | "en"
FLASH = "app_flash"  # (kind, message) shown once after a rerun
GARDEN = "app_garden_slug"  # garden chosen in the sidebar
LOGIN_ERROR = "login_error"
NEXT_PAGE = "app_next_page"  # page asked for in the URL before signing in (QR posters)
