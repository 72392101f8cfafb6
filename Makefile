# The two commands a newcomer needs: `make run` and `make test`. Everything installs what it
# is missing (Debian packages listed in deps/debian-packages.txt) before it builds.
PRESET ?= release
BUILD  := build/$(PRESET)
MYSITE := $(BUILD)/mysite

.PHONY: run test build bench fuzz deps clean help synth rehearse deploy destroy

help:
	@echo "make run     install, build, migrate and serve the site on http://127.0.0.1:8000"
	@echo "make test    install, build and run every test"
	@echo "make build   build the release binaries into $(BUILD)/"
	@echo "make bench   compare mysite with nginx (and Django) under wrk"
	@echo "make fuzz    run every fuzz target for a minute (clang, ASan + UBSan, libFuzzer)"
	@echo "make synth   synthesize the CDK app offline (infra/cdk.out)"
	@echo "make rehearse play the deploy locally: the real image and template, stand-ins for AWS"
	@echo "make deploy  check config/config.yaml, build the image and deploy to AWS"
	@echo "make destroy remove the deployed stacks"
	@echo "make clean   remove build/ and var/"

deps:
	@scripts/deps.sh build runtime

build: deps
	@test -f $(BUILD)/build.ninja || cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

# SECRET_KEY signs sessions and CSRF tokens; `make run` makes one random key once, in
# var/secret_key (mode 600), and keeps it so logins survive restarts.
run: build
	@mkdir -p var && test -s var/secret_key || (umask 077 && head -c 48 /dev/urandom | base64 -w0 > var/secret_key)
	SECRET_KEY="$$(cat var/secret_key)" $(MYSITE) migrate
	SECRET_KEY="$$(cat var/secret_key)" $(MYSITE) collectstatic --noinput
	SECRET_KEY="$$(cat var/secret_key)" exec $(MYSITE) serve

test:
	@scripts/test.sh

bench: build
	@scripts/deps.sh bench
	@bench/run.sh $(MYSITE)
	@echo
	@bench/collectstatic_bench.sh --tool $(BUILD)/tests/staticfiles/collectstatic_tool
	@echo
	@bench/lambda_cold_start.sh $(BUILD)/db-initializer

fuzz:
	@scripts/fuzz.sh --seconds $${FUZZ_SECONDS:-60}

clean:
	rm -rf build var

synth:
	@scripts/infra.sh synth

# The deploy, played on this machine from the synthesized template and the image (needs root).
rehearse:
	@tests/rehearsal/run.sh

deploy:
	@scripts/infra.sh deploy

destroy:
	@scripts/infra.sh destroy
