# Two commands for a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test lint format translations extract-messages bench race lighthouse clean \
	cluster cluster-test cluster-load

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel -q compile -d translations

## Set up, migrate, seed the demo catalog if the database is empty, and serve on 127.0.0.1:$(PORT).
run: $(VENV)/.runtime translations
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask seed-demo --if-empty
	FLASK_DEBUG=1 $(BIN)/flask install-pages
	FLASK_DEBUG=1 $(BIN)/flask create-demo-admin
	FLASK_DEBUG=1 $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Lint and the whole suite (SQLite; set TEST_DATABASE_URL for PostgreSQL).
test: lint translations
	$(BIN)/python -m pytest -q -n 2  # two workers, each with a database of its own

extract-messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

## Seed 10,000 products into a scratch database, serve with gunicorn, print throughput and latency.
## BENCH_ARGS="--products 1000,10000,50000": uncached page cost against catalog size, on PostgreSQL.
bench: $(VENV)/.dev translations
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

## 40 buyers race for 10 pieces over HTTP (gunicorn + PostgreSQL at 127.0.0.1:5432, scratch
## databases); paying, cancelling, expiry and doubled webhooks collide; fails on any lost piece or 5xx.
race: $(VENV)/.dev translations
	$(BIN)/python bench/race.py

## Two gunicorn servers behind HAProxy (deploy/haproxy.cfg) sharing a scratch PostgreSQL
## database, Redis (db 5) and a moto S3 server, demo catalog seeded; Ctrl-C stops it all.
cluster: $(VENV)/.dev translations
	$(BIN)/python bench/cluster.py

## The cluster under test: a buyer pays while one server is SIGKILLed; staff edits show on
## both servers; sessions, carts, CSRF, 2FA codes and rate limits hold across servers.
cluster-test: $(VENV)/.dev translations
	KB_CLUSTER_TEST=1 $(BIN)/python -m pytest -q tests/cluster

## 60 s of mixed load through HAProxy: errors, and each gunicorn worker's memory at start/end.
cluster-load: $(VENV)/.dev translations
	$(BIN)/python bench/cluster_load.py

## Lighthouse scores at a phone profile for home, listing and product pages.
lighthouse: $(VENV)/.dev translations
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
