// The public Java face of the native kernel: typed calls over the scene's own memory, errors as exceptions.
package dev.meshforge.core.kernel;

import dev.meshforge.core.CancelledException;
import dev.meshforge.core.KernelException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.kernel.internal.Field;
import dev.meshforge.core.kernel.internal.KernelBindings;
import dev.meshforge.core.kernel.internal.MeshStruct;
import dev.meshforge.core.scene.TriangleMesh;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_ERROR;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_HAUSDORFF_OPTIONS;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_HAUSDORFF_REPORT;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_HOLLOW_OPTIONS;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_HOLLOW_RESULT;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_INSPECT_OPTIONS;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_INSPECT_REPORT;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_LOST_REPORT;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_REPAIR_OPTIONS;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_REPAIR_RESULT;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_SIMPLIFY_OPTIONS;
import static dev.meshforge.core.kernel.internal.NativeLayouts.MF_SIMPLIFY_RESULT;
import static dev.meshforge.core.kernel.internal.NativeLayouts.REPORT_COUNTS;
import static dev.meshforge.core.kernel.internal.NativeLayouts.field;
import static dev.meshforge.core.kernel.internal.NativeLayouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/** Calls into the native kernel. Mesh buffers are passed by address, never copied. */
public final class Kernel {
    private static final int MF_ERR_OUT_OF_MEMORY = 2;
    private static final int MF_ERR_CANCELLED = 3;
    private static final int MF_ERR_LIMIT = 4;
    private static final int MF_INSPECT_SKIP_INTERSECTIONS = 1;
    private static final int MF_REPAIR_UNCHANGED = 0;

    private static final Field ERROR_CODE = field(MF_ERROR, "code");
    private static final long ERROR_MESSAGE = offset(MF_ERROR, "message");

    private static final Field INSPECT_SIZE = field(MF_INSPECT_OPTIONS, "size");
    private static final Field INSPECT_FLAGS = field(MF_INSPECT_OPTIONS, "flags");
    private static final Field INSPECT_PROGRESS = field(MF_INSPECT_OPTIONS, "progress");
    private static final Field INSPECT_MAX_MEMORY = field(MF_INSPECT_OPTIONS, "max_memory_bytes");
    private static final Field INSPECT_TIME_LIMIT = field(MF_INSPECT_OPTIONS, "time_limit_seconds");

    private static final Field[] REPORT_COUNT = REPORT_COUNTS.stream()
            .map(name -> field(MF_INSPECT_REPORT, name)).toArray(Field[]::new);
    private static final Field REPORT_WATERTIGHT = field(MF_INSPECT_REPORT, "watertight");
    private static final Field REPORT_VOLUME = field(MF_INSPECT_REPORT, "volume");
    private static final Field REPORT_AREA = field(MF_INSPECT_REPORT, "area");
    private static final Field REPORT_BBOX_MIN = field(MF_INSPECT_REPORT, "bbox_min[]");
    private static final Field REPORT_BBOX_MAX = field(MF_INSPECT_REPORT, "bbox_max[]");

    private static final Field REPAIR_SIZE = field(MF_REPAIR_OPTIONS, "size");
    private static final Field REPAIR_FLAGS = field(MF_REPAIR_OPTIONS, "flags");
    private static final Field REPAIR_PROGRESS = field(MF_REPAIR_OPTIONS, "progress");
    private static final Field REPAIR_MAX_MEMORY = field(MF_REPAIR_OPTIONS, "max_memory_bytes");
    private static final Field REPAIR_TIME_LIMIT = field(MF_REPAIR_OPTIONS, "time_limit_seconds");
    private static final Field REPAIR_QUALITY = field(MF_REPAIR_OPTIONS, "quality");
    private static final Field REPAIR_RESOLUTION = field(MF_REPAIR_OPTIONS, "resolution");
    private static final Field REPAIR_TARGET = field(MF_REPAIR_OPTIONS, "target_triangles");

