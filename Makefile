# Two commands: `make run` (platform on SQLite with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_ENV ?= development
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint format check-deploy system-test-deps clean serve backup-drill loadtest

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py create_demo_accounts
	$(PY) manage.py seed_demo --projects 1400 --seed 2026
	$(PY) manage.py seed_demo_targets
	$(PY) manage.py seed_demo_activities
	$(PY) manage.py seed_demo_chains
	$(PY) manage.py seed_aftercare_demo
	$(PY) manage.py seed_demo_portal
	$(PY) manage.py seed_demo_transfers
	$(PY) manage.py risk_scan

# Long work (imports, bulletins) leaves the request: the database task queue and one worker process beside the
# development server (docs/decisions.md, "Background work"); both stop together.
run: setup
	@echo "云南智慧招商平台: http://$(HOST):$(PORT)/  (演示账号见 README.md，密码 Yunnan#2026)"
	@export TASKS_BACKEND=database; trap 'kill $$workers 2>/dev/null; wait $$workers 2>/dev/null' EXIT; \
	  $(PY) manage.py run_workers --processes 1 & workers=$$!; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

# --- Production stack on this machine (issue 19; README "Production stack", docs/deploy.md) -------------------
# gunicorn + task workers in production mode on the PostgreSQL and Redis running here; says what is missing.
serve: $(VENV)/.installed
	$(PY) scripts/serve.py

# Backup and restore drill on the configured database (SQLite unless DATABASE_URL is set).
backup-drill: $(VENV)/.installed
	$(PY) manage.py backup_drill

# Load test against a fresh `make serve` stack on a throwaway database (50 then 200 users). locust lives in its own
# virtualenv (var/bench-venv): it brings a pytest plugin and gevent, which stay out of the suite's environment.
loadtest: $(VENV)/.installed
	@if [ ! -x var/bench-venv/bin/python ] || ! var/bench-venv/bin/python -c "import locust" 2>/dev/null; then \
	  python=$$(scripts/find-python) || exit 1; "$$python" -m venv var/bench-venv && \
	  var/bench-venv/bin/pip install --quiet --disable-pip-version-check -r requirements-bench.txt; fi
	$(PY) bench/loadtest.py $(LOADTEST_ARGS)

# Debian packages the browser tests need: Chromium and CJK fonts for the screenshots; Pango for WeasyPrint (the
# 招商项目册 PDF of the public site, rendered in Noto CJK).
system-test-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK" || ! ldconfig -p | grep -q libpango-1.0; then \
	  echo "installing chromium, fonts-noto-cjk and libpango-1.0-0"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 >/dev/null \
	    || { echo "error: could not install chromium, fonts-noto-cjk and libpango with apt-get"; exit 1; }; \
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
	  ALLOWED_HOSTS=zhaoshang.example.gov.cn ADMIN_ALLOWED_NETWORKS=10.0.0.0/8 \
	  CRYPTO_KEYS=k1:$$(head -c 32 /dev/urandom | base64) CRYPTO_ACTIVE_KEY_ID=k1 \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/db.sqlite3* var/audit .pytest_cache
