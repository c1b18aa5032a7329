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

/**
 * Mirrors kernel.h's functions. Must change together with MF_ABI_VERSION there. Each handle is made on its first use
 * (a holder class each): making a downcall handle spins a stub class, and a short command calls one or two functions,
 * so a process pays only for those. The library is opened, and its ABI version checked, before the first handle.
 */
public final class KernelBindings {
    public static final int ABI_VERSION = 6;

    /** int32_t (*)(void *user, double fraction, const char *stage) */
    public static final FunctionDescriptor PROGRESS_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_DOUBLE, ADDRESS);

    /** int32_t f(mesh, options, report or result, error): mf_inspect, mf_repair, mf_hollow, mf_simplify. */
    private static final FunctionDescriptor MESH_CALL = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS);
    /** int32_t f(mesh a, mesh b, options, report, error): mf_hausdorff, mf_lost. */
    private static final FunctionDescriptor PAIR_CALL = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS, ADDRESS);

    private KernelBindings() {
    }

    /** const char *mf_version(void) */
    public static MethodHandle version() {
        Library.lookup();
        return Version.HANDLE;
    }

    public static MethodHandle inspect() {
        Library.lookup();
        return Inspect.HANDLE;
    }

    public static MethodHandle repair() {
        Library.lookup();
        return Repair.HANDLE;
    }

    public static MethodHandle hausdorff() {
        Library.lookup();
        return Hausdorff.HANDLE;
    }

    public static MethodHandle lost() {
        Library.lookup();
        return Lost.HANDLE;
    }

    public static MethodHandle hollow() {
        Library.lookup();
        return Hollow.HANDLE;
    }

    public static MethodHandle simplify() {
        Library.lookup();
        return Simplify.HANDLE;
    }

    /** void mf_free(void *) */
    public static MethodHandle free() {
        Library.lookup();
        return Free.HANDLE;
    }

    /**
     * The opened library, checked to speak {@link #ABI_VERSION}. Where it could not be opened, every call of
     * {@link #lookup()} throws the reason again (a class whose initialisation failed would answer a later call, or a
     * call on another thread, with a NoClassDefFoundError that names no reason); the accessors call it before their
     * holder class is touched.
     */
    private static final class Library {
        private static final SymbolLookup LOOKUP;
        private static final KernelException FAILURE;

        static {
            SymbolLookup lookup = null;
            KernelException failure = null;
            try {
                lookup = open();
            } catch (KernelException e) {
                failure = e;
            }
            LOOKUP = lookup;
            FAILURE = failure;
        }

        static SymbolLookup lookup() {
            if (FAILURE != null) {
                throw new KernelException(FAILURE.getMessage(), FAILURE);
            }
            return LOOKUP;
        }

        private static SymbolLookup open() {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(NativeLibraryLoader.locate(), Arena.global());
            } catch (IllegalCallerException e) {
                throw new KernelException("native access is disabled; run java with "
                        + "--enable-native-access=ALL-UNNAMED (the meshforge launcher does this)", e);
            } catch (IllegalArgumentException e) {
                throw new KernelException("the kernel library could not be loaded: " + e.getMessage(), e);
            }
            MethodHandle abiVersion = Linker.nativeLinker().downcallHandle(find(lookup, "mf_abi_version"),
                    FunctionDescriptor.of(JAVA_INT));
            int abi;
            try {
                abi = (int) abiVersion.invokeExact();
            } catch (Throwable t) {
                throw new KernelException("the kernel library did not answer mf_abi_version: " + t, t);
            }
            if (abi != ABI_VERSION) {
                throw new KernelException(-1, "the kernel library speaks ABI version " + abi + " but this meshforge "
                        + "expects " + ABI_VERSION + "; rebuild both from the same sources");
            }
            return lookup;
        }
    }

    private static final class Version {
        static final MethodHandle HANDLE = link("mf_version", FunctionDescriptor.of(ADDRESS));
    }

    private static final class Inspect {
        static final MethodHandle HANDLE = link("mf_inspect", MESH_CALL);
    }

    private static final class Repair {
        static final MethodHandle HANDLE = link("mf_repair", MESH_CALL);
    }

    private static final class Hausdorff {
        static final MethodHandle HANDLE = link("mf_hausdorff", PAIR_CALL);
    }

    private static final class Lost {
        static final MethodHandle HANDLE = link("mf_lost", PAIR_CALL);
    }

    private static final class Hollow {
        static final MethodHandle HANDLE = link("mf_hollow", MESH_CALL);
    }

    private static final class Simplify {
        static final MethodHandle HANDLE = link("mf_simplify", MESH_CALL);
    }

    private static final class Free {
        static final MethodHandle HANDLE = link("mf_free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(find(Library.lookup(), name), descriptor);
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new KernelException(-1,
                "the kernel library has no symbol " + name + "; it is older than this meshforge"));
    }
}