    private static final Field RESULT_POSITIONS = field(MF_REPAIR_RESULT, "positions");
    private static final Field RESULT_VERTEX_COUNT = field(MF_REPAIR_RESULT, "vertex_count");
    private static final Field RESULT_INDICES = field(MF_REPAIR_RESULT, "indices");
    private static final Field RESULT_TRIANGLE_COUNT = field(MF_REPAIR_RESULT, "triangle_count");
    private static final Field RESULT_ATTRIBUTES = field(MF_REPAIR_RESULT, "attributes");
    private static final Field RESULT_ATTRIBUTE_COUNT = field(MF_REPAIR_RESULT, "attribute_count");
    private static final Field RESULT_STAGE = field(MF_REPAIR_RESULT, "stage");
    private static final long RESULT_BEFORE = offset(MF_REPAIR_RESULT, "before");
    private static final long RESULT_AFTER = offset(MF_REPAIR_RESULT, "after");
    private static final Field RESULT_VERTICES_WELDED = field(MF_REPAIR_RESULT, "vertices_welded");
    private static final Field RESULT_FACES_REMOVED = field(MF_REPAIR_RESULT, "faces_removed");
    private static final Field RESULT_FACES_FLIPPED = field(MF_REPAIR_RESULT, "faces_flipped");
    private static final Field RESULT_HOLES_FILLED = field(MF_REPAIR_RESULT, "holes_filled");
    private static final Field RESULT_HOLE_TRIANGLES = field(MF_REPAIR_RESULT, "hole_triangles");
    private static final Field RESULT_SMALL_PARTS = field(MF_REPAIR_RESULT, "small_parts_removed");
    private static final Field RESULT_PARTS_MERGED = field(MF_REPAIR_RESULT, "parts_merged");
    private static final Field RESULT_RESOLUTION = field(MF_REPAIR_RESULT, "resolution");
    private static final Field RESULT_SIMPLIFIED = field(MF_REPAIR_RESULT, "simplified");
    private static final Field RESULT_OUT_IN = field(MF_REPAIR_RESULT, "hausdorff_out_in");
    private static final Field RESULT_IN_OUT = field(MF_REPAIR_RESULT, "hausdorff_in_out");
    private static final Field RESULT_OUT_IN_PATCHED = field(MF_REPAIR_RESULT, "hausdorff_out_in_patched");
    private static final Field RESULT_LOST = field(MF_REPAIR_RESULT, "lost");
    private static final Field RESULT_LOST_AREA = field(MF_REPAIR_RESULT, "lost_area");

    private static final Field HAUSDORFF_SIZE = field(MF_HAUSDORFF_OPTIONS, "size");
    private static final Field HAUSDORFF_SAMPLES = field(MF_HAUSDORFF_OPTIONS, "samples");
    private static final Field HAUSDORFF_A_TO_B = field(MF_HAUSDORFF_REPORT, "a_to_b");
    private static final Field HAUSDORFF_B_TO_A = field(MF_HAUSDORFF_REPORT, "b_to_a");
    private static final Field HAUSDORFF_DIAGONAL = field(MF_HAUSDORFF_REPORT, "diagonal");
    private static final Field LOST_LOST = field(MF_LOST_REPORT, "lost");
    private static final Field LOST_AREA = field(MF_LOST_REPORT, "lost_area");

