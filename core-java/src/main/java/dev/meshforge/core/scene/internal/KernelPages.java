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
 * and an OBJ read's native lists from {@link #reserved}, into the same pool; a mapping taken again is zeroed for
 * its next owner unless the process switched that off ({@link #scrubReused}).
 */
public final class KernelPages {
    public static final long MIN_BYTES = 16L << 20;
    /** The alignment a mapping has at least (its start is a page). */
    public static final long PAGE = 4096;
    /**
     * One huge page (2 MiB, transparent huge pages on x86-64 and AArch64 with 4 KiB pages): the size from which a
     * buffer is a mapping of {@link #reused} (a scene's buffers, {@code Scene.allocateFilled}, a read's copy of its
     * file, an OBJ read's native lists) and the unit in which those mappings are sized and counted. Below it, the
     * memset saved is a pass over less than 2 MiB, and a small model's read does not link this class's libc functions
     * (a stub class spun for each, 25-50 ms of CPU once a process); a compile-time constant, so a caller comparing a
     * size with it does not initialise this class. A malloc'ed buffer of megabytes is mostly fresh pages too, faulted
     * in 4 KiB at a time (a 2M-triangle OBJ's 8-12 MB buffers: about 5 % of a one-thread read's profile).
     */
    public static final long HUGE_PAGE = 2L << 20;

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_POPULATE_READ = 22;

    /**
     * The most bytes of released {@link #reused} mappings kept for later reads ({@code meshforge.pagePoolBytes}, 0
     * for none): a process that reads one file after another then writes into pages faulted in by an earlier read,
     * not fresh ones (see {@link #reused}).
     */
    public static final long POOL_BYTES = Long.getLong("meshforge.pagePoolBytes", 256L << 20);

    /** The process's pool, which every public method here takes from and releases to. */
    private static final Pool POOL = new Pool(POOL_BYTES, scrubSetting(true));

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
     * A segment of {@code bytes} (at least {@link #HUGE_PAGE}) owned by {@code arena}, zero where {@code zero} or
     * while {@link #scrubReused} is on, else of undefined contents, or null as {@link #allocate} answers it. Its
     * mapping goes back to a pool when the arena closes, up to {@link #POOL_BYTES} in all (see {@link Pool#keep}),
     * and the next request of its size, or up to half less, takes it from there: zeroed then with a memset of pages
     * already faulted in. A fresh mapping's pages fault in on first touch at every read, a cost that on a virtual
     * machine was a third of a 2M-triangle PLY read's thread CPU; and a buffer of a few megabytes from malloc is,
     * from one read to the next, either memory the last read freed or fresh pages, as glibc's state has it: a
     * 2M-triangle GLB read took 31-42 ms of thread CPU in some JVMs, about 210 ms in others. For scene buffers and a
     * read's copy of its file, which their reader writes whole (or which are zero where it does not).
     */
    public static MemorySegment reused(Arena arena, long bytes, boolean zero) {
        return POOL.take(arena, bytes, zero, null);
    }

    /**
     * As {@link #reused} unzeroed, and not zeroed by {@link #scrubReused} either: for a read's copy of its file, which
     * the file's read overwrites before anything reads it and which its taker slices to what that read wrote, so that
     * no byte of an earlier owner's can be seen through it. The scrub's memset there was a pass over the whole copy
     * (96 MiB of huge pages for a 2M-triangle STL, 56 MiB for the PLY) just before the read's copy wrote it all again.
     */
    public static MemorySegment overwritten(Arena arena, long bytes) {
        return POOL.take(arena, bytes, false, null, false);
    }

    /**
     * As {@link #reused}, unzeroed (unless {@link #scrubReused} is on), for a reserve of {@code bytes} of which its
     * owner writes only a first part, as much as {@code written} tells when the arena closes (a growable list that
     * reserves room for several doublings: an OBJ read's native lists): the pool counts that part against {@link
     * #POOL_BYTES}, not the reserve, whose pages beyond it were never touched and hold no memory. A 2M-triangle OBJ
     * read's lists reserve about 330 MiB and write about 110 MiB; counted whole they pushed each other, the scene's
     * buffers and the file's copy out of the pool, and every read faulted most of its pages in fresh.
     */
    public static MemorySegment reserved(Arena arena, long bytes, java.util.function.LongSupplier written) {
        return POOL.take(arena, bytes, false, written);
    }

    /**
     * Whether every mapping taken again from the pool is zeroed, whatever its taker asked for (on unless the
     * property {@code meshforge.scrubReusedPages} is {@code false}; see {@link #scrubReusedUnlessSet}). On, no buffer of a closed scene or read can be
     * seen by a later one, even where a reader leaves part of an unzeroed buffer unwritten (a bug, or a read that
     * failed half way whose partial scene is still used): a process that reads for several accounts (the HTTP
     * server, the resident daemon) keeps it on. Off, a buffer its reader writes whole skips the memset; for a process
     * whose reads are all one caller's (a one-shot command).
     */
    public static void scrubReused(boolean on) {
        POOL.scrub = on;
    }

    /**
     * Sets {@link #scrubReused} as the property {@code meshforge.scrubReusedPages} says ({@code false} off, any other
     * value on), or to {@code unset} where the property is not set: the default a process picks for itself, which
     * the property overrides. The pool starts as {@code scrubReusedUnlessSet(true)}.
     */
    public static void scrubReusedUnlessSet(boolean unset) {
        POOL.scrub = scrubSetting(unset);
    }

    /** The one reader of the property {@code meshforge.scrubReusedPages}; see {@link #scrubReusedUnlessSet}. */
    private static boolean scrubSetting(boolean unset) {
        String set = System.getProperty("meshforge.scrubReusedPages");
        return set == null ? unset : !"false".equals(set);
    }

    /** Whether {@link #scrubReused} is on. */
    public static boolean scrubsReused() {
        return POOL.scrub;
    }

    /**
     * The bytes of the released mappings kept now as the pool counts them (at most {@link #POOL_BYTES}): a {@link
     * #reserved} one's written part.
     */
    public static long pooledBytes() {
        return POOL.countedBytes();
    }

    /**
     * A mapping kept in a pool: where it starts, its size (whole huge pages), and the bytes counted against the pool's
     * bound: its size, or for a {@link #reserved} one the huge pages its owners wrote, past which it was never
     * touched.
     */
    record Kept(long address, long size, long counted) {
    }

    /**
     * Released mappings kept for a later {@link #reused}, up to {@code bound} bytes as they count, zeroed when taken
     * again where {@code scrub} (the process has one; a test may make its own).
     */
    static final class Pool {
        private final long bound;
        /** The last released first. */
        private final java.util.ArrayDeque<Kept> kept = new java.util.ArrayDeque<>();
        private long counted;
        /** Whether a mapping taken again is zeroed whatever its taker asked for ({@link #scrubReused}). */
        volatile boolean scrub;

        Pool(long bound, boolean scrub) {
            this.bound = bound;
            this.scrub = scrub;
        }

        long countedBytes() {
            synchronized (kept) {
                return counted;
            }
        }

        /** As {@link KernelPages#reused} ({@code written} null) or {@link KernelPages#reserved}, from this pool. */
        MemorySegment take(Arena arena, long bytes, boolean zero, java.util.function.LongSupplier written) {
            return take(arena, bytes, zero, written, true);
        }

        /** As {@link #take(Arena, long, boolean, java.util.function.LongSupplier)}, scrubbed only where {@code scrubbed}. */
        MemorySegment take(Arena arena, long bytes, boolean zero, java.util.function.LongSupplier written,
                boolean scrubbed) {
            if (!SUPPORTED || !Mapping.AVAILABLE || bytes < HUGE_PAGE || !arena.scope().isAlive()) {
                return null;
            }
            long size = (bytes + HUGE_PAGE - 1) & -HUGE_PAGE;
            Kept found = null;
            synchronized (kept) {
                for (var it = kept.iterator(); it.hasNext(); ) {
                    Kept m = it.next();
                    if (m.size() >= size && m.size() - size <= size / 2) {
                        it.remove();
                        counted -= m.counted();
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
                found = new Kept(at.address(), size, written != null ? 0 : size);
            } else {
                at = MemorySegment.ofAddress(found.address()).reinterpret(bytes);
                if (zero || (scrub && scrubbed)) {
                    wipe(at, found.counted());
                }
            }
            Kept taken = found;
            try {
                return at.reinterpret(bytes, arena, released -> {
                    long touched = taken.size();
                    if (written != null) {
                        // The pages touched by this owner or an earlier one, in whole huge pages.
                        long wrote = (Math.max(0, written.getAsLong()) + HUGE_PAGE - 1) & -HUGE_PAGE;
                        touched = Math.min(taken.size(), Math.max(taken.counted(), wrote));
                    }
                    keep(new Kept(taken.address(), taken.size(), touched));
                });
            } catch (RuntimeException closedMeanwhile) {
                keep(taken);
                return null;
            }
        }

        /**
         * Keeps a released mapping for a later {@link #take}, unmapping what passes the bound: the smallest kept
         * mapping that alone makes room, else the longest unused one, and again. Unmapping the longest unused first
         * threw a large mapping away to make room for a small one: at the end of a 2M-triangle OBJ read the file's
         * 190 MiB copy went for 12 MiB of the scene's buffers, and 80 MiB of the read's 370 were kept for the next.
         */
        void keep(Kept mapping) {
            java.util.List<Kept> out = new java.util.ArrayList<>();
            synchronized (kept) {
                if (mapping.counted() > bound) {
                    out.add(mapping);
                } else {
                    kept.addFirst(mapping);
                    counted += mapping.counted();
                    while (counted > bound) {
                        Kept gone = fitting(kept, counted - bound);
                        kept.remove(gone);
                        counted -= gone.counted();
                        out.add(gone);
                    }
                }
            }
            for (Kept m : out) {
                unmap(MemorySegment.ofAddress(m.address()), m.size());
            }
        }

        /** Unmaps every mapping kept. */
        void clear() {
            java.util.List<Kept> out;
            synchronized (kept) {
                out = new java.util.ArrayList<>(kept);
                kept.clear();
                counted = 0;
            }
            for (Kept m : out) {
                unmap(MemorySegment.ofAddress(m.address()), m.size());
            }
        }
    }

    /**
     * Zeroes {@code at}, a mapping taken again whose first {@code counted} bytes (whole huge pages) an earlier owner
     * may have written: those with a memset of pages already faulted in, the rest (a reserve's pages never touched,
     * as its owner counted them) handed back to the kernel, which maps zero pages there at the next touch.
     */
    private static void wipe(MemorySegment at, long counted) {
        long written = Math.min(at.byteSize(), counted);
        at.asSlice(0, written).fill((byte) 0);
        if (written < at.byteSize()) { // a page boundary: counted is whole huge pages
            long rest = ((at.byteSize() + PAGE - 1) & -PAGE) - written;
            try {
                int result = (int) Mapping.MADVISE.invokeExact(MemorySegment.ofAddress(at.address() + written), rest,
                        MADV_DONTNEED);
                if (result != 0) {
                    at.asSlice(written).fill((byte) 0);
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("madvise failed", t);
            }
        }
    }

    /**
     * A segment of {@code bytes} owned by {@code arena} whose contents are undefined, from malloc, for a buffer its
     * caller writes in full before anything reads it ({@link Arena#allocate} would zero it first, a pass over every
     * byte that the caller's own pass then repeats): an OBJ read's native lists below {@link #HUGE_PAGE}, which take
     * larger reserves from {@link #reserved}. Null where malloc cannot be had (not Linux, a call failed): the
     * caller then allocates from the arena.
     */
    public static MemorySegment allocateUnzeroed(Arena arena, long bytes) {
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
    static Kept fitting(java.util.Deque<Kept> kept, long over) {
        Kept best = null;
        for (Kept m : kept) {
            if (m.counted() >= over && (best == null || m.counted() <= best.counted())) {
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
