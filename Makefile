# The two commands: `make run` and `make test`. Nothing else is needed on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
GARDEN_DB ?= data/garden.duckdb
export GARDEN_DB

.PHONY: run test venv demo bench clean-db

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

demo: venv
	@test -f "$(GARDEN_DB)" || $(PY) -m habitat init --db "$(GARDEN_DB)" --demo

run: demo
	$(PY) -m streamlit run garden_server.py --server.headless true --server.address 127.0.0.1 \
	  --server.port 8501 --browser.gatherUsageStats false

test: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! /usr/bin/chromium not found: the BROWSER TESTS WILL BE SKIPPED.            !!"; \
	  echo "!! Install it with: apt-get install -y chromium   (.ci/run does this)         !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi
	$(PY) -m pytest -n 2 -m "not browser" tests
	@# two workers for the browser suite too: each starts its own servers (module fixtures), tests spread one by one
	$(PY) -m pytest -n 2 --dist load -m browser tests

bench: venv
	$(PY) -m habitat bench --quick

clean-db:
	rm -f "$(GARDEN_DB)" "$(GARDEN_DB).wal"