    private static final Field HOLLOW_SIZE = field(MF_HOLLOW_OPTIONS, "size");
    private static final Field HOLLOW_FLAGS = field(MF_HOLLOW_OPTIONS, "flags");
    private static final Field HOLLOW_PROGRESS = field(MF_HOLLOW_OPTIONS, "progress");
    private static final Field HOLLOW_MAX_MEMORY = field(MF_HOLLOW_OPTIONS, "max_memory_bytes");
    private static final Field HOLLOW_TIME_LIMIT = field(MF_HOLLOW_OPTIONS, "time_limit_seconds");
    private static final Field HOLLOW_WALL = field(MF_HOLLOW_OPTIONS, "wall_thickness");
    private static final Field HOLLOW_CLOSING = field(MF_HOLLOW_OPTIONS, "closing_distance");
    private static final Field HOLLOW_QUALITY = field(MF_HOLLOW_OPTIONS, "quality");
    private static final Field HOLLOW_HOLES = field(MF_HOLLOW_OPTIONS, "holes");
    private static final Field HOLLOW_UP = field(MF_HOLLOW_OPTIONS, "up[]");
    private static final Field HOLLOW_HOLE_DIAMETER = field(MF_HOLLOW_OPTIONS, "hole_diameter");
    private static final Field HOLLOW_HOLE_POINTS = field(MF_HOLLOW_OPTIONS, "hole_points");
    private static final Field HOLLOW_HOLE_COUNT = field(MF_HOLLOW_OPTIONS, "hole_count");
    private static final int MF_HOLLOW_VENTS = 1;

    private static final Field HOLLOWED_POSITIONS = field(MF_HOLLOW_RESULT, "positions");
    private static final Field HOLLOWED_VERTEX_COUNT = field(MF_HOLLOW_RESULT, "vertex_count");
    private static final Field HOLLOWED_INDICES = field(MF_HOLLOW_RESULT, "indices");
    private static final Field HOLLOWED_TRIANGLE_COUNT = field(MF_HOLLOW_RESULT, "triangle_count");
    private static final Field HOLLOWED_HOLE_POSITIONS = field(MF_HOLLOW_RESULT, "hole_positions");
    private static final Field HOLLOWED_HOLES = field(MF_HOLLOW_RESULT, "holes");
    private static final Field HOLLOWED_CAVITIES = field(MF_HOLLOW_RESULT, "cavities");
    private static final Field HOLLOWED_DRAINED = field(MF_HOLLOW_RESULT, "cavities_drained");
    private static final Field HOLLOWED_REMESHED = field(MF_HOLLOW_RESULT, "remeshed");
    private static final Field HOLLOWED_VOLUME_BEFORE = field(MF_HOLLOW_RESULT, "volume_before");
    private static final Field HOLLOWED_VOLUME_AFTER = field(MF_HOLLOW_RESULT, "volume_after");
    private static final Field HOLLOWED_MIN_WALL = field(MF_HOLLOW_RESULT, "min_wall");
    private static final Field HOLLOWED_INNER_OFFSET = field(MF_HOLLOW_RESULT, "inner_offset");
    private static final Field HOLLOWED_CELL = field(MF_HOLLOW_RESULT, "cell_size");
    private static final Field HOLLOWED_INNER_TRIANGLES = field(MF_HOLLOW_RESULT, "inner_triangles");
    private static final long HOLLOWED_AFTER = offset(MF_HOLLOW_RESULT, "after");

