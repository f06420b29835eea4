#!/usr/bin/env bash
# Writes the secret files deploy/compose.yaml mounts, each once: an existing file is never overwritten (above all the
# vault keys: new ones would make every stored card unreadable). docs/operations.md, "Compose".
#
#   deploy/make-secrets.sh [DIR]          (default: deploy/secrets)
#
#   postgres_password        PostgreSQL's password (the postgres container reads it: POSTGRES_PASSWORD_FILE)
#   pgpass                   the same password for the gateway, as a PostgreSQL password file (Npgsql: Passfile=)
#   vault-keys.json          the vault's key-encryption key and fingerprint key (PaymentGateway:Vault:KeyFile)
#   grafana_admin_password   Grafana's admin password (GF_SECURITY_ADMIN_PASSWORD__FILE)
#   slack_webhook_url        the chat channel's incoming-webhook URL: from $SLACK_WEBHOOK_URL, else a placeholder
#   smtp_password            the SMTP account's password: from $SMTP_PASSWORD, else a placeholder
#
# The directory is private to its owner (0700). The files are 0644 because Compose bind-mounts them as they are and
# the containers read them as their own non-root users (gateway 1654, postgres 999, grafana 472, alertmanager 65534);
# the directory keeps everyone else on the host out. Needs openssl.
set -euo pipefail
dir=${1:-"$(cd "$(dirname "$0")" && pwd)/secrets"}
command -v openssl >/dev/null || { echo "openssl is required (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"

write() { # write NAME CONTENT: creates DIR/NAME with CONTENT (no trailing newline: some readers keep it) unless it exists
  local file="$dir/$1"
  if [ -e "$file" ]; then echo "kept    $file"; return; fi
  (umask 022; printf '%s' "$2" > "$file.tmp")
  chmod 644 "$file.tmp"
  mv "$file.tmp" "$file"
  echo "created $file"
}

write postgres_password "$(openssl rand -hex 32)"
# host:port:database:user:password, for the compose service "postgres" (hex needs no escaping).
write pgpass "postgres:5432:paymentgateway:paymentgateway:$(cat "$dir/postgres_password")"
write vault-keys.json "$(printf '{\n  "active_key_id": "k1",\n  "keys": { "k1": "%s" },\n  "fingerprint_key": "%s"\n}' \
  "$(openssl rand -base64 32)" "$(openssl rand -base64 32)")"
write grafana_admin_password "$(openssl rand -base64 24)"
write slack_webhook_url "${SLACK_WEBHOOK_URL:-https://hooks.slack.com/services/REPLACE/WITH/YOUR-WEBHOOK}"
write smtp_password "${SMTP_PASSWORD:-REPLACE_WITH_THE_SMTP_PASSWORD}"

if grep -q REPLACE "$dir/slack_webhook_url" "$dir/smtp_password"; then
  echo "note: put the chat webhook URL and the SMTP password into $dir/slack_webhook_url and $dir/smtp_password"
fi
echo "back up $dir/vault-keys.json somewhere safe: without it no stored card can be read"
