# syntax=docker/dockerfile:1
# Tierdesk in a container: a static binary (CGO_ENABLED=0; the SQLite
# driver is pure Go) on an empty image with CA certificates, run as a
# non-root user, its desk in the /data volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t tierdesk .
#   docker run -p 8080:8080 -v tierdesk-data:/data tierdesk
#   docker exec <container> /tierdesk backup --to /data/backups/now.tdbk

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION}" -o /out/tierdesk ./cmd/tierdesk \
 && mkdir -p /out/data /out/tmp && chmod 1777 /out/tmp

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/tmp /tmp
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /out/tierdesk /tierdesk
USER 65532:65532
ENV TIERDESK_DATA=/data TIERDESK_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/tierdesk"]
CMD ["serve"]
