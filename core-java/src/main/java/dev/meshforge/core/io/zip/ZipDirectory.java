// A ZIP archive's central directory as its headers state it, checked against the file before anything inflates.
package dev.meshforge.core.io.zip;

import dev.meshforge.core.BadInputException;
import dev.meshforge.core.LimitExceededException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The entries of an archive with what {@link java.util.zip.ZipFile} does not tell: whether an entry is a symbolic
 * link (Unix mode in the external attributes) and where its data lies. Refuses, before any entry is inflated, a
 * directory that lies outside the file, lists more entries than allowed, or whose entries' data runs outside the
 * file or overlaps another entry's (the trick of zip bombs that reuse one compressed stream for many entries).
 */
final class ZipDirectory {
    /** One central directory record; {@code dataStart} is where its compressed bytes begin. */
    record Entry(String name, int method, long compressedSize, long size, long localOffset, long dataStart,
                 boolean link) {
    }

    private static final int EOCD = 0x06054b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int CEN = 0x02014b50;
    private static final int LOC = 0x04034b50;
    private static final long U32 = 0xFFFF_FFFFL;

    private ZipDirectory() {
    }

    static List<Entry> read(Path file, Charset charset, int maxEntries) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 22 + 0xFFFF);
            ByteBuffer end = bytes(ch, size - tail, tail);
            int at = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == EOCD && i + 22 + (end.getShort(i + 20) & 0xFFFF) <= tail) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                throw new BadInputException(file, "is not a readable ZIP archive (no end of central directory record)");
            }
            long eocd = size - tail + at;
            long count = end.getShort(at + 10) & 0xFFFF;
            long cenSize = end.getInt(at + 12) & U32;
            long cenOffset = end.getInt(at + 16) & U32;
            long cenEnd = eocd;
            if ((count == 0xFFFF || cenSize == U32 || cenOffset == U32) && eocd >= 20) {
                ByteBuffer loc = bytes(ch, eocd - 20, 20);
                if (loc.getInt(0) == EOCD64_LOCATOR) {
                    long z64 = loc.getLong(8);
                    if (z64 < 0 || z64 + 56 > eocd - 20) {
                        throw bad(file, "byte " + (eocd - 20) + ": its ZIP64 end record lies outside the file");
                    }
                    ByteBuffer r = bytes(ch, z64, 56);
                    if (r.getInt(0) != EOCD64) {
                        throw bad(file, "byte " + z64 + ": its ZIP64 end record is damaged");
                    }
                    count = r.getLong(32);
                    cenSize = r.getLong(40);
                    cenOffset = r.getLong(48);
                    cenEnd = z64;
                }
            }
            if (count < 0 || count > maxEntries) {
                throw new LimitExceededException(file + ": the archive lists " + Long.toUnsignedString(count)
                        + " entries, more than the limit of " + maxEntries + " (ReadOptions.maxArchiveEntries)");
            }
            if (cenOffset < 0 || cenSize < 0 || cenOffset + cenSize > cenEnd || cenSize > Integer.MAX_VALUE) {
                throw bad(file, "byte " + eocd + ": its central directory (" + cenSize + " bytes at " + cenOffset
                        + ") lies outside the file");
            }
            ByteBuffer cen = bytes(ch, cenOffset, (int) cenSize);
            List<Entry> out = new ArrayList<>((int) count);
            int p = 0;
            for (long i = 0; i < count; i++) {
                if (p + 46 > cen.limit() || cen.getInt(p) != CEN) {
                    throw bad(file, "byte " + (cenOffset + p) + ": its central directory is damaged at entry " + i);
                }
                int madeBy = (cen.getShort(p + 4) & 0xFFFF) >>> 8;
                int flags = cen.getShort(p + 8) & 0xFFFF;
                int method = cen.getShort(p + 10) & 0xFFFF;
                long csize = cen.getInt(p + 20) & U32;
                long usize = cen.getInt(p + 24) & U32;
                int nameLen = cen.getShort(p + 28) & 0xFFFF;
                int extraLen = cen.getShort(p + 30) & 0xFFFF;
                int commentLen = cen.getShort(p + 32) & 0xFFFF;
                long attrs = cen.getInt(p + 38) & U32;
                long offset = cen.getInt(p + 42) & U32;
                int next = p + 46 + nameLen + extraLen + commentLen;
                if (next > cen.limit()) {
                    throw bad(file, "byte " + (cenOffset + p) + ": its central directory is damaged at entry " + i);
                }
                byte[] raw = new byte[nameLen];
                cen.get(p + 46, raw);
                String name = new String(raw, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : charset);
                // ZIP64 sizes and offset replace the 32-bit fields that hold 0xFFFFFFFF, in this order.
                for (int x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
                    int id = cen.getShort(x) & 0xFFFF;
                    int len = cen.getShort(x + 2) & 0xFFFF;
                    int v = x + 4;
                    if (id == 1) {
                        if (usize == U32 && v + 8 <= x + 4 + len) {
                            usize = cen.getLong(v);
                            v += 8;
                        }
                        if (csize == U32 && v + 8 <= x + 4 + len) {
                            csize = cen.getLong(v);
                            v += 8;
                        }
                        if (offset == U32 && v + 8 <= x + 4 + len) {
                            offset = cen.getLong(v);
                        }
                    }
                    x += 4 + len;
                }
                int type = (int) (attrs >>> 16) & 0170000;
                boolean unixMode = madeBy == 3 || madeBy == 19;
                if (csize < 0 || usize < 0 || offset < 0 || offset + 30 > cenOffset) {
                    throw bad(file, "entry '" + name + "' has its local header outside the archive's data");
                }
                ByteBuffer local = bytes(ch, offset, 30);
                if (local.getInt(0) != LOC) {
                    throw bad(file, "entry '" + name + "' points at byte " + offset + ", where no local header is");
                }
                long dataStart = offset + 30 + (local.getShort(26) & 0xFFFF) + (local.getShort(28) & 0xFFFF);
                if (dataStart + csize > cenOffset) {
                    throw bad(file, "entry '" + name + "' declares " + csize + " compressed bytes from byte "
                            + dataStart + ", past the end of the archive's data at " + cenOffset);
                }
                out.add(new Entry(name, method, csize, usize, offset, dataStart, unixMode && type == 0120000));
                p = next;
            }
            List<Entry> byOffset = new ArrayList<>(out);
            byOffset.sort(Comparator.comparingLong(Entry::localOffset));
            for (int i = 1; i < byOffset.size(); i++) {
                Entry a = byOffset.get(i - 1);
                Entry b = byOffset.get(i);
                if (a.dataStart() + a.compressedSize() > b.localOffset()) {
                    throw bad(file, "byte " + b.localOffset() + ": entries '" + a.name() + "' and '" + b.name()
                            + "' overlap (bytes " + b.localOffset() + ".." + (a.dataStart() + a.compressedSize())
                            + "), as in a zip bomb; refused");
                }
            }
            return out;
        }
    }

    private static ByteBuffer bytes(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        if (b.limit() < n) {
            throw new IOException("unexpected end of file at byte " + (at + b.limit()));
        }
        return b;
    }

    private static BadInputException bad(Path file, String what) {
        return new BadInputException(file, what);
    }
}
