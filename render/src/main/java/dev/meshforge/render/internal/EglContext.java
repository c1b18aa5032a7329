// A headless OpenGL 3.3 core context through EGL: the GPU's EGL device where there is one, else Mesa's
// surfaceless platform (llvmpipe on the CPU). Rendering goes into framebuffer objects, never a surface.
package dev.meshforge.render.internal;

import dev.meshforge.core.UnsupportedFeatureException;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL10;
import org.lwjgl.egl.EGL12;
import org.lwjgl.egl.EGL14;
import org.lwjgl.egl.EGL15;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL11C;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One EGL display and context. The platform is chosen by {@code MESHFORGE_EGL} (or the system property
 * {@code meshforge.egl}): {@code device} (EGL_EXT_platform_device: the first GPU, as NVIDIA's driver offers it),
 * {@code surfaceless} (EGL_MESA_platform_surfaceless: Mesa, llvmpipe without a GPU), or {@code auto}, the default,
 * which tries a hardware device first and falls back to surfaceless. The context is current on one thread at a
 * time: {@link #makeCurrent()} before GL calls, {@link #release()} after.
 */
public final class EglContext implements AutoCloseable {
    private static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    private static final int EGL_PLATFORM_DEVICE_EXT = 0x313F;
    private static final String PACKAGES = "libegl1, libegl-mesa0 and libgl1-mesa-dri";
    private static boolean glLoaded;
    // EGL hands out one display per platform and device, and eglTerminate ends it for every context on it: count
    // the contexts of each display and terminate it only with the last.
    private static final Map<Long, Integer> OPEN_CONTEXTS = new HashMap<>();

    private final long display;
    private final long context;
    private final String description;
    private GLCapabilities capabilities;

    private EglContext(long display, long context, String description) {
        this.display = display;
        this.context = context;
        this.description = description;
    }

    /** Opens a display and an OpenGL 3.3+ core context, or says in one sentence what is missing. */
    public static EglContext open() {
        String clientExtensions;
        try {
            EGL.getCapabilities();
            clientExtensions = EGL10.eglQueryString(EGL10.EGL_NO_DISPLAY, EGL10.EGL_EXTENSIONS);
        } catch (Throwable e) { // UnsatisfiedLinkError or the initialiser's wrapper of it: no libEGL at all
            throw new UnsupportedFeatureException("rendering needs EGL, but libEGL.so.1 could not be loaded ("
                    + e.getMessage() + "); install " + PACKAGES + " (Debian/Ubuntu: apt-get install libegl1 "
                    + "libegl-mesa0 libgl1-mesa-dri).");
        }
        String choice = System.getProperty("meshforge.egl", System.getenv().getOrDefault("MESHFORGE_EGL", "auto"))
                .toLowerCase(Locale.ROOT);
        clientExtensions = clientExtensions == null ? "" : clientExtensions;
        StringBuilder tried = new StringBuilder();
        if (!choice.equals("surfaceless")) {
            EglContext device = openDevice(clientExtensions, tried);
            if (device != null || choice.equals("device")) {
                if (device == null) {
                    throw new UnsupportedFeatureException("MESHFORGE_EGL=device asks for a GPU through EGL, but "
                            + "none could be opened (" + tried + "); install the GPU vendor's EGL driver or unset it.");
                }
                return device;
            }
        }
        if (!clientExtensions.contains("EGL_MESA_platform_surfaceless")
                || !clientExtensions.contains("EGL_EXT_platform_base")) {
            throw new UnsupportedFeatureException("rendering without a display needs Mesa's surfaceless EGL platform, "
                    + "which this libEGL does not offer" + (tried.isEmpty() ? "" : " (" + tried + ")")
                    + "; install " + PACKAGES + " (Debian/Ubuntu: apt-get install libegl1 libegl-mesa0 "
                    + "libgl1-mesa-dri).");
        }
        // LWJGL's binding refuses the null native display that the surfaceless platform takes: call it directly.
        long display = getPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, 0L);
        EglContext ctx = initialize(display, "Mesa surfaceless", tried);
        if (ctx == null) {
            throw new UnsupportedFeatureException("could not create an OpenGL 3.3 core context through EGL (" + tried
                    + "); install " + PACKAGES + " (Mesa's llvmpipe renders on the CPU).");
        }
        return ctx;
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        long address = EGL10.eglGetProcAddress(name);
        if (address == 0) {
            return null;
        }
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), descriptor);
    }

    private static long getPlatformDisplay(int platform, long nativeDisplay) {
        MethodHandle f = function("eglGetPlatformDisplayEXT", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        if (f == null) {
            return EGL10.EGL_NO_DISPLAY;
        }
        try {
            return (long) f.invokeExact(platform, nativeDisplay, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("eglGetPlatformDisplayEXT failed: " + e, e);
        }
    }

    private static EglContext openDevice(String clientExtensions, StringBuilder tried) {
        if (!clientExtensions.contains("EGL_EXT_device_enumeration")
                || !clientExtensions.contains("EGL_EXT_platform_device")) {
            tried.append("no EGL device enumeration; ");
            return null;
        }
        MethodHandle query = function("eglQueryDevicesEXT", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        MethodHandle describe = function("eglQueryDeviceStringEXT", FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        if (query == null || describe == null) {
            tried.append("no eglQueryDevicesEXT; ");
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ValueLayout.JAVA_LONG, 16);
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            if ((int) query.invokeExact(16, devices, count) == 0) {
                tried.append("eglQueryDevicesEXT failed; ");
                return null;
            }
            for (int i = 0; i < count.get(ValueLayout.JAVA_INT, 0); i++) {
                long device = devices.getAtIndex(ValueLayout.JAVA_LONG, i);
                MemorySegment ext = (MemorySegment) describe.invokeExact(device, EGL10.EGL_EXTENSIONS);
                String extensions = ext.address() == 0 ? "" : ext.reinterpret(65536).getString(0);
                if (extensions.contains("EGL_MESA_device_software")) {
                    continue; // Mesa lists llvmpipe as a device too; the surfaceless path covers it
                }
                EglContext ctx = initialize(getPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, device), "EGL device " + i,
                        tried);
                if (ctx != null) {
                    return ctx;
                }
            }
            tried.append("no hardware EGL device; ");
            return null;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            tried.append("EGL device query failed: ").append(e).append("; ");
            return null;
        }
    }

    private static EglContext initialize(long display, String what, StringBuilder tried) {
        if (display == EGL10.EGL_NO_DISPLAY) {
            tried.append(what).append(": no display; ");
            return null;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer major = stack.mallocInt(1);
            IntBuffer minor = stack.mallocInt(1);
            if (!initializeShared(display, major, minor)) {
                tried.append(what).append(": eglInitialize failed (0x")
                        .append(Integer.toHexString(EGL10.eglGetError())).append("); ");
                return null;
            }
            if (!EGL14.eglBindAPI(EGL14.EGL_OPENGL_API)) {
                tried.append(what).append(": no desktop OpenGL API; ");
                releaseDisplay(display);
                return null;
            }
            IntBuffer configAttributes = stack.ints(
                    EGL10.EGL_SURFACE_TYPE, EGL10.EGL_PBUFFER_BIT,
                    EGL12.EGL_RENDERABLE_TYPE, EGL14.EGL_OPENGL_BIT,
                    EGL10.EGL_RED_SIZE, 8, EGL10.EGL_GREEN_SIZE, 8, EGL10.EGL_BLUE_SIZE, 8,
                    EGL10.EGL_NONE);
            PointerBuffer config = stack.mallocPointer(1);
            IntBuffer found = stack.mallocInt(1);
            if (!EGL10.eglChooseConfig(display, configAttributes, config, found) || found.get(0) == 0) {
                tried.append(what).append(": no config with PBUFFER and OPENGL bits; ");
                releaseDisplay(display);
                return null;
            }
            long context = 0;
            for (int[] version : new int[][] {{4, 5}, {3, 3}}) {
                IntBuffer contextAttributes = stack.ints(
                        EGL15.EGL_CONTEXT_MAJOR_VERSION, version[0], EGL15.EGL_CONTEXT_MINOR_VERSION, version[1],
                        EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                        EGL10.EGL_NONE);
                context = EGL10.eglCreateContext(display, config.get(0), EGL10.EGL_NO_CONTEXT, contextAttributes);
                if (context != EGL10.EGL_NO_CONTEXT) {
                    break;
                }
            }
            if (context == EGL10.EGL_NO_CONTEXT) {
                tried.append(what).append(": no OpenGL 3.3 core context (0x")
                        .append(Integer.toHexString(EGL10.eglGetError())).append("); ");
                releaseDisplay(display);
                return null;
            }
            EglContext ctx = new EglContext(display, context, what);
            try {
                ctx.makeCurrent();
                loadGl();
                ctx.capabilities = GL.createCapabilities();
                ctx.release();
            } catch (RuntimeException | LinkageError e) {
                tried.append(what).append(": ").append(e.getMessage()).append("; ");
                ctx.close();
                return null;
            }
            return ctx;
        }
    }

    // GL functions come from EGL's eglGetProcAddress (core ones included: EGL_KHR_get_all_proc_addresses), so
    // that no libGL.so with GLX needs to be present.
    private static synchronized void loadGl() {
        if (!glLoaded) {
            // Without explicit init, GL's class initialiser would open libGL.so.1 and look functions up by GLX.
            Configuration.OPENGL_EXPLICIT_INIT.set(true);
            try {
                GL.create(name -> EGL10.eglGetProcAddress(name));
            } catch (IllegalStateException alreadyLoaded) {
                // someone else in this JVM created GL first; its function provider serves as well
            }
            glLoaded = true;
        }
    }

    /** Makes the context current on this thread, without a surface (EGL_KHR_surfaceless_context). */
    public void makeCurrent() {
        if (!EGL10.eglMakeCurrent(display, EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, context)) {
            throw new IllegalStateException("eglMakeCurrent failed (0x" + Integer.toHexString(EGL10.eglGetError())
                    + ")");
        }
        if (capabilities != null) {
            GL.setCapabilities(capabilities);
        }
    }

    /** Detaches the context from this thread, so that another thread may use it. */
    public void release() {
        EGL10.eglMakeCurrent(display, EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_CONTEXT);
    }

    /** Where the context came from and what renders it, e.g. "Mesa surfaceless: llvmpipe (LLVM 15.0.6, 256 bits)". */
    public String description() {
        return description;
    }

    /** The GL renderer string; the context must be current. */
    public static String renderer() {
        return GL11C.glGetString(GL11C.GL_RENDERER) + ", OpenGL " + GL11C.glGetString(GL11C.GL_VERSION);
    }

    private static synchronized boolean initializeShared(long display, IntBuffer major, IntBuffer minor) {
        if (!EGL10.eglInitialize(display, major, minor)) {
            return false;
        }
        OPEN_CONTEXTS.merge(display, 1, Integer::sum);
        return true;
    }

    private static synchronized void releaseDisplay(long display) {
        Integer n = OPEN_CONTEXTS.get(display);
        if (n == null || n <= 1) {
            OPEN_CONTEXTS.remove(display);
            EGL10.eglTerminate(display);
        } else {
            OPEN_CONTEXTS.put(display, n - 1);
        }
    }

    @Override
    public void close() {
        EGL10.eglMakeCurrent(display, EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_SURFACE, EGL10.EGL_NO_CONTEXT);
        EGL10.eglDestroyContext(display, context);
        releaseDisplay(display);
    }
}