    private static final int MF_SIMPLIFY_LOCK_BORDER = 1;
    private static final int MF_SIMPLIFY_ABSOLUTE_ERROR = 2;
    private static final int MF_SIMPLIFY_NO_INTERSECTIONS = 4;
    private static final Field SIMPLIFY_SIZE = field(MF_SIMPLIFY_OPTIONS, "size");
    private static final Field SIMPLIFY_FLAGS = field(MF_SIMPLIFY_OPTIONS, "flags");
    private static final Field SIMPLIFY_PROGRESS = field(MF_SIMPLIFY_OPTIONS, "progress");
    private static final Field SIMPLIFY_MAX_MEMORY = field(MF_SIMPLIFY_OPTIONS, "max_memory_bytes");
    private static final Field SIMPLIFY_TIME_LIMIT = field(MF_SIMPLIFY_OPTIONS, "time_limit_seconds");
    private static final Field SIMPLIFY_TARGET = field(MF_SIMPLIFY_OPTIONS, "target_triangles");
    private static final Field SIMPLIFY_RATIO = field(MF_SIMPLIFY_OPTIONS, "target_ratio");
    private static final Field SIMPLIFY_ERROR = field(MF_SIMPLIFY_OPTIONS, "target_error");
    private static final Field SIMPLIFY_WEIGHTS = field(MF_SIMPLIFY_OPTIONS, "attribute_weights");
    private static final Field SIMPLIFIED_INDICES = field(MF_SIMPLIFY_RESULT, "indices");
    private static final Field SIMPLIFIED_TRIANGLES = field(MF_SIMPLIFY_RESULT, "triangle_count");
    private static final Field SIMPLIFIED_TARGET = field(MF_SIMPLIFY_RESULT, "target_triangles");
    private static final Field SIMPLIFIED_COLLAPSES = field(MF_SIMPLIFY_RESULT, "collapses");
    private static final Field SIMPLIFIED_DROPPED = field(MF_SIMPLIFY_RESULT, "dropped");
    private static final Field SIMPLIFIED_ERROR = field(MF_SIMPLIFY_RESULT, "error");
    private static final Field SIMPLIFIED_RELATIVE = field(MF_SIMPLIFY_RESULT, "relative_error");
    private static final Field SIMPLIFIED_ATTRIBUTE = field(MF_SIMPLIFY_RESULT, "attribute_error");
    private static final Field SIMPLIFIED_EXTENT = field(MF_SIMPLIFY_RESULT, "extent");
    private static final Field SIMPLIFIED_STOP = field(MF_SIMPLIFY_RESULT, "stop");

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
            MemorySegment s = (MemorySegment) KernelBindings.version().invokeExact();
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
            MemorySegment m = MeshStruct.of(mesh, null, 0, 0, call);
            Upcall upcall = new Upcall(options.progress());
            MemorySegment o = call.allocate(MF_INSPECT_OPTIONS);
            INSPECT_SIZE.set(o, (int) MF_INSPECT_OPTIONS.byteSize());
            INSPECT_FLAGS.set(o, options.intersections() ? 0 : MF_INSPECT_SKIP_INTERSECTIONS);
            INSPECT_PROGRESS.set(o, upcall.stub(call));
            INSPECT_MAX_MEMORY.set(o, options.maxMemoryBytes());
            INSPECT_TIME_LIMIT.set(o, seconds(options.timeLimit()));

