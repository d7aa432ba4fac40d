#!/bin/bash
# Health of bridge-to-azure/mariadb: exit 0 only when the server answers on its TCP port (not the
# temporary init server, which has networking off) and the "orders" schema with its tables exists.
set -euo pipefail
port=${MARIADB_PORT:-3306}
host=${MARIADB_BIND_ADDRESS:-127.0.0.1}; [ "$host" = 0.0.0.0 ] && host=127.0.0.1
mariadb-admin --protocol=tcp --host="$host" --port="$port" --connect-timeout=3 ping >/dev/null 2>&1 ||
  { echo "mariadbd not answering on $host:$port" >&2; exit 1; }
n=$(mariadb --user=mysql --batch --skip-column-names -e \
  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='orders'" 2>/dev/null) || { echo "query failed" >&2; exit 1; }
[ "${n:-0}" -ge 8 ] || { echo "orders schema not ready ($n tables)" >&2; exit 1; }
echo "ok: mariadb on $host:$port, orders has $n tables"
