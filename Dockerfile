# The muster command-line tool (and `muster serve`), built from source on an official Swift image.
# Swift 6.2 or later: Hummingbird and its companions declare swift-tools-version 6.2.
FROM swift:6.3-bookworm AS build
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
EXPOSE 8080
ENTRYPOINT ["muster"]
CMD ["--help"]
