#!/bin/bash
# Entrypoint of bridge-to-azure/mariadb (runs as user mysql, uid 999).
# env (none secret):
#   MARIADB_PORT (3306)  MARIADB_BIND_ADDRESS (127.0.0.1)  MARIADB_SERVER_ID (1)  MARIADB_GTID_DOMAIN_ID (0)
#   MARIADB_BINLOG_EXPIRE_LOGS_SECONDS (604800 = 7 days)   MARIADB_INNODB_BUFFER_POOL_SIZE (128M)
#   MARIADB_CDC_USER (debezium)  MARIADB_APP_USER (orders_app)  MARIADB_USER_HOSTS ("localhost 127.0.0.1 ::1")
#   MARIADB_DC (dc01): the site's data-centre id; its out-of-stock table is <dc>_out_of_stock_events
#   MARIADB_SINK_USER (oos_sink)  MARIADB_SINK_TABLE (<dc>_out_of_stock_events): the write-back user of
#   Debezium's JDBC sink (connectors/jdbc-sink.ts), SELECT, INSERT, UPDATE on that one table
#   MARIADB_SECRETS_DIR (/run/secrets/mariadb) holding the files root_password, cdc_password, app_password
#   and, optionally, sink_password (no file: no write-back user)
#   (read on the first start only: one line, trailing newline ignored)
set -euo pipefail
log() { printf '%s [mariadb-entrypoint] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi   # a command instead of the server

port=${MARIADB_PORT:-3306}
datadir=/var/lib/mysql
secrets=${MARIADB_SECRETS_DIR:-/run/secrets/mariadb}
server_args=(
  --port="$port"
  --bind-address="${MARIADB_BIND_ADDRESS:-127.0.0.1}"
  --server-id="${MARIADB_SERVER_ID:-1}"
  --gtid-domain-id="${MARIADB_GTID_DOMAIN_ID:-0}"
  --binlog-expire-logs-seconds="${MARIADB_BINLOG_EXPIRE_LOGS_SECONDS:-604800}"
  --innodb-buffer-pool-size="${MARIADB_INNODB_BUFFER_POOL_SIZE:-128M}"
)

read_secret() { # name -> contents (first line) of $secrets/name
  local f="$secrets/$1"
  [ -r "$f" ] || die "secret file $f is missing or unreadable"
  local v; v=$(head -n1 "$f" | tr -d '\r\n')
  [ -n "$v" ] || die "secret file $f is empty"
  printf '%s' "$v"
}
sql_str() { local s=${1//\\/\\\\}; s=${s//\'/\'\'}; printf "'%s'" "$s"; }
sql_ident_ok() { [[ $1 =~ ^[A-Za-z0-9_]{1,32}$ ]] || die "invalid user name '$1' (letters, digits, _ only)"; }

marker=$datadir/.bridge-to-azure-initialised
if [ -d "$datadir/mysql" ] && [ ! -f "$marker" ]; then
  die "$datadir has system tables but no $marker: an earlier initialisation did not finish; remove the volume and start again"
fi
if [ ! -d "$datadir/mysql" ]; then
  [ -z "$(find "$datadir" -mindepth 1 -maxdepth 1 ! -name lost+found -print -quit 2>/dev/null)" ] ||
    die "$datadir is not empty but has no system tables; refusing to initialise"
  root_pw=$(read_secret root_password); cdc_pw=$(read_secret cdc_password); app_pw=$(read_secret app_password)
  cdc_user=${MARIADB_CDC_USER:-debezium}; app_user=${MARIADB_APP_USER:-orders_app}
  sql_ident_ok "$cdc_user"; sql_ident_ok "$app_user"
  sink_pw=""; [ ! -e "$secrets/sink_password" ] || sink_pw=$(read_secret sink_password)
  dc=${MARIADB_DC:-dc01}; [[ $dc =~ ^dc[0-9]{2}$ ]] || die "invalid MARIADB_DC '$dc' (dc and two digits)"
  sink_user=${MARIADB_SINK_USER:-oos_sink}; sink_table=${MARIADB_SINK_TABLE:-${dc}_out_of_stock_events}
  sql_ident_ok "$sink_user"; [[ $sink_table =~ ^[A-Za-z0-9_]{1,64}$ ]] || die "invalid MARIADB_SINK_TABLE '$sink_table' (letters, digits, _ only)"
  log "empty datadir: initialising ($(cat /etc/bridge-mariadb-version))"
  # default auth method "socket": also creates the all-privilege unix_socket account mysql@localhost
  # (the OS user of this container), used below and by the healthcheck; root gets a password.
  mariadb-install-db --user=mysql --datadir="$datadir" \
    --skip-test-db --skip-name-resolve --skip-log-bin >/dev/null
  mariadbd --skip-networking --socket=/run/mysqld/init.sock "${server_args[@]}" &
  pid=$!
  for _ in $(seq 1 60); do mariadb-admin --socket=/run/mysqld/init.sock ping >/dev/null 2>&1 && break; sleep 1; done
  mariadb-admin --socket=/run/mysqld/init.sock ping >/dev/null 2>&1 || die "temporary server did not start"
  # The OS user mysql has an all-privilege unix_socket account (mysql@localhost, made by mariadb-install-db).
  run_sql() { mariadb --socket=/run/mysqld/init.sock --user=mysql; }
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_str "$root_pw");"
    echo "DELETE FROM mysql.global_priv WHERE User='' OR Host <> 'localhost';"
    echo "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';"
    for h in ${MARIADB_USER_HOSTS:-localhost 127.0.0.1 ::1}; do
      # Debezium MariaDB connector: snapshot (SELECT, RELOAD for FLUSH TABLES WITH READ LOCK, SHOW DATABASES)
      # and binlog streaming (REPLICATION SLAVE, BINLOG MONITOR = REPLICATION CLIENT before MariaDB 10.5).
      echo "CREATE USER $(sql_str "$cdc_user")@$(sql_str "$h") IDENTIFIED BY $(sql_str "$cdc_pw");"
      echo "GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO $(sql_str "$cdc_user")@$(sql_str "$h");"
      echo "GRANT SELECT ON orders.* TO $(sql_str "$cdc_user")@$(sql_str "$h");"
      echo "CREATE USER $(sql_str "$app_user")@$(sql_str "$h") IDENTIFIED BY $(sql_str "$app_pw");"
      echo "GRANT SELECT, INSERT, UPDATE, DELETE ON orders.* TO $(sql_str "$app_user")@$(sql_str "$h");"
    done
    echo "FLUSH PRIVILEGES;"
  } | run_sql
  unset root_pw cdc_pw app_pw
  # The init SQL is written to the binlog (users/passwords above are not): the server then starts
  # with a non-empty gtid_binlog_pos. Debezium's MariaDB connector 3.5.0.Final fails with an NPE
  # ("GtidSet.toString() because this.gtidSet is null") when it streams from a server whose
  # gtid_binlog_pos is still empty.
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql)    log "running $f"; run_sql <"$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | run_sql ;;
      *)        log "ignoring $f" ;;
    esac
  done
  # The schema names dc01's out-of-stock table; another site's database has its own (<dc>_out_of_stock_events).
  if [ "$dc" != dc01 ]; then
    log "site $dc: orders.dc01_out_of_stock_events renamed to orders.${dc}_out_of_stock_events"
    run_sql <<<"RENAME TABLE orders.dc01_out_of_stock_events TO orders.\`${dc}_out_of_stock_events\`;" || die "renaming the out-of-stock table for $dc failed"
  fi
  # Table grants need their table: after the schema. Debezium's heartbeat writes the latency probe row.
  if run_sql <<<"SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA='orders' AND TABLE_NAME='bridge_latency_probe'" | grep -q 1; then
    {
      echo "SET @@SESSION.SQL_LOG_BIN=0;"
      for h in ${MARIADB_USER_HOSTS:-localhost 127.0.0.1 ::1}; do
        echo "GRANT INSERT, UPDATE ON orders.bridge_latency_probe TO $(sql_str "$cdc_user")@$(sql_str "$h");"
      done
    } | run_sql
  fi
  # The write-back user after the schema: a table-level grant needs its table. Only what an upsert
  # (INSERT … ON DUPLICATE KEY UPDATE) and reading the table's metadata need; no DELETE, no DDL
  # (the sink runs with schema.evolution none).
  if [ -n "$sink_pw" ]; then
    log "write-back user $sink_user: SELECT, INSERT, UPDATE on orders.$sink_table"
    {
      echo "SET @@SESSION.SQL_LOG_BIN=0;"
      for h in ${MARIADB_USER_HOSTS:-localhost 127.0.0.1 ::1}; do
        echo "CREATE USER $(sql_str "$sink_user")@$(sql_str "$h") IDENTIFIED BY $(sql_str "$sink_pw");"
        echo "GRANT SELECT, INSERT, UPDATE ON orders.\`$sink_table\` TO $(sql_str "$sink_user")@$(sql_str "$h");"
      done
      echo "FLUSH PRIVILEGES;"
    } | run_sql || die "creating the write-back user failed (does table orders.$sink_table exist?)"
  else
    log "no $secrets/sink_password: no write-back user"
  fi
  unset sink_pw
  mariadb-admin --socket=/run/mysqld/init.sock --user=mysql shutdown
  wait "$pid" || true
  date -u +%FT%TZ >"$marker"
  log "initialisation done"
fi

log "starting mariadbd on ${MARIADB_BIND_ADDRESS:-127.0.0.1}:$port (server_id ${MARIADB_SERVER_ID:-1}, gtid_domain_id ${MARIADB_GTID_DOMAIN_ID:-0})"
exec mariadbd "${server_args[@]}" "$@"
