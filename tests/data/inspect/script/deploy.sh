#!/bin/sh
set -eu
docker build -t acme/api:dev -f api.Dockerfile .
docker run -d --name api \
  --cap-add NET_ADMIN \
  -e DATABASE_URL=postgres://api:Sw0rdfish-77@db:5432/api \
  -e SMTP_PASSWORD=M4ilRelayPass \
  -v "$PWD/data:/data" \
  -p 8443:443 \
  acme/api:dev --verbose
