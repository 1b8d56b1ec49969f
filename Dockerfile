# syntax=docker/dockerfile:1
# One image with the three binaries: eastwest-registry (with the etcd store), eastwest-evaluation
# and the eastwest command line. The Kubernetes manifests in deploy/ pick the binary with `command`.
# Not built in CI (there is no container engine there); build and push it yourself:
#   docker build -t REGISTRY/eastwest:TAG .

FROM rust:1-bookworm AS build
# protoc: the etcd client generates its gRPC code at build time (the project's own protos do not need it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends protobuf-compiler \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache mounts keep crates and build artefacts between builds; the binaries are copied out of
# the cached target directory in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
      -p eastwest-registry --features eastwest-registry/etcd \
      -p eastwest-evaluation \
      -p eastwest-cli \
 && install -D -m 0755 -t /out \
      target/release/eastwest-registry \
      target/release/eastwest-evaluation \
      target/release/eastwest

FROM debian:bookworm-slim
# Only the binaries are added. No CA bundle: TLS to etcd trusts the CA file it is given
# (EASTWEST_ETCD_CA_FILE). /bin/sleep (coreutils) is what the manifests' preStop hook runs.
RUN groupadd --system --gid 10001 eastwest \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin eastwest \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/eastwest
COPY --from=build /out/ /usr/local/bin/
# Defaults for a container: listen on every interface, keep sled's data under /var/lib/eastwest.
ENV EASTWEST_REGISTRY_LISTEN=0.0.0.0:50051 \
    EASTWEST_EVALUATION_LISTEN=0.0.0.0:50052 \
    EASTWEST_REGISTRY_DATA_DIR=/var/lib/eastwest/registry
USER 10001:10001
WORKDIR /var/lib/eastwest
EXPOSE 50051 50052
CMD ["/usr/local/bin/eastwest-registry"]
