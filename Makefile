# Two commands: `make run` (platform on SQLite with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_ENV ?= development
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint format check-deploy system-test-deps clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py create_demo_accounts
	$(PY) manage.py seed_demo --projects 3000 --seed 2026
	$(PY) manage.py seed_demo_targets
	$(PY) manage.py seed_demo_activities

run: setup
	@echo "云南智慧招商平台: http://$(HOST):$(PORT)/  (演示账号见 README.md，密码 Yunnan#2026)"
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Debian packages the browser tests need: Chromium and CJK fonts for the screenshots.
system-test-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
	  echo "installing chromium and fonts-noto-cjk"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
	    || { echo "error: could not install chromium and fonts-noto-cjk with apt-get"; exit 1; }; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(VENV)/.installed system-test-deps lint
	DJANGO_ENV=test $(VENV)/bin/pytest $(PYTEST_ARGS)

check-deploy: $(VENV)/.installed
	DJANGO_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) AUDIT_HMAC_KEY=$$(head -c 32 /dev/urandom | base64) \
	  ALLOWED_HOSTS=zhaoshang.example.gov.cn \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/db.sqlite3* .pytest_cache
