// Large zeroed scene buffers mapped from the operating system (Linux), so that nothing zeroes them twice.
package dev.meshforge.core.scene.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * {@link Arena#allocate} zeroes what it allocates with a memset. A buffer of tens of megabytes is then often a
 * fresh mapping from malloc, whose pages the kernel zeroes again on first touch, one 4 KiB fault at a time, after
 * the memset has touched them once already: for a 2M-triangle FBX (buffers of 24 to 72 MB, 216 MB in all) that was
 * close to half of a read. A mapping made here is zero already, and marked for transparent huge pages (madvise,
 * which this kernel setting honours) it is faulted in 2 MiB at a time. Smaller buffers stay with malloc, which in
 * a process that reads one file after another serves them from memory the last read freed (measured: a
 * 2M-triangle GLB, buffers of 8 to 24 MB, read in 22 ms a time from malloc, 39 ms from fresh mappings of 4 MiB
 * and up, 26 ms from 16 MiB and up). Buffers of more than {@link #MIN_BYTES} come from here on Linux (x86-64,
 * AArch64: the mmap and madvise constants below are theirs); the arena unmaps them when it closes. Elsewhere, or
 * when a call fails, {@link #allocate} answers null and the caller allocates from the arena as before: the
 * contents are zero either way. The readers take their large scratch buffers (a glTF's embedded buffer decoded, an
 * FBX file's large arrays inflated) from here too, from the arena of the read. A scene's buffers from 2 MiB and a
 * read's copy of its file come from {@link #reused} instead, whose mappings outlive their arena in a bounded pool,
 * and an OBJ read's native lists from {@link #reserved}, into the same pool.
 */
public final class KernelPages {
    public static final long MIN_BYTES = 16L << 20;
    /** The alignment a mapping has at least (its start is a page). */
    public static final long PAGE = 4096;
    /**
     * From this size (one huge page) {@link #allocateUnzeroed} maps rather than mallocs: malloc's memory for a
     * buffer of megabytes is mostly fresh pages too, faulted in 4 KiB at a time as they are first written (a
     * 2M-triangle OBJ's 8-12 MB buffers: about 5 % of a one-thread read's profile, against far less 2 MiB at a
     * time).
     */
    static final long MAPPED_UNZEROED_BYTES = 2L << 20;

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_POPULATE_READ = 22;

    /**
     * The most bytes of released {@link #reused} mappings kept for later reads ({@code meshforge.pagePoolBytes}, 0
     * for none): a process that reads one file after another then writes into pages faulted in by an earlier read,
     * not fresh ones (see {@link #reused}).
     */
    public static final long POOL_BYTES = Long.getLong("meshforge.pagePoolBytes", 256L << 20);
    private static final long HUGE_PAGE = 2L << 20;
    /**
     * Released mappings, the last released first: address, size and the bytes of it counted against {@link
     * #POOL_BYTES} (its size, or for a {@link #reserved} one the part its owner wrote) each.
     */
    private static final java.util.ArrayDeque<long[]> POOL = new java.util.ArrayDeque<>();
    private static long pooled;

    /** Linux on x86-64 or AArch64, and not switched off: the functions below are linked on first use. */
    private static final boolean SUPPORTED;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        SUPPORTED = os.equals("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
                && !"false".equals(System.getProperty("meshforge.kernelPages"));
    }

    /**
     * mmap, madvise and munmap, linked when the first buffer is mapped (a holder class, like malloc's below): each
     * downcall handle spins a stub class in the interpreter, and a short command that reads a small model maps
     * nothing, so it pays for malloc and free alone (the three handles left out were about 4-5 % of the CPU of an
     * in-process `meshforge inspect` of a cube, each later handle costing about as much as mf_inspect's).
     */
    private static final class Mapping {
        static final MethodHandle MMAP = link("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG));
        static final MethodHandle MUNMAP = link("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle MADVISE = link("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        static final boolean AVAILABLE = MMAP != null && MUNMAP != null && MADVISE != null;
    }

    /** malloc and free, linked on the first unzeroed buffer below a huge page. */
    private static final class Malloc {
        static final MethodHandle MALLOC = link("malloc", FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG));
        static final MethodHandle FREE = link("free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        static final boolean AVAILABLE = MALLOC != null && FREE != null;
    }

    /** The C library's {@code name}, or null where it cannot be linked. */
    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        if (!SUPPORTED) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
        } catch (RuntimeException | Error unavailable) {
            return null;
        }
    }

    private KernelPages() {
    }

    /** A zeroed segment of {@code bytes} owned by {@code arena}, or null (too small, not Linux, a call failed). */
    public static MemorySegment allocate(Arena arena, long bytes) {
        return bytes > MIN_BYTES ? map(arena, bytes) : null;
    }

    private static MemorySegment map(Arena arena, long bytes) {
        if (!SUPPORTED || !Mapping.AVAILABLE || !arena.scope().isAlive()) {
            return null;
        }
        MemorySegment at = mapFresh(bytes);
        if (at == null) {
            return null;
        }
        try {
            return at.reinterpret(bytes, arena, mapped -> unmap(mapped, bytes));
        } catch (RuntimeException closedMeanwhile) {
            unmap(at, bytes);
            return null;
        }
    }

    /** A fresh zero mapping of {@code bytes} marked for huge pages, or null where the call fails. */
    private static MemorySegment mapFresh(long bytes) {
        try {
            MemorySegment at = (MemorySegment) Mapping.MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (at.address() == -1L || at.address() == 0L) {
                return null;
            }
            // A hint: without it (or on a kernel that ignores it) the pages are 4 KiB and all else is the same.
            int advised = (int) Mapping.MADVISE.invokeExact(at, bytes, MADV_HUGEPAGE);
            return at;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
    }

    /**
     * A segment of {@code bytes} (at least {@link #MAPPED_UNZEROED_BYTES}) owned by {@code arena}, zero where
     * {@code zero}, else of undefined contents, or null as {@link #allocate} answers it. Its mapping goes back to a
     * pool when the arena closes, up to {@link #POOL_BYTES} in all (the longest unused unmapped first), and the next
     * request of its size, or up to half less, takes it from there: zeroed then with a memset of pages already
     * faulted in. A fresh mapping's pages fault in on first touch at every read, a cost that on a virtual machine
     * was a third of a 2M-triangle PLY read's thread CPU; and a buffer of a few megabytes from malloc is, from one
     * read to the next, either memory the last read freed or fresh pages, as glibc's state has it: a 2M-triangle
     * GLB read took 31-42 ms of thread CPU in some JVMs, about 210 ms in others. For scene buffers and a read's copy
     * of its file, which their reader writes whole (or which are zero where it does not).
     */
    public static MemorySegment reused(Arena arena, long bytes, boolean zero) {
        return reused(arena, bytes, zero, null);
    }

    /**
     * As {@link #reused}, unzeroed, for a reserve of {@code bytes} of which its owner writes only a first part, as
     * much as {@code written} tells when the arena closes (a growable list that reserves room for several doublings:
     * an OBJ read's native lists): the pool counts that part against {@link #POOL_BYTES}, not the reserve, whose
     * pages beyond it were never touched and hold no memory. A 2M-triangle OBJ read's lists reserve about 330 MiB
     * and write about 110 MiB; counted whole they pushed each other, the scene's buffers and the file's copy out of
     * the pool, and every read faulted most of its pages in fresh.
     */
    public static MemorySegment reserved(Arena arena, long bytes, java.util.function.LongSupplier written) {
        return reused(arena, bytes, false, written);
    }

    private static MemorySegment reused(Arena arena, long bytes, boolean zero,
            java.util.function.LongSupplier written) {
        if (!SUPPORTED || !Mapping.AVAILABLE || bytes < MAPPED_UNZEROED_BYTES || !arena.scope().isAlive()) {
            return null;
        }
        long size = (bytes + HUGE_PAGE - 1) & -HUGE_PAGE;
        long[] found = null;
        synchronized (POOL) {
            for (var it = POOL.iterator(); it.hasNext(); ) {
                long[] m = it.next();
                if (m[1] >= size && m[1] - size <= size / 2) {
                    it.remove();
                    pooled -= m[2];
                    found = m;
                    break;
                }
            }
        }
        MemorySegment at;
        if (found == null) {
            at = mapFresh(size); // zero already
            if (at == null) {
                return null;
            }
            found = new long[] {at.address(), size, written != null ? 0 : size};
        } else {
            at = MemorySegment.ofAddress(found[0]).reinterpret(bytes);
            if (zero) {
                at.fill((byte) 0);
            }
        }
        long[] mapping = found;
        try {
            return at.reinterpret(bytes, arena, released -> {
                if (written != null) {
                    // The pages touched by this owner or an earlier one, in whole huge pages.
                    long touched = (Math.max(0, written.getAsLong()) + HUGE_PAGE - 1) & -HUGE_PAGE;
                    mapping[2] = Math.min(mapping[1], Math.max(mapping[2], touched));
                } else {
                    mapping[2] = mapping[1];
                }
                release(mapping);
            });
        } catch (RuntimeException closedMeanwhile) {
            release(mapping);
            return null;
        }
    }

    /**
     * The bytes of the released mappings kept now as the pool counts them (at most {@link #POOL_BYTES}): a {@link
     * #reserved} one's written part.
     */
    public static long pooledBytes() {
        synchronized (POOL) {
            return pooled;
        }
    }

    /**
     * Keeps a released mapping for a later {@link #reused}, unmapping what passes the bound: the smallest kept mapping
     * that alone makes room, else the longest unused one, and again. Unmapping the longest unused first threw a
     * large mapping away to make room for a small one: at the end of a 2M-triangle OBJ read the file's 190 MiB copy
     * went for 12 MiB of the scene's buffers, and 80 MiB of the read's 370 were kept for the next.
     */
    private static void release(long[] mapping) {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        synchronized (POOL) {
            if (mapping[2] > POOL_BYTES) {
                out.add(mapping);
            } else {
                POOL.addFirst(mapping);
                pooled += mapping[2];
                while (pooled > POOL_BYTES) {
                    long[] gone = fitting(POOL, pooled - POOL_BYTES);
                    POOL.remove(gone);
                    pooled -= gone[2];
                    out.add(gone);
                }
            }
        }
        for (long[] m : out) {
            unmap(MemorySegment.ofAddress(m[0]), m[1]);
        }
    }

    /**
     * A segment of {@code bytes} owned by {@code arena} whose contents are undefined, for a buffer its caller writes
     * in full before anything reads it: {@link Arena#allocate} would zero it first, a pass over every byte that
     * the caller's own pass then repeats (about 5 % of a 2M-triangle OBJ read went to zeroing scene buffers). From
     * {@link #MAPPED_UNZEROED_BYTES} it is a mapping as {@link #allocate} makes (zero already, at no cost), below
     * it malloc's memory; null where neither can be had (not Linux, a call failed): the caller then allocates from
     * the arena.
     */
    public static MemorySegment allocateUnzeroed(Arena arena, long bytes) {
        if (bytes >= MAPPED_UNZEROED_BYTES) {
            return map(arena, bytes);
        }
        if (!SUPPORTED || bytes <= 0 || !Malloc.AVAILABLE || !arena.scope().isAlive()) {
            return null;
        }
        try {
            MemorySegment at = (MemorySegment) Malloc.MALLOC.invokeExact(bytes);
            if (at.address() == 0L) {
                return null;
            }
            try {
                return at.reinterpret(bytes, arena, KernelPages::free);
            } catch (RuntimeException closedMeanwhile) {
                free(at);
                return null;
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("malloc failed", t);
        }
    }

    private static void free(MemorySegment at) {
        try {
            Malloc.FREE.invokeExact(at);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }

    /**
     * Asks the kernel to map every page of {@code mapped} (a file mapped read-only, more than {@link #MIN_BYTES})
     * in one call (MADV_POPULATE_READ, Linux 5.14 and later) rather than a fault every few pages as a reader first
     * touches them. A hint: where the call fails or is unknown, the pages fault in as before.
     */
    public static void populate(MemorySegment mapped) {
        if (!SUPPORTED || mapped.byteSize() <= MIN_BYTES || mapped.address() % PAGE != 0 || !Mapping.AVAILABLE) {
            return;
        }
        try {
            int result = (int) Mapping.MADVISE.invokeExact(mapped, mapped.byteSize(), MADV_POPULATE_READ);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
    }

    /**
     * Of {@code kept} (the last released first), the one to unmap when they hold {@code over} bytes too many: the
     * smallest that alone makes room, the longest unused of equals, else the longest unused of all.
     */
    static long[] fitting(java.util.Deque<long[]> kept, long over) {
        long[] best = null;
        for (long[] m : kept) {
            if (m[2] >= over && (best == null || m[2] <= best[2])) {
                best = m;
            }
        }
        return best != null ? best : kept.getLast();
    }

    private static void unmap(MemorySegment at, long bytes) {
        try {
            int result = (int) Mapping.MUNMAP.invokeExact(at, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
