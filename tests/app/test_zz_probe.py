def test_probe(app_as):
    at = app_as("liuzhuren", "pages/manage.py")
    print("TITLE", [x.value for x in at.title])
    print("TABS", [x.label for x in at.tabs])
    print("BUTTONS", [(b.label, b.key) for b in at.button])
    print("ERR", [e.value for e in at.error], at.exception)
    print("keys", sorted(k for k in at.session_state.filtered_state if k.startswith("manage")))

def test_probe_vol(app_as):
    at = app_as("wangayi")
    try:
        at.switch_page("pages/manage.py").run()
        print("VOL TITLE", [x.value for x in at.title], at.exception)
    except Exception as e:
        print("RAISED", type(e), e)
