# The muster command-line tool, built from source on an official Swift image.
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product muster --static-swift-stdlib

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/.build/release/muster /usr/local/bin/muster
COPY schema /app/schema
ENV MUSTER_SCHEMA_DIR=/app/schema
WORKDIR /app
ENTRYPOINT ["muster"]
CMD ["--help"]
