# bce3s — reproduce the BCE3S long-tailed-recognition results.
# `make reproduce-table` and `make test` are all the setup a fresh Debian machine needs.

SWIFT      ?= swift
PIPELINE   ?= pipelines/quick.yaml
DATA_DIR   ?= results/data
JOBS       ?= 2
SQL        ?= SELECT * FROM train_result
FORMAT     ?= table
RESULTS    ?= results
FIGURES    ?=
BIN        := .build/release/bce3s

# Debian packages the build links against (oneDNN, OpenBLAS with OpenMP, SQLite, libpng, Cairo).
DEB_PACKAGES := libdnnl-dev libopenblas-openmp-dev libsqlite3-dev libpng-dev libcairo2-dev pkg-config

.PHONY: deps build test bench reproduce-table smoke where figures table claims report report-check query clean

## Install the Debian packages the build needs, only those missing (idempotent).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "make deps: need root (or sudo) to apt-get install:$$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing \
	    || { echo "make deps: apt-get could not install:$$missing — install them by hand and rerun" >&2; exit 1; }; \
	fi

## Release build of the command-line tool, stamped with the code it was built from
## ($(BIN).build.json: what its runs record as their code version, even after the checkout moves on).
build: deps
	$(SWIFT) build -c release --product bce3s
	@$(BIN) version --stamp

## Unit and end-to-end tests (no network, no real data); all tests are XCTest.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

## Benchmarks: our engine and data loader beside PyTorch in the same invocation.
bench: build
	python3 bench/run_bench.py --bin $(BIN)
	python3 bench/pipeline_bench.py --bin $(BIN)
	python3 bench/planning_bench.py --bin $(BIN)
	python3 bench/tsne_bench.py --bin $(BIN)   # t-SNE beside openTSNE (pip install openTSNE)

## Run a pipeline (default: the quick CIFAR-10-LT table), write its HTML report, and print where
## the results are and the claims ledger's verdict counts.
## Offline without the data, the dataset step fails at once saying which file to put where.
reproduce-table: build
	$(BIN) run $(PIPELINE) --data-dir $(DATA_DIR) --jobs $(JOBS) --results $(RESULTS)
	@$(BIN) report $(PIPELINE) --results $(RESULTS)
	@$(MAKE) --no-print-directory where
	@$(BIN) claims $(PIPELINE) --results $(RESULTS) --summary

## Every stage on generated data (no download): the smoke pipeline.
smoke: build
	@test -f results/smoke-data/cifar10.synthetic.json || \
	  $(BIN) data synth --dataset cifar10 --out results/smoke-data --per-class 20 --test-per-class 4 --seed 0
	$(BIN) run pipelines/smoke.yaml --data-dir results/smoke-data --jobs $(JOBS)
	@$(BIN) report pipelines/smoke.yaml
	@$(MAKE) --no-print-directory where
	@$(BIN) claims pipelines/smoke.yaml --summary

## Where the tables and figures of the runs are.
where:
	@echo "tables:";  find $(RESULTS)/tables -name '*.md' 2>/dev/null | sort | sed 's/^/  /'
	@echo "figures:"; find $(RESULTS)/figures -name '*.png' 2>/dev/null | sort | sed 's/^/  /'
	@echo "reports:"; find $(RESULTS)/report -name '*.html' 2>/dev/null | sort | sed 's/^/  /'
	@echo "query the store: make query SQL=\"SELECT method, top1, many, medium, few FROM train_result\"$(if $(filter-out results,$(RESULTS)), RESULTS=$(RESULTS))"

## Regenerate figures and tables from the store, without training: make figures|table [PIPELINE=…] [RESULTS=…]
figures: build
	$(BIN) figures $(PIPELINE) --data-dir $(DATA_DIR) --results $(RESULTS)
	@$(MAKE) --no-print-directory where

table: build
	$(BIN) table $(PIPELINE) --data-dir $(DATA_DIR) --results $(RESULTS)
	@$(BIN) report $(PIPELINE) --results $(RESULTS)
	@$(MAKE) --no-print-directory where
	@$(BIN) claims $(PIPELINE) --results $(RESULTS) --summary

## The claims ledger of a pipeline's stored runs (no training): make claims [PIPELINE=…] [RESULTS=…]
claims: build
	$(BIN) claims $(PIPELINE) --results $(RESULTS)

## The pipeline's HTML report from the store: make report [PIPELINE=…] [RESULTS=…] [FIGURES=dir]
report: build
	$(BIN) report $(PIPELINE) --results $(RESULTS) $(if $(FIGURES),--figures $(FIGURES))

## Write the report, check its structure (images decode, tables have header rows), and render it
## with headless Chromium (Debian's `chromium`, installed if missing) to results/report-check/<pipeline>.png
## to look at. For the committed reference: make report-check RESULTS=results/reference FIGURES=results/reference/figures
report-check: build
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "make report-check: installing chromium"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "make report-check: need root (or sudo) to apt-get install chromium" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
	    || { echo "make report-check: apt-get could not install chromium" >&2; exit 1; }; }
	$(BIN) report $(PIPELINE) --results $(RESULTS) $(if $(FIGURES),--figures $(FIGURES)) --check
	@html="$$($(BIN) report $(PIPELINE) --results $(RESULTS) --path)"; mkdir -p results/report-check; \
	  png="results/report-check/$$(basename "$${html%.html}").png"; \
	  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,6000 \
	    --screenshot="$$png" "file://$$html" 2>/dev/null && test -s "$$png" \
	  && echo "rendered $$png: look at it" || { echo "make report-check: chromium could not render $$html" >&2; exit 1; }

## Query the results database (read-only): make query SQL="SELECT * FROM train_result" [FORMAT=csv|json] [RESULTS=…]
query: build
	$(BIN) query "$(SQL)" --format $(FORMAT) --results $(RESULTS)

clean:
	rm -rf .build
