# The static aai on an empty image: no shell, no libc, no CA files (rustls carries Mozilla's
# roots), a few MiB. deploy/kubernetes-indexed-job.yaml runs it as /aai.
#
#   docker build -t aai .                   # builds scripts/build-static inside the builder
#   docker run --rm -e ASSEMBLYAI_API_KEY aai transcribe https://assembly.ai/wildfires.mp3
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cp "$(scripts/build-static)" /aai

FROM scratch
COPY --from=build /aai /aai
USER 65534:65534
ENTRYPOINT ["/aai"]
