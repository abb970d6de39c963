# Developer tasks. `make setup` once, then `make check` before every push.
.PHONY: setup build test lint fmt check bench run

setup:            ## install the toolchain components the checks use
	rustup component add rustfmt clippy

build:            ## release binary in target/release/devops-maturity
	cargo build --release

test:             ## unit and integration tests
	cargo test

lint:             ## formatting and clippy, as CI runs them
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings

fmt:
	cargo fmt --all

check: lint test  ## everything CI checks

bench:            ## 100k-file benchmark (see BENCHMARKS.md)
	scripts/bench.sh

run:              ## scan this repository
	cargo run --release -- .
