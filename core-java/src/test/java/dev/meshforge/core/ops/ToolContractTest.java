package dev.meshforge.core.ops;

import dev.meshforge.core.CancelledException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.inspect.MeshReport;
import dev.meshforge.core.io.Format;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every tool keeps: report, warnings and timings out; progress, cancellation and limits in. */
class ToolContractTest {
    @TempDir
    Path dir;

    @Test
    void repairReportMapsEveryFigureUnderItsSnakeCaseNameFromOneSource() {
        try (Scene scene = Formats.read(TestData.file("open-cube.obj"));
             ToolResult<Repair.Report> r = Repair.run(scene)) {
            Map<String, Object> m = r.toMap();
            assertEquals(List.of("stage", "triangles_in", "triangles_out", "vertices_welded", "faces_removed",
                    "faces_flipped", "holes_filled", "hole_triangles", "small_parts_removed", "parts_merged",
                    "grid_resolution", "simplified", "hausdorff_out_in", "hausdorff_in_out",
                    "hausdorff_out_in_patched", "lost", "lost_area", "before", "after", "warnings", "seconds", "stage_seconds"),
                    new ArrayList<>(m.keySet()));
            // the open cube: one square hole, closed in place by two triangles
            assertEquals("topological", m.get("stage"));
            assertEquals(10L, m.get("triangles_in"));
            assertEquals(12L, m.get("triangles_out"));
            assertEquals(1L, m.get("holes_filled"));
            assertEquals(2L, m.get("hole_triangles"));
            assertEquals(1L, ((Map<?, ?>) m.get("before")).get("holes"));
            assertEquals(true, ((Map<?, ?>) m.get("after")).get("watertight"));
            assertEquals(1.0, r.report().after().volume(), 1e-6);
        }
    }

    @Test
    void progressNamesStagesAndTheirTimesAreReported() {
        List<String> stages = new ArrayList<>();
        List<Double> fractions = new ArrayList<>();
        RunControl control = RunControl.of((f, stage) -> {
            fractions.add(f);
            stages.add(stage);
            return true;
        });
        try (Scene scene = Formats.read(TestData.file("open-cube.obj"));
             ToolResult<Repair.Report> r = Repair.TOOL.run(scene, Repair.Options.DEFAULTS, control)) {
            assertEquals("gather", stages.get(0));
            assertEquals("done", stages.get(stages.size() - 1));
            assertEquals(1.0, fractions.get(fractions.size() - 1));
            for (double f : fractions) {
                assertTrue(f >= 0 && f <= 1, "fraction " + f);
            }
            assertTrue(r.timings().stages().containsKey("gather"), r.timings().toString());
            assertTrue(r.timings().stages().containsKey("rebuild"), r.timings().toString());
            double sum = r.timings().stages().values().stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(sum <= r.timings().seconds() + 1e-3, sum + " > " + r.timings().seconds());
        }
    }

    @Test
    void aRunNobodyWatchesOrStopsGivesTheKernelNoCallback() {
        // the kernel's own stages are timed only through its progress callback: without one they count under the
        // Java stage that made the call; with a time limit (or a listener, above) the callback is there
        RunControl quiet = new RunControl(dev.meshforge.core.ProgressListener.NONE, Cancellation.NEVER, Limits.NONE);
        RunControl limited = quiet.withLimits(new Limits(0, Duration.ofHours(1)));
        try (Scene scene = Formats.read(TestData.file("open-cube.obj"));
             ToolResult<Repair.Report> a = Repair.TOOL.run(scene, Repair.Options.DEFAULTS, quiet);
             ToolResult<Repair.Report> b = Repair.TOOL.run(scene, Repair.Options.DEFAULTS, limited)) {
            java.util.Set<String> kernelStages = new java.util.HashSet<>(b.timings().stages().keySet());
            kernelStages.removeAll(a.timings().stages().keySet());
            assertTrue(!kernelStages.isEmpty(), a.timings() + " vs " + b.timings());
            assertTrue(b.timings().stages().keySet().containsAll(a.timings().stages().keySet()),
                    a.timings() + " vs " + b.timings());
            assertEquals(b.report().toMap(), a.report().toMap());
        }
        assertThrows(UnsupportedOperationException.class, Cancellation.NEVER::cancel);
    }

