// The public Java face of the native kernel: typed calls over the scene's own memory, errors as exceptions.
package dev.meshforge.core.kernel;

import dev.meshforge.core.CancelledException;
import dev.meshforge.core.KernelException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.kernel.internal.KernelBindings;
import dev.meshforge.core.scene.TriangleMesh;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import static dev.meshforge.core.kernel.internal.KernelBindings.MF_ERROR;
import static dev.meshforge.core.kernel.internal.KernelBindings.MF_INSPECT_OPTIONS;
import static dev.meshforge.core.kernel.internal.KernelBindings.MF_INSPECT_REPORT;
import static dev.meshforge.core.kernel.internal.KernelBindings.MF_MESH;
import static dev.meshforge.core.kernel.internal.KernelBindings.MF_REPAIR_OPTIONS;
import static dev.meshforge.core.kernel.internal.KernelBindings.MF_REPAIR_RESULT;
import static dev.meshforge.core.kernel.internal.KernelBindings.field;

/** Calls into the native kernel. Mesh buffers are passed by address, never copied. */
public final class Kernel {
    private static final int MF_ERR_OUT_OF_MEMORY = 2;
    private static final int MF_ERR_CANCELLED = 3;
    private static final int MF_ERR_LIMIT = 4;
    private static final int MF_INSPECT_SKIP_INTERSECTIONS = 1;
    private static final int MF_POSITIONS_FLOAT64 = 1;

    private static final VarHandle MESH_POSITIONS = field(MF_MESH, "positions");
    private static final VarHandle MESH_VERTEX_COUNT = field(MF_MESH, "vertex_count");
    private static final VarHandle MESH_POSITION_TYPE = field(MF_MESH, "position_type");
    private static final VarHandle MESH_INDICES = field(MF_MESH, "indices");
    private static final VarHandle MESH_TRIANGLE_COUNT = field(MF_MESH, "triangle_count");
    private static final VarHandle OPT_SIZE = field(MF_INSPECT_OPTIONS, "size");
    private static final VarHandle OPT_FLAGS = field(MF_INSPECT_OPTIONS, "flags");
    private static final VarHandle OPT_PROGRESS = field(MF_INSPECT_OPTIONS, "progress");
    private static final VarHandle OPT_MAX_MEMORY = field(MF_INSPECT_OPTIONS, "max_memory_bytes");
    private static final VarHandle OPT_TIME_LIMIT = field(MF_INSPECT_OPTIONS, "time_limit_seconds");
    private static final VarHandle ERROR_CODE = field(MF_ERROR, "code");
    private static final MethodHandle PROGRESS_TARGET;