            MemorySegment r = call.allocate(MF_INSPECT_REPORT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.inspect().invokeExact(m, o, r, err);
            check(status, err, upcall);
            return readReport(r);
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call mf_inspect failed: " + t, t);
        }
    }

    /**
     * Repairs the triangles into a watertight, manifold, outward, intersection-free solid (mf_repair).
     * {@code attributes} holds {@code attributeCount} packed floats for every vertex of {@code mesh} (or is null).
     * The kernel's buffers are copied once into {@code into} and freed.
     */
    public static KernelRepairResult repair(TriangleMesh mesh, MemorySegment attributes, int attributeCount,
                                            KernelRepairOptions options, Arena into) {
        return repair(KernelMesh.of(mesh).withAttributes(attributes, attributeCount), options, into);
    }

    /**
     * Repairs the mesh (mf_repair), carrying its attributes to the output's vertices. The kernel's buffers are
     * copied once into {@code into} and freed.
     */
    public static KernelRepairResult repair(KernelMesh mesh, KernelRepairOptions options, Arena into) {
        try (Arena call = Arena.ofShared()) {
            MemorySegment m = MeshStruct.of(mesh.triangles(), mesh.attributes(), mesh.attributeCount(),
                    mesh.attributeStride(), call);
            Upcall upcall = new Upcall(options.progress());
            MemorySegment o = call.allocate(MF_REPAIR_OPTIONS);
            REPAIR_SIZE.set(o, (int) MF_REPAIR_OPTIONS.byteSize());
            REPAIR_FLAGS.set(o, options.flags());
            REPAIR_PROGRESS.set(o, upcall.stub(call));
            REPAIR_MAX_MEMORY.set(o, options.maxMemoryBytes());
            REPAIR_TIME_LIMIT.set(o, seconds(options.timeLimit()));
            REPAIR_QUALITY.set(o, options.quality());
            REPAIR_RESOLUTION.set(o, options.resolution());
            REPAIR_TARGET.set(o, options.targetTriangles());
            MemorySegment r = call.allocate(MF_REPAIR_RESULT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.repair().invokeExact(m, o, r, err);
            check(status, err, upcall);
            try {
                return readRepair(r, into);
            } finally {
                for (Field buffer : new Field[] {RESULT_POSITIONS, RESULT_INDICES, RESULT_ATTRIBUTES}) {
                    KernelBindings.free().invokeExact(buffer.getAddress(r));
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
        return measure(KernelBindings.hausdorff(), "mf_hausdorff", a, b, samples, MF_HAUSDORFF_REPORT,
                r -> new double[] {HAUSDORFF_A_TO_B.getDouble(r), HAUSDORFF_B_TO_A.getDouble(r),
                        HAUSDORFF_DIAGONAL.getDouble(r)});
    }

    /**
     * What of {@code input} the closed, outward {@code solid} lost (mf_lost), the measure a repair reports: {lost,
     * lost area}, fractions of the input's diagonal and of its area; for any pair, such as another program's
     * output beside its input.
     */
    public static double[] lost(TriangleMesh input, TriangleMesh solid, int samples) {
        return measure(KernelBindings.lost(), "mf_lost", input, solid, samples, MF_LOST_REPORT,
                r -> new double[] {LOST_LOST.getDouble(r), LOST_AREA.getDouble(r)});
    }

    /** Calls a measurement taking (a, b, mf_hausdorff_options, report, error) and reads its report. */
    private static double[] measure(MethodHandle function, String name, TriangleMesh a, TriangleMesh b, int samples,
            StructLayout reportLayout, Function<MemorySegment, double[]> read) {
        try (Arena call = Arena.ofShared()) {
            MemorySegment o = call.allocate(MF_HAUSDORFF_OPTIONS);
            HAUSDORFF_SIZE.set(o, (int) MF_HAUSDORFF_OPTIONS.byteSize());
            HAUSDORFF_SAMPLES.set(o, samples);
            MemorySegment r = call.allocate(reportLayout);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) function.invokeExact(MeshStruct.of(a, null, 0, 0, call),
                    MeshStruct.of(b, null, 0, 0, call), o, r, err);
            check(status, err, new Upcall(ProgressListener.NONE));
            return read.apply(r);
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call " + name + " failed: " + t, t);
        }
    }

    /**
     * Does ahead what the first {@link #hollow} of a process does before the kernel starts: opens the library, links
     * mf_hollow and mf_free and makes the progress upcall's stub factory (about 100 ms in a fresh JVM), so that a
     * caller can run it on another thread beside gathering its input. Safe to run at any time, on any thread, and
     * more than once. A failure is left for hollow() to report.
     */
    public static void prepareHollow() {
        try (Arena scratch = Arena.ofConfined()) {
            KernelBindings.hollow();
            KernelBindings.free();
            Linker.nativeLinker().upcallStub(PROGRESS_TARGET.bindTo(new Upcall(ProgressListener.NONE)),
                    KernelBindings.PROGRESS_FN, scratch);
        } catch (Throwable t) {
            // hollow() meets the same failure and reports it
        }
    }

    /**
     * Hollows a closed, outward, self-intersection-free solid (mf_hollow): an inner surface at the wall
     * thickness, drain holes carved before contouring, every result checked. The kernel's buffers are copied
     * once into {@code into} and freed.
     */
    public static KernelHollowResult hollow(TriangleMesh mesh, KernelHollowOptions options, Arena into) {
        try (Arena call = Arena.ofShared()) {
            MemorySegment m = MeshStruct.of(mesh, null, 0, 0, call);
            Upcall upcall = new Upcall(options.progress());
            MemorySegment o = call.allocate(MF_HOLLOW_OPTIONS);
            HOLLOW_SIZE.set(o, (int) MF_HOLLOW_OPTIONS.byteSize());
            HOLLOW_FLAGS.set(o, options.vents() ? MF_HOLLOW_VENTS : 0);
            HOLLOW_PROGRESS.set(o, upcall.stub(call));
            HOLLOW_MAX_MEMORY.set(o, options.maxMemoryBytes());
            HOLLOW_TIME_LIMIT.set(o, seconds(options.timeLimit()));
            HOLLOW_WALL.set(o, options.wallThickness());
            HOLLOW_CLOSING.set(o, options.closingDistance());
            HOLLOW_QUALITY.set(o, options.quality());
            HOLLOW_HOLES.set(o, options.holes());
            double[] up = options.up();
            for (int k = 0; k < 3; k++) {
                HOLLOW_UP.set(o, k, up[k]);
            }
            HOLLOW_HOLE_DIAMETER.set(o, options.holeDiameter());
            List<double[]> points = options.holePoints();
            MemorySegment xyz = call.allocate(JAVA_DOUBLE, Math.max(1, 3L * points.size()));
            for (int i = 0; i < points.size(); i++) {
                MemorySegment.copy(points.get(i), 0, xyz, JAVA_DOUBLE, 24L * i, 3);
            }
            HOLLOW_HOLE_POINTS.set(o, points.isEmpty() ? MemorySegment.NULL : xyz);
            HOLLOW_HOLE_COUNT.set(o, points.size());
            MemorySegment r = call.allocate(MF_HOLLOW_RESULT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.hollow().invokeExact(m, o, r, err);
            check(status, err, upcall);
            try {
                return readHollow(r, into);
            } finally {
                for (Field buffer : new Field[] {HOLLOWED_POSITIONS, HOLLOWED_INDICES, HOLLOWED_HOLE_POSITIONS}) {
                    KernelBindings.free().invokeExact(buffer.getAddress(r));
                }
            }
        } catch (MeshforgeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call mf_hollow failed: " + t, t);
        }
    }

    /**
     * Simplifies the mesh by quadric edge collapse with attributes (mf_simplify): the result indexes the input's own
     * vertices, so that every attribute of a kept vertex (and anything else per vertex) stays as it was. The
     * kernel's index buffer is copied once into {@code into} and freed.
     */
    public static KernelSimplifyResult simplify(KernelMesh mesh, KernelSimplifyOptions options, Arena into) {
        // Confined: only this thread reads the call's structs, and the kernel calls the progress stub on the calling
        // thread alone. Closing a shared arena waits on every thread of the process (about 0.15 ms median, 0.5 at
        // the 90th percentile, against 0.02 confined): several per cent of simplifying a 15k-triangle mesh.
        try (Arena call = Arena.ofConfined()) {
            MemorySegment m = MeshStruct.of(mesh.triangles(), mesh.attributes(), mesh.attributeCount(),
                    mesh.attributeStride(), call);
            Upcall upcall = new Upcall(options.progress());
            MemorySegment o = call.allocate(MF_SIMPLIFY_OPTIONS);
            SIMPLIFY_SIZE.set(o, (int) MF_SIMPLIFY_OPTIONS.byteSize());
            SIMPLIFY_FLAGS.set(o, (options.lockBorder() ? MF_SIMPLIFY_LOCK_BORDER : 0)
                    | (options.absoluteError() ? MF_SIMPLIFY_ABSOLUTE_ERROR : 0)
                    | (options.noIntersections() ? MF_SIMPLIFY_NO_INTERSECTIONS : 0));
            SIMPLIFY_PROGRESS.set(o, upcall.stub(call));
            SIMPLIFY_MAX_MEMORY.set(o, options.maxMemoryBytes());
            SIMPLIFY_TIME_LIMIT.set(o, seconds(options.timeLimit()));
            SIMPLIFY_TARGET.set(o, options.targetTriangles());
            SIMPLIFY_RATIO.set(o, options.targetRatio());
            SIMPLIFY_ERROR.set(o, options.targetError());
            float[] weights = options.attributeWeights();
            if (weights != null && weights.length < mesh.attributeCount()) {
                throw new IllegalArgumentException("attributeWeights has " + weights.length + " weights for "
                        + mesh.attributeCount() + " attribute floats");
            }
            SIMPLIFY_WEIGHTS.set(o, weights == null ? MemorySegment.NULL
                    : call.allocateFrom(JAVA_FLOAT, weights));
            MemorySegment r = call.allocate(MF_SIMPLIFY_RESULT);
            MemorySegment err = call.allocate(MF_ERROR);
            int status = (int) KernelBindings.simplify().invokeExact(m, o, r, err);
            check(status, err, upcall);
            try {
                long triangles = SIMPLIFIED_TRIANGLES.getLong(r);
                return new KernelSimplifyResult(copy(SIMPLIFIED_INDICES.getAddress(r),
                        triangles * 3 * Integer.BYTES, into), triangles, SIMPLIFIED_TARGET.getLong(r),
                        SIMPLIFIED_COLLAPSES.getLong(r), SIMPLIFIED_DROPPED.getLong(r),
                        SIMPLIFIED_ERROR.getDouble(r), SIMPLIFIED_RELATIVE.getDouble(r),
                        SIMPLIFIED_ATTRIBUTE.getDouble(r), SIMPLIFIED_EXTENT.getDouble(r),
                        SIMPLIFIED_STOP.getInt(r));
            } finally {
                KernelBindings.free().invokeExact(SIMPLIFIED_INDICES.getAddress(r));
            }
        } catch (MeshforgeException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("the kernel call mf_simplify failed: " + t, t);
        }
    }

    private static KernelHollowResult readHollow(MemorySegment r, Arena into) {
        long vertices = HOLLOWED_VERTEX_COUNT.getLong(r);
        long triangles = HOLLOWED_TRIANGLE_COUNT.getLong(r);
        MemorySegment kernelPositions = HOLLOWED_POSITIONS.getAddress(r);
        MemorySegment positions = null;
        MemorySegment indices = null;
        if (!kernelPositions.equals(MemorySegment.NULL)) {
            positions = copy(kernelPositions, vertices * 3 * Float.BYTES, into);
            indices = copy(HOLLOWED_INDICES.getAddress(r), triangles * 3 * Integer.BYTES, into);
        }
        int holes = HOLLOWED_HOLES.getInt(r);
        List<double[]> openings = new ArrayList<>();
        if (holes > 0) {
            MemorySegment xyz = (HOLLOWED_HOLE_POSITIONS.getAddress(r)).reinterpret(24L * holes);
            for (int i = 0; i < holes; i++) {
                openings.add(xyz.asSlice(24L * i, 24).toArray(JAVA_DOUBLE));
            }
        }
        return new KernelHollowResult(positions, vertices, indices, triangles, openings, HOLLOWED_CAVITIES.getInt(r),
                HOLLOWED_DRAINED.getInt(r), HOLLOWED_REMESHED.getInt(r) != 0,
                HOLLOWED_VOLUME_BEFORE.getDouble(r), HOLLOWED_VOLUME_AFTER.getDouble(r),
                HOLLOWED_MIN_WALL.getDouble(r), HOLLOWED_INNER_OFFSET.getDouble(r),
                HOLLOWED_CELL.getDouble(r), HOLLOWED_INNER_TRIANGLES.getLong(r),
                readReport(nested(r, HOLLOWED_AFTER, MF_INSPECT_REPORT)));
    }

    private static double seconds(Duration limit) {
        return limit == null ? 0.0 : limit.toNanos() / 1e9;
    }

    private static KernelRepairResult readRepair(MemorySegment r, Arena into) {
        int stage = RESULT_STAGE.getInt(r);
        long vertices = RESULT_VERTEX_COUNT.getLong(r);
        long triangles = RESULT_TRIANGLE_COUNT.getLong(r);
        int attributeCount = RESULT_ATTRIBUTE_COUNT.getInt(r);
        MemorySegment positions = null;
        MemorySegment indices = null;
        MemorySegment attributes = null;
        if (stage != MF_REPAIR_UNCHANGED) {
            positions = copy(RESULT_POSITIONS.getAddress(r), vertices * 3 * Float.BYTES, into);
            indices = copy(RESULT_INDICES.getAddress(r), triangles * 3 * Integer.BYTES, into);
            if (attributeCount > 0) {
                attributes = copy(RESULT_ATTRIBUTES.getAddress(r),
                        vertices * attributeCount * (long) Float.BYTES, into);
            }
        }
        return new KernelRepairResult(stage, positions, vertices, indices, triangles, attributes, attributeCount,
                readReport(nested(r, RESULT_BEFORE, MF_INSPECT_REPORT)),
                readReport(nested(r, RESULT_AFTER, MF_INSPECT_REPORT)),
                RESULT_VERTICES_WELDED.getLong(r), RESULT_FACES_REMOVED.getLong(r),
                RESULT_FACES_FLIPPED.getLong(r), RESULT_HOLES_FILLED.getLong(r),
                RESULT_HOLE_TRIANGLES.getLong(r), RESULT_SMALL_PARTS.getLong(r),
                RESULT_PARTS_MERGED.getLong(r), RESULT_RESOLUTION.getInt(r),
                RESULT_SIMPLIFIED.getInt(r) != 0, RESULT_OUT_IN.getDouble(r), RESULT_IN_OUT.getDouble(r),
                RESULT_OUT_IN_PATCHED.getDouble(r), RESULT_LOST.getDouble(r), RESULT_LOST_AREA.getDouble(r));
    }

    private static MemorySegment nested(MemorySegment struct, long offset, StructLayout layout) {
        return struct.asSlice(offset, layout.byteSize(), layout.byteAlignment());
    }

    private static MemorySegment copy(MemorySegment kernelOwned, long bytes, Arena into) {
        MemorySegment out = into.allocate(Math.max(1, bytes), 8);
        if (bytes > 0) {
            MemorySegment.copy(kernelOwned.reinterpret(bytes), 0, out, 0, bytes);
        }
        return out;
    }

    private static MeshReport readReport(MemorySegment r) {
        long[] n = new long[REPORT_COUNT.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = REPORT_COUNT[i].getLong(r);
        }
        double[] min = new double[3];
        double[] max = new double[3];
        for (int i = 0; i < 3; i++) {
            min[i] = REPORT_BBOX_MIN.getDouble(r, i);
            max[i] = REPORT_BBOX_MAX.getDouble(r, i);
        }
        return new MeshReport(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9],
                REPORT_WATERTIGHT.getInt(r) != 0, REPORT_VOLUME.getDouble(r), REPORT_AREA.getDouble(r), min,
                max);
    }

    private static void check(int status, MemorySegment err, Upcall upcall) {
        if (status == 0) {
            return;
        }
        if (upcall.failure != null) {
            throw new KernelException("the progress listener failed: " + upcall.failure, upcall.failure);
        }
        int code = ERROR_CODE.getInt(err);
        String message = err.getString(ERROR_MESSAGE);
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

        /** The C function pointer for mf_progress_fn, or NULL where nobody listens. */
        MemorySegment stub(Arena call) {
            return listener == ProgressListener.NONE ? MemorySegment.NULL
                    : Linker.nativeLinker().upcallStub(PROGRESS_TARGET.bindTo(this), KernelBindings.PROGRESS_FN, call);
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