    @Test
    void aCancelledRunStopsWithCancelledException() {
        Cancellation cancel = new Cancellation();
        cancel.cancel();
        RunControl control = new RunControl(dev.meshforge.core.ProgressListener.NONE, cancel, Limits.NONE);
        try (Scene scene = Formats.read(TestData.file("open-cube.obj"))) {
            CancelledException e = assertThrows(CancelledException.class,
                    () -> Repair.TOOL.run(scene, Repair.Options.DEFAULTS, control));
            assertTrue(e.getMessage().contains("repair was cancelled"), e.getMessage());
        }
    }

    @Test
    void aListenerThatSaysStopInsideTheKernelCancelsTheRun() {
        // the kernel's own stages come after "gather": refusing them must stop the kernel, not only Java
        RunControl control = RunControl.of((f, stage) -> stage.equals("gather"));
        try (Scene scene = Formats.read(TestData.file("open-cube.obj"))) {
            CancelledException e = assertThrows(CancelledException.class,
                    () -> Repair.TOOL.run(scene, Repair.Options.DEFAULTS, control));
            assertTrue(e.getMessage().contains("cancelled by the progress callback"), e.getMessage());
        }
    }

    @Test
    void aRunPastItsTimeLimitStopsWithLimitExceeded() {
        RunControl control = RunControl.DEFAULTS.withLimits(new Limits(0, Duration.ofNanos(1)));
        try (Scene scene = Formats.read(TestData.file("cube.obj"))) {
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> Inspect.TOOL.run(scene, Inspect.Options.DEFAULTS, control));
            assertTrue(e.getMessage().contains("time limit") && e.getMessage().contains("Limits.timeLimit"),
                    e.getMessage());
        }
    }

    @Test
    void theMemoryLimitReachesTheKernel() {
        RunControl control = RunControl.DEFAULTS.withLimits(new Limits(64, null));
        try (Scene scene = Formats.read(TestData.file("cube.obj"))) {
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> Inspect.TOOL.run(scene, Inspect.Options.DEFAULTS, control));
            assertTrue(e.getMessage().contains("max_memory_bytes"), e.getMessage());
        }
    }

    @Test
    void inspectReportsTheCubeAndHasNoOutputScene() {
        try (Scene scene = Formats.read(TestData.file("cube.obj"));
             ToolResult<MeshReport> r = Inspect.TOOL.run(scene, Inspect.Options.DEFAULTS, RunControl.DEFAULTS)) {
            assertNull(r.scene());
            assertEquals(8, r.report().vertices());
            assertEquals(12, r.report().triangles());
            assertTrue(r.report().watertight());
            assertEquals(1.0, r.report().volume(), 1e-9);
        }
    }

    @Test
    void convertWritesTheFileItsExtensionNamesAndReportsIt() throws Exception {
        Path out = dir.resolve("cube.glb");
        try (Scene scene = Formats.read(TestData.file("cube.obj"));
             ToolResult<Convert.Report> r = Convert.run(scene, Convert.Options.to(out))) {
            assertEquals(Format.GLB, r.report().format());
            assertEquals(List.of(out), r.files());
            assertEquals(Files.size(out), r.report().bytes());
            assertEquals(12, r.report().triangles());
        }
        try (Scene back = Formats.read(out)) {
            assertEquals(12, back.triangleCount());
        }
    }

    @Test
    void anUnchangedRepairReturnsItsInputAndClosingTheResultLeavesTheInputOpen() {
        try (Scene scene = Formats.read(TestData.file("cube.obj"))) {
            try (ToolResult<Repair.Report> r = Repair.run(scene)) {
                assertEquals(Repair.Stage.UNCHANGED, r.report().stage());
                assertSame(scene, r.scene());
            }
            assertEquals(12, Inspect.report(scene).triangles());
        }
    }
}
