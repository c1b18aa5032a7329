// The FFM handles of native/include/meshforge/kernel.h: one MethodHandle per function (struct layouts are in
// NativeLayouts).
package dev.meshforge.core.kernel.internal;

import dev.meshforge.core.KernelException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Mirrors kernel.h's functions. Must change together with MF_ABI_VERSION there. */
public final class KernelBindings {
    public static final int ABI_VERSION = 6;

    /** int32_t (*)(void *user, double fraction, const char *stage) */
    public static final FunctionDescriptor PROGRESS_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_DOUBLE, ADDRESS);

    public static final MethodHandle MF_ABI_VERSION;
    public static final MethodHandle MF_VERSION;
    public static final MethodHandle MF_INSPECT;
    public static final MethodHandle MF_REPAIR;
    public static final MethodHandle MF_HAUSDORFF;
    public static final MethodHandle MF_LOST;
    public static final MethodHandle MF_HOLLOW;
    public static final MethodHandle MF_SIMPLIFY;
    public static final MethodHandle MF_FREE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(NativeLibraryLoader.locate(), Arena.global());
        } catch (IllegalCallerException e) {
            throw new KernelException("native access is disabled; run java with --enable-native-access=ALL-UNNAMED "
                    + "(the meshforge launcher does this)", e);
        } catch (IllegalArgumentException e) {
            throw new KernelException("the kernel library could not be loaded: " + e.getMessage(), e);
        }
        MF_ABI_VERSION = linker.downcallHandle(find(lookup, "mf_abi_version"), FunctionDescriptor.of(JAVA_INT));
        MF_VERSION = linker.downcallHandle(find(lookup, "mf_version"), FunctionDescriptor.of(ADDRESS));
        MF_INSPECT = linker.downcallHandle(find(lookup, "mf_inspect"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_REPAIR = linker.downcallHandle(find(lookup, "mf_repair"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_HAUSDORFF = linker.downcallHandle(find(lookup, "mf_hausdorff"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_LOST = linker.downcallHandle(find(lookup, "mf_lost"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_HOLLOW = linker.downcallHandle(find(lookup, "mf_hollow"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_SIMPLIFY = linker.downcallHandle(find(lookup, "mf_simplify"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MF_FREE = linker.downcallHandle(find(lookup, "mf_free"), FunctionDescriptor.ofVoid(ADDRESS));
        int abi;
        try {
            abi = (int) MF_ABI_VERSION.invokeExact();
        } catch (Throwable t) {
            throw new KernelException("the kernel library did not answer mf_abi_version: " + t, t);
        }
        if (abi != ABI_VERSION) {
            throw new KernelException(-1, "the kernel library speaks ABI version " + abi + " but this meshforge "
                    + "expects " + ABI_VERSION + "; rebuild both from the same sources");
        }
    }

    private KernelBindings() {
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new KernelException(-1,
                "the kernel library has no symbol " + name + "; it is older than this meshforge"));
    }
}
