import re
from pathlib import Path

from habitat import i18n
from habitat.settings import SETTINGS, load

ROOT = Path(__file__).resolve().parents[2]


def _base_keys(lang):
    return {k for k in i18n.catalog(lang) if not k.endswith(i18n.SINGULAR)}


def test_both_catalogs_have_exactly_the_same_keys():
    zh, en = _base_keys("zh"), _base_keys("en")
    assert sorted(zh - en) == [] and sorted(en - zh) == []


def test_singular_forms_belong_to_a_key_with_n_and_keep_its_other_placeholders():
    field = re.compile(r"{(\w+)}")
    for lang in i18n.LANGUAGES:
        cat = i18n.catalog(lang)
        for key in (k for k in cat if k.endswith(i18n.SINGULAR)):
            base = cat.get(key[: -len(i18n.SINGULAR)])
            assert base is not None and "{n}" in base, key
            assert set(field.findall(cat[key])) <= set(field.findall(base)), key
    assert i18n.t("upkeep.overdue_days", "en", n=1) == "1 day overdue"
    assert i18n.t("upkeep.overdue_days", "en", n=2) == "2 days overdue"
    assert i18n.t("upkeep.overdue_days", "zh", n=1) == i18n.catalog("zh")["upkeep.overdue_days"].format(n=1)


def test_every_key_used_in_code_exists_in_the_catalogs():
    used = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
    key_args = re.compile(r"""(?:Error|Denied|NotFound)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
    files = (
        list((ROOT / "habitat").rglob("*.py"))
        + list((ROOT / "pages").glob("*.py"))
        + [ROOT / "garden_app.py"]
    )
    for path in files:
        text = path.read_text(encoding="utf-8")
        used |= set(pattern.findall(text)) | set(key_args.findall(text))
    dynamic_prefixes = {
        k for k in used if k.endswith(("_", "."))
    }  # t("group." + name): checked where the names are listed
    missing = sorted(k for k in used - dynamic_prefixes if k not in i18n.catalog("zh"))
    assert missing == []


def test_placeholders_match_between_languages():
    zh, en = i18n.catalog("zh"), i18n.catalog("en")
    field = re.compile(r"{(\w+)}")
    diff = [k for k in _base_keys("zh") if set(field.findall(zh[k])) != set(field.findall(en[k]))]
    assert diff == []


def test_translation_falls_back_to_the_key_for_unknown_keys():
    assert i18n.t("no.such.key", "zh") == "no.such.key"
    assert i18n.t("home.greeting", "en", name="Wang") == "Hello, Wang!"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = [s.name for s in SETTINGS if s.name not in readme]
    assert undocumented == []


def test_settings_read_environment_then_secrets_then_default(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('GARDEN_LANG = "en"\nGARDEN_MAX_UPLOAD_MB = 9\n', encoding="utf-8")
    cfg = load(env={"GARDEN_DB": "/x/y.duckdb"}, secrets_path=secrets)
    assert str(cfg.db_path) == "/x/y.duckdb" and cfg.language == "en" and cfg.max_upload_mb == 9
    assert cfg.timezone == "Asia/Shanghai"


def test_every_value_of_a_translated_vocabulary_has_a_label():
    from habitat.domain.verification import STATUS_KEYS
    from habitat.services import checklist, community, inbox, patrols, sightings
    from habitat.ui.dash_views import TASK_KINDS

    keys = [f"group.{g}" for g in checklist.GROUPS] + [f"task.{k}" for k in TASK_KINDS]
    keys += [f"protocol.{p}" for p in patrols.PROTOCOLS] + [f"weather.{w}" for w in patrols.WEATHER]
    keys += [f"problem.{k}" for k in community.PROBLEM_KINDS] + [f"verdict.{v}" for v in community.VERDICTS]
    keys += [f"stage.{s}" for s in sightings.LIFE_STAGES] + [f"sex.{s}" for s in sightings.SEXES]
    keys += [f"behavior.{b}" for b in sightings.BEHAVIOURS] + list(STATUS_KEYS.values())
    keys += [f"inbox.item_{k}" for k in inbox.KINDS]
    keys += [f"export.status_{s}" for s in ("accepted", "all")] + [
        f"bio.metric_{m}" for m in ("species", "records", "task_logs")
    ]
    for lang in ("zh", "en"):
        assert [k for k in keys if k not in i18n.catalog(lang)] == []


def test_the_chinese_texts_avoid_symbols_that_common_fonts_lack():
    """℃ (U+2103) showed as an empty box on the patrol form in Debian's Chinese font (red team, phone):
    the catalogue writes °C, which every font has."""
    import json
    from pathlib import Path

    missing = {"\u2103": "°C", "\u2109": "°F"}
    for path in sorted((Path(__file__).resolve().parents[2] / "habitat" / "i18n").glob("*/*.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            for char, instead in missing.items():
                assert char not in text, (
                    f"{path.parent.name}/{path.name} {key}: write {instead} instead of {char}"
                )
