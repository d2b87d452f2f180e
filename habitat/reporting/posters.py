"""Zone QR posters: one A4 page per zone whose QR code opens the log form with garden and zone set."""

from __future__ import annotations

import base64
import io
import ipaddress
from urllib.parse import urlencode, urlparse

import qrcode
from qrcode.constants import ERROR_CORRECT_H

from habitat.db import gardens as gardens_db
from habitat.errors import NotFound
from habitat.i18n import t
from habitat.reporting.template import POSTER_CSS, Html, document, esc, tag


def zone_url(base_url: str, garden_slug: str, zone_code: str) -> str:
    """The log form with garden and zone preset, as the poster's QR code opens it."""
    return f"{base_url.rstrip('/')}/log_sighting?{urlencode({'garden': garden_slug, 'zone': zone_code})}"


def only_this_machine(base_url: str) -> bool:
    """True when the address cannot be opened from a visitor's phone: localhost, a loopback, private
    or link-local address (127.0.0.1, 192.168.x.x, 10.x.x.x, ...) or a name ending in .local. A poster
    printed with it opens nothing when scanned in the garden."""
    host = (urlparse(base_url if "//" in base_url else f"//{base_url}").hostname or "").lower()
    if host in ("", "localhost") or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: we cannot tell without asking a DNS server; trust it
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def qr_png(text: str) -> bytes:
    """A QR code as PNG: high error correction (a poster outdoors gets dirty), 16 px per module."""

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_H, box_size=16, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def _poster(garden_name: str, zone, url: str, lang: str, warning: str) -> Html:
    png = base64.b64encode(qr_png(url)).decode("ascii")
    english = (
        tag("p", zone.name_en, "zone-en")
        if lang != "zh" and isinstance(zone.name_en, str) and zone.name_en
        else ""
    )
    return Html(
        f'<section class="poster" data-zone="{esc(zone.code)}">'
        + (tag("p", warning, "local-warning") if warning else "")
        + tag("p", garden_name, "garden")
        + tag("p", t("report.poster_zone", lang, code=zone.code, name=zone.name), "zone")
        + english
        + tag("p", t("report.poster_invite", lang), "invite")
        + f'<img class="qr" src="data:image/png;base64,{png}" alt="{esc(url)}">'
        + tag("p", t("report.poster_hint", lang), "hint")
        + tag("p", url, "url")
        + tag("p", t("app.title", lang), "app")
        + "</section>"
    )


def build_posters(ctx, garden_slug: str, base_url: str | None = None, lang: str = "zh") -> str:
    """One A4 poster per active zone: garden and zone name, an invitation and the zone's QR code."""
    ctx.require("manage_gardens")
    row = gardens_db.by_slug(ctx.con, garden_slug)
    if row is None:
        raise NotFound("garden.not_found", slug=garden_slug)
    garden_name = row[2]  # the name residents know, in Chinese, on every poster
    base = base_url or ctx.config.base_url
    zones = gardens_db.zones(ctx.con, row[0])
    # printed on every poster, so a test print never ends up on a fence unnoticed
    warning = t("report.poster_local_warning", lang, url=base) if only_this_machine(base) else ""
    posters = [
        _poster(garden_name, zone, zone_url(base, row[1], zone.code), lang, warning)
        for zone in zones.itertuples()
    ]
    body = "".join(posters) if posters else tag("p", t("report.no_zones", lang), "hint")
    return document(
        lang=lang, title=t("report.poster_title", lang, garden=garden_name), css=POSTER_CSS, body=body
    )
