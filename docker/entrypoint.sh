#!/bin/sh
# The image's entrypoint: every argument list is a lipkb command (`migrate`, `index`,
# `reindex`, `sync`, ...). `serve`, the default, listens on every interface of the
# container, on port $PORT (default 8000). For a shell inside: --entrypoint sh.
set -eu

if [ "$#" -eq 0 ] || [ "$1" = serve ]; then
    [ "$#" -gt 0 ] && shift
    exec lipkb serve --host 0.0.0.0 --port "${PORT:-8000}" "$@"
fi
exec lipkb "$@"