    static {
        try {
            PROGRESS_TARGET = MethodHandles.lookup().findVirtual(Upcall.class, "call",
                    MethodType.methodType(int.class, MemorySegment.class, double.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Kernel() {
    }

    /** The kernel library's version string. */
    public static String version() {
        try {
            MemorySegment s = (MemorySegment) KernelBindings.MF_VERSION.invokeExact();
            return s.reinterpret(256).getString(0);
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("mf_version failed: " + t, t);
        }
    }

    /** Measures defects, volume, area and bounds of the triangles, welding equal positions first. */
    public static MeshReport inspect(TriangleMesh mesh, InspectOptions options) {
        try (Arena call = Arena.ofShared()) {
            MemorySegment m = call.allocate(MF_MESH);
            MESH_POSITIONS.set(m, mesh.vertexCount() == 0 ? MemorySegment.NULL : mesh.positions());
            MESH_VERTEX_COUNT.set(m, mesh.vertexCount());
            MESH_POSITION_TYPE.set(m, mesh.float64() ? MF_POSITIONS_FLOAT64 : 0);
            MESH_INDICES.set(m, mesh.triangleCount() == 0 ? MemorySegment.NULL : mesh.indices());
            MESH_TRIANGLE_COUNT.set(m, mesh.triangleCount());

            Upcall upcall = new Upcall(options.progress());
            MemorySegment o = call.allocate(MF_INSPECT_OPTIONS);
            OPT_SIZE.set(o, (int) MF_INSPECT_OPTIONS.byteSize());
            OPT_FLAGS.set(o, options.intersections() ? 0 : MF_INSPECT_SKIP_INTERSECTIONS);
            if (options.progress() != ProgressListener.NONE) {
                OPT_PROGRESS.set(o, Linker.nativeLinker().upcallStub(PROGRESS_TARGET.bindTo(upcall),
                        KernelBindings.PROGRESS_FN, call));
            }
            OPT_MAX_MEMORY.set(o, options.maxMemoryBytes());
            OPT_TIME_LIMIT.set(o, options.timeLimit() == null ? 0.0 : options.timeLimit().toNanos() / 1e9);

            MemorySegment r = call.allocate(MF_INSPECT_REPORT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.MF_INSPECT.invokeExact(m, o, r, err);
            check(status, err, upcall);
            return readReport(r);
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call mf_inspect failed: " + t, t);
        }
    }

    private static final VarHandle REPAIR_SIZE = field(MF_REPAIR_OPTIONS, "size");
    private static final VarHandle REPAIR_FLAGS = field(MF_REPAIR_OPTIONS, "flags");
    private static final VarHandle REPAIR_PROGRESS = field(MF_REPAIR_OPTIONS, "progress");
    private static final VarHandle REPAIR_TIME_LIMIT = field(MF_REPAIR_OPTIONS, "time_limit_seconds");
    private static final VarHandle REPAIR_QUALITY = field(MF_REPAIR_OPTIONS, "quality");
    private static final VarHandle REPAIR_RESOLUTION = field(MF_REPAIR_OPTIONS, "resolution");
    private static final VarHandle REPAIR_TARGET = field(MF_REPAIR_OPTIONS, "target_triangles");
    private static final VarHandle REPAIR_ATTRIBUTES = field(MF_REPAIR_OPTIONS, "attributes");
    private static final VarHandle REPAIR_ATTRIBUTE_COUNT = field(MF_REPAIR_OPTIONS, "attribute_count");

    /**
     * Repairs the triangles into a watertight, manifold, outward, intersection-free solid (mf_repair).
     * {@code attributes} holds {@code attributeCount} packed floats for every vertex of {@code mesh} (or is null).
     * The kernel's buffers are copied once into {@code into} and freed.
     */
    public static KernelRepairResult repair(TriangleMesh mesh, MemorySegment attributes, int attributeCount,
                                            KernelRepairOptions options, Arena into) {
        try (Arena call = Arena.ofShared()) {
            MemorySegment m = meshStruct(mesh, call);
            Upcall upcall = new Upcall(options.progress());
            MemorySegment o = call.allocate(MF_REPAIR_OPTIONS);
            REPAIR_SIZE.set(o, (int) MF_REPAIR_OPTIONS.byteSize());
            REPAIR_FLAGS.set(o, options.flags());
            if (options.progress() != ProgressListener.NONE) {
                REPAIR_PROGRESS.set(o, Linker.nativeLinker().upcallStub(PROGRESS_TARGET.bindTo(upcall),
                        KernelBindings.PROGRESS_FN, call));
            }
            REPAIR_TIME_LIMIT.set(o, options.timeLimit() == null ? 0.0 : options.timeLimit().toNanos() / 1e9);
            REPAIR_QUALITY.set(o, options.quality());
            REPAIR_RESOLUTION.set(o, options.resolution());
            REPAIR_TARGET.set(o, options.targetTriangles());
            if (attributes != null && attributeCount > 0) {
                REPAIR_ATTRIBUTES.set(o, attributes);
                REPAIR_ATTRIBUTE_COUNT.set(o, attributeCount);
            }
            MemorySegment r = call.allocate(MF_REPAIR_RESULT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.MF_REPAIR.invokeExact(m, o, r, err);
            check(status, err, upcall);
            try {
                return readRepair(r, into);
            } finally {
                for (long offset : new long[] {0, 16, 32}) {
                    KernelBindings.MF_FREE.invokeExact(r.get(java.lang.foreign.ValueLayout.ADDRESS, offset));
                }
            }
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call mf_repair failed: " + t, t);
        }
    }

    /** Sampled one-sided Hausdorff distances {a to b, b to a, diagonal of a} (mf_hausdorff), absolute units. */
    public static double[] hausdorff(TriangleMesh a, TriangleMesh b, int samples) {
        try (Arena call = Arena.ofShared()) {
            MemorySegment o = call.allocate(KernelBindings.MF_HAUSDORFF_OPTIONS);
            o.set(JAVA_INT, 0, (int) KernelBindings.MF_HAUSDORFF_OPTIONS.byteSize());
            o.set(JAVA_INT, 4, samples);
            MemorySegment r = call.allocate(KernelBindings.MF_HAUSDORFF_REPORT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.MF_HAUSDORFF.invokeExact(meshStruct(a, call), meshStruct(b, call), o, r,
                    err);
            check(status, err, new Upcall(ProgressListener.NONE));
            return new double[] {r.get(JAVA_DOUBLE, 0), r.get(JAVA_DOUBLE, 8), r.get(JAVA_DOUBLE, 16)};
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call mf_hausdorff failed: " + t, t);
        }
    }

    private static MemorySegment meshStruct(TriangleMesh mesh, Arena call) {
        MemorySegment m = call.allocate(MF_MESH);
        MESH_POSITIONS.set(m, mesh.vertexCount() == 0 ? MemorySegment.NULL : mesh.positions());
        MESH_VERTEX_COUNT.set(m, mesh.vertexCount());
        MESH_POSITION_TYPE.set(m, mesh.float64() ? MF_POSITIONS_FLOAT64 : 0);
        MESH_INDICES.set(m, mesh.triangleCount() == 0 ? MemorySegment.NULL : mesh.indices());
        MESH_TRIANGLE_COUNT.set(m, mesh.triangleCount());
        return m;
    }

    private static KernelRepairResult readRepair(MemorySegment r, Arena into) {
        int stage = r.get(JAVA_INT, 44);
        long vertices = r.get(JAVA_LONG, 8);
        long triangles = r.get(JAVA_LONG, 24);
        int attributeCount = r.get(JAVA_INT, 40);
        MemorySegment positions = null;
        MemorySegment indices = null;
        MemorySegment attributes = null;
        if (stage != 0) {
            positions = copy(r.get(java.lang.foreign.ValueLayout.ADDRESS, 0), vertices * 12, into);
            indices = copy(r.get(java.lang.foreign.ValueLayout.ADDRESS, 16), triangles * 12, into);
            if (attributeCount > 0) {
                attributes = copy(r.get(java.lang.foreign.ValueLayout.ADDRESS, 32), vertices * 4L * attributeCount,
                        into);
            }
        }
        long base = MF_REPAIR_RESULT.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("vertices_welded"));
        long[] c = new long[7];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.get(JAVA_LONG, base + 8L * i);
        }
        return new KernelRepairResult(stage, positions, vertices, indices, triangles, attributes, attributeCount,
                readReport(r.asSlice(48, MF_INSPECT_REPORT.byteSize())),
                readReport(r.asSlice(48 + MF_INSPECT_REPORT.byteSize(), MF_INSPECT_REPORT.byteSize())),
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], r.get(JAVA_INT, base + 56), r.get(JAVA_INT, base + 60) != 0,
                r.get(JAVA_DOUBLE, base + 64), r.get(JAVA_DOUBLE, base + 72), r.get(JAVA_DOUBLE, base + 80));
    }

    private static MemorySegment copy(MemorySegment kernelOwned, long bytes, Arena into) {
        MemorySegment out = into.allocate(Math.max(1, bytes), 8);
        if (bytes > 0) {
            MemorySegment.copy(kernelOwned.reinterpret(bytes), 0, out, 0, bytes);
        }
        return out;
    }

    private static MeshReport readReport(MemorySegment r) {
        long[] n = new long[10];
        for (int i = 0; i < n.length; i++) {
            n[i] = r.getAtIndex(JAVA_LONG, i);
        }
        int watertight = r.get(JAVA_INT, 80);
        double volume = r.get(JAVA_DOUBLE, 88);
        double area = r.get(JAVA_DOUBLE, 96);
        double[] min = new double[3];
        double[] max = new double[3];
        for (int i = 0; i < 3; i++) {
            min[i] = r.get(JAVA_DOUBLE, 104 + 8L * i);
            max[i] = r.get(JAVA_DOUBLE, 128 + 8L * i);
        }
        return new MeshReport(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], watertight != 0,
                volume, area, min, max);
    }

    private static void check(int status, MemorySegment err, Upcall upcall) {
        if (status == 0) {
            return;
        }
        if (upcall.failure != null) {
            throw new KernelException("the progress listener failed: " + upcall.failure, upcall.failure);
        }
        int code = (int) ERROR_CODE.get(err);
        String message = err.getString(4);
        throw switch (code) {
            case MF_ERR_CANCELLED -> new CancelledException(message);
            case MF_ERR_LIMIT, MF_ERR_OUT_OF_MEMORY -> new LimitExceededException(message);
            default -> new KernelException(code, message);
        };
    }

    /** Bridges the C progress callback to a listener; an exception in the listener cancels, never unwinds. */
    private static final class Upcall {
        private final ProgressListener listener;
        private volatile Throwable failure;

        Upcall(ProgressListener listener) {
            this.listener = listener;
        }

        @SuppressWarnings("unused") // called from native code through the upcall stub
        int call(MemorySegment user, double fraction, MemorySegment stage) {
            try {
                String name = stage.equals(MemorySegment.NULL) ? "" : stage.reinterpret(256).getString(0);
                return listener.update(fraction, name) ? 0 : 1;
            } catch (Throwable t) {
                failure = t;
                return 1;
            }
        }
    }
}
