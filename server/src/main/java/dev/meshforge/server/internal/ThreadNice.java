// An op thread's scheduling priority lowered (Linux nice), so that the API's threads win the cores it shares.
package dev.meshforge.server.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Java's thread priorities do nothing on Linux without root, but a Linux thread has its own nice value, which any
 * thread may raise for itself ({@code setpriority(PRIO_PROCESS, 0, n)} applies to the calling thread only, and the
 * threads it starts inherit it). A worker at nice 10 gets about a tenth of a core's time against a request thread at
 * nice 0 when both want it, and all of an idle core: tools use what the API leaves, and a status poll does not wait
 * behind a conversion. Elsewhere (where the same call would change the whole process) nothing is done. Only the
 * op threads are lowered ({@code -Dmeshforge.worker_nice=N}, off by default), never a thread that writes to the
 * database: one holding SQLite's one writer at a low priority made the requests behind it wait. Off by default
 * because on a machine shared with other work the ops would also yield to every other process.
 */
final class ThreadNice {
    private static final MethodHandle SETPRIORITY = setpriority();

    private ThreadNice() {
    }

    private static MethodHandle setpriority() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("setpriority").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT))).orElse(null);
        } catch (RuntimeException e) {
            // Native access refused (a JVM started without --enable-native-access where it is enforced).
            return null;
        }
    }

    /** Sets the calling thread's nice value; false where it could not (not Linux, or refused). */
    static boolean set(int nice) {
        if (SETPRIORITY == null) {
            return false;
        }
        try {
            return (int) SETPRIORITY.invokeExact(0 /* PRIO_PROCESS */, 0 /* this thread */, nice) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
