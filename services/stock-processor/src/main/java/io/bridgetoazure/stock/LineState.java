package io.bridgetoazure.stock;

/**
 * What the processor last applied for one order line: the row image it counted (product, quantity),
 * whether the row is deleted (kept, with its version, so that a re-delivered older create is not
 * counted again), and the version of that change.
 */
public record LineState(int productId, int quantity, boolean deleted, SourceVersion version) {
  /** Stock this line contributes to its product, in units (signed by the line's kind). */
  public long contribution(LineKind kind) {
    return deleted ? 0 : (long) kind.sign * quantity;
  }

  public String encode() {
    return productId + "," + quantity + "," + (deleted ? "d" : "l") + "," + version.encode();
  }

  public static LineState decode(String s) {
    String[] p = s.split(",", 4);
    if (p.length != 4) throw new IllegalArgumentException("not an encoded line state: " + s);
    return new LineState(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2].equals("d"), SourceVersion.decode(p[3]));
  }
}
