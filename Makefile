# Two commands set everything up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean verifier verifier-corpus verifier-check postgresql

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, pinned to the CPU build on local disk: otherwise pip pulls a multi-GB CUDA build.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/mock-interview $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check assistant tests bench verifier
	$(BIN)/ruff format --check assistant tests bench verifier
	$(BIN)/mypy assistant

# The store tests start a real PostgreSQL server of their own (as the postgres OS user when run
# as root); on a fresh Debian machine (the CI, as root) its binaries come from Debian's package.
postgresql:
	@command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
		|| (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql)

test: lint postgresql /usr/bin/chromium
	HF_HUB_OFFLINE=1 $(BIN)/pytest $(PYTEST_ARGS)

# The browser tests (tests/serve/) drive Debian's chromium; CI runs as root on fresh Debian.
/usr/bin/chromium:
	apt-get update && apt-get install -y chromium

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV)

# Rebuild the shipped verifier (LoRA adapter + head + model card) in three steps: an adapter on
# the public NLI sets of ../shared/training/, then the same adapter trained further on the
# authored corpus, reading the spans the grader's align stage proposes, without the twins (the
# previous release's), then a shorter step on the whole corpus with its twins (this release's;
# see verifier/corpus/README.md). CPU only, seeded; about 40 + 65 + 36 minutes on 2 cores.
verifier: $(STAMP)
	$(if $(VERIFIER_EXTRA),$(error make verifier reads no extra corpus file: \
		use make verifier-corpus VERIFIER_EXTRA=...))
	$(BIN)/python verifier/train.py --recipe public --epochs 1.2 --max-length 128 \
		--out verifier/build/public
	HF_HUB_OFFLINE=1 $(BIN)/python verifier/train.py --recipe corpus --premise spans \
		--init verifier/build/public --lr 3e-4 --epochs 1.0 \
		--exclude-kinds twin-right twin-wrong --out verifier/build/spans
	HF_HUB_OFFLINE=1 $(BIN)/python verifier/train.py --recipe corpus --premise spans \
		--init verifier/build/spans --lr 2e-4 --epochs 0.4 --seed 15 \
		--out assistant/grading/weights/verifier

# Train a verifier on the authored corpus (verifier/corpus/) and a sample of the public sets,
# whole answers as premises (about 70 minutes on 2 cores): not shipped, it lost on the bank's
# held-out answers (README, "What was tried"); measure one with bench/grading_corpus.py --verifier
# DIR --premise answer. VERIFIER_EXTRA="a.jsonl"
# adds corpus files (e.g. settled disputes: `mock-interview disputes export -o a.jsonl`);
# VERIFIER_OUT sets the folder.
VERIFIER_OUT ?= verifier/build/corpus
verifier-corpus: $(STAMP)
	$(BIN)/python verifier/train.py --recipe corpus --out $(VERIFIER_OUT) \
		$(if $(VERIFIER_EXTRA),--extra $(VERIFIER_EXTRA))

# How far a verifier agrees with a file of labelled answers in the corpus's format (a batch, or
# settled disputes) before it is used: make verifier-check VERIFIER_CHECK=FILE; it measures
# VERIFIER_OUT (VERIFIER_OUT=bundled: the shipped one). See README, "Disputes and the verifier".
verifier-check: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/mock-interview verifier check $(VERIFIER_CHECK) \
		--verifier $(VERIFIER_OUT)
