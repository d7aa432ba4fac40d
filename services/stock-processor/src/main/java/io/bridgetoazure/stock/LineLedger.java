package io.bridgetoazure.stock;

import java.util.ArrayList;
import java.util.List;

/**
 * The pure rule of the first stage: apply one change of an order line to what was last applied for
 * that line, and say by how much each product's stock moves.
 *
 * A change is a row image ("the line is now product p, quantity q", or "the line is deleted"), not an
 * increment: the stock moves by the difference between the new image's contribution and the last
 * applied one. So an update moves it by the quantity difference (also across products when the line's
 * product changed), a delete removes the line's contribution, a snapshot read counts like a create —
 * and a re-delivered change, whose version is the one already applied, moves nothing. A change whose
 * version is older than the applied one (an old copy arriving after a newer change) moves nothing either.
 */
public final class LineLedger {
  private LineLedger() {}

  public enum Verdict {
    /** The change was newer than anything seen for the line: state replaced, deltas to forward. */
    APPLIED,
    /** Same version as the applied change: a re-delivery (Connect restart, MirrorMaker 2 retry). */
    DUPLICATE,
    /** Older than the applied change: an out-of-order copy. */
    STALE
  }

  /**
   * @param verdict what happened to the change
   * @param state   the line's state to store (the prior one unless APPLIED)
   * @param deltas  stock changes per product, none unless APPLIED (and none when the contribution is unchanged)
   */
  public record Outcome(Verdict verdict, LineState state, List<ProductDelta> deltas) {}

  /**
   * @param prior the line's stored state, null when the line was never seen
   * @param c     the change
   */
  public static Outcome apply(LineState prior, LineChange c) {
    if (prior != null) {
      int cmp = c.version().compareTo(prior.version());
      if (cmp == 0) return new Outcome(Verdict.DUPLICATE, prior, List.of());
      if (cmp < 0) return new Outcome(Verdict.STALE, prior, List.of());
    }
    LineState next = new LineState(c.productId(), c.quantity(), c.isDelete(), c.version());
    long before = prior == null ? 0 : prior.contribution(c.kind());
    long after = next.contribution(c.kind());
    List<ProductDelta> deltas = new ArrayList<>(2);
    if (prior != null && prior.productId() != next.productId()) {
      if (before != 0) deltas.add(new ProductDelta(c.site(), prior.productId(), -before, c.sourceTsMs()));
      if (after != 0) deltas.add(new ProductDelta(c.site(), next.productId(), after, c.sourceTsMs()));
    } else if (after != before) {
      deltas.add(new ProductDelta(c.site(), next.productId(), after - before, c.sourceTsMs()));
    }
    return new Outcome(Verdict.APPLIED, next, List.copyOf(deltas));
  }
}
