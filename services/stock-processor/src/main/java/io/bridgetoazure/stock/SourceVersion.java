package io.bridgetoazure.stock;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a change was read in the site database's binlog: file, event position, snapshot or streaming,
 * row index in the event. Every change Debezium emits for one row carries a version larger than the
 * one before (binlog order), and a re-delivered change (Connect's at-least-once restart, MirrorMaker 2's
 * at-least-once copy) carries the same version again: that is what makes re-delivery detectable.
 * Order as verify/reconcile.ts compareChanges: file (by its numeric suffix), position, snapshot reads
 * ("r") before change events at the same position (the snapshot was taken there), row index.
 */
public record SourceVersion(String file, long pos, boolean snapshot, int row) implements Comparable<SourceVersion> {
  private static final Pattern SUFFIX = Pattern.compile("^(.*?)(\\d+)$");

  @Override
  public int compareTo(SourceVersion o) {
    int c = compareBinlogFiles(file, o.file);
    if (c != 0) return c;
    c = Long.compare(pos, o.pos);
    if (c != 0) return c;
    c = Boolean.compare(!snapshot, !o.snapshot); // snapshot (false after negation) first
    if (c != 0) return c;
    return Integer.compare(row, o.row);
  }

  /** "mariadb-bin.000010" after "mariadb-bin.000009", also past a suffix that grows a digit. */
  static int compareBinlogFiles(String a, String b) {
    Matcher ma = SUFFIX.matcher(a), mb = SUFFIX.matcher(b);
    if (ma.matches() && mb.matches() && ma.group(1).equals(mb.group(1))) {
      String da = ma.group(2).replaceFirst("^0+(?=\\d)", ""), db = mb.group(2).replaceFirst("^0+(?=\\d)", "");
      int c = Integer.compare(da.length(), db.length());
      return c != 0 ? c : Integer.signum(da.compareTo(db));
    }
    return Integer.signum(a.compareTo(b));
  }

  /** Compact text form for the state store: file|pos|r-or-s|row. */
  public String encode() {
    return file + "|" + pos + "|" + (snapshot ? "r" : "s") + "|" + row;
  }

  public static SourceVersion decode(String s) {
    int i3 = s.lastIndexOf('|'), i2 = s.lastIndexOf('|', i3 - 1), i1 = s.lastIndexOf('|', i2 - 1);
    if (i1 < 0) throw new IllegalArgumentException("not an encoded source version: " + s);
    return new SourceVersion(s.substring(0, i1), Long.parseLong(s.substring(i1 + 1, i2)), s.substring(i2 + 1, i3).equals("r"), Integer.parseInt(s.substring(i3 + 1)));
  }
}
