# The two commands a new user runs (see README.md):
#   make run   installs what is missing, builds a release, creates ./var/hotline.db with the
#              demo city when there is none, and starts the hotline.
#   make test  builds (debug, ASan+UBSan) and runs every test: C++ (ctest), web (Vitest),
#              end to end (playwright-core + Debian's chromium) and the fuzz targets.
JOBS ?= $(shell nproc)
STORE ?= var/hotline.db
HOTLINE_RELEASE := build/release/src/cli/hotline

.PHONY: deps build release debug test unit-test web web-test e2e fuzz run bench format format-check clean

deps:
	@scripts/install-deps.sh

release: deps
	cmake --preset release $(if $(CI),-DHOTLINE_WERROR=ON) >/dev/null
	cmake --build --preset release -j $(JOBS)

debug: deps
	cmake --preset debug $(if $(CI),-DHOTLINE_WERROR=ON) >/dev/null
	cmake --build --preset debug -j $(JOBS)

build: release

# Everything: the C++ tests (ctest), the web console's unit tests (Vitest), the end-to-end
# tests in Debian's chromium, and each libFuzzer target for a short fixed time.
test: unit-test web-test e2e fuzz

unit-test: debug
	ctest --preset debug -j $(JOBS) --timeout 600

web: deps
	@scripts/web-build.sh

web-test: web
	cd web && npm test

e2e: debug web
	HOTLINE_BIN=build/debug/src/cli/hotline scripts/e2e.sh

FUZZ_SECONDS ?= 20
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

run: release web
	@mkdir -p var
	@if [ ! -f "$(STORE)" ]; then \
	  $(HOTLINE_RELEASE) demo --store $(STORE) --tickets 2000 --seed 12345 && \
	  $(HOTLINE_RELEASE) kb import --store $(STORE) data/demo/kb.jsonl; \
	fi
	@$(HOTLINE_RELEASE) store summary --store $(STORE)
	@echo "演示账号（密码均为 hotline12345）: op1 话务员, disp1 派单员, cb1 回访员, sup1 督办员, leader1 领导, admin, city-housing 住建局, hub-350404 三元区分平台"
	$(HOTLINE_RELEASE) serve --store $(STORE) --listen 127.0.0.1:8080 --web-root web/dist

bench: release
	bench/run.sh

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

# Fails listing the files that differ from .clang-format (CI runs it before the tests).
format-check:
	@bad=$$(git ls-files '*.cc' '*.h' | xargs clang-format --dry-run 2>&1 | grep 'warning:' | cut -d: -f1 | sort -u); \
	if [ -n "$$bad" ]; then echo "Not formatted per .clang-format:" $$bad; exit 1; fi

clean:
	rm -rf build
