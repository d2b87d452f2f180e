"""Every session-state key in one place, with a page prefix.

Keys of a single widget (``key=`` of a selectbox …) stay beside the widget; the keys here hold state
a page reads back across reruns or pages. ``*_FORM`` keys are form generations (see
habitat.ui.core.form_generation): their number is part of the form's widget keys and moves on after
a success, which empties the form.
"""

SESSION = "auth_session_id"  # id of this browser's row in `sessions`; the person is re-read from it every run
COOKIE_CODE = "auth_cookie_code"  # one-time code the page exchanges for the sign-in cookie
COOKIE_CLEAR = "auth_cookie_clear"  # True: the browser's sign-in cookie must be removed
ROUTED = "app_routed"  # the router (garden_app.py) has run in this session
LANG = "app_lang"  # "zh" | "en"
FLASH = "app_flash"  # (kind, message) shown once after a rerun
SAVED = "app_saved"  # (message, offers) after a save: a toast, the message at the top, next steps (core.done)
GARDEN = "app_garden_slug"  # garden chosen in the sidebar (shared by the pages that work on one garden)
MANAGE_TAB = "manage_tab"  # the management page's open tab (kept across its reruns)
LOGIN_ERROR = "login_error"
NEXT_PAGE = "app_next_page"  # page asked for in the URL before signing in (QR posters)

# dashboard and export: results made on a button, offered for download on later reruns
DASH_SCOPE = (
    "dash_scope"  # garden id chosen on the dashboard (None: the whole town); a ?garden= link presets it
)
DASH_TAB = "dash_tab"  # the dashboard's open tab (label); only the open tab is computed
DASH_REPORT = "dash_report_html"  # (garden slug, "YYYY-MM", html) of the last monthly report made
DASH_POSTERS = "dash_posters_html"  # (garden slug, html) of the last QR posters made
EXPORT_READY = "export_ready"  # (bytes, file name, summary) of the last export made

# my records
MINE_PICK = "mine_pick"  # the record open on 我的记录
MINE_LINK_SEEN = "mine_link_seen"  # the ?record=ID link (home's inbox banner) already applied; then she picks

# events page
EVENTS_PICK = "events_pick"  # the event shown
EVENTS_PICK_NEXT = "events_pick_next"  # an event to select on the next run (just planned)
EVENTS_LINK_SEEN = "events_link_seen"  # the ?event= link already applied
EVENTS_ERROR = "events_error"  # a refusal (sign-up full …) shown at the top of the page on the next run
EVENTS_TAB = "events_tab"  # the events page's open tab (kept across its reruns)
MEETINGS_TAB = "meetings_tab"  # the meetings page's open tab (kept across its reruns)

# the sighting forms (记录物种, 批量上传)
PHOTOS_EXAMINED = "photos_examined"  # {(sha256, file name): Examined}: each chosen file decoded once
BATCH_PROGRESS = "batch_progress"  # BatchProgress (ui/log_views): what was saved; saved groups leave

# form generations
LOG_FORM = "log_form_n"  # 记录物种
ASK_FORM = "ask_form_n"  # the question and problem forms of "ask an expert"
BATCH_FORM = "batch_form_n"
UPKEEP_FORM = "upkeep_form_n"
IDEAS_FORM = "ideas_form_n"
MEETING_FORM = "meet_form_n"
FOLLOWUP_FORM = "meet_fu_n"
PRINCIPLES_APPLICATION_FORM = "princ_app_n"
EVENTS_PLAN_FORM = "events_plan_n"
EVENTS_OBSERVATION_FORM = "events_obs_n"
EVENTS_GROUP_FORM = "events_group_n"


def manage_form(name: str) -> str:
    """The generation key of one of the management page's forms ("garden_new", "zone_edit", …)."""
    return f"manage_{name}_n"
