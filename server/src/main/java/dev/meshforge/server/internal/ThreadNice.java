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
 * threads it starts, the kernel library's native helpers too, inherit it). Under the kernel's fair scheduler a thread
 * at nice 10 gets about a tenth of a core's time against one at nice 0 when both want it, and all of an idle core:
 * tools use what the API leaves, and a status poll does not wait behind a conversion. Elsewhere (where the same call
 * would change the whole process) nothing is done. Only the op threads are lowered ({@code op_nice}), never a thread
 * that writes to the database: one holding SQLite's one writer at a low priority would make the requests behind it
 * wait. The value is relative to the thread's own (the process's: a server started under {@code nice -n 5} runs its
 * ops at 15 with the default of 10), because only the distance between the two decides who gets a core first, and
 * raising a priority again needs a privilege.
 */
final class ThreadNice {
    /** The lowest priority Linux has. */
    static final int LOWEST = 19;
    private static final MethodHandle GETPRIORITY = function("getpriority", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETPRIORITY = function("setpriority", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private ThreadNice() {
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(f -> linker.downcallHandle(f, descriptor)).orElse(null);
        } catch (RuntimeException e) {
            // Native access refused (a JVM started without --enable-native-access where it is enforced).
            return null;
        }
    }

    /**
     * Lowers the calling thread's priority by {@code steps} nice values from its own (at most to {@link #LOWEST});
     * false where it could not (not Linux, or refused).
     */
    static boolean lower(int steps) {
        if (GETPRIORITY == null || SETPRIORITY == null) {
            return false;
        }
        try {
            // PRIO_PROCESS (0) of "this process" (0) is the calling thread under Linux. getpriority cannot fail for
            // the calling thread, so its -1 is nice -1, not an error.
            int now = (int) GETPRIORITY.invokeExact(0, 0);
            int target = Math.min(LOWEST, now + steps);
            return (int) SETPRIORITY.invokeExact(0, 0, target) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
