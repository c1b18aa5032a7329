// The Render op on the ops contract: files and report, progress per view, cancellation between views, limits,
// and the turntable video that ffmpeg encodes, re-read by ffprobe and ffmpeg.
package dev.meshforge.render;

import dev.meshforge.core.CancelledException;
import dev.meshforge.core.LimitExceededException;
import dev.meshforge.core.ops.Cancellation;
import dev.meshforge.core.ops.Limits;
import dev.meshforge.core.ops.RunControl;
import dev.meshforge.core.ops.ToolResult;
import dev.meshforge.core.scene.Scene;
import dev.meshforge.render.internal.TurntableVideo;
import dev.meshforge.render.ops.Render;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderToolTest {
    static StudioRenderer renderer;
    static Render tool;

    @BeforeAll
    static void open() {
        renderer = StudioRenderer.open();
        tool = new Render(renderer);
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    private static RenderOptions small(Path dir, List<View> views) {
        return RenderOptions.DEFAULTS.withSize(32, 32).withViews(views).withShadow(false).withOutput(dir, true);
    }

    @Test
    void writesEveryViewAndReportsItsFilesAndAStagePerView(@TempDir Path dir) {
        List<String> stages = new ArrayList<>();
        RunControl control = RunControl.of((fraction, stage) -> {
            stages.add(stage);
            return true;
        });
        try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40));
             ToolResult<Render.Report> r = tool.run(s, small(dir, View.parse("front,top,isometric")), control)) {
            assertNull(r.scene());
            assertEquals(List.of(dir.resolve("front.png"), dir.resolve("top.png"), dir.resolve("isometric.png"),
                    dir.resolve("contact_sheet.png")), r.files());
            for (Path p : r.files()) {
                assertTrue(Files.isRegularFile(p), p.toString());
            }
            assertEquals(List.of("front", "top", "isometric"), r.report().views());
            assertTrue(r.report().toText().getLast().startsWith("3 view(s) at 32 x 32 ("), r.report().toText().getLast());
            assertTrue(stages.containsAll(List.of("context", "front", "top", "isometric", "contact sheet", "done")),
                    stages.toString());
            Map<String, Object> map = r.toMap();
            assertEquals(List.of("front", "top", "isometric"), map.get("views"));
            assertTrue(((Map<?, ?>) map.get("stage_seconds")).keySet().containsAll(List.of("front", "top",
                    "isometric")), map.toString());
        }
    }

    @Test
    void aCancellationDuringOneViewStopsBeforeTheNext(@TempDir Path dir) {
        Cancellation cancellation = new Cancellation();
        RunControl control = new RunControl((fraction, stage) -> {
            if (stage.equals("top")) {
                cancellation.cancel();
            }
            return true;
        }, cancellation, Limits.NONE);
        try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40))) {
            CancelledException e = assertThrows(CancelledException.class,
                    () -> tool.run(s, small(dir, View.parse("front,top,left")), control));
            assertTrue(e.getMessage().startsWith("render was cancelled during "), e.getMessage());
        }
        assertTrue(Files.isRegularFile(dir.resolve("front.png")));
        assertFalse(Files.exists(dir.resolve("top.png")));
        assertFalse(Files.exists(dir.resolve("left.png")));
        assertFalse(Files.exists(dir.resolve("contact_sheet.png")));
        // The context survives a cancelled run: the next request renders.
        try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40));
             ToolResult<Render.Report> r = tool.run(s, small(dir, View.parse("left")), RunControl.DEFAULTS)) {
            assertEquals(List.of(dir.resolve("left.png")), r.files());
        }
    }

    @Test
    void aRequestOverTheMemoryLimitIsRefusedBeforeDrawing(@TempDir Path dir) {
        // 4096² alone is 64 MiB of readback pixels, twice over.
        RunControl control = RunControl.DEFAULTS.withLimits(new Limits(64L << 20, null));
        try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40))) {
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> tool.run(s, small(dir, View.parse("front")).withSize(4096, 4096), control));
            assertTrue(e.getMessage().startsWith("rendering 4096 x 4096 with 4 samples needs about "), e.getMessage());
            assertTrue(e.getMessage().endsWith("over the limit of 67.1 MB (Limits.maxMemoryBytes)"), e.getMessage());
            // The same limit lets a 256² request through.
            try (ToolResult<Render.Report> r = tool.run(s, small(dir, View.parse("front")).withSize(256, 256),
                    control)) {
                assertEquals(1, r.files().size());
            }
        }
        assertFalse(Files.exists(dir.resolve("front.png.part")));
    }

    @Test
    void aRunPastItsTimeLimitStops(@TempDir Path dir) {
        RunControl control = RunControl.DEFAULTS.withLimits(new Limits(0, Duration.ofNanos(1)));
        try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40))) {
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> tool.run(s, small(dir, View.parse("front,back")), control));
            assertTrue(e.getMessage().startsWith("render ran past its time limit of "), e.getMessage());
        }
    }

    @Test
    void aTurntableIsAlsoAnMp4WhereFfmpegIsInstalled(@TempDir Path dir) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (TurntableVideo.program() == null) {
            assertFalse(ci, "scripts/prerequisites installs ffmpeg under CI");
            try (Scene s = TestScenes.quad(TestScenes.unlit(200, 40, 40));
                 ToolResult<Render.Report> r = tool.run(s, small(dir, View.turntable(4)), RunControl.DEFAULTS)) {
                assertNull(r.report().video());
                assertTrue(r.warnings().contains("no turntable.mp4: the ffmpeg program is not on the PATH (Debian "
                        + "package ffmpeg)"), r.warnings().toString());
            }
            Assumptions.abort("ffmpeg is not installed (Debian package ffmpeg): only its absence was checked");
        }
        // An odd side checks the padding to yuv420p's even sizes; the solid background is the backdrop.
        RenderOptions options = small(dir, View.turntable(6)).withSize(47, 40)
                .withBackground(Background.solid(20, 60, 200)).withToneMapping(ToneMapping.NONE).withMargin(0.3);
        try (Scene s = TestScenes.quad(TestScenes.unlit(220, 200, 30));
             ToolResult<Render.Report> r = tool.run(s, options, RunControl.DEFAULTS)) {
            Path mp4 = dir.resolve("turntable.mp4");
            assertEquals(mp4, r.report().video());
            assertEquals(mp4, r.files().getLast());
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        }
        Path mp4 = dir.resolve("turntable.mp4");
        String probe = run(dir, "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames,pix_fmt,duration", "-of", "default=nw=1", mp4.toString());
        assertTrue(probe.contains("codec_name=h264"), probe);
        assertTrue(probe.contains("width=48") && probe.contains("height=40"), probe);
        assertTrue(probe.contains("pix_fmt=yuv420p"), probe);
        assertTrue(probe.contains("nb_read_frames=6"), probe);
        double duration = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration="))
                .findFirst().orElseThrow().substring(9));
        assertEquals(4.0, duration, 0.05, probe);
        // ffmpeg decodes the first frame: the quad's centre and the backdrop keep the PNG's colours within what
        // 4:2:0 H.264 loses.
        Path frame = dir.resolve("decoded.png");
        run(dir, "ffmpeg", "-v", "error", "-i", mp4.toString(), "-frames:v", "1", frame.toString());
        BufferedImage decoded = ImageIO.read(frame.toFile());
        BufferedImage png = ImageIO.read(dir.resolve("turntable_00.png").toFile());
        assertClose(png.getRGB(23, 20), decoded.getRGB(23, 20), 10);
        assertClose(0xFF14_3CC8, decoded.getRGB(2, 2), 10);
        assertClose(0xFF14_3CC8, decoded.getRGB(47, 39), 10);
    }

    private static void assertClose(int expected, int actual, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xFF;
            int a = (actual >> shift) & 0xFF;
            assertTrue(Math.abs(e - a) <= tolerance, Integer.toHexString(expected) + " vs " + Integer.toHexString(actual));
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
