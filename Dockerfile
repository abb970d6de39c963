# The GitHub Action's image: a statically linked binary and nothing else.
#
#   docker build -t devops-maturity .
#   docker run --rm -v "$PWD:/repo:ro" devops-maturity scan /repo
#
# Stage 1 builds with the pinned Rust toolchain (multi-arch index digest of
# rust:1.95-slim-bookworm; Dependabot proposes updates) using the same script as the release.
FROM rust:1.95-slim-bookworm@sha256:d7482085ff5b415f84dba5647ae71606650bdef00db7aeb69f4b3d170c3e4082 AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY scripts/build-static.sh ./scripts/
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    ./scripts/build-static.sh /out

# Stage 2: no shell, no package manager, no libc: only the binary (about 4 MB).
FROM scratch
LABEL org.opencontainers.image.title="devops-maturity" \
      org.opencontainers.image.description="Scores a repository's DevOps maturity with evidence" \
      org.opencontainers.image.source="https://github.com/devops-maturity/devops-maturity" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /out/devops-maturity /devops-maturity
# Root on purpose: GitHub runs container actions as the image's user and documents that they
# must run as root; another user cannot write the SARIF into the workspace or the step summary
# and outputs into the runner's file-command files. The binary gives what it writes back to the
# workspace owner. Without a shell or other binaries there is little a root user could run.
USER 0:0
# A one-shot scanner has no service to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/devops-maturity"]
CMD ["action"]
