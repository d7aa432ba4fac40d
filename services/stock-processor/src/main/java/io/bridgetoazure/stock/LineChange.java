package io.bridgetoazure.stock;

/**
 * One flattened Debezium change of an order line, as connectors/debezium.ts produces it
 * (ExtractNewRecordState with add.fields op, source.ts_ms, source.file, source.pos, source.row, and
 * delete.tombstone.handling.mode rewrite-with-tombstone: a delete is the deleted row with __deleted=true).
 *
 * @param site      data-centre id, the topic's prefix ("dc01")
 * @param kind      purchase or sales line
 * @param lineId    the row's primary key
 * @param productId the row's product_id (for a delete: the deleted row's)
 * @param quantity  the row's quantity (for a delete: the deleted row's)
 * @param op        Debezium operation: c, u, d or r (snapshot read)
 * @param version   binlog position of the change
 * @param sourceTsMs commit time of the change in the site database, epoch ms
 */
public record LineChange(String site, LineKind kind, long lineId, int productId, int quantity, char op, SourceVersion version, long sourceTsMs) {
  public boolean isDelete() {
    return op == 'd';
  }
}
