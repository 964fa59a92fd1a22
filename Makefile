# Gezien: `make demo` serves the demo desk, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
export PORT

.PHONY: demo test test-fast lint typecheck analysis-native bench bench-chat bench-cti bench-mail bench-assist bench-analysis bench-knowledge bench-insights bench-workforce bench-voice bench-stt analysis-eval analysis-dutch messages clean serve

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The demo writes the mails it sends (surveys, digests) to var/mail instead of an SMTP server.
DEMO_MAIL ?= django.core.mail.backends.filebased.EmailBackend

demo: $(STAMP)
	$(BIN)/gezien migrate --quiet
	GEZIEN_EMAIL_BACKEND=$${GEZIEN_EMAIL_BACKEND:-$(DEMO_MAIL)} $(BIN)/gezien demo-data
	@echo "Gezien draait op http://127.0.0.1:$(PORT)/  (stoppen: Ctrl+C)"
	GEZIEN_EMAIL_BACKEND=$${GEZIEN_EMAIL_BACKEND:-$(DEMO_MAIL)} \
	  GEZIEN_CONTACT_VALUE_EUR=$${GEZIEN_CONTACT_VALUE_EUR:-7} $(BIN)/gezien serve

serve: $(STAMP)
	$(BIN)/gezien serve

# The suite runs on PYTEST_WORKERS processes (pytest-xdist, one per core with `auto`), each with a test
# database of its own; a test file stays on one worker, so that a module's fixtures (the served process)
# are made once. The demo organisation is loaded once per run and copied into each worker's database
# that needs it (tests/demo_database.py). PYTEST_WORKERS=0 runs it in this one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadfile

# The rules layer compiled by mypyc (scripts/build_native.py, needs gcc): rebuilt when one of its modules
# changes; gezien.analysis loads it only while it matches the sources (gezien/analysis/native.py).
NATIVE_DIR := src/gezien/analysis/_native
NATIVE_SRC := $(addprefix src/gezien/analysis/,native.py result.py register.py lexicon.py text.py typos.py cues.py sarcasm.py churn.py scoring.py engine.py)
$(NATIVE_DIR)/sources.json: $(STAMP) $(NATIVE_SRC) scripts/build_native.py
	$(BIN)/python scripts/build_native.py

analysis-native: $(NATIVE_DIR)/sources.json

test: $(STAMP) $(NATIVE_DIR)/sources.json
	$(BIN)/python -m django makemigrations --check --dry-run --settings=gezien.config.settings > /dev/null
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# Quick feedback while working: no browser, nothing marked slow (the demo organisation is never loaded).
test-fast: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser and not slow" $(PYTEST_ARGS)

# The quality gates CI runs before the tests (.ci/run): lint, format, strict types (pyproject's [tool.mypy])
# and the import contracts (pyproject's [tool.importlinter]).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(MAKE) --no-print-directory typecheck
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

bench: $(STAMP) $(NATIVE_DIR)/sources.json
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_assist.py
	$(BIN)/python bench/bench_knowledge.py --write
	$(BIN)/python bench/bench_insights.py --contacts $(or $(INSIGHTS_CONTACTS),1000000)
	$(BIN)/python bench/bench_workforce.py --write
	$(BIN)/python bench/bench_mail.py --write

# E-mail: the corpus' intake beside django-helpdesk's (its own venv, made on the first run; targets >= 100
# mails/s and 5x the peer) and outgoing replies to a local SMTP receiver (aiosmtpd, >= 50 mails/s), median of
# 3 runs -> docs/performance.md
# Live chat at scale: 200 chats and 1,000 idle widgets on one `gezien serve`, beside REST polling (~3 min).
bench-chat: $(STAMP)
	$(BIN)/python bench/bench_chat.py --write

# CTI call events over the API at 50 events/s (issue 18): p50/p99 per event, into docs/phone.md.
bench-cti: $(STAMP)
	$(BIN)/python bench/bench_cti.py --write

bench-mail: $(STAMP)
	$(BIN)/python bench/bench_mail.py --write

# The draft check while 20 agents type at once (no wrk needed) -> docs/performance.md
bench-assist: $(STAMP)
	$(BIN)/python bench/bench_assist.py

# Kennisbank proposals with 5,000 articles on SQLite (and PostgreSQL with DATABASE_URL), beside a LIKE scan
# -> docs/knowledge.md
bench-knowledge: $(STAMP)
	$(BIN)/python bench/bench_knowledge.py --write

# Insights dashboards with 1,000,000 contacts and 5,000,000 messages in a throw-away PostgreSQL 15, beside
# the naive scan -> docs/insights-performance.md (INSIGHTS_CONTACTS=20000 for a quick check)
bench-insights: $(STAMP)
	$(BIN)/python bench/bench_insights.py --contacts $(or $(INSIGHTS_CONTACTS),1000000)

# Staffing for 96 intervals x 20 queues beside pyworkforce 0.5.1 (its own venv, made on the first run)
# -> docs/workforce-maths.md
bench-workforce: $(STAMP)
	$(BIN)/python bench/bench_workforce.py --write

# The voice analysis of a generated 10-minute stereo call on one core, beside webrtcvad (needs espeak-ng
# and sox) -> docs/phone.md "Voice analysis"; then CTI call events at 50/s over the API -> docs/phone.md "Speed"
bench-voice: $(STAMP)
	$(BIN)/python bench/bench_voice.py --write
	$(BIN)/python bench/bench_cti.py --write

# Dutch speech-to-text (the stt extra: pip install -e '.[stt]') on synthetic 3-minute calls: speed on one core
# and word error rate, 16 kHz and the telephone's 8 kHz Opus -> docs/phone.md "Speech-to-text (optional extra)"
bench-stt: $(STAMP)
	$(BIN)/python bench/bench_stt.py --write

# The analysis library alone (no wrk, no server): speed and memory on one core -> docs/analysis.md
bench-analysis: $(STAMP) $(NATIVE_DIR)/sources.json
	$(BIN)/python bench/bench_analysis.py

# The standard dev evaluation (GoEmotions dev, CoCoA-MT register) -> docs/analysis.md
analysis-eval: $(STAMP)
	$(BIN)/python -m gezien_lab.evaluation --dev-report

# Dutch emotions: 5-fold cross-validation on XED, the heads beside a char n-gram baseline -> docs/analysis.md
analysis-dutch: $(STAMP)
	$(BIN)/python -m gezien_lab.training.dutch

messages: $(STAMP)
	cd src/gezien && ../../$(BIN)/django-admin makemessages -l nl -l en --no-obsolete && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache $(NATIVE_DIR)
