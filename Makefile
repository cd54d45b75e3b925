# Medborgarlöfte – the two commands: `make run` and `make test`.
# Every target sets up what it needs; repeated runs skip what is done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test setup serve lint format bench bench-import clean-db messages gettext

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Medborgarlöfte kräver Python 3.12 eller nyare, $(PYTHON) är " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

.env:
	$(BIN)/python -m core.envfile

# Migrate (the reference data is a data migration) and load the demo content.
setup: $(VENV)/.installed | .env
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) search_check

# Links in e-mail, feeds, the API and PDFs point at the address actually served.
run: setup
	@echo "Medborgarlöfte startar på http://$(HOST):$(PORT)/"
	SITE_URL=http://$(HOST):$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

# The same set-up as `run`, then the whole suite, browser tests included.
# pytest exits 5 when no test ran, and make fails on it.
# One worker per core, a test file stays on one worker (PYTEST_ARGS="-n 0" for one process).
PYTEST_ARGS ?= -n $${PYTEST_WORKERS:-2} --dist loadfile
test: $(VENV)/.installed-test setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production settings: gunicorn with whitenoise. Needs DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS in the environment; expects a TLS proxy in front.
serve: $(VENV)/.installed | .env
	DJANGO_DEBUG=False $(MANAGE) collectstatic --noinput
	DJANGO_DEBUG=False DATABASE_STATEMENT_TIMEOUT=0 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=False DATABASE_STATEMENT_TIMEOUT=0 $(MANAGE) search_check
	DJANGO_DEBUG=False $(BIN)/gunicorn medborgarlofte.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

# Rerunnable benchmark over HTTP: gunicorn with production settings and wrk (from the
# distribution's packages when missing), cached and uncached, as ratios to a static
# file. For the national set: DATABASE_URL=…/national make bench (see README).
bench: setup
	$(MANAGE) bench --duration $${BENCH_SECONDS:-5} $${BENCH_ARGS}

# The document importer against its corpus (tests/data/import/): recall, precision,
# owner and period accuracy, per document and in total.
bench-import: $(VENV)/.installed | .env
	$(MANAGE) bench_import

lint: $(VENV)/.installed-test | .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The English catalogue: collect every string from the code and templates into
# locale/en/LC_MESSAGES/django.po (translate the new, empty entries there), then
# compile django.mo. Both files are committed, so running the site needs no gettext;
# tests/i18n fails when either is behind.
messages: $(VENV)/.installed gettext
	$(MANAGE) makemessages -l en --no-obsolete --ignore=staticfiles --ignore=media --ignore=private --ignore=node_modules
	$(MANAGE) compilemessages -l en --ignore=.venv --ignore=staticfiles --ignore=node_modules

# gettext's tools (xgettext, msgmerge, msgfmt), from the distribution when missing.
gettext:
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "gettext saknas: installerar med apt"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else \
	    echo "gettext saknas: installera paketet gettext (t.ex. sudo apt-get install gettext)"; exit 1; \
	  fi; }
